"""The professional summary read back: codes, provenance, ReSPECT order, decision history."""

from __future__ import annotations

from eolcare.domain import codes
from eolcare.domain.entities import Person
from eolcare.domain.values import Coded
from eolcare.reports import summaries
from eolcare.store.database import Store
from tests.reports.conftest import text_of
from tests.reports.records import SECRET_NEIGHBOUR, Made


def test_the_whole_record_with_codes_and_provenance(store: Store, made: Made) -> None:
    text = text_of(summaries.professional_pdf(store, made.person_id))
    for fact in ("Not for cardiopulmonary resuscitation (DNACPR signed)", "SNOMED CT 450476008",
                 "Last weeks of life (weeks)", "SNOMED CT 955231000000109",
                 "C yellow / amber: weeks prognosis (amber)", "SNOMED CT 845751000000103",
                 "SNOMED CT 110481000000108", "SNOMED CT 376201000000102",
                 "local: comfort", "Key safe left of the back door",
                 "Last updated by Test Coordinator on", "Ty Hafan Hospice at Home - Nurse Ffion",
                 SECRET_NEIGHBOUR, "Talked about the ReSPECT plan", "Review ReSPECT plan"):
        assert fact in text, fact


def test_cpr_and_respect_follow_the_respect_v3_form(store: Store, made: Made) -> None:
    text = text_of(summaries.professional_pdf(store, made.person_id))
    order = ["1. This plan belongs to", "2. Shared understanding of my health",
             "3. What matters to me in decisions", "4. Clinical recommendations for emergency",
             "5. Capacity and representation", "6. Involvement in making this plan",
             "7. Clinicians' signatures", "8. Emergency contacts",
             "9. Form reviewed (review dates)"]
    at = [text.index(title) for title in order]
    assert at == sorted(at)
    assert text.index("Prioritise comfort") < text.index("5. Capacity and representation")


def test_history_of_key_decisions_shows_who_changed_what(store: Store, made: Made) -> None:
    with store.writing() as w:
        w.update(Person, made.person_id,
                 cpr_decision=Coded("450475007", "reviewed with family"))
    text = text_of(summaries.professional_pdf(store, made.person_id))
    history = text[text.index("History of key decisions"):]
    assert "CPR decision" in history
    assert "Not for cardiopulmonary resuscitation (DNACPR signed)" in history
    assert "For cardiopulmonary resuscitation (reviewed with family)" in history
    assert "Test Coordinator" in history
    assert codes.NOT_FOR_CPR not in history  # the history shows words, not bare codes
