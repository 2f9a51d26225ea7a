"""The record screens for the screenshot script: each built, loaded and sized to be grabbed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from eolcare.gui import worker
from eolcare.gui.record.directory import ServiceDirectoryWidget
from eolcare.gui.record.editor import PersonEditorWidget
from eolcare.gui.record.new_person import NewPersonDialog
from eolcare.gui.record.reviews import ReviewsWidget
from eolcare.gui.record.rota_week import RotaWeekWidget
from eolcare.store.database import Store

SIZE = (1280, 860)


def _slug(title: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return "-".join(w for w in words if not w.isdigit())


def screens(store: Store, person_id: str) -> list[tuple[str, QWidget]]:
    """``(name, widget)`` for every record screen, showing ``person_id`` where a person is
    shown: each section of the record, the circle of support, services, the directory,
    the help rota week, reviews due, adding a person and (when the person has one) the
    needs-review banner. The caller shows, grabs and closes them."""
    found: list[tuple[str, QWidget]] = []
    probe = PersonEditorWidget(store)
    probe.load(person_id)
    titles = [probe.nav.item(i).text() for i in range(probe.nav.count())]
    has_conflict = not probe.banner.isHidden()
    probe.deleteLater()
    for row, title in enumerate(titles):
        editor = PersonEditorWidget(store)
        editor.load(person_id)
        editor.nav.setCurrentRow(row)
        editor.resize(*SIZE)
        found.append((f"record-{row + 1:02d}-{_slug(title)}", editor))
    if has_conflict:
        editor = PersonEditorWidget(store)
        editor.load(person_id)
        editor.resize(*SIZE)
        found.append(("record-needs-review-banner", editor))
    directory = ServiceDirectoryWidget(store)
    directory.resize(*SIZE)
    found.append(("service-directory", directory))
    week = RotaWeekWidget(store)
    week.resize(*SIZE)
    found.append(("help-rota-week", week))
    reviews = ReviewsWidget(store)
    reviews.resize(*SIZE)
    found.append(("reviews-due", reviews))
    new_person = NewPersonDialog(store)
    found.append(("add-a-person", new_person))
    # the caseload-wide lists read off the GUI thread: wait for them, then let them show
    worker.wait_for_all()
    QCoreApplication.processEvents()
    return found
