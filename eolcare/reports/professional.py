"""The professional summary: the whole record with codes and provenance, for handover.

Alerts first (decisions past review, entries needing review, consent), then
the CPR and ReSPECT items in the order of the ReSPECT v3 form, then every
section of the record as the shared display layer lays it out (each coded
value with its SNOMED CT or local code, each entry with who last changed it),
then the history of key decisions from the operation history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import IO, Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether

from eolcare.domain import codes
from eolcare.domain.display import (
    Row,
    format_day,
    format_moment,
    provenance_line,
    record_sections,
    show_json_value,
)
from eolcare.domain.entities import KINDS, Person, Service
from eolcare.domain.record import HistoryEntry, PersonRecord
from eolcare.domain.values import Coded, CodedList
from eolcare.reports import facts
from eolcare.reports.family import footer_line, header_line
from eolcare.reports.layout import (
    WIDTH,
    PageFrame,
    Styles,
    build,
    cell,
    make_styles,
    p,
    table,
)

TITLE = "Professional summary for handover"

#: The ReSPECT v3 form's sections and the fields of the record that answer each.
RESPECT_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("1. This plan belongs to", ("full_name", "date_of_birth", "nhs_number", "address")),
    ("2. Shared understanding of my health and current condition",
     ("eol_diagnosis", "other_diagnoses", "prognosis", "person_aware_of_prognosis",
      "carer_aware_of_prognosis")),
    ("3. What matters to me in decisions about my treatment and care",
     ("what_matters", "most_value", "most_fear")),
    ("4. Clinical recommendations for emergency care and treatment",
     ("respect_plan", "respect_focus", "respect_interventions", "cpr_decision", "cpr_reason")),
    ("5. Capacity and representation at the time of completion",
     ("cpr_had_capacity", "welfare_proxy", "lpa_registered", "lpa_attorneys", "adrt",
      "adrt_life_sustaining", "adrt_covers")),
    ("6. Involvement in making this plan", ("cpr_involved", "cpr_family_told")),
    ("7. Clinicians' signatures", ("cpr_clinician", "cpr_date", "respect_date")),
    ("9. Form reviewed (review dates) and where it is kept",
     ("cpr_review_date", "respect_location", "cpr_form_location")),
)
_EMERGENCY_CONTACTS = "8. Emergency contacts and those involved in discussing this plan"


def code_of(value: Any, spec_valueset: codes.ValueSet | None) -> str:
    """``SNOMED CT 450476008`` / ``local: comfort`` for a coded value; "" otherwise."""
    if spec_valueset is None:
        return ""
    found = [value.code] if isinstance(value, Coded) else \
        list(value.codes) if isinstance(value, CodedList) else []
    shown = []
    for code in found:
        known = spec_valueset.get(code)
        system = known.system if known else codes.LOCAL
        shown.append(f"SNOMED CT {code}" if system == codes.SNOMED else f"local: {code}")
    return ", ".join(shown)


def write(rec: PersonRecord, changes: list[HistoryEntry], out: IO[bytes], *, today: date,
          printed: datetime) -> None:
    styles = make_styles(False)
    version = facts.version(rec, changes)
    story = _story(rec, changes, styles, today=today)
    build(out, story, PageFrame(header_line(rec.person), footer_line(version, printed), styles),
          title=TITLE, subject="Professional summary")


def _story(rec: PersonRecord, changes: list[HistoryEntry], s: Styles, *, today: date
           ) -> list[Flowable]:
    person = rec.person
    story: list[Flowable] = [p(TITLE, s.title), p(provenance_line(person), s.small)]
    story += _alerts(rec, s, today)
    story += _respect(rec, s, today)
    for section in record_sections(rec):
        story.append(p(section.title, s.heading))
        if section.rows:
            story.append(_rows(section.rows, person, s))
        for item in section.items:
            block: list[Flowable] = [p(item.title, s.subheading)]
            if item.rows:
                block.append(_rows(item.rows, item.entity, s))
            line = provenance_line(item.entity)
            if line:
                block.append(p(line, s.small))
            story.append(KeepTogether(block))
    story += _decision_history(rec, changes, s)
    return story


def _rows(rows: Sequence[Row], entity: Any, s: Styles) -> Flowable:
    cells = []
    for row in rows:
        # a service entry shows the service's fields and the involvement's together
        spec = entity.FIELDS.get(row.name) or Service.FIELDS[row.name]
        cells.append(_three(row.label, row.text, code_of(row.value, spec.valueset), s))
    return _table3(cells, s)


_W3 = (WIDTH * 0.36, WIDTH * 0.42, WIDTH * 0.22)


def _three(label: str, text: str, code: str, s: Styles) -> list[Any]:
    return [cell(label, s.cell_label, _W3[0]), cell(text, s.cell, _W3[1]),
            cell(code, s.small, _W3[2])]


def _table3(rows: list[list[Any]], s: Styles) -> Flowable:
    return table(rows, _W3, columns=(s.cell_label, s.cell, s.small))


def _alerts(rec: PersonRecord, s: Styles, today: date) -> list[Flowable]:
    person = rec.person
    out = []
    cpr = facts.cpr_expiry(rec, today)
    if person.cpr_decision is not None and cpr.expired and cpr.review_date:
        out.append(f"CPR decision PAST ITS REVIEW DATE (due {format_day(cpr.review_date)}): "
                   "not to be taken as current until reviewed.")
    respect = facts.respect_expiry(rec, today)
    if person.respect_plan and respect.expired and respect.review_date:
        out.append(f"ReSPECT plan PAST ITS REVIEW DATE (due {format_day(respect.review_date)}).")
    if rec.needs_review:
        out.append("Some entries need review: concurrent changes were kept (see provenance).")
    if not facts.consent_to_family(person):
        out.append("Consent to share: " + (facts.coded_text(person, "consent_to_share")
                                           or "not recorded") + ".")
    return [p(text, s.warning) for text in out]


def _respect(rec: PersonRecord, s: Styles, today: date) -> list[Flowable]:
    person = rec.person
    out: list[Flowable] = [p("CPR and ReSPECT (in the order of the ReSPECT v3 form)", s.heading)]
    for title, names in RESPECT_ORDER:
        rows = []
        for name in names:
            spec = Person.FIELDS[name]
            value = getattr(person, name)
            if value is None:
                continue
            text = facts.coded_text(person, name)
            if name == "cpr_review_date" and facts.cpr_expiry(rec, today).expired:
                text += " (PAST: review needed)"
            rows.append(_three(spec.label, text, code_of(value, spec.valueset), s))
        due = facts.respect_expiry(rec, today)
        if title.startswith("9.") and due.review_date:
            rows.append(_three("ReSPECT plan review due", format_day(due.review_date)
                               + (" (PAST: review needed)" if due.expired else ""), "", s))
        if title.startswith("9."):
            out += _emergency_contacts(rec, s)
        out.append(p(title, s.subheading))
        out.append(_table3(rows, s) if rows else p("Not recorded.", s.small))
    return out


def _emergency_contacts(rec: PersonRecord, s: Styles) -> list[Flowable]:
    rows = []
    for m in rec.circle:
        roles = facts.roles(m)
        if roles:
            rows.append(_three(m.name or "", ", ".join(roles), m.phone or "", s))
    out: list[Flowable] = [p(_EMERGENCY_CONTACTS, s.subheading)]
    out.append(_table3(rows, s) if rows else p("Not recorded.", s.small))
    return out


def _decision_history(rec: PersonRecord, changes: list[HistoryEntry], s: Styles) -> list[Flowable]:
    whose = {m.id: m.name or "" for m in rec.circle}
    # significant fields only; a flag created as "no" (e.g. not next of kin) is not a decision
    key = [c for c in changes
           if (spec := KINDS[c.kind].FIELDS.get(c.field)) is not None and spec.significant
           and not (c.old is None and c.new is False)]
    out: list[Flowable] = [p("History of key decisions", s.heading)]
    if not key:
        return [*out, p("No changes to key decisions recorded.", s.body)]
    widths = (WIDTH * 0.22, WIDTH * 0.26, WIDTH * 0.26, WIDTH * 0.26)
    rows: list[list[Any]] = [[cell(t, s.cell_label, w) for t, w in zip(
        ("When, by whom", "What", "From", "To"), widths, strict=True)]]
    for c in key:
        spec = KINDS[c.kind].FIELDS[c.field]
        note = "" if c.won else " (not applied: a later change was kept)"
        what = c.label + (f" ({whose[c.entity_id]})" if c.entity_id in whose else "") + note
        texts = (f"{format_moment(c.at)}\n{c.author}", what,
                 show_json_value(spec, c.old) if c.old is not None else "",
                 show_json_value(spec, c.new))
        rows.append([cell(t, s.small, w) for t, w in zip(texts, widths, strict=True)])
    out.append(table(rows, widths,
                     [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")),
                      ("FONTNAME", (0, 0), (-1, 0), s.cell_label.fontName),
                      ("FONTSIZE", (0, 0), (-1, 0), s.cell_label.fontSize),
                      ("LEADING", (0, 0), (-1, 0), s.cell_label.leading)],
                     repeat_rows=1, columns=(s.small,) * 4))
    return out
