"""A person's whole record and the read models built from it.

These are plain values the store returns and the CLI, GUI and reports show:
no database objects cross the layer boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from eolcare.domain.entities import (
    CircleMember,
    ContactNote,
    Document,
    Involvement,
    Person,
    RotaSlot,
    Service,
    Task,
)
from eolcare.domain.values import Coded


@dataclass(frozen=True)
class ServiceInvolved:
    involvement: Involvement
    service: Service


@dataclass(frozen=True)
class PersonRecord:
    """Everything recorded about one person (deleted entries left out)."""

    person: Person
    circle: list[CircleMember] = field(default_factory=list)
    services: list[ServiceInvolved] = field(default_factory=list)
    contacts: list[ContactNote] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    rota: list[RotaSlot] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def main_carer(self) -> CircleMember | None:
        return next((m for m in self.circle if m.main_carer), None)

    @property
    def needs_review(self) -> bool:
        entities = [self.person, *self.circle, *self.tasks, *self.rota, *self.documents,
                    *(s.involvement for s in self.services)]
        return any(e.provenance is not None and e.provenance.needs_review for e in entities)


@dataclass(frozen=True)
class PersonSummary:
    """One line of the caseload list (one row of the window's caseload table)."""

    id: str
    full_name: str
    preferred_name: str | None
    nhs_number: str | None
    date_of_birth: date | None
    status: str | None  #: the status code
    gsf_stage: str | None  #: the GSF stage code
    needs_review: bool
    preferred_place_of_death: Coded | None = None
    cpr_decision: Coded | None = None
    #: The soonest of the CPR decision review, the preferences review and open tasks.
    next_review: date | None = None
    #: The named professional of a current involvement whose role is key worker.
    key_worker: str | None = None


@dataclass(frozen=True)
class ReviewDue:
    """A review or task that is due: what, for whom, and when."""

    person_id: str | None
    person_name: str | None
    what: str
    due: date
    source: str  # "cpr", "preferences" or "task"
    task_id: str | None = None

    def overdue(self, today: date) -> bool:
        return self.due < today


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of a field's history: who changed it, from what, to what, when.

    (Named apart from sync's protocol ``Change``, an encrypted operation on the wire.)
    """

    at: datetime
    author: str
    device: str
    kind: str
    entity_id: str
    field: str
    label: str
    old: Any
    new: Any
    won: bool


#: The old name, kept while branches written against it merge; use :class:`HistoryEntry`.
Change = HistoryEntry
