"""set_gc / get_gc: the library's GOGC and GOMEMLIMIT (omnirtc_set_gc)."""

from __future__ import annotations

import pytest

import omnirtc
from conftest import run


@pytest.fixture(autouse=True)
def _defaults():
    yield
    omnirtc.set_gc()


def test_get_gc_reflects_set_gc() -> None:
    assert omnirtc.get_gc() == omnirtc.GCSettings(100, 0)  # Go's defaults
    omnirtc.set_gc(400, 512 << 20)
    assert omnirtc.get_gc() == (400, 512 << 20)
    omnirtc.set_gc(percent=-1, memory_limit_bytes=1 << 40)  # off but for the limit
    assert omnirtc.get_gc() == (-1, 1 << 40)
    omnirtc.set_gc()
    assert omnirtc.get_gc() == (100, 0)


@pytest.mark.parametrize(
    ("percent", "limit"),
    [(0, 0), (-2, 0), (1000001, 0), ((1 << 32) + 100, 0), (100, -1), (100, 1 << 64)],
)
def test_bad_settings_are_invalid_and_change_nothing(percent: int, limit: int) -> None:
    omnirtc.set_gc(250, 1 << 26)
    with pytest.raises(omnirtc.InvalidArgumentError):
        omnirtc.set_gc(percent, limit)
    assert omnirtc.get_gc() == (250, 1 << 26)


def test_non_integers_are_a_type_error() -> None:
    with pytest.raises(TypeError):
        omnirtc.set_gc(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        omnirtc.set_gc(True)


def test_debug_counters_carry_the_pause_histogram() -> None:
    omnirtc.set_gc(1)  # a collection at every 1% of growth: some happen

    async def open_and_close() -> None:
        await omnirtc.RTCPeerConnection().close()

    run(open_and_close())
    omnirtc.set_gc()
    pauses = omnirtc.debug_counters()["gcPauses"]
    assert pauses
    for upper, count in pauses:
        assert upper > 0 and count > 0
