"""What needs review on the command line: ``eolcare conflicts`` and ``eolcare settle``.

The same core functions as the window's review screen
(:mod:`eolcare.store.review`): a contested field is settled by choosing one of
its values (an ordinary edit, which syncs); a flag with no contested field (an
edit after a delete, a possible duplicate) is settled by saying it was looked at.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from eolcare.cli.common import UsageError, emit, open_store, resolve_person
from eolcare.cli.kinds import cli_name, kind_class, said
from eolcare.cli.render import short_id

if TYPE_CHECKING:
    from eolcare.store.review import Conflict


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("conflicts", parents=[common],
                       help="what needs review: values made on two laptops at once",
                       description="List every record flagged 'needs review' (on one "
                                   "person's record, or on the whole profile), with each "
                                   "competing value numbered: 1 is the value standing now.")
    p.add_argument("person", nargs="?", help="only this person's record (a name, an NHS "
                                             "number, or an id)")
    p.set_defaults(handler="review_commands:cmd_conflicts")
    p = sub.add_parser(
        "settle", parents=[common], help="settle what needs review on a record",
        description="Choose the value a contested field keeps (its number as 'eolcare\n"
                    "conflicts' lists it; 1 keeps the value standing now), or, for a flag\n"
                    "with no contested field, say that it was looked at. The choice is an\n"
                    "ordinary edit: it syncs to the team.",
        epilog="examples:\n"
               "  eolcare settle person f185a652 preferred_place_of_death 2\n"
               "  eolcare settle circle 2656a315          # nothing contested: looked at",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", help="person, circle, note, task, ...")
    p.add_argument("ref", metavar="ID", help="the record's id (or its end)")
    p.add_argument("field", nargs="?", help="the contested field")
    p.add_argument("choice", nargs="?", type=int, help="the number of the value to keep")
    p.set_defaults(handler="review_commands:cmd_settle")


def cmd_conflicts(args: argparse.Namespace) -> int:
    from eolcare.store import review

    with open_store(args) as store:
        pid = resolve_person(store, args.person) if args.person else None
        with store.reading() as s:
            found = review.conflicts(s, pid)
    emit(args, [_json(c) for c in found], lambda: _text(found))
    return 0


def cmd_settle(args: argparse.Namespace) -> int:
    from eolcare.domain.errors import NotFoundError
    from eolcare.store import identity, review

    cls = kind_class(args.kind)
    if (args.field is None) != (args.choice is None):
        raise UsageError("Give both the field and the number of the value to keep, or "
                         "neither (to say a flag with nothing contested was looked at).")
    with open_store(args) as store:
        with store.reading() as s:
            entity_id = identity.resolve_id(s, cls.KIND, args.ref)
            if not review.is_flagged(s, cls, entity_id):
                raise NotFoundError(f"Nothing needs review on this {said(cls)}.")
            contested = review.entity_conflicts(s, cls, entity_id)
        fields = {c.field: c for c in contested if c.field is not None}
        with store.writing() as w:
            if args.field is None:
                if fields:
                    raise UsageError(
                        "Choose a value for each contested field first: "
                        + ", ".join(sorted(fields)) + " ('eolcare conflicts' numbers them).")
                settled = review.mark_reviewed(w, cls.KIND, entity_id)
                what = "looked at"
            else:
                conflict = fields.get(args.field)
                if conflict is None:
                    raise UsageError(f"'{args.field}' has no competing values on this "
                                     f"{said(cls)}" + (f"; contested: {', '.join(sorted(fields))}"
                                                       if fields else "") + ".")
                if not 1 <= args.choice <= len(conflict.values):
                    raise UsageError(f"Choose a value from 1 to {len(conflict.values)}.")
                chosen = conflict.values[args.choice - 1]
                settled = review.resolve(w, cls.KIND, entity_id, args.field, chosen.raw)
                what = f"{conflict.label}: {chosen.text}"
    emit(args, {"kind": cls.KIND, "id": settled.id, "settled": args.field,
                "choice": args.choice},
         lambda: f"Settled {said(cls)} [{cli_name(cls)} {short_id(settled.id)}]: {what}.")
    return 0


def _json(c: Conflict) -> dict[str, Any]:
    return {"kind": c.kind, "id": c.entity_id, "person_id": c.person_id,
            "person": c.person_name, "field": c.field, "label": c.label,
            "values": [{"choice": n, "value": v.raw, "text": v.text, "author": v.author,
                        "device": v.device, "at": v.at.isoformat(), "current": v.current}
                       for n, v in enumerate(c.values, start=1)]}


def _text(found: list[Conflict]) -> str:
    if not found:
        return "Nothing needs review."
    lines = []
    for c in found:
        cls = kind_class(c.kind)
        what = "" if c.kind == "person" else f"{said(cls)} "
        who = (f"{c.person_name}: {what}" if what else f"{c.person_name} ") \
            if c.person_name else what
        lines.append(f"{who}[{cli_name(cls)} {short_id(c.entity_id)}] - {c.label}"
                     + (f" ({c.field})" if c.field else ""))
        for n, v in enumerate(c.values, start=1):
            now = ", standing now" if v.current else ""
            lines.append(f"  {n}. {v.text}  ({v.author}, {v.at:%d %b %Y %H:%M}{now})")
    lines.append(f"\n{len(found)} to review. Settle each with 'eolcare settle KIND ID FIELD N'.")
    return "\n".join(lines)
