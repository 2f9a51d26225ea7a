"""Starting: ``eolcare`` with no command opens the window, or says plainly there is no screen."""

from __future__ import annotations

import pytest

from eolcare.cli.main import main as cli_main
from eolcare.gui import app, settings
from eolcare.store.profiles import Profile


@pytest.fixture
def no_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")


@pytest.mark.usefixtures("no_screen")
def test_no_command_and_no_screen_says_so_and_how_to_start(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert not app.has_display()
    code = cli_main([])
    err = capsys.readouterr().err
    assert code == 1
    assert "needs a screen, and this session has none" in err
    assert "eolcare init" in err


@pytest.mark.usefixtures("no_screen")
def test_no_screen_lists_the_caseload_in_the_terminal(
        capsys: pytest.CaptureFixture[str], demo_profile: Profile,
        monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[list[str]] = []
    monkeypatch.setattr("eolcare.cli.main.main", lambda argv: listed.append(argv) or 0)
    assert app.main(["--profile", demo_profile.name]) == 0
    assert listed == [["list", "--profile", "demo"]]
    assert "Here is the caseload in the terminal" in capsys.readouterr().err


def test_the_profile_chosen_is_the_last_one_used(demo_profile: Profile) -> None:
    assert app.choose_profile(None, demo=False)[0] == demo_profile  # the only one
    settings.set_last_profile("gone")
    assert app.choose_profile(None, demo=False)[0] == demo_profile
    assert app.choose_profile(None, demo=True) == (demo_profile, False)


def test_the_demo_form_is_offered_when_there_is_no_demo_profile() -> None:
    assert app.choose_profile(None, demo=True) == (None, True)
    assert app.choose_profile(None, demo=False) == (None, False)
