"""A passphrase strength hint while the coordinator types (never a hard rule beyond the
vault's minimum length).

Decision (docs/gui.md): a small estimate of guessing entropy (length, kinds of
character, whole words, the most common choices refused outright) rather than
a new dependency; the hint's job is to steer towards "four or more unrelated
words", which this does, not to rank passwords precisely.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from eolcare.gui.tr import tr
from eolcare.store.vault import MIN_PASSPHRASE_CHARS

_COMMON = frozenset({
    "password", "password1", "password123", "passw0rd", "12345678", "123456789",
    "1234567890", "qwertyuiop", "iloveyou", "letmein1", "welcome1", "sunshine",
    "football", "baseball", "princess", "trustno1", "abcdefgh", "eolcare1",
    "correcthorsebatterystaple", "nhs12345", "hospice1",
})
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Strength:
    score: int  # 0 too short or common, 1 weak, 2 fair, 3 strong
    bits: float
    hint: str


def estimate(passphrase: str) -> Strength:
    """How hard ``passphrase`` is to guess, with a plain hint."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return Strength(0, 0.0, tr("Too short: use at least {n} characters; four unrelated "
                                   "words are easy to remember and hard to guess.",
                                   "strength").format(n=MIN_PASSPHRASE_CHARS))
    folded = re.sub(r"\s+", "", passphrase.casefold())
    if folded in _COMMON:
        return Strength(0, 0.0, tr("That is one of the first passphrases anyone would try.",
                                   "strength"))
    words = _WORD.findall(passphrase)
    pool = 0
    pool += 26 if re.search(r"[a-z]", passphrase) else 0
    pool += 26 if re.search(r"[A-Z]", passphrase) else 0
    pool += 10 if re.search(r"\d", passphrase) else 0
    pool += 33 if re.search(r"[^\w\s]", passphrase) else 0
    pool += 100 if re.search(r"[^\x00-\x7f]", passphrase) else 0
    distinct = len(set(passphrase))
    # characters as if random, discounted for repeats; words as picks from ~10,000
    by_chars = min(len(passphrase), distinct * 2) * math.log2(max(pool, 2)) * 0.5
    by_words = len({w.casefold() for w in words}) * math.log2(10_000)
    bits = max(by_chars, by_words)
    if bits >= 52:
        return Strength(3, bits, tr("Strong.", "strength"))
    if bits >= 36:
        return Strength(2, bits, tr("Fair: another unrelated word would make it strong.",
                                    "strength"))
    return Strength(1, bits, tr("Weak: use four or more unrelated words.", "strength"))
