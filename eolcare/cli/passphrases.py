"""Reading passphrases: from a prompt, or from a file named on the command line.

Never from an argument: arguments are visible to every user of the computer
(``ps``) and end up in shell history.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from eolcare.domain.errors import EolcareError


class PassphraseInputError(EolcareError):
    exit_code = 2


def read_file(path: Path) -> str:
    """The first line of ``path``, without its line ending."""
    try:
        text = path.read_text("utf-8")
    except OSError as e:
        raise PassphraseInputError(
            f"The passphrase file could not be read ({e.strerror})."
        ) from None
    except UnicodeDecodeError:
        raise PassphraseInputError("The passphrase file is not UTF-8 text.") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise PassphraseInputError("The passphrase file is empty.")
    return line


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise PassphraseInputError(
            f"eolcare needs the {label} but is not running in a terminal: "
            "give it with --passphrase-file FILE."
        )
    return getpass.getpass(f"{label[0].upper()}{label[1:]}: ")


def existing(path: Path | None, label: str = "passphrase") -> str:
    """A passphrase to unlock something that exists."""
    return read_file(path) if path else _prompt(label)


def new(path: Path | None, label: str = "new passphrase") -> str:
    """A new passphrase: from the file, or typed twice at the prompt."""
    if path:
        return read_file(path)
    first = _prompt(label)
    if _prompt(f"{label} again") != first:
        raise PassphraseInputError("The two passphrases were not the same; nothing was changed.")
    return first
