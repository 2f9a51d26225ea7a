"""Adding and changing the record: people, their circle, services, notes, tasks, rota, documents.

Every change goes through the store's writer (``store.writing()``), exactly as
the window's do: validated as a whole, stamped, logged, queued for sync, and
all-or-nothing. Values come as ``FIELD=VALUE`` pairs or from a JSON file;
coded values by label or code (:mod:`eolcare.cli.values`).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eolcare.cli import values
from eolcare.cli.common import UsageError, emit, open_store, resolve_person
from eolcare.cli.kinds import cli_name, kind_class, said
from eolcare.cli.render import short_id
from eolcare.domain import display
from eolcare.domain.entities import CircleMember, ContactNote, Person, Task
from eolcare.domain.errors import (
    AmbiguousReferenceError,
    ImmutableRecordError,
    NotFoundError,
    Problem,
    ValidationError,
)
from eolcare.domain.schema import Entity, FieldSpec, FieldType
from eolcare.domain.values import Coded

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from eolcare.store.database import Store
    from eolcare.store.writes import Writer


# -- values typed on the command line ------------------------------------------------


def _field_name(cls: type[Entity], key: str) -> str:
    """The field a key names: ``service`` for ``service_id``, case and dashes forgiven."""
    key = key.strip().lower().replace("-", "_").replace(" ", "_")
    if key in cls.FIELDS:
        return key
    if f"{key}_id" in cls.FIELDS and cls.FIELDS[f"{key}_id"].type is FieldType.REF:
        return f"{key}_id"
    close = difflib.get_close_matches(key, list(cls.FIELDS), n=3)
    hint = f" Did you mean {' or '.join(close)}?" if close else ""
    raise UsageError(f"There is no field called {key!r} in a {cli_name(cls)} record.{hint} "
                     f"'eolcare fields {cli_name(cls)}' lists them.")


def typed_values(cls: type[Entity], pairs: Iterable[str], json_file: Path | None
                 ) -> dict[str, Any]:
    """Field name -> what was typed (text) or read from JSON, before parsing."""
    raw: dict[str, Any] = {}
    if json_file is not None:
        raw.update(_read_json(json_file))
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"Give each value as FIELD=VALUE (got {key.strip()[:30]!r}).")
        raw[key] = value
    return {_field_name(cls, key): value for key, value in raw.items()}


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text("utf-8")
    except OSError as e:
        raise UsageError(f"The JSON file could not be read ({e.strerror}).") from None
    except UnicodeDecodeError:
        raise UsageError("The JSON file is not UTF-8 text.") from None
    try:
        data = json.loads(text)
    except ValueError as e:
        raise UsageError(f"The JSON file is not valid JSON (line {getattr(e, 'lineno', '?')})."
                         ) from None
    if not isinstance(data, dict):
        raise UsageError("The JSON file must hold one object of field names and values.")
    data.pop("id", None)
    data.pop("_provenance", None)
    return data


def parsed_values(cls: type[Entity], typed: Mapping[str, Any], *,
                  session: Session | None = None, person_id: str | None = None,
                  onto: Entity | None = None) -> dict[str, Any]:
    """Field values from what was typed, every problem reported at once.

    References (``service=Riverside``, ``helper=Dafydd``) are looked up in the
    store, so they need ``session``. When some values cannot be read, the
    others are checked too (as changes of ``onto``, or of a new record), so
    the coordinator sees every problem in one message.
    """
    out: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in typed.items():
        spec = cls.FIELDS[name]
        try:
            if spec.type is FieldType.REF:
                out[name] = _reference(spec, raw, session, person_id)
            else:
                out[name] = values.parse_json(spec, raw)
        except ValidationError as e:
            problems += e.problems
        except (NotFoundError, AmbiguousReferenceError) as e:
            problems.append(Problem(spec.label, str(e)))
    if problems:
        raise ValidationError(problems + _other_problems(cls, out, onto, problems))
    return out


def _other_problems(cls: type[Entity], readable: dict[str, Any], onto: Entity | None,
                    found: list[Problem]) -> list[Problem]:
    from eolcare.domain.validation import validated

    base = onto if onto is not None else cls()
    try:
        validated(dataclasses.replace(base, **readable))
    except ValidationError as e:
        named = {p.field for p in found}
        if onto is None and cls.OWNER is not None:
            named.add(cls.FIELDS[cls.OWNER].label)  # given apart, as PERSON
        return [p for p in e.problems if p.field not in named]
    return []


def _reference(spec: FieldSpec, raw: Any, session: Session | None,
               person_id: str | None) -> str | None:
    from eolcare.store import caseload, identity

    if raw is None or (isinstance(raw, str) and raw.strip() in ("", "-")):
        return None
    if not isinstance(raw, str):
        raise values.problem(spec, "must be a name or an id")
    assert session is not None
    assert spec.ref is not None
    if spec.ref == "person":
        return caseload.resolve_person(session, raw)
    if spec.ref in ("service", "volunteer", "circle_member"):
        return identity.resolve_named(session, spec.ref, raw, person_id=person_id)
    return identity.resolve_id(session, spec.ref, raw, person_id=person_id)


# -- writing -------------------------------------------------------------------------


def _writing(args: argparse.Namespace, store: Store) -> AbstractContextManager[Writer]:
    """A unit of work; ``--allow-duplicate-nhs`` lets the IT team's override through."""
    from contextlib import contextmanager

    from eolcare.store.identity import DuplicateNhsNumberError

    @contextmanager
    def unit() -> Iterator[Writer]:
        try:
            with store.writing() as w:
                w.allow_duplicate_nhs = bool(getattr(args, "allow_duplicate_nhs", False))
                yield w
        except DuplicateNhsNumberError as e:
            e.choices = (  # type: ignore[attr-defined]
                f"The person who has it: eolcare show {short_id(e.existing_id)}\n"
                "(An IT team merging records may add --allow-duplicate-nhs.)")
            raise

    return unit()


def _described(entity: Entity) -> str:
    rows = display.entity_rows(entity)
    width = max((len(r.label) for r in rows), default=0)
    lines = []
    for r in rows:
        first, *rest = r.text.splitlines() or [""]
        lines.append(f"  {r.label + ':':<{width + 1}} {first}")
        lines += [" " * (width + 4) + line for line in rest]
    return "\n".join(lines)


def _title(entity: Entity) -> str:
    for name in ("full_name", "name", "title", "discussed", "activity", "professional"):
        if name in entity.FIELDS and getattr(entity, name) is not None:
            text = display.show_value(entity.FIELDS[name], getattr(entity, name))
            return text.splitlines()[0][:60] if text else ""
    return ""


def _report(args: argparse.Namespace, verb: str, entity: Entity) -> None:
    kind = cli_name(type(entity))
    emit(args, display.entity_json(entity),
         lambda: f"{verb} {said(type(entity))} {_title(entity)} [{kind} {short_id(entity.id)}]\n"
                 f"{_described(entity)}")


def _person_and_pairs(cls: type[Entity], items: list[str]) -> tuple[str | None, list[str]]:
    if cls.OWNER is None or not items or "=" in items[0]:
        return None, items
    return items[0], items[1:]


def cmd_add(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    person_ref, pairs = _person_and_pairs(cls, list(args.values))
    typed = typed_values(cls, pairs, args.from_json)
    owner = cls.OWNER
    if owner is not None and person_ref is None and owner not in typed \
            and cls.FIELDS[owner].required:
        raise UsageError(f"Say whose record it is: eolcare add {cli_name(cls)} PERSON "
                         "FIELD=VALUE ...")
    with open_store(args) as store:
        person_id = resolve_person(store, person_ref) if person_ref else None
        if owner is not None and person_id is None and typed.get(owner):
            person_id = resolve_person(store, str(typed.pop(owner)))
        typed.pop(owner or "", None)
        with _writing(args, store) as w:
            fields = parsed_values(cls, typed, session=w.session, person_id=person_id)
            if owner is not None:
                fields[owner] = person_id
            added = w.add(cls(**fields))
    _report(args, "Added", added)
    return 0


def _find(store: Store, cls: type[Entity], ref: str, *, deleted: bool = False) -> str:
    from eolcare.store import identity

    if cls is Person and not deleted:
        return resolve_person(store, ref)
    with store.reading() as s:
        if cls.OWNER is None and not deleted and "name" in cls.FIELDS:
            return identity.resolve_named(s, cls.KIND, ref)
        return identity.resolve_id(s, cls.KIND, ref, deleted=deleted)


def _change(args: argparse.Namespace, cls: type[Entity], ref: str,
            typed: Mapping[str, Any]) -> Entity:
    if cls.IMMUTABLE:
        raise ImmutableRecordError(
            "Contact-log notes are never changed, so the log stays a true account. "
            "Add a new note that corrects this one: eolcare note PERSON TEXT --amends ID.")
    if not typed:
        raise UsageError("Say what to change: FIELD=VALUE ... (or --from-json FILE).")
    with open_store(args) as store:
        from eolcare.store.writes import load

        entity_id = _find(store, cls, ref)
        with _writing(args, store) as w:
            current = load(w.session, cls, entity_id)
            changes = parsed_values(cls, typed, session=w.session,
                                    person_id=current.owner_id, onto=current)
            changed = w.update(cls, entity_id, seen=current.provenance.stamps
                               if current.provenance else None, **changes)
    return changed


def cmd_change(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    changed = _change(args, cls, args.ref, typed_values(cls, args.values, args.from_json))
    _report(args, "Changed", changed)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    name = _field_name(Person, args.field)
    changed = _change(args, Person, args.person, {name: args.value})
    spec = Person.FIELDS[name]
    shown = display.show_value(spec, getattr(changed, name)) or "(empty)"
    emit(args, display.entity_json(changed), lambda: f"{spec.label}: {shown}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    with open_store(args) as store:
        entity_id = _find(store, cls, args.ref)
        with store.writing() as w:
            w.delete(cls, entity_id)
    kind = cli_name(cls)
    emit(args, {"id": entity_id, "kind": cls.KIND, "deleted": True},
         lambda: f"Deleted {kind} {short_id(entity_id)}. Nothing is erased: "
                 f"'eolcare undelete {kind} {short_id(entity_id)}' brings it back.")
    return 0


def cmd_undelete(args: argparse.Namespace) -> int:
    cls = kind_class(args.kind)
    with open_store(args) as store:
        entity_id = _find(store, cls, args.ref, deleted=True)
        with store.writing() as w:
            restored = w.restore(cls, entity_id)
    _report(args, "Restored", restored)
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        from eolcare.store import identity

        person_id = resolve_person(store, args.person)
        with store.writing() as w:
            typed: dict[str, Any] = {"contact_type": args.type, "discussed": " ".join(args.text)}
            if args.with_whom:
                typed["with_whom"] = args.with_whom
            if args.follow_up:
                typed["follow_up"] = args.follow_up
            fields = parsed_values(ContactNote, typed, session=w.session)
            if args.amends:
                try:
                    fields["amends"] = identity.resolve_id(w.session, "contact", args.amends,
                                                           person_id=person_id)
                except (NotFoundError, AmbiguousReferenceError) as e:
                    raise ValidationError(Problem(ContactNote.FIELDS["amends"].label,
                                                  str(e))) from None
            added = w.add(ContactNote(person_id=person_id,
                                      occurred_at=args.at or datetime.now().astimezone(),
                                      **fields))
    _report(args, "Added", added)
    return 0


def cmd_assign(args: argparse.Namespace) -> int:
    from eolcare.domain.entities import Volunteer

    typed = typed_values(CircleMember, args.values, None)
    with open_store(args) as store:
        from eolcare.store import identity
        from eolcare.store.writes import load

        person_id = resolve_person(store, args.person)
        with store.writing() as w:
            volunteer = load(w.session, Volunteer,
                             identity.resolve_named(w.session, "volunteer", args.volunteer))
            fields: dict[str, Any] = {
                "name": volunteer.name, "relationship": Coded("volunteer"),
                "phone": volunteer.phone, "email": volunteer.email,
                "helps_with": volunteer.helps_with, "availability": volunteer.availability,
            }
            fields.update(parsed_values(CircleMember, typed, session=w.session,
                                        person_id=person_id))
            added = w.add(CircleMember(person_id=person_id, volunteer_id=volunteer.id,
                                       **fields))
    _report(args, "Assigned", added)
    return 0


def cmd_done(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        entity_id = _find(store, Task, args.ref)
        with store.writing() as w:
            done = w.update(Task, entity_id, done_on=args.on or date.today())
    _report(args, "Done:", done)
    return 0
