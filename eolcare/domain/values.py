"""Value types of the record and the checks on single values.

Coded values always carry free text beside the code. NHS numbers are checked
with the Modulus 11 algorithm; phone numbers with Google's libphonenumber
(UK formats by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eolcare.domain.codes import OTHER, ValueSet


@dataclass(frozen=True)
class Coded:
    """A code from a value set with the person's or coordinator's own words beside it."""

    code: str
    text: str = ""

    def display(self, valueset: ValueSet) -> str:
        """The code's display text, then the free text when there is any."""
        shown = valueset.display(self.code)
        if self.code == OTHER and self.text:
            return self.text
        return f"{shown} ({self.text})" if self.text else shown


@dataclass(frozen=True)
class CodedList:
    """Several codes of one value set (e.g. what a helper does), with text beside them."""

    codes: tuple[str, ...]
    text: str = ""

    def display(self, valueset: ValueSet) -> str:
        shown = ", ".join(valueset.display(c) for c in self.codes if c != OTHER)
        if self.text:
            return f"{shown}; {self.text}" if shown else self.text
        return shown


_NON_DIGITS = re.compile(r"[\s\-]")
_TEN_DIGITS = re.compile(r"[0-9]{10}")  # ASCII only: str.isdigit() also accepts '²' and '٩'


def normalise_nhs_number(raw: str) -> str:
    """Return the ten digits of an NHS number, or raise ValueError saying why not.

    Accepts spaces and dashes (``943 476 5919``, ``943-476-5919``). The tenth
    digit is the Modulus 11 check digit: weights 10..2 over the first nine
    digits, 11 minus the remainder, where 11 means 0 and 10 means the number is
    invalid.
    """
    digits = _NON_DIGITS.sub("", raw)
    if not _TEN_DIGITS.fullmatch(digits):
        raise ValueError("an NHS number has 10 digits, for example 943 476 5919")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        raise ValueError("this is not a valid NHS number (the check digit does not match)")
    return digits


def format_nhs_number(digits: str) -> str:
    """``9434765919`` -> ``943 476 5919``, the way NHS numbers are shown."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else digits


@lru_cache(maxsize=16_384)  # parsing is slow (~50 µs) and a caseload repeats numbers
def normalise_phone(raw: str, region: str = "GB") -> str:
    """Check a phone number and return it in its usual written form.

    UK numbers are written the national way (``020 7946 0000``, ``0113 496 0000``)
    and short service numbers such as 111 are accepted;
    numbers from elsewhere in international form. Raises ValueError for a number
    that cannot be dialled.
    """
    import phonenumbers  # imported when first needed: it costs every command's start

    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("this is not a phone number") from exc
    if phonenumbers.is_valid_short_number(parsed):  # 111, 999: services need them
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("this is not a valid phone number (check the number of digits)")
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(parsed) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(raw: str) -> str:
    email = raw.strip()
    if not _EMAIL.match(email):
        raise ValueError("this is not an email address (it needs a name, @ and a domain)")
    return email


_ODS = re.compile(r"^[A-Z0-9]{3,6}$")


def normalise_ods_code(raw: str) -> str:
    """An ODS organisation code (GP practices: a letter and five digits, e.g. A81001)."""
    code = raw.strip().upper()
    if not _ODS.match(code):
        raise ValueError("an organisation (ODS) code has 3 to 6 letters and digits, e.g. A81001")
    return code
