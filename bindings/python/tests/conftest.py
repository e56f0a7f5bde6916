"""Shared helpers: every test runs inside a private network namespace (see
scripts/test-python.sh), where peers talk over loopback."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, TypeVar

import pytest

from omnirtc import RTCConfiguration, RTCDataChannel, RTCPeerConnection

T = TypeVar("T")
TIMEOUT = 20.0


def loopback_config(**engine: Any) -> RTCConfiguration:
    return RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled", **engine})


async def wait_for(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Poll until condition() holds; fail after timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for a condition")
        await asyncio.sleep(0.01)


def event_future(emitter: Any, event: str) -> "asyncio.Future[Any]":
    """A future resolved with the arguments of the next `event`."""
    future = asyncio.get_running_loop().create_future()

    def resolve(*args: Any) -> None:
        if not future.done():
            future.set_result(args[0] if len(args) == 1 else args)

    emitter.once(event, resolve)
    return future


async def connect(a: RTCPeerConnection, b: RTCPeerConnection) -> None:
    """aiortc-style negotiation: full gathering, no trickle."""
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription)


async def open_pair(
    config: RTCConfiguration | None = None, **options: Any
) -> tuple[RTCPeerConnection, RTCPeerConnection, RTCDataChannel, RTCDataChannel]:
    """Two connected peers (loopback_config() unless given) and one open channel (a's end, b's end)."""
    a, b = RTCPeerConnection(config or loopback_config()), RTCPeerConnection(config or loopback_config())
    local = a.createDataChannel("test", **options)
    remote_future = event_future(b, "datachannel")
    opened = event_future(local, "open")
    await connect(a, b)
    remote = await asyncio.wait_for(remote_future, TIMEOUT)
    await asyncio.wait_for(opened, TIMEOUT)
    return a, b, local, remote


async def selected_pair(pc: RTCPeerConnection) -> Any:
    """The candidate-pair stats of the pair ICE selected (nominated and succeeded)."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while True:
        report = await pc.getStats()
        pair = next((s for s in report.values() if s.type == "candidate-pair" and s.nominated and s.state == "succeeded"), None)
        if pair is not None:
            return pair
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no selected candidate pair in {report}")
        await asyncio.sleep(0.05)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(asyncio.wait_for(coro, 120))  # type: ignore[arg-type]


@pytest.fixture
def counters_back() -> Any:
    """Checks that a test leaves no handle of the library behind."""
    from omnirtc import debug_counters

    def back(before: dict, now: dict) -> bool:  # type: ignore[type-arg]
        return all(now.get(kind, 0) <= count for kind, count in before.items())  # a kind at 0 leaves the dict

    before = debug_counters()["handles"]
    yield
    import gc
    import time

    gc.collect()
    deadline = time.monotonic() + 10
    while not back(before, debug_counters()["handles"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert back(before, debug_counters()["handles"])
