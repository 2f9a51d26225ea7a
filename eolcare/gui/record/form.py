"""A form of labelled field editors for one kind of record, built from its field specs.

The form knows what it loaded, so it can say whether anything was changed
(``is_dirty``), which fields (``changes``), and show the core's validation
problems beside the fields they name.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from eolcare.domain.errors import Problem
from eolcare.domain.schema import Entity
from eolcare.gui.record.fields import FieldEditor, FieldValueError, editor_for, field_label, tr

PROBLEM_STYLE = "color: palette(bright-text); background: #b3261e; padding: 2px 6px;" \
    " border-radius: 3px;"


class EntityForm(QWidget):
    """Labelled editors for some fields of one kind of record."""

    changed = Signal()
    dirtyChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    historyRequested = Signal(str)  # noqa: N815

    def __init__(self, cls: type[Entity], fields: Sequence[str] | None = None, *,
                 history: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cls = cls
        names = list(fields) if fields is not None else [
            n for n, s in cls.FIELDS.items() if s.ref != "person"]
        self.editors: dict[str, FieldEditor] = {}
        self.problem_labels: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self._by_label = {cls.FIELDS[n].label: n for n in names}
        self._baseline: dict[str, Any] = {}
        self._loading = False
        self._dirty = False
        self.loaded: Entity | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(self)
        self.message.setObjectName("form_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(PROBLEM_STYLE)
        self.message.hide()
        outer.addWidget(self.message)
        self.layout_ = QFormLayout()
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        outer.addLayout(self.layout_)
        for name in names:
            self._add_row(name, history)
        self.footer = QLabel(self)
        self.footer.setObjectName("form_footer")
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet("font-style: italic;")
        outer.addWidget(self.footer)
        outer.addStretch(1)
        self._chain_tab_order()
        if history:
            shortcut = QShortcut(QKeySequence("Ctrl+H"), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._history_of_focused)

    # -- building -------------------------------------------------------------------

    def _add_row(self, name: str, history: bool) -> None:
        spec = self.cls.FIELDS[name]
        editor = editor_for(spec, self)
        editor.changed.connect(self._edited)
        label = QLabel(field_label(spec) + (" *" if spec.required else ""), self)
        label.setBuddy(editor.focus_widget)
        # Not word-wrapped: QFormLayout gives a wrapped label one line's height and clips it.
        label.setObjectName(f"label_{name}")
        if spec.significant:
            label.setToolTip(tr("Clinically significant: a concurrent change is kept for review"))
        problem = QLabel(self)
        problem.setObjectName(f"problem_{name}")
        problem.setWordWrap(True)
        problem.setStyleSheet(PROBLEM_STYLE)
        problem.hide()
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if history:
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(editor.widget, 1)
            button = QToolButton(box)
            button.setIcon(self.style().standardIcon(
                QStyle.StandardPixmap.SP_FileDialogContentsView))
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+H from the field instead
            tip = tr("History of this field (Ctrl+H)")
            button.setToolTip(tip)
            button.setAccessibleName(tr("History of %1").replace("%1", field_label(spec)))
            button.setObjectName(f"history_{name}")
            button.clicked.connect(lambda _=False, n=name: self.historyRequested.emit(n))
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(row)
        else:
            column.addWidget(editor.widget)
        column.addWidget(problem)
        self.layout_.addRow(label, box)
        self.editors[name] = editor
        self.problem_labels[name] = problem
        self.labels[name] = label

    def _chain_tab_order(self) -> None:
        inputs = [w for e in self.editors.values() for w in e.inputs()]
        for first, second in itertools.pairwise(inputs):
            QWidget.setTabOrder(first, second)

    def first_input(self) -> QWidget | None:
        inputs = [w for e in self.editors.values() for w in e.inputs()]
        return inputs[0] if inputs else None

    def last_input(self) -> QWidget | None:
        inputs = [w for e in self.editors.values() for w in e.inputs()]
        return inputs[-1] if inputs else None

    def _history_of_focused(self) -> None:
        focused = self.focusWidget()
        for name, editor in self.editors.items():
            if focused in editor.inputs():
                self.historyRequested.emit(name)
                return

    # -- values ---------------------------------------------------------------------

    def load(self, entity: Entity | None, defaults: dict[str, Any] | None = None) -> None:
        """Show ``entity`` (or an empty form with ``defaults`` for a new one)."""
        self._loading = True
        try:
            self.loaded = entity
            for name, editor in self.editors.items():
                if entity is not None:
                    editor.set_value(getattr(entity, name))
                else:
                    editor.set_value((defaults or {}).get(name))
        finally:
            self._loading = False
        self.clear_problems()
        self._baseline = self._raw()
        self._set_dirty(False)

    def _raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for name, editor in self.editors.items():
            try:
                raw[name] = editor.value()
            except FieldValueError:
                raw[name] = FieldValueError  # never equal to a value
        return raw

    def values(self) -> dict[str, Any]:
        """Every field's value; FieldValueError for what cannot be a value (see local_problems)."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        """The fields changed since ``load``, with their new values."""
        now = self._raw()
        return {name: value for name, value in now.items() if value != self._baseline.get(name)}

    def is_dirty(self) -> bool:
        return self._dirty

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.set_read_only(read_only)

    def _edited(self) -> None:
        if self._loading:
            return
        self.changed.emit()
        self._set_dirty(bool(self.changes()))

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirtyChanged.emit(dirty)

    # -- problems -------------------------------------------------------------------

    def local_problems(self) -> list[Problem]:
        """What the editors themselves cannot turn into values (a date that is not one)."""
        found = []
        for editor in self.editors.values():
            try:
                editor.value()
            except FieldValueError as exc:
                found.append(Problem(editor.spec.label, str(exc)))
        return found

    def clear_problems(self) -> None:
        for label in self.problem_labels.values():
            label.clear()
            label.hide()
        for editor in self.editors.values():
            for widget in editor.inputs():
                widget.setAccessibleDescription("")
        self.message.clear()
        self.message.hide()

    def show_problems(self, problems: Iterable[Problem], *,
                      elsewhere: bool = True) -> list[Problem]:
        """Show each problem beside its field; returns those that name no field here
        (shown at the top of the form unless ``elsewhere`` is False: the caller shows them)."""
        self.clear_problems()
        unmatched: list[Problem] = []
        shown: dict[str, list[str]] = {}
        for p in problems:
            name = self._by_label.get(p.field)
            if name is None:
                unmatched.append(p)
            else:
                shown.setdefault(name, []).append(p.message)
        for name, messages in shown.items():
            text = "; ".join(messages)
            label = self.problem_labels[name]
            label.setText(f"{field_label(self.cls.FIELDS[name])}: {text}")
            label.show()
            for widget in self.editors[name].inputs():
                widget.setAccessibleDescription(text)
        if shown:
            first = next(iter(shown))
            self.editors[first].focus_widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if unmatched and elsewhere:
            self.message.setText("; ".join(str(p) for p in unmatched))
            self.message.show()
        return unmatched

    def problem_text(self, name: str) -> str:
        """The problem shown beside a field ("" when none): what a test or reader checks."""
        label = self.problem_labels[name]
        return label.text() if not label.isHidden() else ""
