"""What the printouts work out from a record: consent, expiry, numbers, versions.

Kept apart from the layout so the rules (what a family may see, when a
decision counts as past its review date, which numbers come first) are
plain functions a test can check without reading a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from eolcare.domain import codes
from eolcare.domain.display import show_value
from eolcare.domain.entities import CircleMember, Person
from eolcare.domain.record import HistoryEntry, PersonRecord, ServiceInvolved
from eolcare.domain.schema import Entity

#: Consent codes under which the record may be shared with the family.
SHARING_CONSENTS = frozenset({"given", "882961000000101", "883001000000106"})


def consent_to_family(person: Person) -> bool:
    """Whether the person (or their attorney, or a best-interest decision) allows sharing."""
    return person.consent_to_share is not None and person.consent_to_share.code in SHARING_CONSENTS


def consent_reason(person: Person) -> str:
    """Why the record is left out of a family summary, in plain words."""
    if person.consent_to_share is None:
        return ("No consent to share this record has been recorded yet, so this summary "
                "leaves out their wishes, decisions and where documents are kept.")
    return ("They have not agreed to share their record, so this summary leaves out their "
            "wishes, decisions and where documents are kept.")


def shared_circle(rec: PersonRecord) -> tuple[list[CircleMember], int]:
    """Circle members the person agreed to share with, and how many others were left out."""
    shown = [m for m in rec.circle if m.consent_to_share]
    return shown, len(rec.circle) - len(shown)


@dataclass(frozen=True)
class Expiry:
    """A decision's review date and whether it has passed."""

    review_date: date | None
    expired: bool


def cpr_expiry(rec: PersonRecord, today: date) -> Expiry:
    """A CPR decision is past review when its review date (or an open review task) has passed."""
    due = rec.person.cpr_review_date or _open_task_due(rec, "review_cpr")
    return Expiry(due, due is not None and due < today)


def respect_expiry(rec: PersonRecord, today: date) -> Expiry:
    """A ReSPECT plan has no review-date field: an open "Review ReSPECT plan" task gives it."""
    due = _open_task_due(rec, "review_respect")
    return Expiry(due, due is not None and due < today)


def _open_task_due(rec: PersonRecord, task_type: str) -> date | None:
    dues = [t.due for t in rec.tasks
            if t.task_type is not None and t.task_type.code == task_type and t.done_on is None
            and t.due is not None]
    return min(dues) if dues else None


def day_and_night(rec: PersonRecord) -> list[ServiceInvolved]:
    """Services involved now, those with a 24/7 number first (then by name)."""
    current = [s for s in rec.services if s.involvement.until is None]
    return sorted(current, key=lambda s: (s.service.phone_24_7 is None, s.service.name or ""))


def entities(rec: PersonRecord) -> list[Entity]:
    return [rec.person, *rec.circle, *(s.involvement for s in rec.services), *rec.contacts,
            *rec.tasks, *rec.rota, *rec.documents]


@dataclass(frozen=True)
class Version:
    """Which version of the record a printout shows and who changed it last."""

    number: int
    updated_at: datetime | None
    updated_by: str


def version(rec: PersonRecord, changes: Sequence[HistoryEntry]) -> Version:
    """The version is the number of saved changes (operations) to the record so far.

    Two printouts with the same number show the same record; a higher number
    is newer. The history comes from :func:`eolcare.store.caseload.history`.
    """
    operations = {(c.at, c.author, c.device, c.entity_id) for c in changes}
    latest: tuple[datetime, str] | None = None
    for e in entities(rec):
        p = e.provenance
        if p is not None and (latest is None or p.updated_at > latest[0]):
            latest = (p.updated_at, p.updated_by)
    return Version(max(len(operations), 1), latest[0] if latest else None,
                   latest[1] if latest else "")


def next_review(rec: PersonRecord, today: date) -> date | None:
    """The soonest review date of the decisions and preferences (past ones included)."""
    dates = [d for d in (cpr_expiry(rec, today).review_date,
                         respect_expiry(rec, today).review_date,
                         rec.person.preferences_review_date) if d is not None]
    return min(dates) if dates else None


def coded_text(entity: Entity, name: str) -> str:
    """A field's display text via the shared display layer ("" when empty)."""
    return show_value(entity.FIELDS[name], getattr(entity, name))


def helps_with(member: CircleMember) -> str:
    return coded_text(member, "helps_with")


def roles(member: CircleMember) -> list[str]:
    """The roles a circle member holds, in plain words."""
    named = [("next_of_kin", "next of kin"), ("main_carer", "main carer"),
             ("lpa_attorney", "attorney (LPA)"), ("key_holder", "key holder"),
             ("emergency_contact", "emergency contact")]
    return [words for name, words in named if getattr(member, name)]


def is_not_for_cpr(person: Person) -> bool:
    return person.cpr_decision is not None and person.cpr_decision.code == codes.NOT_FOR_CPR
