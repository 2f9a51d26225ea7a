"""Names people read and can be fooled by: user names, team names, device labels.

A user name is stored case-folded and NFKC-normalised (`canonical`), so
`RTALICE` is `rtalice`. Beside it the server keeps its confusable skeleton
(`skeleton`, Unicode TS #39 section 4: NFD, each character replaced by its
prototype from Unicode's confusables.txt, NFD again; here also case-folded,
as the names are), unique, so `rta1ice`
cannot register beside `rtalice`. The confusables data is the one
`confusable-homoglyphs` ships (Unicode's file as JSON); this module only
reads the prototype of each character from it.

Team names and device labels keep their case and script, but control, format
(bidi overrides, zero-width) and unassigned characters are refused, and
`printable` escapes anything unprintable when an operator command prints
a stored value (rows written before these rules may hold anything).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

#: General categories refused in names and labels: controls (C0, C1, DEL), format
#: characters (bidi embeddings, overrides and isolates, zero-width joiners, LRM/RLM),
#: surrogates, private use, unassigned; line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: Marks the confusables data wraps right-to-left characters in (not part of them).
_LRM = "\u200e"


def canonical(username: str) -> str:
    """The form a user name is stored and looked up in: case-folded, then NFKC."""
    return unicodedata.normalize("NFKC", username.casefold())


@cache
def _prototype(char: str) -> str:
    """The character's prototype in confusables.txt (itself if it has none).

    The data maps each source character to its prototype and each prototype to
    all of its sources. A prototype is never a source, so of a character's
    entries the prototype is the one whose own entries are the most (a hub);
    a pair that only knows each other is ordered by code point, which makes
    both sides map to the same character.
    """
    entries = [e["c"].replace(_LRM, "") for e in confusables_data.get(char, ())]
    if not entries:
        return char
    candidates = [char, *entries]
    return max(candidates, key=lambda c: (len(confusables_data.get(c, ())), -ord(c[0]), c))


def skeleton(name: str) -> str:
    """The TS #39 skeleton of `canonical(name)`: equal skeletons look alike."""
    mapped = _map(unicodedata.normalize("NFD", canonical(name)))
    # Some prototypes are capitals (0 -> O) while stored names are case-folded:
    # fold and map once more, so `bob0` and `bobo` meet.
    return unicodedata.normalize("NFD", _map(mapped.casefold()))


def _map(text: str) -> str:
    return "".join(_prototype(c) for c in text)


def unsafe_character(text: str) -> str | None:
    """The first character of `text` refused in a name or label (as U+XXXX), or None."""
    for char in text:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def check_label(field: str, text: str) -> None:
    """Raise `UnsafeNameError` naming the field and the character's code, never the text."""
    char = unsafe_character(text)
    if char is not None:
        raise UnsafeNameError(f"{field}: the character {char} (a control or invisible "
                         "formatting character) is not allowed; remove it and try again")


class UnsafeNameError(ValueError):
    """A name or label with a character people could be fooled by; the message says which."""


def printable(text: str) -> str:
    """`text` with every character `unsafe_character` would refuse written as \\uXXXX,
    for operator output: a stored right-to-left override must not turn a terminal line."""
    return "".join(
        c.encode("unicode_escape").decode("ascii")
        if unicodedata.category(c) in _REFUSED_CATEGORIES or c == "\\" else c
        for c in text
    )
