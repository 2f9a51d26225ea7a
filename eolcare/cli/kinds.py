"""The kinds of record as the command line names them (``eolcare add circle ...``)."""

from __future__ import annotations

from eolcare.cli.common import UsageError
from eolcare.domain.entities import KINDS
from eolcare.domain.schema import Entity

#: Command-line name -> the record's kind. The record's own kind names work too.
NAMES = {
    "person": "person", "circle": "circle_member", "volunteer": "volunteer",
    "service": "service", "involvement": "involvement", "note": "contact", "task": "task",
    "rota": "rota_slot", "document": "document",
}
_ALIASES = {"member": "circle_member", "contact": "contact", "review": "task",
            "slot": "rota_slot", "people": "person", "services": "service"}


def kind_class(name: str) -> type[Entity]:
    """The entity class for a kind typed on the command line."""
    key = name.strip().lower().replace("-", "_")
    kind = NAMES.get(key) or _ALIASES.get(key) or (key if key in KINDS else None)
    if kind is None:
        raise UsageError(f"There is no kind of record called {name!r}; choose one of: "
                         f"{', '.join(NAMES)}.")
    return KINDS[kind]


def cli_name(cls: type[Entity]) -> str:
    """What the command line calls a kind (``circle`` for circle members)."""
    return next((n for n, k in NAMES.items() if k == cls.KIND), cls.KIND)


#: How a kind reads in a sentence ("Added circle member ...").
_SAID = {"circle_member": "circle member", "rota_slot": "rota slot",
         "involvement": "service involvement", "contact": "note"}


def said(cls: type[Entity]) -> str:
    return _SAID.get(cls.KIND, cls.KIND)
