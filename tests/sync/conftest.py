"""Laptops (real encrypted profiles) syncing through a real `eolcare-server` process
on loopback, on SQLite and on PostgreSQL (the server tests' fixtures)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from eolcare.domain.entities import KINDS
from eolcare.domain.jobs import run
from eolcare.store import vault
from eolcare.store.database import Store, create_profile, open_profile
from eolcare.store.tables import ENTITY_TABLES, OperationRow
from eolcare.sync import account, engine, teams
from tests.conftest import PASSPHRASE
from tests.server.conftest import (  # noqa: F401 (fixtures)
    LiveServer,
    database_url,
    live_server,
    live_servers,
    pg_database,
    settings,
)

POLICY = account.FAST_KDF_FOR_TESTS
_names = itertools.count(1)


@dataclass
class Laptop:
    """One coordinator's profile on one laptop, signed in to the live server."""

    name: str
    store: Store
    username: str
    transport: httpx.BaseTransport | None = None

    def sync(self) -> engine.SyncSummary:
        return run(engine.sync(self.store, transport=self.transport))

    def reopen(self) -> None:
        self.store.close()
        self.store = open_profile(self.name, lambda: PASSPHRASE, use_keyring=False)


def new_store(author: str) -> tuple[str, Store]:
    name = f"laptop{next(_names)}"
    create_profile(name, author, PASSPHRASE, vault.KDF_FAST_FOR_TESTS)
    return name, open_profile(name, lambda: PASSPHRASE, use_keyring=False)


MakeLaptop = Callable[..., Laptop]


@pytest.fixture
def laptops(live_server: LiveServer) -> Iterator[MakeLaptop]:  # noqa: F811
    """Make laptops registered on the live server: ``laptops("Ann Abbott")``."""
    made: list[Laptop] = []

    def make(author: str, username: str | None = None, *, register: bool = True) -> Laptop:
        name, store = new_store(author)
        user = username or f"u{uuid.uuid4().hex[:10]}"
        if register:
            account.register(store, live_server.url, user, PASSPHRASE, policy=POLICY)
        laptop = Laptop(name, store, user)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.store.close()


def invite(admin: Laptop, joiner: Laptop, role: str = "member") -> None:
    """The whole invitation, with both fingerprints compared as people would."""
    invitee = teams.prepare_invite(admin.store, joiner.username)
    teams.invite(admin.store, invitee, role)  # type: ignore[arg-type]
    (offer,) = teams.invitations(joiner.store)
    assert offer.fingerprint == invitee.fingerprint  # the two people read the same digits
    teams.accept(joiner.store, offer)


@pytest.fixture
def team(laptops: MakeLaptop) -> Callable[[int], list[Laptop]]:
    """``team(3)``: an admin's team with two invited members, all synced once."""

    def make(n: int) -> list[Laptop]:
        authors = ["Ann Abbott", "Ben Bello", "Cat Chen", "Dev Dutta"][:n]
        members = [laptops(a) for a in authors]
        teams.create(members[0].store, "District team")
        for other in members[1:]:
            invite(members[0], other)
        for laptop in members:
            laptop.sync()
        return members

    return make


def snapshot(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every entity row (values, provenance, tombstone) by kind, sorted by id."""
    out: dict[str, list[dict[str, Any]]] = {}
    with store.reading() as s:
        for kind in KINDS:
            table = ENTITY_TABLES[kind]
            rows = s.execute(select(table).order_by(table.c.id)).mappings()
            out[kind] = [{k: v for k, v in r.items() if k != "needs_review"} for r in rows]
    return out


def op_ids(store: Store) -> set[str]:
    with store.reading() as s:
        return set(s.scalars(select(OperationRow.op_id)))


def converge(laptops: list[Laptop]) -> None:
    """Sync every laptop twice round: afterwards all must hold the same."""
    for _ in range(2):
        for laptop in laptops:
            laptop.sync()
