"""Errors a coordinator can act on.

Every error raised on purpose by eolcare is an :class:`EolcareError`. Its
message is a plain sentence that says what happened and what to do next, and
never contains personal data (names, NHS numbers, notes): messages end up in
logs and crash reports. The CLI prints the message; the GUI shows it in a
dialog with one function.
"""

from __future__ import annotations

from dataclasses import dataclass


class EolcareError(Exception):
    """Base class: an error whose message can be shown to a coordinator as it is."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: which field, and a plain sentence."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(EolcareError):
    """The record was not changed because one or more values are not valid."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = "; ".join(str(p) for p in self.problems)
        super().__init__(f"Nothing was saved: {lines}")


class NotFoundError(EolcareError):
    """A person, contact or other record that was asked for does not exist."""

    exit_code = 3


class ImmutableRecordError(EolcareError):
    """A record that may only be added to (such as a contact-log note) was edited."""


# --- the local store and its vault -------------------------------------------------


class StoreError(EolcareError):
    """Something is wrong with the local encrypted database or its folder."""

    exit_code = 4


class WrongPassphraseError(StoreError):
    def __init__(self, what: str = "passphrase") -> None:
        super().__init__(
            f"That {what} is not right for this profile. Nothing was changed; try again."
        )


class VaultCorruptError(StoreError):
    """The key file beside the database is damaged or of an unknown format."""


class NotEncryptedError(StoreError):
    """A database file that is not encrypted was offered as a profile's store."""


class CorruptDatabaseError(StoreError):
    """The database file is damaged, truncated, or not an eolcare database."""


class ProfileInUseError(StoreError):
    """Another eolcare window or command has this profile open."""


class ProfileNotFoundError(StoreError):
    """No profile of that name exists on this computer, or none was named among several.

    ``reason`` says which ("missing": the name given is not there, "none": no profile
    at all, "several": one must be chosen), so a front end can add its own way out.
    """

    def __init__(self, message: str, reason: str = "missing", name: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.name = name


class ProfileExistsError(StoreError):
    """A profile of that name already exists."""


class DiskError(StoreError):
    """The disk is full or read-only; nothing was saved."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of eolcare."""


class ClockError(EolcareError):
    """An operation carries a clock reading too far in the future to trust."""


class VaultMissingError(StoreError):
    """The key file beside the database is not there, so the database cannot be unlocked."""


class AmbiguousReferenceError(EolcareError):
    """What was typed to pick a person matches more than one."""

    exit_code = 2
