"""Turning what a coordinator types on the command line into field values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eolcare.domain.errors import Problem, ValidationError
from eolcare.domain.schema import FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")


def _problem(spec: FieldSpec, message: str) -> ValidationError:
    return ValidationError(Problem(spec.label, message))


def _code(spec: FieldSpec, typed: str) -> str:
    """A code from its value, or from its display text (``home``, ``Not for CPR``)."""
    assert spec.valueset is not None
    wanted = typed.strip()
    if wanted in spec.valueset:
        return wanted
    lowered = wanted.casefold()
    matches = [c.code for c in spec.valueset if c.display.casefold().startswith(lowered)]
    exact = [c.code for c in spec.valueset if c.display.casefold() == lowered]
    if len(exact) == 1:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    choices = "; ".join(f"{c.code} = {c.display}" for c in spec.valueset)
    raise _problem(spec, f"choose one of: {choices}")


def parse(spec: FieldSpec, typed: str) -> Any:
    """A value for ``spec`` from text. Empty text (or ``-``) clears the field.

    Coded fields take ``CODE`` or ``CODE: free text`` where CODE may also be the
    start of the display text; lists of codes are comma-separated.
    """
    typed = typed.strip()
    if typed in ("", "-"):
        return None
    match spec.type:
        case FieldType.BOOL:
            if typed.lower() in _YES:
                return True
            if typed.lower() in _NO:
                return False
            raise _problem(spec, "answer yes or no")
        case FieldType.INT:
            try:
                return int(typed)
            except ValueError:
                raise _problem(spec, "must be a whole number") from None
        case FieldType.DATE:
            for fmt in _DATE_FORMATS:
                try:
                    return datetime.strptime(typed, fmt).date()
                except ValueError:
                    continue
            raise _problem(spec, "is not a date (write it as 2025-03-31 or 31/03/2025)")
        case FieldType.DATETIME:
            try:
                return datetime.fromisoformat(typed)
            except ValueError:
                raise _problem(spec, "is not a date and time (2025-03-31 14:30)") from None
        case FieldType.CODED:
            code, _, text = typed.partition(":")
            return Coded(_code(spec, code), text.strip())
        case FieldType.CODES:
            listed, _, text = typed.partition(":")
            return CodedList(tuple(_code(spec, c) for c in listed.split(",") if c.strip()),
                             text.strip())
    return typed
