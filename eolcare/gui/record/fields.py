"""One editor per field, chosen from the field's spec (type, value set, range).

A field is described once, in the domain (``Entity.FIELDS``): its label, its
type, its value set. The editors here read that description, so the window
never writes a label or a list of choices a second time. Every editor can say
"not recorded" (``None``), and reports what it cannot turn into a value (a
date that is not a date) as a problem of its own, shown beside the field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from eolcare.domain.codes import OTHER
from eolcare.domain.schema import FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList, format_nhs_number
from eolcare.gui.tr import tr as translate

#: Text fields written at length (the person's own words, notes): several lines.
LONG_TEXT = frozenset({
    "what_matters", "most_value", "most_fear", "spiritual_needs", "rituals", "funeral_wishes",
    "donation_wishes", "address", "home_access", "cpr_reason", "respect_interventions",
    "adrt_covers", "advance_statement", "medicines_notes", "equipment", "notes", "discussed",
    "follow_up", "other_diagnoses", "disabilities", "lpa_attorneys", "consent_share_with",
    "preferences_discussed_with", "cpr_involved",
})

_DATE_FORMATS = ("dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd", "d MMM yyyy", "d MMMM yyyy",
                 "dd-MM-yyyy", "d.M.yyyy")
SHOWN_DATE = "dd/MM/yyyy"


def tr(text: str) -> str:
    """``text`` in the coordinator's language (the record screens' translation context)."""
    return translate(text, "record")


def field_label(spec: FieldSpec) -> str:
    """The label of a field as the window shows it (translatable; declared in the domain)."""
    return QCoreApplication.translate("eolcare.fields", spec.label)


def section_title(title: str) -> str:
    """A DATASET section title as the window shows it (translatable; from the domain)."""
    return QCoreApplication.translate("eolcare.sections", title)


def _left(widget: QWidget, parent: QWidget | None) -> QWidget:
    """``widget`` at its natural width on the left of the row (not centred in it)."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return box


class ChoiceBox(QComboBox):
    """A choice list whose values stay on the Python side, never in item data.

    The values come back exactly as given (``False`` stays ``False``, ``None``
    stays ``None``) without a round trip through QVariant, and reading them at
    every keystroke costs no conversion. (PySide6 6.12.0 on Python 3.11 also
    dropped a reference to None on each empty QVariant read back; see
    tests/gui/record/test_none_refcount.py.)
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []

    def add(self, text: str, value: Any) -> None:
        self.addItem(text)
        self._values.append(value)

    def clear_choices(self) -> None:
        self.clear()
        self._values = []

    def values(self) -> list[Any]:
        return list(self._values)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def choose(self, value: Any) -> bool:
        """Show ``value``; False when it is not among the choices."""
        for index, candidate in enumerate(self._values):
            if candidate is value or (type(candidate) is type(value) and candidate == value):
                self.setCurrentIndex(index)
                return True
        return False


class FieldValueError(ValueError):
    """What was typed cannot be a value of this field (shown beside it; nothing saved)."""


class FieldEditor(QObject):
    """The editing widgets of one field, with its value as the domain types it."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget: QWidget = QWidget(parent)
        self.focus_widget: QWidget = self.widget
        self._inputs: list[QWidget] = []

    def value(self) -> Any:
        """The value typed, ``None`` for "not recorded"; FieldValueError when it cannot be one."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        for w in self._inputs:
            if isinstance(w, QLineEdit | QPlainTextEdit):
                w.setReadOnly(read_only)
            else:
                w.setEnabled(not read_only)

    def inputs(self) -> list[QWidget]:
        """The focusable widgets of this field, in tab order."""
        return list(self._inputs)

    def _name(self, widget: QWidget, suffix: str = "", key: str = "") -> None:
        """Accessible name from the label; object name ``field_<name>[_<key>]``."""
        label = field_label(self.spec)
        widget.setAccessibleName(f"{label} {suffix}" if suffix else label)
        widget.setObjectName(f"field_{self.spec.name}" + (f"_{key}" if key else ""))
        self._inputs.append(widget)


class TextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self._long = spec.name in LONG_TEXT
        if self._long:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(52)
            edit.setMaximumHeight(84)
            edit.textChanged.connect(self.changed)
            self._plain: QPlainTextEdit | None = edit
            self._line: QLineEdit | None = None
        else:
            line = QLineEdit(parent)
            line.textChanged.connect(self.changed)
            self._line, self._plain = line, None
            edit = line  # type: ignore[assignment]
        self.widget = self.focus_widget = edit
        self._name(edit)

    def text(self) -> str:
        if self._plain is not None:
            return self._plain.toPlainText()
        assert self._line is not None
        return self._line.text()

    def value(self) -> Any:
        typed = self.text().strip()
        return typed or None

    def set_value(self, value: Any) -> None:
        shown = "" if value is None else str(value)
        if self.spec.name == "nhs_number" and value:
            shown = format_nhs_number(str(value))
        if self._plain is not None:
            self._plain.setPlainText(shown)
        else:
            assert self._line is not None
            self._line.setText(shown)


class CodedEditor(FieldEditor):
    """A choice list of the value set's display texts, with the free text beside it."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.valueset is not None
        self.combo = ChoiceBox(parent)
        self.combo.add(tr("Not recorded"), None)
        for code in spec.valueset:
            self.combo.add(QCoreApplication.translate("eolcare.codes", code.display), code.code)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumContentsLength(12)
        self.text_edit = QLineEdit(parent)
        self.text_edit.setPlaceholderText(tr("In their own words"))
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 0)
        row.addWidget(self.text_edit, 1)
        self.widget = box
        self.focus_widget = self.combo
        self._name(self.combo)
        self._name(self.text_edit, tr("(words beside the choice)"), "text")
        self.combo.currentIndexChanged.connect(self.changed)
        self.text_edit.textChanged.connect(self.changed)

    def code(self) -> str | None:
        data = self.combo.value()
        return data if isinstance(data, str) else None

    def choose(self, code: str | None) -> None:
        if not self.combo.choose(code):
            self.combo.setCurrentIndex(0)

    def value(self) -> Any:
        code, typed = self.code(), self.text_edit.text().strip()
        if code is None:
            if typed:
                raise FieldValueError(tr("choose one of the choices for the words beside it"))
            return None
        return Coded(code, typed)

    def set_value(self, value: Any) -> None:
        self.choose(value.code if value is not None else None)
        self.text_edit.setText(value.text if value is not None else "")


class CodesEditor(FieldEditor):
    """Several choices of one value set (ticks), with the free text beside them."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.valueset is not None
        box = QWidget(parent)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        columns = 3
        for i, code in enumerate(spec.valueset):
            tick = QCheckBox(QCoreApplication.translate("eolcare.codes", code.display), box)
            tick.setAccessibleName(f"{field_label(spec)}: {tick.text()}")
            tick.setObjectName(f"field_{spec.name}_{code.code}")
            tick.toggled.connect(self.changed)
            grid.addWidget(tick, i // columns, i % columns)
            self.boxes[code.code] = tick
            self._inputs.append(tick)
        self.text_edit = QLineEdit(box)
        self.text_edit.setPlaceholderText(tr("In their own words"))
        self.text_edit.textChanged.connect(self.changed)
        grid.addWidget(self.text_edit, (len(self.boxes) + columns - 1) // columns, 0, 1, columns)
        self._name(self.text_edit, tr("(words beside the choices)"), "text")
        self.widget = box
        self.focus_widget = next(iter(self.boxes.values()))

    def value(self) -> Any:
        chosen = tuple(code for code, tick in self.boxes.items() if tick.isChecked())
        typed = self.text_edit.text().strip()
        if not chosen:
            if typed:
                raise FieldValueError(tr("tick at least one choice for the words beside them"))
            return None
        return CodedList(chosen, typed)

    def set_value(self, value: Any) -> None:
        codes = set(value.codes) if value is not None else set()
        for code, tick in self.boxes.items():
            tick.setChecked(code in codes)
        self.text_edit.setText(value.text if value is not None else "")


class DateEditor(FieldEditor):
    """A date typed (31/03/2025) or picked from a calendar; empty is "not recorded"."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(parent)
        self.line.setPlaceholderText(tr("dd/mm/yyyy"))
        self.line.setToolTip(tr("Type the date (31/03/2025) or pick it from the calendar; "
                                "leave it empty when it is not recorded."))
        self.line.setMaximumWidth(190)
        self.line.textChanged.connect(self.changed)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.menu = QMenu(parent)
        action = QWidgetAction(self.menu)
        action.setDefaultWidget(self.calendar)
        self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._open_calendar)
        self.button = QToolButton(parent)
        self.button.setText(tr("Calendar"))
        self.button.setMenu(self.menu)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # Fusion draws a text-only tool button's menu arrow over its last letter
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing the date is the keyboard way
        self.button.setAccessibleName(tr("%1 calendar").replace("%1", field_label(spec)))
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line)
        row.addWidget(self.button)
        row.addStretch(1)
        self.widget, self.focus_widget = box, self.line
        self._name(self.line)

    def _open_calendar(self) -> None:
        try:
            current = self.value()
        except FieldValueError:
            current = None
        shown = (QDate(current.year, current.month, current.day) if isinstance(current, date)
                 else QDate.currentDate())
        self.calendar.setSelectedDate(shown)

    def _picked(self, picked: QDate) -> None:
        self.line.setText(picked.toString(SHOWN_DATE))
        self.menu.close()

    def value(self) -> Any:
        typed = self.line.text().strip()
        if not typed:
            return None
        for fmt in _DATE_FORMATS:
            parsed = QDate.fromString(typed, fmt)
            if parsed.isValid():
                return parsed.toPython()
        raise FieldValueError(tr("is not a date: write it as 31/03/2025"))

    def set_value(self, value: Any) -> None:
        self.line.setText(QDate(value).toString(SHOWN_DATE) if value is not None else "")

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.button.setEnabled(not read_only)


class DateTimeEditor(FieldEditor):
    """A date and time, in local time (the store keeps UTC)."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QDateTimeEdit(parent)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.edit.setDateTime(QDateTime.currentDateTime())
        self.edit.dateTimeChanged.connect(self.changed)
        self.widget, self.focus_widget = _left(self.edit, parent), self.edit
        self._name(self.edit)

    def value(self) -> Any:
        local = self.edit.dateTime().toPython()
        assert isinstance(local, datetime)
        return local.astimezone()  # aware, in the machine's zone

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.setDateTime(QDateTime.currentDateTime())
            return
        local = value.astimezone().replace(tzinfo=None)
        self.edit.setDateTime(QDateTime(local))


class BoolEditor(FieldEditor):
    """Yes, no, or not recorded: three answers, not a tick that cannot say "unknown"."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = ChoiceBox(parent)
        self.combo.add(tr("Not recorded"), None)
        self.combo.add(tr("Yes"), True)
        self.combo.add(tr("No"), False)
        self.combo.currentIndexChanged.connect(self.changed)
        self.widget, self.focus_widget = _left(self.combo, parent), self.combo
        self._name(self.combo)

    def value(self) -> Any:
        data = self.combo.value()
        return data if isinstance(data, bool) else None

    def set_value(self, value: Any) -> None:
        self.combo.choose(value)


class NumberEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        low = spec.minimum if spec.minimum is not None else 0
        self._none = low - 1
        self.spin = QSpinBox(parent)
        self.spin.setRange(self._none, spec.maximum if spec.maximum is not None else 1_000_000)
        self.spin.setSpecialValueText(tr("Not recorded"))
        self.spin.setValue(self._none)
        self.spin.valueChanged.connect(self.changed)
        self.widget, self.focus_widget = _left(self.spin, parent), self.spin
        self._name(self.spin)

    def value(self) -> Any:
        typed = self.spin.value()
        return None if typed == self._none else typed

    def set_value(self, value: Any) -> None:
        self.spin.setValue(self._none if value is None else int(value))


class RefEditor(FieldEditor):
    """A choice of another record (a volunteer, a service, a helper) given by the page."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = ChoiceBox(parent)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.currentIndexChanged.connect(self.changed)
        self.widget = self.focus_widget = self.combo
        self._name(self.combo)
        self.set_choices([])

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """``(id, text)`` pairs; the first entry is always "none"."""
        current = self.combo.value()
        self.combo.blockSignals(True)
        self.combo.clear_choices()
        self.combo.add(tr("None"), None)
        for entity_id, text in choices:
            self.combo.add(text, entity_id)
        if not self.combo.choose(current):
            self.combo.setCurrentIndex(0)
        self.combo.blockSignals(False)

    def value(self) -> Any:
        data = self.combo.value()
        return data if isinstance(data, str) else None

    def set_value(self, value: Any) -> None:
        if value and not self.combo.choose(value):
            # a record not among the choices (e.g. since deleted): keep it, say so
            self.combo.add(tr("(a record not listed)"), value)
            self.combo.setCurrentIndex(self.combo.count() - 1)
        elif not value:
            self.combo.setCurrentIndex(0)


_EDITORS: dict[FieldType, type[FieldEditor]] = {
    FieldType.TEXT: TextEditor,
    FieldType.CODED: CodedEditor,
    FieldType.CODES: CodesEditor,
    FieldType.DATE: DateEditor,
    FieldType.DATETIME: DateTimeEditor,
    FieldType.BOOL: BoolEditor,
    FieldType.INT: NumberEditor,
    FieldType.REF: RefEditor,
}


def editor_for(spec: FieldSpec, parent: QWidget | None = None) -> FieldEditor:
    """The editor of a field, from its spec."""
    return _EDITORS[spec.type](spec, parent)


__all__ = ["OTHER", "FieldEditor", "FieldValueError", "editor_for", "field_label"]
