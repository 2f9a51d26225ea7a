"""Fixtures for window tests: Qt offscreen, settings and profiles in tmp, a demo caseload.

Every test under tests/gui is marked ``gui`` (so ``pytest -m "not gui"`` runs
the core without Qt), and where PySide6 is not installed nothing here is
collected at all. The platform is ``offscreen`` unless QT_QPA_PLATFORM says
otherwise (``xvfb-run ... QT_QPA_PLATFORM=xcb pytest tests/gui`` for a real X
server).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if importlib.util.find_spec("PySide6") is None:  # the core-only run: no Qt installed
    collect_ignore_glob = ["*"]

from eolcare import demo  # after the platform is chosen above
from eolcare.domain.jobs import run
from eolcare.store import vault
from eolcare.store.database import Store, create_profile
from eolcare.store.profiles import Profile, find_profile
from tests.conftest import PASSPHRASE

HERE = Path(__file__).parent
#: The demo caseload's "today": fixed, so figures and overdue reviews are the same every run.
DEMO_TODAY = date(2026, 3, 2)
DEMO_PEOPLE = 40
DEMO_SEED = 7
DEMO_PROFILE = "demo"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def qt_settings(tmp_path: Path, qapp: object) -> Path:
    """QSettings (window and column state, idle time) in a tmp folder, fresh per test."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from eolcare.gui import settings

    folder = tmp_path / "qsettings"
    folder.mkdir()
    QCoreApplication.setOrganizationName(settings.ORGANISATION)
    QCoreApplication.setApplicationName(settings.APPLICATION)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def drain_workers() -> Iterator[None]:
    """No background task outlives its test (a store closed under a running query)."""
    yield
    from eolcare.gui import worker

    assert worker.wait_for_all(30_000), "a background task did not finish"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo profile made once per run (fast KDF); tests get a copy of it."""
    home = tmp_path_factory.mktemp("demo-template")
    before = os.environ.get("EOLCARE_HOME")
    os.environ["EOLCARE_HOME"] = str(home)
    try:
        profile, _ = create_profile(DEMO_PROFILE, "Demo Coordinator", PASSPHRASE,
                                    vault.KDF_FAST_FOR_TESTS)
        with Store(profile, vault.unlock(profile.vault_path, PASSPHRASE)) as store:
            run(demo.generate(store, DEMO_PEOPLE, seed=DEMO_SEED, today=DEMO_TODAY))
    finally:
        if before is None:
            del os.environ["EOLCARE_HOME"]
        else:
            os.environ["EOLCARE_HOME"] = before
    return profile.path


@pytest.fixture
def demo_profile(demo_template: Path, eolcare_home: Path) -> Profile:
    """This test's own copy of the demo profile, in its EOLCARE_HOME."""
    target = eolcare_home / "profiles" / DEMO_PROFILE
    shutil.copytree(demo_template, target)
    (target / "eolcare.lock").unlink(missing_ok=True)
    return find_profile(DEMO_PROFILE)


@pytest.fixture
def demo_store(demo_profile: Profile) -> Iterator[Store]:
    """The demo profile, unlocked and open (closed at the end of the test)."""
    store = Store(demo_profile, vault.unlock(demo_profile.vault_path, PASSPHRASE))
    yield store
    from eolcare.gui import worker

    worker.wait_for_all(30_000)
    store.close()
