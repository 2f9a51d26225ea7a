"""``eolcare``: the coordinator's record from the command line.

Every command takes ``--profile NAME`` (else the default profile, or the only
one) and ``--json`` where it prints something. Passphrases come from a prompt
or from ``--passphrase-file``, never from an argument. Errors are printed as
plain sentences with an exit code; nothing half-done is left behind.

Building the parser imports nothing heavy (no SQLAlchemy, no crypto, not even
the record's field specs): each command names the module that runs it, and
only that module is imported, so ``eolcare --help`` and the start of every
command stay fast. Command modules: :mod:`eolcare.cli.people` (reading),
:mod:`eolcare.cli.edits` (adding and changing), :mod:`eolcare.cli.profile_commands`
(profiles, passphrases, backups).
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eolcare import __version__
from eolcare.cli import profile_commands
from eolcare.cli.args import a_date, a_moment, whole_number

#: What the commands that change the record call each kind (``eolcare add KIND``).
KIND_HELP = """\
kinds:
  person      a person on the caseload
  circle      a member of a person's circle of support (family, friend, neighbour...)
  volunteer   a volunteer in the shared community directory
  service     an organisation or team in the shared service directory
  involvement a service involved in a person's care (named professional, role)
  note        a contact-log entry (never changed: a correction is a new note)
  task        a task or review reminder (a person's, or the team's)
  rota        a slot of a person's help rota
  document    another document (a will, a care plan) and where it is kept

'eolcare fields KIND' lists each kind's fields and the values they take."""

VALUES_HELP = """\
values:
  FIELD=VALUE pairs, e.g. full_name="Siân Evans" date_of_birth=1941-02-03
  coded values by their label, in full or in part: preferred_place_of_death=home,
  cpr_decision="not for CPR", relationship=daughter; words after a colon are kept
  beside the code: preferred_place_of_death="home: in her own bed"
  lists comma-separated: helps_with=shopping,meals;  yes/no; '-' clears a field
  references by name or id: service="Riverside District Nurses", helper=Dafydd
  or --from-json FILE (an object of field: value; '-' reads standard input)"""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--profile", metavar="NAME",
                        help="the profile to use (default: the default profile, "
                             "or the only one)")
    common.add_argument("--passphrase-file", type=Path, metavar="FILE",
                        help="read the passphrase from the first line of FILE")
    common.add_argument("--no-keyring", action="store_true",
                        help="do not use or fill the OS keyring")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument("-v", "--verbose", action="store_true", help="log to standard error")

    parser = argparse.ArgumentParser(
        prog="eolcare", description="The end-of-life care coordinator's record.",
        epilog="'eolcare COMMAND --help' tells more about each command. "
               "Profiles live in $EOLCARE_HOME (if set) or the user data folder.")
    parser.add_argument("--version", action="version", version=f"eolcare {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: str, help_: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_, **kw)
        p.set_defaults(handler=handler)
        return p

    # Other areas' commands: each add-parser function imports nothing heavy.
    profile_commands.add_commands(sub, common)  # init, demo, profiles, passphrase, backup...
    _reading_commands(add)
    _editing_commands(add)
    for area in AREAS:  # summary, handover, import-pack; account, team, sync
        module = _area(area)
        if module is not None:
            module.add_commands(sub, common)
    return parser


#: Modules of other areas that add commands with ``add_commands(sub, common)``, hooked in
#: as their branches land (a module not there yet is skipped).
AREAS = ("report_commands", "sync_commands", "review_commands")


def _area(name: str) -> Any:
    try:
        return importlib.import_module(f"eolcare.cli.{name}")
    except ModuleNotFoundError as e:
        if e.name != f"eolcare.cli.{name}":
            raise  # the module is there but something it imports is not
        return None


Add = Callable[..., argparse.ArgumentParser]
#: The orders of store.caseload.SORTS (listed here: the parser must not import the store).
SORTS = ("name", "age", "date_of_birth", "gsf_stage", "preferred_place", "cpr_decision",
         "next_review", "key_worker", "status")
_RAW = argparse.RawDescriptionHelpFormatter


def _reading_commands(add: Add) -> None:
    p = add("list", "people:cmd_list", "list the caseload, a page at a time at a terminal")
    p.add_argument("--all", action="store_true", help="include people who died or left")
    p.add_argument("--limit", type=whole_number(0, 1_000_000),
                   help="at most this many a page (0: everyone; default 50 at a terminal, "
                        "everyone in a pipe or with --json)")
    p.add_argument("--page", type=whole_number(1, 1_000_000), default=1,
                   help="which page (default 1)")
    p.add_argument("--overdue", action="store_true", help="only people with a review overdue")
    p.add_argument("--no-preferred-place", action="store_true",
                   help="only people with no preferred place of death recorded")
    p.add_argument("--no-cpr-decision", action="store_true",
                   help="only people with no CPR decision recorded")
    p.add_argument("--sort", default="name", choices=SORTS, help="order (default name)")
    p.add_argument("--descending", action="store_true", help="in reverse order")
    p = add("search", "people:cmd_search",
            "find people by name, NHS number, address, circle of support or notes")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=whole_number(1, 10_000), default=50,
                   help="at most this many (default 50)")
    p = add("show", "people:cmd_show", "show one person's whole record")
    p.add_argument("person", help="a name, an NHS number, or an id (or its end)")
    add("fields", "people:cmd_fields", "list the fields of a kind of record and the values "
        "each takes", epilog=KIND_HELP, formatter_class=_RAW
        ).add_argument("kind", nargs="?", default="person", help="person (default), circle, "
                       "volunteer, service, involvement, note, task, rota, document")
    p = add("history", "people:cmd_history", "who changed what in a person's record, and when")
    p.add_argument("person")
    p.add_argument("field", nargs="?", help="only this field, e.g. preferred_place_of_death")
    p = add("reviews", "people:cmd_reviews",
            "reviews and tasks: overdue, due this week, and later")
    p.add_argument("--days", type=whole_number(0, 3660, " days"), default=28,
                   help="look this many days ahead (0 to 3,660; default 28)")


def _editing_commands(add: Add) -> None:
    pairs: dict[str, Any] = {"nargs": "*", "metavar": "FIELD=VALUE"}
    json_help = "read the values from a JSON object in FILE ('-': standard input)"
    nhs_help = ("add or change a person even though another person on this profile has "
                "the same NHS number (for IT teams merging records)")

    p = add("add", "edits:cmd_add", "add a person, or something to a person's record",
            epilog=f"{KIND_HELP}\n\n{VALUES_HELP}\n\nexamples:\n"
            '  eolcare add person full_name="Siân Evans" date_of_birth=1941-02-03\n'
            "  eolcare add circle Siân name=\"Dafydd Evans\" relationship=son main_carer=yes\n"
            '  eolcare add service name="Riverside District Nurses" '
            'service_type="district nursing"\n'
            '  eolcare add involvement Siân service=Riverside professional="Jo Bell"\n'
            '  eolcare add task Siân title="Review CPR decision" due=2026-03-01',
            formatter_class=_RAW)
    p.add_argument("kind", help="what to add (see below)")
    p.add_argument("values", help="for a person's records, the PERSON first; then FIELD=VALUE",
                   **pairs)
    p.add_argument("--from-json", type=Path, metavar="FILE", help=json_help)
    p.add_argument("--allow-duplicate-nhs", action="store_true", help=nhs_help)

    p = add("change", "edits:cmd_change", "change fields of a person or of any record",
            epilog=f"{KIND_HELP}\n\n{VALUES_HELP}\n\nexamples:\n"
            '  eolcare change person Siân preferred_place_of_death="home: in her own bed"\n'
            "  eolcare change circle 3fa4c2d1 phone=\"07700 900123\" key_holder=yes\n"
            "IDs are shown by 'eolcare show PERSON' (its last 8 characters are enough).",
            formatter_class=_RAW)
    p.add_argument("kind")
    p.add_argument("ref", metavar="ID", help="the record's id (or its end); "
                   "for a person also a name or NHS number")
    p.add_argument("values", **pairs)
    p.add_argument("--from-json", type=Path, metavar="FILE", help=json_help)
    p.add_argument("--allow-duplicate-nhs", action="store_true", help=nhs_help)

    p = add("set", "edits:cmd_set", "change one field of a person's record",
            epilog="'eolcare fields' lists the fields and the values each takes.")
    p.add_argument("person")
    p.add_argument("field", help="a field name (see 'eolcare fields')")
    p.add_argument("value", help="the new value; '-' clears it; coded: LABEL[: text]")
    p.add_argument("--allow-duplicate-nhs", action="store_true", help=nhs_help)

    for name, help_ in (("delete", "delete a record (nothing is erased: 'undelete' brings "
                                   "it back)"),
                        ("undelete", "bring back a deleted record")):
        p = add(name, f"edits:cmd_{name}", help_, epilog=KIND_HELP, formatter_class=_RAW)
        p.add_argument("kind")
        p.add_argument("ref", metavar="ID", help="the record's id (or its end)")

    p = add("note", "edits:cmd_note", "add an entry to a person's contact log",
            epilog="Notes are never changed, so the log stays a true account: to correct "
                   "one, add a new note with --amends ID.")
    p.add_argument("person")
    p.add_argument("text", nargs="+", help="what was discussed")
    p.add_argument("--type", default="phone", help="visit, phone (default), video, MDT, "
                   "letter, email or other")
    p.add_argument("--with", dest="with_whom", metavar="WHO", help="who took part")
    p.add_argument("--at", type=a_moment, metavar="WHEN",
                   help="when (default now), e.g. '2026-03-01 14:30'")
    p.add_argument("--follow-up", metavar="TEXT", help="what happens next")
    p.add_argument("--amends", metavar="NOTE", help="the id of the note this corrects")

    p = add("assign", "edits:cmd_assign",
            "add a volunteer from the community directory to a person's circle of support")
    p.add_argument("person")
    p.add_argument("volunteer", help="the volunteer's name or id")
    p.add_argument("values", help="more about their part, e.g. helps_with=shopping", **pairs)

    p = add("done", "edits:cmd_done", "mark a task done")
    p.add_argument("ref", metavar="TASK", help="the task's id (or its end)")
    p.add_argument("--on", type=a_date, metavar="DATE", help="when it was done (default today)")


def _run(args: argparse.Namespace) -> int:
    func = getattr(args, "func", None)
    if func is None:
        module, _, name = args.handler.partition(":")
        func = getattr(importlib.import_module(f"eolcare.cli.{module}"), name)
    return int(func(args))


def main(argv: Sequence[str] | None = None) -> int:
    # A large first sync opens its pages in a process of its own (eolcare.sync.engine): in
    # a bundled program that process starts this executable, which must then run it.
    multiprocessing.freeze_support()
    if not (sys.argv[1:] if argv is None else argv):
        # No command: open the window. The one call up the layers, made by name so the
        # command line never imports Qt (nor the window's code) unless asked to.
        return int(importlib.import_module("eolcare.gui.app").main([]))
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, --version, or a usage error argparse has printed
        return e.code if isinstance(e.code, int) else 2
    profile_commands.stop_on_sigterm()
    if args.verbose:
        import logging
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        code = _run(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (eolcare list | head): stop quietly, as the Python docs
        # recommend, pointing stdout at devnull so the flush at exit cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("\neolcare: stopped; nothing half-done was saved.", file=sys.stderr)
        return 130
    except Exception as e:
        from eolcare.domain.errors import EolcareError
        if not isinstance(e, EolcareError):
            raise
        print(f"eolcare: {e}", file=sys.stderr)
        choices = getattr(e, "choices", None)  # e.g. the people a name matches
        if choices:
            print(f"\n{choices}", file=sys.stderr)
        if way_out := profile_commands.hint(e, args):
            print(way_out, file=sys.stderr)
        return e.exit_code


if __name__ == "__main__":
    sys.exit(main())
