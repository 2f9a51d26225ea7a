"""The window's own settings (QSettings): window and column state, idle lock time.

Nothing personal is kept here: geometry, column widths, the last profile's
name, the idle time. Tests point QSettings at a tmp folder (tests/gui/conftest.py).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANISATION = "eolcare"
APPLICATION = "eolcare"

#: Minutes without keyboard or mouse before the window locks itself.
DEFAULT_IDLE_MINUTES = 10
IDLE_KEY = "security/idle_minutes"
LAST_PROFILE_KEY = "start/last_profile"


def settings() -> QSettings:
    return QSettings()


def idle_minutes() -> int:
    """The idle lock time in minutes; 0 turns the idle lock off."""
    raw = settings().value(IDLE_KEY, DEFAULT_IDLE_MINUTES)
    try:
        return max(0, int(raw))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES


def set_idle_minutes(minutes: int) -> None:
    settings().setValue(IDLE_KEY, max(0, int(minutes)))


def last_profile() -> str | None:
    value = settings().value(LAST_PROFILE_KEY, None)
    return str(value) if value else None


def set_last_profile(name: str) -> None:
    settings().setValue(LAST_PROFILE_KEY, name)
