"""The translation catalogue: current with the sources, and really used by the window.

The catalogue is checked with PySide6's own lupdate (tools/translations --check);
a pseudo-translation (accents, longer texts) made from the shipped eolcare.ts and
compiled with pyside6-lrelease shows that loading a catalogue changes what real
widgets say, and that removing it brings back the source English.
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from eolcare.domain.entities import Person
from eolcare.gui import tr as tr_module
from eolcare.gui.mainwindow import MainWindow
from eolcare.gui.record import fields

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "translations"
SHIPPED = ROOT / "eolcare" / "resources" / "i18n" / "eolcare.ts"
ACCENTS = str.maketrans("aeiouAEIOUcnsyCNSY", "áéíóúÁÉÍÓÚçñšýÇÑŠÝ")
#: what must survive a translation untouched: markup, placeholders, entities
KEEP = re.compile(r"(<[^>]*>|%\d|%n|\{[^}]*\}|&[a-z]+;)")


def pseudo(text: str) -> str:
    """The pseudo-locale's version of a source text: accented, a third longer."""
    parts = [p if KEEP.fullmatch(p) else p.translate(ACCENTS) for p in KEEP.split(text)]
    return "[" + "".join(parts) + " " + "~" * (len(text) // 3) + "]"


def _tool() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("eolcare_tools_translations", str(TOOL))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_shipped_catalogue_is_current_with_the_sources() -> None:
    done = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    shipped = ET.parse(SHIPPED)  # noqa: S314 - the shipped catalogue
    texts = {m.findtext("source") for m in shipped.getroot().iter("message")}
    # the window's own texts, a QT_TR_NOOP one and the domain's labels are all in it
    assert {"&File", "Caseload", "Last 12 months", "Calendar", "Preferred place of death",
            "4. Preferences"} <= texts


def test_check_fails_when_a_text_is_not_in_the_catalogue(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = _tool()
    tree = ET.parse(SHIPPED)  # noqa: S314 - the shipped catalogue
    for context in tree.getroot().iter("context"):
        for message in context.findall("message"):
            if message.findtext("source") == "&File":
                context.remove(message)  # as if tr("&File", ...) had just been added
    stale = tmp_path / "eolcare.ts"
    tree.write(stale, encoding="utf-8")
    tool.SOURCE = stale
    assert tool.check() == 1
    assert "new in the sources: [-/window] '&File'" in capsys.readouterr().err


@pytest.fixture
def pseudo_catalogue(tmp_path: Path) -> Iterator[Path]:
    """eolcare_eo.qm: every text of the shipped catalogue pseudo-translated."""
    tree = ET.parse(SHIPPED)  # noqa: S314 - the shipped catalogue
    root = tree.getroot()
    root.set("language", "eo")
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":
            for form in list(translation):
                translation.remove(form)
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = pseudo(source)
        else:
            translation.text = pseudo(source)
    ts = tmp_path / "eolcare_eo.ts"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(tmp_path / "eolcare_eo.qm")],
                   check=True)
    yield tmp_path
    tr_module.remove_translations()


def test_a_compiled_catalogue_changes_what_the_window_says(
        qtbot: QtBot, pseudo_catalogue: Path) -> None:
    assert tr_module.install_translations(QLocale("eo"), pseudo_catalogue) == "eo"
    window = MainWindow(None, use_keyring=False)
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == pseudo("&File") == "[&Fílé ~]"
    assert window.lock_action.text() == pseudo("&Lock")
    assert window.lock_action.statusTip() == pseudo(
        "Hide personal data until the passphrase is typed")
    assert window.page_actions["caseload"].text() == "&" + pseudo("Caseload")  # QT_TR_NOOP
    # the record screens' texts, the domain's labels and a plural form
    assert fields.tr("Calendar") == pseudo("Calendar")
    assert fields.field_label(Person.FIELDS["preferred_place_of_death"]) \
        == pseudo("Preferred place of death")
    assert tr_module.tr("%n page(s)", "PrintPreviewDialog", n=3) \
        == pseudo("%n page(s)").replace("%n", "3")

    tr_module.remove_translations()
    english = MainWindow(None, use_keyring=False)
    qtbot.addWidget(english)
    assert english.menuBar().actions()[0].text() == "&File"


def test_no_catalogue_for_the_locale_means_source_english(qtbot: QtBot,
                                                          pseudo_catalogue: Path) -> None:
    assert tr_module.install_translations(QLocale("fr_FR"), pseudo_catalogue) is None
    window = MainWindow(None, use_keyring=False)
    qtbot.addWidget(window)
    assert window.menuBar().actions()[0].text() == "&File"


#: Files whose texts are not routed yet (none now).
NOT_YET: set[str] = set()
#: Non-literal texts that are marked with QT_TR_NOOP where they are written.
MARKED = {"title", "spec.title", "s.title", "_UNEXPECTED", "text", "name",
          "COLUMNS[section].title", "STAGE_SHORT[code]", "STAGE_SHORT[c]",
          "STAGE_SHORT[s.gsf_stage]", "STAGE_SHORT[code.code]"}


def test_every_tr_call_is_one_lupdate_can_read() -> None:
    """A text lupdate cannot see (a variable, a call inside an f-string) never reaches
    the catalogue, so it could never be translated."""
    gui = ROOT / "eolcare" / "gui"
    unreadable = []
    for path in sorted(gui.rglob("*.py")):
        name = path.relative_to(gui).as_posix()
        if name in NOT_YET:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr)
                      for n in ast.walk(f)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("tr", "translate") and node.args):
                continue
            text = node.args[0]
            literal = isinstance(text, ast.Constant) and isinstance(text.value, str)
            if id(node) in in_fstring or not (literal or ast.unparse(text) in MARKED):
                unreadable.append(f"{name}:{node.lineno}: {ast.unparse(node)[:70]}")
    assert not unreadable, "\n".join(unreadable)
