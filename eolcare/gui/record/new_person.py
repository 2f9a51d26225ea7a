"""Adding a person to the caseload: the few fields needed to start a record."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from eolcare.domain.entities import Person
from eolcare.domain.errors import Problem, ValidationError
from eolcare.domain.values import Coded
from eolcare.gui.record.dialogs import EntityDialog
from eolcare.gui.record.fields import tr
from eolcare.store import lookups
from eolcare.store.database import Store
from eolcare.store.writes import Writer

#: What the dialog asks for; everything else is filled in on the person's record.
NEW_PERSON_FIELDS = (
    "full_name", "preferred_name", "pronouns", "date_of_birth", "sex", "nhs_number",
    "address", "postcode", "phone", "mobile", "gp_practice", "eol_diagnosis", "status",
)


class NewPersonDialog(EntityDialog):
    """Add a person; an NHS number already on the profile is refused beside the field."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, Person, None, title=tr("Add a person"),
                         fields=NEW_PERSON_FIELDS, defaults={"status": Coded("active")},
                         parent=parent)
        self.setObjectName("new_person_dialog")

    @property
    def person_id(self) -> str | None:
        """The new person's id once saved."""
        return self.stored.id if self.stored is not None else None

    def write(self, writer: Writer) -> Person:
        nhs = self.form.values().get("nhs_number")
        if nhs and lookups.person_with_nhs_number(writer.session, nhs) is not None:
            raise ValidationError(Problem(
                Person.FIELDS["nhs_number"].label,
                tr("is already on this profile: someone on the caseload has it. Find them "
                   "in the caseload instead of adding them again, or check the number.")))
        stored = super().write(writer)
        assert isinstance(stored, Person)
        return stored
