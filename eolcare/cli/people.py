"""Reading the caseload: list, search, show, history, reviews, and the fields of each kind."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from eolcare.cli.common import UsageError, emit, open_store, resolve_person

# The record's display layer and the store are imported inside each command, after
# the profile is open: everything imported here is paid before the passphrase prompt.

#: People a page at a terminal (a pipe or --json gets everyone unless --limit says).
PAGE = 50


def cmd_list(args: argparse.Namespace) -> int:
    size = args.limit if args.limit is not None else (
        PAGE if sys.stdout.isatty() and not args.json else 0)
    with open_store(args) as store, store.reading() as s:
        from eolcare.store import caseload

        flt = caseload.CaseloadFilter(
            include_ended=args.all, reviews_overdue=args.overdue,
            no_preferred_place=args.no_preferred_place, no_cpr_decision=args.no_cpr_decision)
        ids = caseload.person_ids(s, flt, sort=args.sort, descending=args.descending)
        total = len(ids)
        pages = max(1, -(-total // size)) if size else 1
        if args.page > pages:
            raise UsageError(f"There are {pages:,} pages of {size} people; "
                             f"choose --page 1 to {pages:,}.")
        start = (args.page - 1) * size if size else 0
        shown = caseload.summaries(s, ids[start:start + size] if size else ids)
    from eolcare.cli import render
    from eolcare.domain import display

    emit(args, [display.summary_json(p) for p in shown],
         lambda: render.people(shown) + _page_note(args, start, len(shown), total, pages))
    return 0


def _page_note(args: argparse.Namespace, start: int, shown: int, total: int,
               pages: int) -> str:
    who = "people" if args.all else "people on the caseload"
    if args.overdue or args.no_preferred_place or args.no_cpr_decision:
        who += " who match"
    if shown == total:
        return f"\n\n{total:,} {who}." if total else ""
    note = f"\n\nShowing {start + 1:,}-{start + shown:,} of {total:,} {who} " \
           f"(page {args.page:,} of {pages:,})."
    if args.page < pages:
        note += f" Next: eolcare list --page {args.page + 1}; everyone: --limit 0."
    return note


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with open_store(args) as store, store.reading() as s:
        from eolcare.store import caseload

        found = caseload.find_people(s, query, limit=args.limit)
        from eolcare.store import search

        places = search.match_places(s, [p.id for p in found], query)
    from eolcare.cli import render
    from eolcare.domain import display

    data = [{**display.summary_json(p), "found_in": places.get(p.id, [])} for p in found]
    emit(args, data, lambda: render.people(found, places))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        from eolcare.store import caseload

        pid = resolve_person(store, args.person)
        with store.reading() as s:
            rec = caseload.load_record(s, pid)
    from eolcare.cli import render
    from eolcare.domain import display
    from eolcare.domain.rota import week_ahead

    week = week_ahead(rec.rota, datetime.now().astimezone())

    emit(args, display.record_json(rec), lambda: render.record(rec, week))
    return 0


def cmd_fields(args: argparse.Namespace) -> int:
    from eolcare.cli import render, values
    from eolcare.cli.kinds import kind_class

    cls = kind_class(args.kind)
    rows = [[name, spec.label, values.allowed(spec), spec.section]
            for name, spec in cls.FIELDS.items()]
    data = [{"name": name, "label": spec.label, "type": spec.type.value,
             "section": spec.section, "required": spec.required,
             "choices": [{"code": c.code, "label": c.display} for c in spec.valueset]
             if spec.valueset else None}
            for name, spec in cls.FIELDS.items()]
    emit(args, data, lambda: render.fields(rows))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        from eolcare.store import caseload

        pid = resolve_person(store, args.person)
        with store.reading() as s:
            found = caseload.history(s, pid, args.field)
    from eolcare.cli import render
    from eolcare.domain import display
    from eolcare.domain.entities import KINDS

    specs = {(kind, name): spec for kind, cls in KINDS.items()
             for name, spec in cls.FIELDS.items()}

    emit(args, [display.change_json(c) for c in found], lambda: render.changes(found, specs))
    return 0


def cmd_reviews(args: argparse.Namespace) -> int:
    today = date.today()
    with open_store(args) as store, store.reading() as s:
        from eolcare.store import caseload

        found = caseload.reviews_due(s, today, args.days)
    from eolcare.cli import render
    from eolcare.domain import display

    emit(args, [display.review_json(r, today) for r in found],
         lambda: render.reviews(found, today))
    return 0
