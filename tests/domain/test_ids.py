"""Record and operation ids: UUIDv7, time-ordered, unique."""

from __future__ import annotations

import random
import re
import uuid
from datetime import date

from eolcare.demo.generator import _Maker
from eolcare.domain.schema import new_id, uuid7

V7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def test_layout_is_rfc_9562_version_7() -> None:
    ms = 0x0193_2F1A_8C00
    text = uuid7(ms, (1 << 74) - 1)
    value = uuid.UUID(text)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 == ms  # the time in the first 48 bits
    assert text == "01932f1a-8c00-7fff-bfff-ffffffffffff"  # every random bit set, none spilled
    assert uuid7(ms, 0) == "01932f1a-8c00-7000-8000-000000000000"


def test_new_ids_sort_in_the_order_they_were_made() -> None:
    made = [new_id() for _ in range(2_000)]
    assert all(V7.match(i) for i in made)
    assert len(set(made)) == len(made)
    stamps = [uuid.UUID(i).int >> 80 for i in made]
    assert stamps == sorted(stamps)  # the random tail orders ids within one millisecond only


def test_demo_ids_are_time_ordered_and_the_same_for_the_same_seed() -> None:
    def ids(seed: int) -> list[str]:
        maker = _Maker(random.Random(seed), date(2026, 12, 1))
        return [maker.new_id() for _ in range(500)]

    first = ids(5)
    assert first == ids(5)
    assert first != ids(6)
    assert first == sorted(first)
    assert all(V7.match(i) for i in first)
