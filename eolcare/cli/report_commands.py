"""``eolcare summary``, ``eolcare handover`` and ``eolcare import-pack``.

Printouts and handover packs from the command line. The pack's passphrase
comes from a prompt (typed twice for a new pack) or from
``--pack-passphrase-file``, never from an argument. Long work shows a rich
progress bar on a terminal (:mod:`eolcare.cli.progress`); Ctrl-C stops it and
leaves nothing half-written (the jobs roll back and remove their temporary files).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eolcare.cli import passphrases
from eolcare.cli.common import open_store, resolve_person
from eolcare.cli.progress import run_with_progress
from eolcare.cli.render import short_id
from eolcare.domain.errors import EolcareError

# The store and the reports (SQLAlchemy, ReportLab) are imported inside the commands:
# building eolcare's parser imports this module, and must stay fast.
if TYPE_CHECKING:
    from eolcare.store.database import Store


class ReportUsageError(EolcareError):
    exit_code = 2


def _open(args: argparse.Namespace) -> Store:
    return open_store(args)  # the default profile; a wrong passphrase asked again


def _person(store: Store, ref: str) -> str:
    return resolve_person(store, ref)  # several matches are listed to choose from


def cmd_summary(args: argparse.Namespace) -> int:
    from eolcare.reports import summaries

    if args.large_print and args.professional:
        raise ReportUsageError("Choose --large-print or --professional, not both.")
    out: Path = args.out
    with _open(args) as store:
        pid = _person(store, args.person)
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            with tmp.open("wb") as f:
                if args.professional:
                    summaries.write_professional(store, pid, f)
                else:
                    summaries.write_family(store, pid, f, large_print=args.large_print)
            tmp.replace(out)
        except OSError as e:
            raise ReportUsageError(f"The PDF could not be written there ({e.strerror}).") from None
        finally:
            tmp.unlink(missing_ok=True)
    kind = "professional" if args.professional else \
        "large-print family" if args.large_print else "family"
    print(f"Wrote the {kind} summary to {out}.")
    return 0


def cmd_handover(args: argparse.Namespace) -> int:
    from eolcare.reports import pack

    passphrase = (passphrases.read_file(args.pack_passphrase_file) if args.pack_passphrase_file
                  else passphrases.new(None, "passphrase for the handover pack"))
    pack.check_passphrase(passphrase)
    with _open(args) as store:
        ids = list(dict.fromkeys(_person(store, ref) for ref in args.people))
        summary = run_with_progress(pack.write_pack(store, ids, args.out, passphrase),
                                    "Making the handover pack")
    print(f"Wrote a handover pack for {summary.people} "
          f"{'person' if summary.people == 1 else 'people'} to {args.out} "
          f"({summary.bytes / 1024:.0f} KB, AES-256). Send the passphrase by another route.")
    return 0


def cmd_import_pack(args: argparse.Namespace) -> int:
    from eolcare.reports import importer

    bundle = args.pack.suffix.lower() == ".json"  # a FHIR Bundle on its own (no ZIP)
    passphrase = "" if bundle else (
        passphrases.read_file(args.pack_passphrase_file) if args.pack_passphrase_file
        else passphrases.existing(None, "passphrase of the handover pack"))
    with _open(args) as store:
        try:
            job = (importer.import_bundle_file(store, args.pack,
                                               accept_updates=args.accept_updates) if bundle
                   else importer.import_pack(store, args.pack, passphrase,
                                             accept_updates=args.accept_updates))
            result = run_with_progress(job, "Importing the handover pack")
        except importer.AlreadyOnCaseloadError as e:
            print(_updates_text(e.updates, store), file=sys.stderr)
            raise
    print(f"Imported {result.added_people} new "
          f"{'person' if result.added_people == 1 else 'people'}"
          + (f" and updated {result.updated_people}" if result.updated_people else "")
          + f" ({result.entries} entries).")
    return 0


def _updates_text(updates: list[Any], store: Store) -> str:
    lines = ["Already on your caseload (what the pack would change):"]
    for u in updates:
        lines.append(f"  {u.folder} -> record {short_id(u.person_id)}: {len(u.changes)} field(s), "
                     f"{u.new_entries} new entr{'y' if u.new_entries == 1 else 'ies'}")
        lines += [f"      {c.label}: {c.old or '(empty)'} -> {c.new}" for c in u.changes]
    return "\n".join(lines)


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the printout and handover-pack subcommands to ``eolcare``'s parser."""

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str
            ) -> argparse.ArgumentParser:
        # no abbreviations: "--passphrase SECRET" must be refused, not read as a file name
        p: argparse.ArgumentParser = sub.add_parser(name, parents=[common], help=help_,
                                                    description=help_, allow_abbrev=False)
        p.set_defaults(func=func)
        return p

    p = add("summary", cmd_summary, "print a person's summary to a PDF (family by default)")
    p.add_argument("person", help="an id (or its end), an NHS number, or a name")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--large-print", action="store_true", help="the family summary in 16 pt")
    kind.add_argument("--professional", action="store_true",
                      help="the whole record with codes, for professionals")
    for name, func, help_ in (
        ("handover", cmd_handover, "make an encrypted handover pack (ZIP, AES-256)"),
        ("import-pack", cmd_import_pack,
         "import a handover pack (or one FHIR Bundle, FILE.json) into this profile"),
    ):
        p = add(name, func, help_)
        p.add_argument("--pack-passphrase-file", type=Path, metavar="FILE",
                       help="read the pack's passphrase from the first line of FILE")
        if name == "handover":
            p.add_argument("people", nargs="+", metavar="PERSON")
            p.add_argument("--out", type=Path, required=True, metavar="PACK.zip")
        else:
            p.add_argument("pack", type=Path, metavar="PACK.zip|BUNDLE.json")
            p.add_argument("--accept-updates", action="store_true",
                           help="people already on the caseload: apply the pack's changes")
