"""Full-text search over the caseload with SQLite FTS5.

Each searchable entity (a person, a circle member, a service, a contact-log
note ...) has one row in ``search_index`` with two columns: ``names`` (names
and NHS numbers) and ``body`` (addresses, what matters, notes). ``search_doc``
maps that row to the entity and to the person it belongs to, so a match on a
daughter's name or a note finds the person. A search looks at names first and
only then at the rest, so a short prefix such as "To" ranks a few thousand
names rather than every note containing "to". The
tokenizer folds diacritics (``Sian`` finds ``Siân``) and prefix indexes make
type-ahead search cheap. NHS numbers are indexed as ten digits, so
``943 476 5919``, ``9434765919`` and ``943476`` all find the person. Chinese,
Japanese and Korean characters are indexed one by one (names in those scripts
have no spaces), so a given name finds the full name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import String, bindparam, column, delete, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

from eolcare.domain.entities import KINDS
from eolcare.domain.schema import Entity
from eolcare.store.tables import ENTITY_TABLES, MetaRow, SearchDocRow, last_key

SEARCHABLE: dict[str, tuple[str, ...]] = {
    kind: names
    for kind, cls in KINDS.items()
    if (names := tuple(n for n, s in cls.FIELDS.items() if s.searchable))
}
#: Searchable fields that name someone (the rest go in the ``body`` column).
NAME_FIELDS = frozenset({"full_name", "preferred_name", "nhs_number", "name", "professional"})
#: Index rows taken in each stage of a search, and the most matches ranked by bm25.
_TAKEN = 400
_RANK_AT_MOST = 1500

# Letters that are not a base letter plus an accent, so unicode61's
# remove_diacritics leaves them alone; people type them plainly (Lukasz, Oyvind).
_FOLD = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d",
                       "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "Þ": "Th",
                       "þ": "th", "ı": "i", "Ħ": "H", "ħ": "h"})
_DIGITS_ONLY = re.compile(r"^[\d\s\-]+$")


#: Scripts written without spaces between the parts of a name (Chinese, Japanese kana,
#: Korean syllables): each character becomes a word of its own, so a given name alone
#: ("秀英") finds the full name ("王秀英"), as "Sian" finds "Siân Evans".
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
                  r"\uf900-\ufaff\U00020000-\U0002fa1f])")


def fold(text: str) -> str:
    """Text as it is indexed and searched: the letters FTS5's tokenizer keeps as they are
    folded (``Łukasz`` -> ``Lukasz``) and CJK characters made separate words. ASCII text
    (most of it) has neither, and is as it is."""
    if text.isascii():
        return text
    return _CJK.sub(r" \1 ", text.translate(_FOLD))


def document(row: Mapping[Any, Any], fields: tuple[str, ...]) -> tuple[str, str]:
    """The ``names`` and ``body`` text of one entity's index row."""
    names = [str(row[n]) for n in fields if n in NAME_FIELDS and row[n]]
    body = [str(row[n]) for n in fields if n not in NAME_FIELDS and row[n]]
    return fold("\n".join(names)), fold("\n".join(body))


def person_of(kind: str, row: Mapping[Any, Any]) -> str | None:
    """The person an entity's row belongs to (None for directory entries)."""
    cls: type[Entity] = KINDS[kind]
    if kind == "person":
        return str(row["id"])
    return row[cls.OWNER] if cls.OWNER else None


def add_documents(session: Session, kind: str, rows: Sequence[Mapping[Any, Any]]) -> int:
    """Index new entities (not yet indexed) in two multi-row statements."""
    fields = SEARCHABLE.get(kind)
    if not fields or not rows:
        return 0
    return add_prepared(session, kind, [(r["id"], person_of(kind, r), *document(r, fields))
                                        for r in rows])


def add_prepared(session: Session, kind: str,
                 documents: Sequence[tuple[str, str | None, str, str]]) -> int:
    """Index new entities of ``kind`` from their (id, person, names, body), as
    :func:`person_of` and :func:`document` make them, in two multi-row statements."""
    if not documents:
        return 0
    first = last_key(session, SearchDocRow.rowid) + 1
    connection = session.connection()
    connection.exec_driver_sql(
        "INSERT INTO search_doc (rowid, entity_id, kind, person_id) VALUES (?, ?, ?, ?)",
        [(first + i, d[0], kind, d[1]) for i, d in enumerate(documents)],
    )
    connection.exec_driver_sql(
        "INSERT INTO search_index (rowid, names, body) VALUES (?, ?, ?)",
        [(first + i, d[2], d[3]) for i, d in enumerate(documents)],
    )
    return len(documents)


def refresh(session: Session, kind: str, entity_id: str) -> None:
    """Re-index one entity after a change (or drop it when it was deleted)."""
    fields = SEARCHABLE.get(kind)
    if not fields:
        return
    table = ENTITY_TABLES[kind]
    owner = KINDS[kind].OWNER
    wanted = [table.c.id, table.c.deleted_stamp, *(table.c[n] for n in fields),
              *([table.c[owner]] if owner else [])]
    row = session.execute(select(*wanted).where(table.c.id == entity_id)).mappings().first()
    doc = session.scalar(select(SearchDocRow.rowid).where(SearchDocRow.entity_id == entity_id))
    if row is not None and row["deleted_stamp"] is not None:
        row = None  # deleted: it leaves the index
    if doc is None:
        if row is not None:
            add_documents(session, kind, [row])
        return
    session.execute(text("DELETE FROM search_index WHERE rowid = :r"), {"r": doc})
    if row is None:
        session.execute(delete(SearchDocRow).where(SearchDocRow.rowid == doc))
        return
    names, body = document(row, fields)  # same rowid, new text: search_doc stays as it is
    session.execute(text("INSERT INTO search_index (rowid, names, body) VALUES (:r, :n, :b)"),
                    {"r": doc, "n": names, "b": body})


def rebuild(session: Session) -> int:
    """Index everything again (after a migration created the index). Returns rows indexed."""
    session.execute(text("DELETE FROM search_index"))
    session.execute(delete(SearchDocRow))
    count = 0
    for kind in SEARCHABLE:
        table = ENTITY_TABLES[kind]
        rows = session.execute(select(table).where(table.c.deleted_stamp.is_(None))).mappings()
        count += add_documents(session, kind, rows.all())
    flag = session.get(MetaRow, "search_rebuild")
    if flag is not None:
        session.delete(flag)
    return count


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a coordinator typed, or None if nothing to find.

    Every word must match as a prefix; an NHS number typed with spaces is
    joined into one token first. Quotes keep FTS5 syntax out of user input.
    """
    query = unicodedata.normalize("NFC", query)
    if _DIGITS_ONLY.match(query):
        query = re.sub(r"[\s\-]", "", query)
    tokens = _tokens(fold(query))
    if not tokens:
        return None
    return " AND ".join(f'"{t}"*' for t in tokens)


def _tokens(query: str) -> list[str]:
    """Words as FTS5's unicode61 tokenizer sees them: letters, digits and combining marks.

    (``\\w+`` would split "प्रिया" or "محمّد" at their vowel signs and marks, and a name
    typed in decomposed form, "a" + U+0302, at the accent.)
    """
    tokens: list[str] = []
    current: list[str] = []
    for ch in query:
        if ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M"):
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def search_people(session: Session, query: str, limit: int = 50) -> list[str]:
    """Ids of the people whose record matches, best match first.

    People whose own name (or NHS number) matches come first, then people in
    whose circle or services a name matches, then matches in addresses, what
    matters and notes. Each stage ranks a bounded number of index rows.
    """
    expression = match_expression(query)
    if expression is None:
        return []
    found: list[str] = []
    for stage in (f"names : ({expression})", expression):
        matches = session.scalar(
            text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"), {"q": stage})
        # bm25 costs a few microseconds a row: rank a handful of thousand matches; a
        # broader query (a two-letter prefix) takes the first rows in index order.
        order = "ORDER BY rank" if (matches or 0) <= _RANK_AT_MOST else ""
        rows = session.execute(
            text(
                "SELECT d.person_id, min(m.rank) AS score, max(d.kind = 'person') AS own "  # noqa: S608 (a constant)
                "FROM (SELECT rowid, rank FROM search_index WHERE search_index MATCH :q "
                f"      {order} LIMIT :taken) AS m "
                "JOIN search_doc d ON d.rowid = m.rowid WHERE d.person_id IS NOT NULL "
                "GROUP BY d.person_id ORDER BY own DESC, score"
            ),
            {"q": stage, "taken": _TAKEN},
        )
        found += [pid for pid, _, _ in rows if pid not in found]
        if len(found) >= limit:
            break
    return found[:limit]


def matching_people(expression: str) -> TextualSelect:
    """The ids of the people with an index row matching an FTS5 ``expression`` (from
    :func:`match_expression`): every match, unranked, to filter a query by."""
    return text(
        "SELECT d.person_id FROM search_index JOIN search_doc d ON d.rowid = search_index.rowid "
        "WHERE search_index MATCH :match AND d.person_id IS NOT NULL"
    ).bindparams(match=expression).columns(column("person_id", String))


def search_directory(session: Session, kind: str, query: str, limit: int = 50) -> list[str]:
    """Ids of directory entries (services, volunteers) that match."""
    expression = match_expression(query)
    if expression is None:
        return []
    rows = session.execute(
        text(
            "SELECT d.entity_id FROM search_index JOIN search_doc d "
            "ON d.rowid = search_index.rowid "
            "WHERE search_index MATCH :q AND d.kind = :k ORDER BY rank LIMIT :n"
        ),
        {"q": expression, "k": kind, "n": limit},
    )
    return [r[0] for r in rows]


#: Where a match in another kind of record was found, as a coordinator would say it.
_PLACES = {"circle_member": "circle of support", "involvement": "services",
           "contact": "notes"}
_ADDRESS_FIELDS = ("address", "postcode")


def match_places(session: Session, person_ids: Sequence[str], query: str
                 ) -> dict[str, list[str]]:
    """Where ``query`` matched each person's record: "name", "NHS number", "address",
    "what matters", "circle of support", "services" or "notes" (for search results)."""
    expression = match_expression(query)
    if expression is None or not person_ids:
        return {}
    found: dict[str, list[str]] = {pid: [] for pid in person_ids}
    digits = bool(_DIGITS_ONLY.match(query))
    wanted = [_plain(t) for t in _tokens(fold(query))]
    for part in ("names", "body"):
        rows = session.execute(
            text("SELECT d.person_id, d.kind, d.entity_id FROM search_index "
                 "JOIN search_doc d ON d.rowid = search_index.rowid "
                 "WHERE search_index MATCH :q AND d.person_id IN :ids"
                 ).bindparams(bindparam("ids", expanding=True)),
            {"q": f"{part} : ({expression})", "ids": list(found)},
        )
        for pid, kind, entity_id in rows:
            if kind != "person":
                place = _PLACES.get(kind, kind.replace("_", " "))
            elif part == "names":
                place = "NHS number" if digits else "name"
            else:
                for place in _person_places(session, entity_id, wanted):
                    if place not in found[pid]:
                        found[pid].append(place)
                continue
            if place not in found[pid]:
                found[pid].append(place)
    return {pid: places for pid, places in found.items() if places}


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _person_places(session: Session, person_id: str, wanted: Sequence[str]) -> list[str]:
    """Which of a person's own text fields hold every word looked for."""
    names = [n for n in SEARCHABLE["person"] if n not in NAME_FIELDS]
    table = ENTITY_TABLES["person"]
    row = session.execute(select(*(table.c[n] for n in names))
                          .where(table.c.id == person_id)).first()
    places: list[str] = []
    for name, value in zip(names, row or (), strict=False):
        words = [_plain(t) for t in _tokens(fold(str(value or "")))]
        place = "address" if name in _ADDRESS_FIELDS else name.replace("_", " ")
        if words and all(any(w.startswith(part) for w in words) for part in wanted) \
                and place not in places:
            places.append(place)
    return places or ["address"]
