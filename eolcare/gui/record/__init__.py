"""A person's record in the window: the editor, circle, services, rota, reviews, new person.

The shell embeds these widgets; each reads through ``store.reading()`` and the
store's query functions and writes through the core's ``Writer``.
"""

from eolcare.gui.record.directory import ServiceDirectoryWidget
from eolcare.gui.record.editor import PersonEditorWidget
from eolcare.gui.record.new_person import NewPersonDialog
from eolcare.gui.record.reviews import ReviewsWidget
from eolcare.gui.record.rota_week import RotaWeekWidget

__all__ = [
    "NewPersonDialog",
    "PersonEditorWidget",
    "ReviewsWidget",
    "RotaWeekWidget",
    "ServiceDirectoryWidget",
]
