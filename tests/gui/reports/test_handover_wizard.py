"""The handover wizard: exactly who is in the pack, a passphrase twice, progress, cancel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pyzipper
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from eolcare.domain.values import format_nhs_number
from eolcare.gui import worker
from eolcare.gui.handover_wizard import HandoverWizard
from eolcare.store.database import Store
from tests.reports.records import NHS, add_person

PACK_PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def people(store: Store) -> list[str]:
    first = add_person(store, 0)
    second = add_person(store, 1, full_name="Łukasz Kowalski", services=first.service_ids,
                        volunteer=False)
    return [first.person_id, second.person_id]


def _wizard(qtbot: QtBot, store: Store, people: list[str]) -> HandoverWizard:
    wizard = HandoverWizard(store, people)
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.loader.finished):
        wizard.show()
    return wizard


def _next(wizard: HandoverWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def test_first_page_lists_exactly_who_is_in_the_pack(qtbot: QtBot, store: Store,
                                                     people: list[str]) -> None:
    wizard = _wizard(qtbot, store, people)
    tree = wizard.who.people
    rows = [[tree.topLevelItem(i).text(c) for c in range(3)]
            for i in range(tree.topLevelItemCount())]
    assert rows == [["Siân Llewellyn", "09 Mar 1941", format_nhs_number(NHS[0])],
                    ["Łukasz Kowalski", "09 Mar 1941", format_nhs_number(NHS[1])]]
    assert "2 person(s)" in wizard.who.count.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.who.confirm.setChecked(True)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def _to_passphrase(qtbot: QtBot, store: Store, people: list[str]) -> HandoverWizard:
    wizard = _wizard(qtbot, store, people)
    wizard.who.confirm.setChecked(True)
    _next(wizard)
    assert wizard.currentPage() is wizard.secret
    return wizard


def test_the_passphrase_must_be_typed_twice_and_long_enough(qtbot: QtBot, store: Store,
                                                            people: list[str],
                                                            tmp_path: Path) -> None:
    wizard = _to_passphrase(qtbot, store, people)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    wizard.secret.path.setText(str(tmp_path / "pack.zip"))
    qtbot.keyClicks(wizard.secret.passphrase, "short")
    assert not next_button.isEnabled()
    assert "at least" in wizard.secret.hint.text()
    wizard.secret.passphrase.setText(PACK_PASSPHRASE)
    qtbot.keyClicks(wizard.secret.again, PACK_PASSPHRASE + "x")
    assert not next_button.isEnabled()
    assert "not the same" in wizard.secret.hint.text()
    wizard.secret.again.setText(PACK_PASSPHRASE)
    assert next_button.isEnabled()
    assert wizard.secret.hint.text() == ""


def test_the_pack_is_made_off_the_gui_thread_with_progress(qtbot: QtBot, store: Store,
                                                          people: list[str],
                                                          tmp_path: Path) -> None:
    wizard = _to_passphrase(qtbot, store, people)
    out = tmp_path / "pack.zip"
    wizard.secret.path.setText(str(out))
    wizard.secret.passphrase.setText(PACK_PASSPHRASE)
    wizard.secret.again.setText(PACK_PASSPHRASE)
    steps: list[tuple[int, int]] = []
    with qtbot.waitSignal(wizard.exported, timeout=60_000) as blocker:
        _next(wizard)
        assert wizard.runner is not None
        wizard.runner.progress.connect(lambda d, t, _w: steps.append((d, t)))
    assert blocker.args[0].people == 2
    assert steps[-1] == (2, 2)
    assert wizard.export.isComplete()
    assert wizard.export.bar.value() == wizard.export.bar.maximum()
    with pyzipper.AESZipFile(out) as zf:
        zf.setpassword(PACK_PASSPHRASE.encode())
        assert json.loads(zf.read("manifest.json"))["people"] == 2


def test_cancel_stops_the_pack_and_leaves_no_file(qtbot: QtBot, store: Store,
                                                 people: list[str], tmp_path: Path) -> None:
    wizard = _to_passphrase(qtbot, store, people * 3)  # the same two, listed once each
    out = tmp_path / "pack.zip"
    wizard.secret.path.setText(str(out))
    wizard.secret.passphrase.setText(PACK_PASSPHRASE)
    wizard.secret.again.setText(PACK_PASSPHRASE)
    _next(wizard)
    assert wizard.runner is not None
    with qtbot.waitSignal(wizard.runner.cancelled, timeout=60_000):
        wizard.reject()
    assert worker.wait_for_all(30_000)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".tmp", ".zip")] == []
    assert wizard.result() == QWizard.DialogCode.Rejected
