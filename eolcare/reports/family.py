"""The advance-care summary for the family: plain English, no codes, large type on request.

Order follows what a family needs at 3 a.m.: who to call (24/7 numbers
first), then what matters to the person in their own words, their wishes and
decisions (a decision past its review date is marked, never shown as current),
where the forms and the "just in case" medicines box are kept, and who in the
circle of support helps with what. Only what the person agreed to share is
printed; when consent was refused or not recorded the summary says so plainly.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import IO, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from eolcare.domain import codes
from eolcare.domain.display import format_day, format_moment, show_value
from eolcare.domain.entities import Person
from eolcare.domain.record import HistoryEntry, PersonRecord
from eolcare.domain.values import format_nhs_number
from eolcare.reports import facts
from eolcare.reports.layout import (
    WIDTH,
    PageFrame,
    Styles,
    build,
    cell,
    make_styles,
    p,
    p_markup,
    table,
)

TITLE = "Advance care summary for family and carers"

_CPR_PLAIN = {
    "450475007": "For CPR: if their heart or breathing stops, CPR should be attempted.",
    codes.NOT_FOR_CPR: "Do not attempt CPR: if their heart or breathing stops, CPR "
                       "(resuscitation) should not be attempted. Call the numbers above.",
}


def header_line(person: Person) -> str:
    """Name, date of birth and NHS number: printed at the top of every page."""
    parts = [person.full_name or ""]
    if person.date_of_birth:
        parts.append(f"born {format_day(person.date_of_birth)}")
    parts.append(f"NHS number {format_nhs_number(person.nhs_number)}" if person.nhs_number
                 else "no NHS number recorded")
    return " · ".join(parts)


def footer_line(version: facts.Version, printed: datetime) -> str:
    return (f"Version {version.number}, printed {format_moment(printed)}. "
            "Check with the care coordinator that there is no newer version.")


def call_name(person: Person) -> str:
    return person.preferred_name or person.full_name or "this person"


def write(rec: PersonRecord, changes: list[HistoryEntry], out: IO[bytes], *, today: date,
          printed: datetime, large_print: bool = False) -> None:
    """Write the family summary of ``rec`` as a PDF into ``out``."""
    styles = make_styles(large_print)
    version = facts.version(rec, changes)
    story = _story(rec, styles, version, today=today, printed=printed)
    frame = PageFrame(header_line(rec.person), footer_line(version, printed), styles)
    build(out, story, frame, title=TITLE + (" (large print)" if large_print else ""),
          subject="Advance care summary")


def _story(rec: PersonRecord, s: Styles, version: facts.Version, *, today: date,
           printed: datetime) -> list[Flowable]:
    person = rec.person
    name = call_name(person)
    story: list[Flowable] = [p(TITLE, s.title), p(f"About {person.full_name}", s.subheading)]
    if person.preferred_name and person.preferred_name != person.full_name:
        story.append(p(f"Likes to be called {person.preferred_name}"
                       + (f" ({person.pronouns})" if person.pronouns else "") + ".", s.body))
    story += _who_to_call(rec, s)
    if facts.consent_to_family(person):
        story += _what_matters(person, s, name)
        story += _wishes(person, s)
        story += _decisions(rec, s, today)
        story += _where_kept(rec, s)
    else:
        story += [p("What was left out", s.heading),
                  p(f"{facts.consent_reason(person)} Ask the care coordinator "
                    "if you need to know more.", s.warning)]
    story += _circle(rec, s, shared=facts.consent_to_family(person))
    story += _about(rec, s, version, today=today, printed=printed)
    return story


def _who_to_call(rec: PersonRecord, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [p("Who to call, day and night", s.heading),
                           p("In an emergency call 999. For urgent advice when the services "
                             "below are closed, call 111.", s.body)]
    rows: list[list[Flowable]] = []
    for involved in facts.day_and_night(rec):
        svc, inv = involved.service, involved.involvement
        label = svc.name or ""
        if inv.professional:
            label += f" ({inv.professional}{', ' + inv.role if inv.role else ''})"
        numbers: list[tuple[str, bool]] = []
        if svc.phone_24_7:
            numbers.append((f"Day and night (24/7): {svc.phone_24_7}", True))
        daytime = inv.direct_phone or svc.phone
        if daytime:
            hours = f" ({svc.opening_hours})" if svc.opening_hours else ""
            numbers.append((("\n" if numbers else "") + f"Daytime: {daytime}{hours}", False))
        if numbers:
            rows.append([p(label, s.cell_label), p_markup(numbers, s.cell)])
    if rows:
        out.append(_table(rows, s))
    else:
        out.append(p("No service numbers are recorded yet: ask the care coordinator.", s.body))
    return out


def _table(rows: list[list[Any]], s: Styles, widths: tuple[float, float] = (0.42, 0.58)
           ) -> Table:
    pad = 6 if s.body.fontSize >= 16 else 3
    return table(rows, [WIDTH * widths[0], WIDTH * widths[1]], padding=pad,
                 columns=(s.cell_label, s.cell))


def _pairs(pairs: list[tuple[str, str]], s: Styles) -> list[Flowable]:
    rows = [[cell(label, s.cell_label, WIDTH * 0.42), cell(text, s.cell, WIDTH * 0.58)]
            for label, text in pairs if text]
    return [_table(rows, s)] if rows else []


def _what_matters(person: Person, s: Styles, name: str) -> list[Flowable]:
    pairs = [("What matters to me", person.what_matters or ""),
             ("What I most value", person.most_value or ""),
             ("What I most fear or wish to avoid", person.most_fear or "")]
    if not any(text for _, text in pairs):
        return []
    return [p(f"What matters to {name}", s.heading),
            p("In their own words:", s.small), *_pairs(pairs, s)]


def _wishes(person: Person, s: Styles) -> list[Flowable]:
    pairs = [
        ("Where they would like to be cared for", _place(person, "preferred_place_of_care")),
        ("If that is not possible", _place(person, "preferred_place_of_care_2")),
        ("Where they would like to die", _place(person, "preferred_place_of_death")),
        ("If that is not possible ", _place(person, "preferred_place_of_death_2")),
        ("Faith, beliefs and culture", person.spiritual_needs or ""),
        ("At or after death", person.rituals or ""),
        ("Funeral wishes", person.funeral_wishes or ""),
        ("Organ and tissue donation", person.donation_wishes or ""),
        ("Advance statement of wishes", person.advance_statement or ""),
    ]
    flow = _pairs(pairs, s)
    return [p("Their wishes", s.heading), *flow] if flow else []


def _place(person: Person, name: str) -> str:
    return show_value(Person.FIELDS[name], getattr(person, name))


def _decisions(rec: PersonRecord, s: Styles, today: date) -> list[Flowable]:
    person = rec.person
    out: list[Flowable] = []
    if person.cpr_decision is not None:
        expiry = facts.cpr_expiry(rec, today)
        text = _CPR_PLAIN.get(person.cpr_decision.code, facts.coded_text(person, "cpr_decision"))
        block: list[Flowable] = [p("Resuscitation (CPR)", s.subheading)]
        if expiry.expired:
            assert expiry.review_date is not None
            block.append(p(f"PAST ITS REVIEW DATE: this decision was due for review on "
                           f"{format_day(expiry.review_date)} and may no longer be current. "
                           "Ask the GP or care coordinator to review it.", s.warning))
            block.append(p(f"The last decision recorded was: {text}", s.body))
        else:
            block.append(p(text, s.body))
        details = []
        if person.cpr_date:
            details.append(f"Decided on {format_day(person.cpr_date)}")
        if expiry.review_date and not expiry.expired:
            details.append(f"to be reviewed by {format_day(expiry.review_date)}")
        if details:
            block.append(p(", ".join(details) + ".", s.body))
        out.append(KeepTogether(block))
    if person.respect_plan:
        expiry = facts.respect_expiry(rec, today)
        block = [p("ReSPECT plan", s.subheading)]
        if expiry.expired:
            assert expiry.review_date is not None
            block.append(p(f"PAST ITS REVIEW DATE: the ReSPECT plan was due for review on "
                           f"{format_day(expiry.review_date)} and may no longer be current. "
                           "Ask the GP or care coordinator to review it.", s.warning))
        focus = facts.coded_text(person, "respect_focus")
        text = "There is a ReSPECT plan"
        text += f" (written {format_day(person.respect_date)})" if person.respect_date else ""
        text += f". Its focus: {focus}." if focus else "."
        block.append(p(text, s.body))
        out.append(KeepTogether(block))
    if person.adrt:
        out.append(p("Advance decision to refuse treatment", s.subheading))
        out.append(p("They have made an advance decision to refuse treatment"
                     + (f": {person.adrt_covers}" if person.adrt_covers else "") + ".", s.body))
    if person.lpa_attorneys or person.welfare_proxy:
        out.append(p("Who can make decisions for them if they cannot", s.subheading))
        who = facts.coded_text(person, "welfare_proxy")
        out.append(p("; ".join(x for x in (who, person.lpa_attorneys or "") if x) + ".", s.body))
    return [p("Decisions about their care", s.heading), *out] if out else []


def _where_kept(rec: PersonRecord, s: Styles) -> list[Flowable]:
    person = rec.person
    pairs = [
        ("ReSPECT form", person.respect_location or ""),
        ("CPR / DNACPR form", person.cpr_form_location or ""),
        ('"Just in case" medicines box', person.medicines_box_location or ""),
        ("Advance decision (ADRT)", person.adrt_location or ""),
        ("Donor card", person.donor_card_location or ""),
    ]
    pairs += [(d.name or "Document", d.location or "") for d in rec.documents]
    flow = _pairs(pairs, s)
    if not flow:
        return []
    return [p("Where things are kept", s.heading),
            p("Show these to the ambulance crew, nurse or doctor when they arrive.", s.body),
            *flow]


def _circle(rec: PersonRecord, s: Styles, *, shared: bool) -> list[Flowable]:
    shown, hidden = facts.shared_circle(rec) if shared else ([], len(rec.circle))
    if not rec.circle:
        return []
    out: list[Flowable] = [p("Circle of support: who helps with what", s.heading)]
    rows: list[list[Flowable]] = []
    for m in shown:
        who = m.name or ""
        relation = facts.coded_text(m, "relationship")
        if relation:
            who += f" ({relation})"
        lines = [(who, True)]
        roles = facts.roles(m)
        if roles:
            lines.append(("\n" + ", ".join(roles).capitalize(), False))
        if m.phone:
            lines.append((f"\n{m.phone}" + (f" ({m.best_times})" if m.best_times else ""), False))
        helps = facts.helps_with(m)
        help_text = f"Helps with: {helps}" if helps else ""
        if m.availability:
            help_text += ("\n" if help_text else "") + f"Available: {m.availability}"
        rows.append([p_markup(lines, s.cell), p(help_text, s.cell)])
    if rows:
        out.append(_table(rows, s, (0.5, 0.5)))
    if hidden:
        people = "person is" if hidden == 1 else "people are"
        out.append(p(f"{hidden} other {people} in the circle of support but not listed here, "
                     "because sharing with them has not been agreed.", s.body))
    return out


def _about(rec: PersonRecord, s: Styles, version: facts.Version, *, today: date,
           printed: datetime) -> list[Flowable]:
    review = facts.next_review(rec, today)
    lines = [f"Printed on {format_moment(printed)}."]
    if version.updated_at:
        lines.append(f"Last updated on {format_moment(version.updated_at)} "
                     f"by {version.updated_by}.")
    if review:
        lines.append(f"Next review date: {format_day(review)}"
                     + (" (past: ask for a review)." if review < today else "."))
    lines.append(f"This is version {version.number} of this summary. Plans change: check with "
                 "the care coordinator that there is no newer version before relying on it.")
    flow: list[Flowable] = [Spacer(1, 4 * mm), p("About this summary", s.heading)]
    flow += [p(line, s.body) for line in lines]
    return [KeepTogether(flow)]

