"""Checks on numeric and date arguments, with plain messages argparse prints as they are.

Light on purpose: building the parser must not import the store or the record.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime


def whole_number(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def check(typed: str) -> int:
        try:
            value = int(typed.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"give a whole number from {low:,} to {high:,}{what}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must be from {low:,} to {high:,}{what}")
        return value

    check.__name__ = "number"  # argparse names the type in some messages
    return check


def a_date(typed: str) -> date:
    """An argparse type: a date written 2025-03-31, 31/03/2025 or 31 Mar 2025."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(typed.strip(), fmt).date()
        except ValueError:
            continue
    if typed.strip().lower() == "today":
        return date.today()
    raise argparse.ArgumentTypeError("is not a date (write it as 2025-03-31 or 31/03/2025)")


a_date.__name__ = "date"


def a_moment(typed: str) -> datetime:
    """An argparse type: a date and time (local time), or ``now``."""
    text = typed.strip()
    if text.lower() == "now":
        return datetime.now().astimezone()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).astimezone()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        "is not a date and time (write it as 2025-03-31 14:30, or 'now')")


a_moment.__name__ = "date and time"
