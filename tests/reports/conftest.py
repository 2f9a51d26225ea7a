"""Fixtures for printouts and packs: a second profile to import into, PDF readers."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from eolcare.store import vault
from eolcare.store.database import Store, create_profile, open_profile
from tests.cli.conftest import cli, passphrase_file  # noqa: F401 (fixtures for test_cli)
from tests.conftest import PASSPHRASE
from tests.reports.records import Made, add_person

PACK_PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def receiver() -> Iterator[Store]:
    """A second, empty profile on the same computer: where packs are imported."""
    create_profile("receiver", "Sam Receiver", PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    opened = open_profile("receiver", lambda: PASSPHRASE, use_keyring=False)
    yield opened
    opened.close()


@pytest.fixture
def made(store: Store) -> Made:
    return add_person(store)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text as pypdf extracts it, NFKC-normalised (Arabic presentation forms
    become letters again)."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]


def text_of(pdf: bytes) -> str:
    """The whole document's text with line breaks folded to spaces (cells wrap)."""
    return re.sub(r"\s+", " ", " ".join(pages_text(pdf)))


def rtl(text: str) -> str:
    """Right-to-left text as it extracts from the PDF: words in visual (reversed) order."""
    return " ".join(reversed(text.split()))


def pdffonts(path: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font of the PDF, from poppler's ``pdffonts``."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    found = []
    for line in out:
        parts = line.split()
        # name type(1-2 words) encoding emb sub uni id gen: 'emb' is 5th from the end
        found.append((parts[0], parts[-5] == "yes"))
    return found
