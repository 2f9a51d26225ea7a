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
from eolcare.cli import passphrases, render
from eolcare.cli.values import parse
from eolcare.domain import display
from eolcare.domain.entities import KINDS, Person
from eolcare.domain.errors import EolcareError
from eolcare.domain.rota import week_ahead
from eolcare.store import caseload, vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.profiles import find_profile, list_profiles, remove_unfinished

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
    return open_profile(args.profile, lambda: passphrases.existing(args.passphrase_file),
                        use_keyring=not args.no_keyring)


def resolve_person(store: Store, ref: str) -> str:
    with store.reading() as s:
        return caseload.resolve_person(s, ref)


# -- commands -----------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    name = args.profile or "default"
    author = args.name or _ask("Your name (shown on every change you make): ")
    passphrase = passphrases.new(args.passphrase_file)
    profile, recovery = create_profile(name, author, passphrase, _kdf(args))
    _recovery_notice(profile.name, recovery)
    return 0


def _kdf(args: argparse.Namespace) -> vault.KdfParams:
    return vault.KDF_FAST_FOR_TESTS if args.fast_kdf_for_tests else vault.KDF_DEFAULT


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise UsageError("Give your name with --name when not running in a terminal.")
    return input(prompt)


def _recovery_notice(name: str, recovery: str) -> None:
    print(f"Profile {name!r} created.\n")
    print("Your recovery key (write it down or print it, and keep it somewhere safe):\n")
    print(f"    {recovery}\n")
    print("It unlocks this profile if the passphrase is forgotten. It is shown only now.")


def cmd_demo(args: argparse.Namespace) -> int:
    from eolcare.store import demo

    if not 1 <= args.people <= demo.MAX_PEOPLE:
        raise UsageError(f"A demo caseload has 1 to {demo.MAX_PEOPLE:,} people.")
    name = args.profile or "demo"
    passphrase = passphrases.new(args.passphrase_file)
    profile, recovery = create_profile(name, args.name or "Demo Coordinator", passphrase,
                                       _kdf(args))
    _recovery_notice(profile.name, recovery)
    try:
        with Store(profile, vault.unlock(profile.vault_path, passphrase)) as store:
            summary = demo.generate(store, args.people, seed=args.seed, progress=_progress)
            with store.reading() as s:
                first = caseload.list_people(s, limit=15)
    except BaseException:
        remove_unfinished(profile)  # half a demo caseload helps nobody
        raise
    finally:
        if sys.stderr.isatty():
            print(file=sys.stderr)
    print(f"Demo caseload: {summary.people:,} people ({summary.died} died), "
          f"{summary.services} services, {summary.volunteers} volunteers, "
          f"{summary.rows:,} records in {summary.seconds:.1f} s. All synthetic.\n")
    print(render.people(first))
    print(f"\nNext: eolcare show --profile {name} NAME, eolcare reviews --profile {name}, "
          "eolcare --help")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r  creating the demo caseload: {done:,} / {total:,} people", end="",
              file=sys.stderr)


def cmd_profiles(args: argparse.Namespace) -> int:
    found = list_profiles()
    _emit(args, [{"name": p.name, "author": p.author, "created": p.created, "path": str(p.path)}
                 for p in found],
          lambda: render.table(["Profile", "Coordinator", "Created"],
                               [[p.name, p.author, p.created] for p in found])
          if found else "No profiles yet. Create one with 'eolcare init'.")
    return 0


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


def cmd_passphrase(args: argparse.Namespace) -> int:
    profile = find_profile(args.profile)
    if args.recovery_key_file:
        recovery = passphrases.read_file(args.recovery_key_file)
        new = passphrases.new(args.new_passphrase_file)
        vault.reset_passphrase(profile.vault_path, recovery, new)
    else:
        old = passphrases.existing(args.passphrase_file, "current passphrase")
        new = passphrases.new(args.new_passphrase_file)
        vault.change_passphrase(profile.vault_path, old, new)
    print("Passphrase changed. Your records were not touched; the recovery key still works.")
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

    for name, func, help_ in (
        ("init", cmd_init, "create a profile (asks for a new passphrase)"),
        ("demo", cmd_demo, "create a profile with a synthetic demo caseload"),
    ):
        p = add(name, func, help_)
        p.add_argument("--name", help="your name, shown on every change you make")
        p.add_argument("--fast-kdf-for-tests", action="store_true", help=argparse.SUPPRESS)
    demo_parser = sub.choices["demo"]
    demo_parser.add_argument("--people", type=int, default=60,
                             help="how many people (1 to 20000, default 60)")
    demo_parser.add_argument("--seed", type=int, help="make the same caseload every time")

    add("profiles", cmd_profiles, "list the profiles on this computer")
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
    p = add("passphrase", cmd_passphrase, "change the profile's passphrase")
    p.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    p.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                   help="forgot the passphrase: use the recovery key in FILE")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not (sys.argv[1:] if argv is None else argv):
        # No command: open the window. The one call up the layers, made by name so the
        # command line never imports Qt (nor the window's code) unless asked to.
        return int(importlib.import_module("eolcare.gui.app").main([]))
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except EolcareError as e:
        print(f"eolcare: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("eolcare: stopped; nothing half-done was saved.", file=sys.stderr)
        return 130




if __name__ == "__main__":
    sys.exit(main())
