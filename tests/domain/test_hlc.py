"""The hybrid logical clock: monotonic stamps, remote stamps, drift, text form."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator

import pytest

from eolcare.domain.errors import ClockError, EolcareError
from eolcare.domain.hlc import MAX_DRIFT_MS, Clock, Stamp

T0 = 1_732_000_000_000  # a wall clock reading in milliseconds (November 2024)


class FakeWall:
    """A wall clock the test sets by hand."""

    def __init__(self, now: int = T0) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


def scripted(readings: Iterable[int]) -> Iterator[int]:
    yield from readings


def clock_on(readings: Iterable[int], device: str = "laptop") -> Clock:
    it = scripted(readings)
    return Clock(device, wall=lambda: next(it))


def test_stamps_follow_the_wall_clock_when_it_moves_forward() -> None:
    clock = clock_on([T0, T0 + 5, T0 + 9])
    assert [clock.now() for _ in range(3)] == [
        Stamp(T0, 0, "laptop"), Stamp(T0 + 5, 0, "laptop"), Stamp(T0 + 9, 0, "laptop")]


def test_a_stalled_wall_clock_counts_up() -> None:
    clock = clock_on([T0] * 4)
    stamps = [clock.now() for _ in range(4)]
    assert [(s.wall_ms, s.counter) for s in stamps] == [(T0, 0), (T0, 1), (T0, 2), (T0, 3)]


def test_a_wall_clock_going_backwards_does_not_move_stamps_back() -> None:
    clock = clock_on([T0, T0 - 60_000, T0 - 120_000, T0 + 1])
    stamps = [clock.now() for _ in range(4)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 4
    assert stamps[1] == Stamp(T0, 1, "laptop")
    assert stamps[2] == Stamp(T0, 2, "laptop")
    assert stamps[3] == Stamp(T0 + 1, 0, "laptop")  # the counter resets once time moves on


def test_monotonic_under_a_random_wall_clock() -> None:
    rng = random.Random(7)
    wall = FakeWall()
    clock = Clock("tablet", wall=wall)
    previous = clock.now()
    for _ in range(2000):
        wall.now += rng.choice([-5000, -1, 0, 0, 0, 1, 3, 250])
        stamp = clock.now()
        assert stamp > previous
        assert str(stamp) > str(previous)
        assert stamp.device == "tablet"
        previous = stamp
    assert clock.last == previous


def test_a_clock_resumes_after_its_last_stamp() -> None:
    saved = Stamp(T0 + 10_000, 7, "laptop")
    clock = Clock("laptop", last=saved, wall=FakeWall(T0))  # the wall clock is behind
    assert clock.last == saved
    assert clock.now() == Stamp(T0 + 10_000, 8, "laptop")


def test_the_default_wall_clock_is_the_real_time() -> None:
    import time

    before = time.time_ns() // 1_000_000
    stamp = Clock("laptop").now()
    after = time.time_ns() // 1_000_000
    assert before <= stamp.wall_ms <= after


@pytest.mark.parametrize("device", ["", "my-laptop", "-"])
def test_device_ids_must_be_plain(device: str) -> None:
    with pytest.raises(ValueError, match="device id"):
        Clock(device)


# -- remote stamps --------------------------------------------------------------------


def test_observe_moves_past_a_remote_stamp_ahead_of_us() -> None:
    wall = FakeWall()
    clock = Clock("laptop", wall=wall)
    clock.now()
    remote = Stamp(T0 + 60_000, 4, "phone")
    clock.observe(remote)
    stamp = clock.now()
    assert stamp > remote
    assert stamp == Stamp(T0 + 60_000, 5, "laptop")


def test_observe_of_a_remote_stamp_at_the_same_moment() -> None:
    wall = FakeWall()
    clock = Clock("aaa", wall=wall)
    clock.now()
    clock.now()  # (T0, 1)
    remote = Stamp(T0, 3, "zzz")
    clock.observe(remote)
    assert clock.now() > remote


def test_observe_of_an_equal_stamp_from_a_device_that_sorts_later() -> None:
    wall = FakeWall()
    clock = Clock("aaa", wall=wall)
    mine = clock.now()
    remote = Stamp(mine.wall_ms, mine.counter, "zzz")
    clock.observe(remote)
    assert clock.now() > remote


def test_observe_of_an_older_stamp_changes_nothing() -> None:
    wall = FakeWall()
    clock = Clock("laptop", wall=wall)
    clock.now()
    clock.now()
    before = clock.last
    clock.observe(Stamp(T0 - 1, 99, "phone"))
    clock.observe(Stamp(T0, 0, "phone"))
    assert clock.last == before
    assert clock.now() == Stamp(T0, 2, "laptop")


def test_observe_keeps_this_devices_id() -> None:
    clock = Clock("laptop", wall=FakeWall())
    clock.observe(Stamp(T0 + 10, 0, "phone"))
    assert clock.last.device == "laptop"


def test_stamps_after_observing_many_devices_are_later_than_all_of_them() -> None:
    rng = random.Random(3)
    wall = FakeWall()
    clock = Clock("hub", wall=wall)
    seen: list[Stamp] = []
    for _ in range(300):
        wall.now += rng.choice([-100, 0, 5])
        remote = Stamp(wall.now + rng.randrange(-10_000, MAX_DRIFT_MS), rng.randrange(5),
                       rng.choice(["a", "b", "c"]))
        clock.observe(remote)
        seen.append(remote)
        assert clock.now() > max(seen)


def test_a_stamp_too_far_ahead_is_refused() -> None:
    wall = FakeWall()
    clock = Clock("laptop", wall=wall)
    clock.now()
    before = clock.last
    remote = Stamp(T0 + MAX_DRIFT_MS + 1, 0, "phone")
    with pytest.raises(ClockError, match="ahead of this computer's clock") as caught:
        clock.observe(remote)
    assert isinstance(caught.value, EolcareError)
    assert "5 minutes" in str(caught.value)
    assert clock.last == before  # nothing moved
    assert clock.now() < remote


def test_a_stamp_just_within_the_drift_is_accepted() -> None:
    clock = Clock("laptop", wall=FakeWall())
    remote = Stamp(T0 + MAX_DRIFT_MS, 0, "phone")
    clock.observe(remote)
    assert clock.now() > remote


def test_max_drift_is_minutes_not_hours() -> None:
    assert 60_000 <= MAX_DRIFT_MS <= 15 * 60_000


def test_drift_is_measured_from_the_wall_clock_of_now() -> None:
    wall = FakeWall()
    clock = Clock("laptop", wall=wall)
    remote = Stamp(T0 + 2 * MAX_DRIFT_MS, 0, "phone")
    with pytest.raises(ClockError):
        clock.observe(remote)
    wall.now += MAX_DRIFT_MS  # our clock caught up
    clock.observe(remote)
    assert clock.now() > remote


# -- text form ------------------------------------------------------------------------


def test_text_form() -> None:
    assert str(Stamp(T0, 3, "laptop")) == "001732000000000-000003-laptop"


def test_text_sorts_like_the_stamps() -> None:
    rng = random.Random(11)
    stamps = [Stamp(rng.choice([0, 9, 10, 99, T0, T0 + 1, 10**14]),
                    rng.choice([0, 1, 9, 10, 100, 99_999]),
                    rng.choice(["a", "b", "ab", "laptop", "Z", "phone2"]))
              for _ in range(400)]
    by_stamp = sorted(stamps)
    by_text = sorted(stamps, key=str)
    assert by_text == by_stamp


def test_device_breaks_ties() -> None:
    assert Stamp(T0, 1, "a") < Stamp(T0, 1, "b")
    assert str(Stamp(T0, 1, "a")) < str(Stamp(T0, 1, "b"))
    assert Stamp(T0, 1, "z") < Stamp(T0, 2, "a")
    assert Stamp(T0, 99, "z") < Stamp(T0 + 1, 0, "a")


@pytest.mark.parametrize(
    "stamp",
    [Stamp(0, 0, "x"), Stamp(T0, 0, "laptop"), Stamp(T0, 123_456, "device_1"),
     Stamp(10**15 - 1, 999_999, "a.b")],
)
def test_parse_round_trip(stamp: Stamp) -> None:
    assert Stamp.parse(str(stamp)) == stamp


def test_parse_keeps_dashes_in_the_device_part() -> None:
    assert Stamp.parse("000000000000001-000002-a-b") == Stamp(1, 2, "a-b")


@pytest.mark.parametrize(
    "text", ["", "garbage", "123", "abc-000001-x", "001732000000000-xyz-laptop",
             "001732000000000"],
)
def test_parse_error(text: str) -> None:
    with pytest.raises(ClockError, match="cannot be read") as caught:
        Stamp.parse(text)
    assert caught.value.__cause__ is None  # no parser internals in the message chain
    if text:
        assert text not in str(caught.value)
