"""Reading passphrases: from a prompt, or from a file named on the command line.

Never from an argument: arguments are visible to every user of the computer
(``ps``) and end up in shell history.
"""

from __future__ import annotations

import getpass
import sys
import unicodedata
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


#: Rounds of "type a new passphrase twice" before giving up.
NEW_ROUNDS = 5


def _rule_problem(passphrase: str) -> str | None:
    """Why the vault would refuse this passphrase, checked before the second entry."""
    from eolcare.store.vault import MIN_PASSPHRASE_CHARS

    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE_CHARS:
        return f"A passphrase needs at least {MIN_PASSPHRASE_CHARS} characters"
    return None


def new(path: Path | None, label: str = "new passphrase") -> str:
    """A new passphrase: from the file, or typed twice at the prompt.

    At a terminal the rules are checked at the first entry, and a passphrase
    that breaks them or is not typed the same twice is asked for again.
    """
    if path:
        return read_file(path)
    for _ in range(NEW_ROUNDS):
        first = _prompt(label)
        problem = _rule_problem(first)
        if problem:
            print(f"{problem}; please choose another.", file=sys.stderr)
            continue
        if _prompt(f"{label} again") == first:
            return first
        print("The two entries were not the same; please type it again.", file=sys.stderr)
    raise PassphraseInputError("No new passphrase was set; nothing was changed.")
