"""Soak through the Python binding: CYCLES connect/exchange/close cycles with
CONCURRENT pairs at a time on one asyncio loop; afterwards the library's debug
counters are back at their baseline and RSS comes back near it, without
growing from cycle to cycle.
Usage: python soak.py [CYCLES [CONCURRENT]]  (PYTHONPATH: the binding and its tests)"""

from __future__ import annotations

import asyncio
import gc
import sys
import time

from conftest import event_future, open_pair  # bindings/python/tests

from omnirtc import debug_counters


def rss_kib() -> int:
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


async def cycle(n: int) -> None:
    a, b, local, remote = await open_pair()
    got = event_future(remote, "message")
    local.send(f"cycle {n}")
    assert await asyncio.wait_for(got, 20) == f"cycle {n}"
    back = event_future(local, "message")
    remote.send(f"cycle {n}".encode())
    assert await asyncio.wait_for(back, 20) == f"cycle {n}".encode()
    await a.close()
    await b.close()


async def run(cycles: int, concurrent: int) -> None:
    counter = iter(range(cycles))

    async def worker() -> None:
        for n in counter:
            await cycle(n)

    await asyncio.gather(*(worker() for _ in range(concurrent)))


def settled() -> dict:  # type: ignore[type-arg]
    gc.collect()
    return debug_counters()


def main() -> None:
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    concurrent = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    asyncio.run(run(concurrent, concurrent))  # warm-up
    time.sleep(0.5)
    base, rss_base = settled(), rss_kib()
    start = time.monotonic()
    asyncio.run(run(cycles // 2, concurrent))
    rss_half = rss_kib()
    asyncio.run(run(cycles - cycles // 2, concurrent))
    elapsed = time.monotonic() - start
    deadline = time.monotonic() + 30
    while True:
        now = settled()
        back = (
            now["handles"] == base["handles"]
            and now["peers"] == base["peers"]
            and now["queuedEvents"] == 0
            and now["sockets"] <= base["sockets"]
            and now["goroutines"] <= base["goroutines"] + 5
        )
        if back or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    rss = rss_kib()
    print(
        f"python soak: {cycles} cycles, {concurrent} concurrent pairs, {elapsed:.1f} s "
        f"({cycles / elapsed:.0f} cycles/s); counters {base} -> {now}; RSS {rss_base} KiB baseline, "
        f"{rss_half} half-way, {rss} after"
    )
    assert back, "debug counters not back at baseline"
    assert rss <= rss_base * 1.25 + 16384, "RSS did not come back near its baseline"
    # (half of a short run is too early for the heap to have settled)
    assert cycles < 1000 or rss <= rss_half * 1.10 + 8192, "RSS grew from cycle to cycle"


if __name__ == "__main__":
    main()
