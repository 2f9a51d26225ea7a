"""Store fixtures: more profiles (other devices, other authors) and a linked set of entities."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from eolcare.store import vault
from eolcare.store.database import Store, create_profile, open_profile
from tests.conftest import PASSPHRASE

MakeStore = Callable[[str, str], Store]


@pytest.fixture
def make_store() -> Iterator[MakeStore]:
    """Open a new profile (its own device id) for the given coordinator; closed at the end."""
    opened: list[Store] = []

    def make(name: str, author: str) -> Store:
        create_profile(name, author, PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
        s = open_profile(name, lambda: PASSPHRASE, use_keyring=False)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()
