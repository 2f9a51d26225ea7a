"""``eolcare``: the coordinator's record from the command line.

Every command takes ``--profile NAME`` (the only profile is the default) and
``--json`` where it prints something. Passphrases come from a prompt or from
``--passphrase-file``, never from an argument. Errors are printed as plain
sentences with an exit code; nothing half-done is left behind.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eolcare import __version__
from eolcare.cli import passphrases, profile_commands, render
from eolcare.cli.values import parse
from eolcare.domain import display
from eolcare.domain.entities import KINDS, Person
from eolcare.domain.errors import EolcareError
from eolcare.domain.rota import week_ahead
from eolcare.store import caseload
from eolcare.store.database import Store, open_profile

log = logging.getLogger("eolcare.cli")


class UsageError(EolcareError):
    exit_code = 2


# -- helpers ------------------------------------------------------------------------


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> None:
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    else:
        print(text())


def _open(args: argparse.Namespace) -> Store:
    store = open_profile(args.profile, lambda: passphrases.existing(args.passphrase_file),
                         use_keyring=not args.no_keyring)
    profile_commands.warn_if_incomplete(store)
    return store


def resolve_person(store: Store, ref: str) -> str:
    with store.reading() as s:
        return caseload.resolve_person(s, ref)


# -- commands -----------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as store, store.reading() as s:
        found = caseload.list_people(s, include_ended=args.all, limit=args.limit)
    _emit(args, [display.summary_json(p) for p in found], lambda: render.people(found))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as store, store.reading() as s:
        found = caseload.find_people(s, " ".join(args.query), limit=args.limit)
    _emit(args, [display.summary_json(p) for p in found], lambda: render.people(found))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        pid = resolve_person(store, args.person)
        with store.reading() as s:
            rec = caseload.load_record(s, pid)
    week = week_ahead(rec.rota, datetime.now().astimezone())
    _emit(args, display.record_json(rec), lambda: render.record(rec, week))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    spec = Person.FIELDS.get(args.field)
    if spec is None:
        raise UsageError(f"There is no person field called {args.field!r}; "
                         "see 'eolcare fields'.")
    value = parse(spec, args.value)
    with _open(args) as store:
        pid = resolve_person(store, args.person)
        with store.writing() as w:
            person = w.update(Person, pid, **{args.field: value})
    shown = display.show_value(spec, getattr(person, args.field)) or "(empty)"
    _emit(args, display.entity_json(person), lambda: f"{spec.label}: {shown}")
    return 0


def cmd_fields(args: argparse.Namespace) -> int:
    rows = [[name, spec.label, spec.type.value, spec.section]
            for name, spec in Person.FIELDS.items()]
    _emit(args, [dict(zip(["name", "label", "type", "section"], r, strict=True)) for r in rows],
          lambda: render.table(["Field", "Label", "Type", "Section"], rows))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _open(args) as store:
        pid = resolve_person(store, args.person)
        with store.reading() as s:
            found = caseload.history(s, pid, args.field)
    specs = {(kind, name): spec for kind, cls in KINDS.items()
             for name, spec in cls.FIELDS.items()}
    _emit(args, [display.change_json(c) for c in found], lambda: render.changes(found, specs))
    return 0


def cmd_reviews(args: argparse.Namespace) -> int:
    today = date.today()
    with _open(args) as store, store.reading() as s:
        found = caseload.reviews_due(s, today, args.days)
    _emit(args, [display.review_json(r, today) for r in found],
          lambda: render.reviews(found, today))
    return 0


# -- parser -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", metavar="NAME",
                        help="the profile to use (default: the only one)")
    common.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help="read the passphrase from the first line of FILE")
    common.add_argument("--no-keyring", action="store_true",
                        help="do not use or fill the OS keyring")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument("-v", "--verbose", action="store_true", help="log to standard error")

    parser = argparse.ArgumentParser(
        prog="eolcare", description="The end-of-life care coordinator's record.")
    parser.add_argument("--version", action="version", version=f"eolcare {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str
            ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    profile_commands.add_commands(sub, common)
    p = add("list", cmd_list, "list the caseload")
    p.add_argument("--all", action="store_true", help="include people who died or left")
    p.add_argument("--limit", type=int, help="at most this many")
    p = add("search", cmd_search, "find people by name, NHS number, address, circle or notes")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=50)
    p = add("show", cmd_show, "show one person's whole record")
    p.add_argument("person", help="an id (or its start), an NHS number, or a name")
    p = add("set", cmd_set, "change one field of a person's record")
    p.add_argument("person")
    p.add_argument("field", help="a field name (see 'eolcare fields')")
    p.add_argument("value", help="the new value; '-' clears it; coded: CODE[: text]")
    add("fields", cmd_fields, "list the fields of a person's record")
    p = add("history", cmd_history, "who changed what in a person's record, and when")
    p.add_argument("person")
    p.add_argument("field", nargs="?", help="only this field, e.g. preferred_place_of_death")
    p = add("reviews", cmd_reviews, "reviews and tasks overdue or due soon")
    p.add_argument("--days", type=int, default=14, help="'soon' means within DAYS (14)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # No command: open the window. The one call up the layers, made by name so the
        # command line never imports Qt (nor the window's code) unless asked to.
        return int(importlib.import_module("eolcare.gui.app").main([]))
    args = build_parser().parse_args(argv)
    profile_commands.stop_on_sigterm()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except EolcareError as e:
        print(f"eolcare: {e}", file=sys.stderr)
        if way_out := profile_commands.hint(e, args):
            print(way_out, file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("eolcare: stopped; nothing half-done was saved.", file=sys.stderr)
        return 130




if __name__ == "__main__":
    sys.exit(main())
