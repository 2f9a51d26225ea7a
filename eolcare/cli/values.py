"""Turning what a coordinator types on the command line into field values.

Coded values are typed by their label, in full or in part ("home", "not for
CPR", "daughter", "D red") or by their code; an error lists the labels, never
SNOMED numbers, because labels are what a coordinator types. Values also come
from a JSON file, where they may take the JSON form ``--json`` prints.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from eolcare.domain.codes import ValueSet
from eolcare.domain.errors import Problem, ValidationError
from eolcare.domain.schema import FieldSpec, FieldType
from eolcare.domain.values import Coded, CodedList

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
#: Words coordinators write for longer words in the labels.
_ABBREVIATIONS = {"cpr": "cardiopulmonary resuscitation", "dnacpr": "not for cardiopulmonary "
                  "resuscitation", "gp": "gp", "lpa": "lasting power of attorney",
                  "111": "out-of-hours gp / 111"}
_WORD = re.compile(r"[\w/+-]+")


def problem(spec: FieldSpec, message: str) -> ValidationError:
    return ValidationError(Problem(spec.label, message))


def labels(valueset: ValueSet) -> str:
    """The labels of a value set as a coordinator types them: ``Home, Hospice, ...``."""
    return ", ".join(f'"{c.display}"' if "," in c.display else c.display for c in valueset)


def _words(text: str) -> list[str]:
    expanded = " ".join(_ABBREVIATIONS.get(w, w) for w in _WORD.findall(text.casefold()))
    return _WORD.findall(expanded)


def _in_order(typed: list[str], label: list[str]) -> bool:
    """Each typed word starts a word of the label, in the label's order."""
    at = 0
    for word in typed:
        while at < len(label) and not label[at].startswith(word):
            at += 1
        if at == len(label):
            return False
        at += 1
    return True


def code_for(valueset: ValueSet, typed: str) -> str | None:
    """The code a coordinator means by ``typed`` (a code or a label), None if unclear."""
    wanted = typed.strip()
    if wanted in valueset:
        return wanted
    lowered = wanted.casefold()
    for c in valueset:
        if c.code.casefold() == lowered or c.display.casefold() == lowered:
            return c.code
    typed_words = _words(wanted)
    if not typed_words:
        return None
    exact = [c.code for c in valueset if _words(c.display) == typed_words]
    if len(exact) == 1:
        return exact[0]
    starts = [c.code for c in valueset if _words(c.display)[:len(typed_words)] == typed_words
              or c.display.casefold().startswith(lowered)]
    if len(starts) == 1:
        return starts[0]
    loose = [c.code for c in valueset if _in_order(typed_words, _words(c.display))]
    return loose[0] if len(loose) == 1 else None


def _code(spec: FieldSpec, typed: str) -> str:
    assert spec.valueset is not None
    found = code_for(spec.valueset, typed)
    if found is None:
        raise problem(spec, f"choose one of: {labels(spec.valueset)}")
    return found


def parse_day(typed: str) -> date | None:
    """A date as coordinators write it (2025-03-31, 31/03/2025, 31 Mar 2025, today), or None."""
    if typed.strip().lower() == "today":
        return date.today()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(typed.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_moment(typed: str) -> datetime | None:
    """A date and time (local time unless a zone is given; ``now``), or None."""
    typed = typed.strip()
    if typed.lower() == "now":
        return datetime.now().astimezone()
    try:
        return datetime.fromisoformat(typed)
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(typed, fmt)
        except ValueError:
            continue
    return None


def parse(spec: FieldSpec, typed: str) -> Any:
    """A value for ``spec`` from text. Empty text (or ``-``) clears the field.

    Coded fields take ``LABEL`` or ``LABEL: free text`` (a code works too);
    lists of codes are comma-separated.
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
            raise problem(spec, "answer yes or no")
        case FieldType.INT:
            try:
                return int(typed)
            except ValueError:
                raise problem(spec, "must be a whole number") from None
        case FieldType.DATE:
            found = parse_day(typed)
            if found is None:
                raise problem(spec, "is not a date (write it as 2025-03-31 or 31/03/2025)")
            return found
        case FieldType.DATETIME:
            moment = parse_moment(typed)
            if moment is None:
                raise problem(spec, "is not a date and time (write it as 2025-03-31 14:30)")
            return moment
        case FieldType.CODED:
            code, _, text = typed.partition(":")
            return Coded(_code(spec, code), text.strip())
        case FieldType.CODES:
            listed, _, text = typed.partition(":")
            return CodedList(tuple(_code(spec, c) for c in listed.split(",") if c.strip()),
                             text.strip())
    return typed


def parse_json(spec: FieldSpec, raw: Any) -> Any:
    """A value for ``spec`` from a JSON file: text as typed, or the JSON form ``--json`` prints.

    ``{"code": ..., "text": ...}`` (``label`` ignored) for a coded value, ``{"codes":
    [...], "text": ...}`` for a list, true/false, numbers, ISO dates.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        return parse(spec, raw)
    if spec.type is FieldType.CODED and isinstance(raw, dict) and "code" in raw:
        return Coded(_code(spec, str(raw["code"])), str(raw.get("text") or ""))
    if spec.type is FieldType.CODES and isinstance(raw, dict) and "codes" in raw:
        return CodedList(tuple(_code(spec, str(c)) for c in raw["codes"]),
                         str(raw.get("text") or ""))
    if spec.type is FieldType.CODES and isinstance(raw, list):
        return CodedList(tuple(_code(spec, str(c)) for c in raw))
    if spec.type is FieldType.BOOL and isinstance(raw, bool):
        return raw
    if spec.type is FieldType.INT and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    raise problem(spec, "has a value of the wrong kind in the JSON file")


def allowed(spec: FieldSpec) -> str:
    """What a field accepts, in words (for ``eolcare fields``)."""
    if spec.valueset is not None:
        several = " (one or more, comma-separated)" if spec.type is FieldType.CODES else ""
        return f"{labels(spec.valueset)}{several}"
    from eolcare.domain.validation import STEPS

    step = f" in steps of {STEPS[spec.name]}" if spec.name in STEPS else ""
    return {
        FieldType.TEXT: "text", FieldType.DATE: "a date, e.g. 2025-03-31",
        FieldType.DATETIME: "a date and time, e.g. 2025-03-31 14:30",
        FieldType.BOOL: "yes or no",
        FieldType.INT: (f"a whole number from {spec.minimum} to {spec.maximum}{step}"
                        if spec.minimum is not None else "a whole number"),
        FieldType.REF: f"a {(spec.ref or 'record').replace('_', ' ')}: its name or id",
    }.get(spec.type, "text")
