"""The family summary read back from the PDF: facts, consent, expiry, every page's header."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from eolcare.domain.entities import Person, Task
from eolcare.domain.values import Coded, format_nhs_number
from eolcare.reports import summaries
from eolcare.store.database import Store
from tests.reports.conftest import pages_text, pdffonts, rtl, text_of
from tests.reports.records import (
    BOX_KEPT,
    CPR_FORM_KEPT,
    GP_DAY,
    HINDI_NAME,
    HOSPICE_24_7,
    MOST_FEAR,
    NHS,
    RESPECT_KEPT,
    SECRET_NEIGHBOUR,
    TODAY,
    URDU_NAME,
    WHAT_MATTERS,
    Made,
    add_person,
)


def test_the_facts_a_family_needs_are_printed(store: Store, made: Made) -> None:
    text = text_of(summaries.family_pdf(store, made.person_id))
    for fact in (WHAT_MATTERS, MOST_FEAR, "Home (at home with the cat)",
                 "Hospice (Ty Hafan Hospice)", RESPECT_KEPT, CPR_FORM_KEPT, BOX_KEPT,
                 "Do not attempt CPR", "Prioritise comfort", "Burial at Glyntaff",
                 "Helps with: Meals, Night cover; Sunday lunch", "call 999"):
        assert fact in text, fact
    # 24/7 numbers first, then daytime ones
    assert text.index(f"Day and night (24/7): {HOSPICE_24_7}") < text.index(f"Daytime: {GP_DAY}")
    assert text.index("Who to call, day and night") < text.index("What matters to Siân")
    assert rtl(URDU_NAME) in text
    assert "Main carer, key holder" in text
    assert "SNOMED" not in text
    assert "450476008" not in text


def test_every_page_says_whose_it_is_and_which_version(store: Store, made: Made) -> None:
    pages = pages_text(summaries.family_pdf(store, made.person_id, large_print=True))
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        assert "Siân Llewellyn · born 09 Mar 1941 · NHS number " \
               f"{format_nhs_number(NHS[0])}" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Check with the care coordinator that there is no newer version" in " ".join(
            page.split())
    assert "Last updated on" in " ".join(pages)
    assert "by Test Coordinator" in " ".join(pages)


def test_circle_members_not_consented_to_are_left_out(store: Store, made: Made) -> None:
    text = text_of(summaries.family_pdf(store, made.person_id))
    assert SECRET_NEIGHBOUR not in text
    assert "020 7946 0987" not in text  # nor their number
    assert "1 other person is in the circle of support but not listed here" in text


@pytest.mark.parametrize(("consent", "reason"), [
    ("refused", "They have not agreed to share their record"),
    (None, "No consent to share this record has been recorded yet"),
])
def test_without_consent_the_record_is_left_out_and_the_summary_says_why(
        store: Store, consent: str | None, reason: str) -> None:
    made = add_person(store, consent=consent)
    text = text_of(summaries.family_pdf(store, made.person_id))
    assert reason in text
    for private in (WHAT_MATTERS, MOST_FEAR, RESPECT_KEPT, CPR_FORM_KEPT, BOX_KEPT,
                    "Do not attempt CPR", URDU_NAME, rtl(URDU_NAME), HINDI_NAME,
                    "Burial at Glyntaff"):
        assert private not in text, private
    assert HOSPICE_24_7 in text  # who to call stays: services, not the person's record
    assert "4 other people are in the circle of support but not listed here" in text


def test_a_cpr_decision_past_review_is_marked_not_current(store: Store) -> None:
    made = add_person(store, cpr_review=TODAY - timedelta(days=3))
    text = text_of(summaries.family_pdf(store, made.person_id))
    due = (TODAY - timedelta(days=3)).strftime("%d %b %Y")
    assert f"PAST ITS REVIEW DATE: this decision was due for review on {due}" in text
    assert "The last decision recorded was: Do not attempt CPR" in text


def test_a_current_cpr_decision_is_not_marked(store: Store, made: Made) -> None:
    text = text_of(summaries.family_pdf(store, made.person_id))
    assert "PAST ITS REVIEW DATE" not in text
    assert f"to be reviewed by {(TODAY + timedelta(90)):%d %b %Y}" in text


def test_a_respect_plan_with_an_overdue_review_task_is_marked(store: Store) -> None:
    made = add_person(store, respect_review=TODAY - timedelta(days=10))
    text = text_of(summaries.family_pdf(store, made.person_id))
    assert "PAST ITS REVIEW DATE: the ReSPECT plan was due for review" in text
    with store.writing() as w:  # the review is done: no longer marked
        task = next(t for t in _tasks(store, made.person_id))
        w.update(Task, task, done_on=TODAY)
    assert "PAST ITS REVIEW DATE" not in text_of(summaries.family_pdf(store, made.person_id))


def _tasks(store: Store, person_id: str) -> list[str]:
    from eolcare.store import caseload

    with store.reading() as s:
        return [t.id for t in caseload.load_record(s, person_id).tasks]


def _font_sizes(pdf: bytes, needle: str) -> set[float]:
    sizes: set[float] = set()
    for page in pypdf.PdfReader(BytesIO(pdf)).pages:
        def visit(text: str, cm: list[float], tm: list[float], font: object,
                  size: float) -> None:
            if needle in text:
                sizes.add(round(size * tm[3], 1))
        page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_is_at_least_16_point(store: Store, made: Made) -> None:
    large = summaries.family_pdf(store, made.person_id, large_print=True)
    normal = summaries.family_pdf(store, made.person_id)
    assert min(_font_sizes(large, "Singing with the chapel choir")) >= 16
    assert max(_font_sizes(normal, "Singing with the chapel choir")) < 12
    assert len(pages_text(large)) > len(pages_text(normal))


def test_no_font_is_left_unembedded(store: Store, made: Made, tmp_path: Path) -> None:
    for name, pdf in (("family", summaries.family_pdf(store, made.person_id)),
                      ("large", summaries.family_pdf(store, made.person_id, large_print=True)),
                      ("pro", summaries.professional_pdf(store, made.person_id))):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        found = pdffonts(path)
        assert found, name
        assert all(embedded for _, embedded in found), (name, found)
        assert not any("Helvetica" in font for font, _ in found)


def test_a_person_with_little_recorded_still_prints(store: Store) -> None:
    with store.writing() as w:
        person = w.add(Person(full_name="Zoë Ŵyn", consent_to_share=Coded("given", "")))
    text = text_of(summaries.family_pdf(store, person.id))
    assert "Zoë Ŵyn" in text
    assert "no NHS number recorded" in text
    assert "No service numbers are recorded yet" in text
