"""The engine's log lines as logging records (omnirtc/logs.py): an ICE
failure (webrtc-pc 4.4.4, RTCIceConnectionState "failed") can be followed in
the ``omnirtc.ice`` logger, the level of the ``omnirtc`` loggers decides what
the engine sends, and no handler means nothing is sent."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import omnirtc
from conftest import TIMEOUT, loopback_config, run
from omnirtc import RTCPeerConnection, logs

# the ICE agent gives up once checking has lasted the two timeouts together
FAST_FAIL = {"iceDisconnectedTimeoutMs": 200, "iceFailedTimeoutMs": 300}


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logs.TRACE)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def omnirtc_logger() -> Any:
    """The "omnirtc" logger with a collecting handler; restored afterwards, and
    the library silenced again."""
    logger = logging.getLogger("omnirtc")
    handler = Records()
    saved = logger.level
    logger.addHandler(handler)
    yield logger, handler
    logger.removeHandler(handler)
    logger.setLevel(saved)
    omnirtc.sync_log_level()


@pytest.fixture
def raw_lines(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str, str]]:
    """Every line the library hands over, before any logger filters it."""
    seen: list[tuple[int, str, str]] = []
    forward = logs._emit

    def spy(level: int, scope: str, message: str) -> None:
        seen.append((level, scope, message))
        forward(level, scope, message)

    monkeypatch.setattr(logs, "_emit", spy)
    return seen


async def ice_failure() -> None:
    """a checks candidates of b, closed before a has its answer: a's ICE fails."""
    a, b = RTCPeerConnection(loopback_config(**FAST_FAIL)), RTCPeerConnection(loopback_config())
    try:
        a.createDataChannel("x")
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        answer = b.localDescription
        await b.close()
        states: list[str] = []
        failed = asyncio.get_running_loop().create_future()

        def on_state() -> None:
            states.append(a.iceConnectionState)
            if a.iceConnectionState == "failed" and not failed.done():
                failed.set_result(None)

        a.on("iceconnectionstatechange", on_state)
        await a.setRemoteDescription(answer)
        await asyncio.wait_for(failed, TIMEOUT)
    finally:
        await a.close()
        await b.close()


def test_ice_failure_is_logged_under_omnirtc_ice(omnirtc_logger):
    logger, handler = omnirtc_logger
    logger.setLevel(logging.DEBUG)
    run(ice_failure())
    ice = [r for r in handler.records if r.name == "omnirtc.ice"]
    assert any("failed" in r.getMessage().lower() for r in ice), [r.getMessage() for r in ice]
    assert {r.levelno for r in handler.records} <= {logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG}
    assert any(r.levelno == logging.DEBUG for r in handler.records)
    # every scope is a child of "omnirtc", named in lower case
    assert all(r.name == "omnirtc" or r.name.startswith("omnirtc.") and r.name == r.name.lower()
               for r in handler.records)


def test_the_logger_level_is_the_engine_level(omnirtc_logger, raw_lines):
    logger, handler = omnirtc_logger
    logger.setLevel(logging.INFO)
    run(ice_failure())
    assert handler.records, "no INFO line for an ICE failure"
    assert {r.levelno for r in handler.records} <= {logging.ERROR, logging.WARNING, logging.INFO}
    # the engine was asked for INFO, so it formatted no DEBUG or TRACE line
    assert raw_lines and max(level for level, _, _ in raw_lines) <= omnirtc._abi.OMNIRTC_LOG_INFO


def test_a_child_logger_more_verbose_than_omnirtc_gets_its_lines(omnirtc_logger):
    logger, handler = omnirtc_logger
    logger.setLevel(logging.WARNING)
    ice = logging.getLogger("omnirtc.ice")
    ice.setLevel(logging.DEBUG)
    try:
        run(ice_failure())
    finally:
        ice.setLevel(logging.NOTSET)
    assert any(r.name == "omnirtc.ice" and r.levelno == logging.DEBUG for r in handler.records)
    assert not [r for r in handler.records if r.name != "omnirtc.ice" and r.levelno < logging.WARNING]


def test_no_handler_no_lines(raw_lines, monkeypatch):
    """Nothing listening (no handler on the way up, Python's default): the
    library sends nothing, whatever the level."""
    logger = logging.getLogger("omnirtc")
    monkeypatch.setattr(logger, "propagate", False)  # away from pytest's own handlers on the root
    monkeypatch.setattr(logger, "level", logs.TRACE)
    assert not logger.hasHandlers()
    omnirtc.sync_log_level()
    try:
        run(ice_failure())
    finally:
        monkeypatch.undo()
        omnirtc.sync_log_level()
    assert raw_lines == []


def test_turning_off_stops_delivery(omnirtc_logger, raw_lines):
    logger, handler = omnirtc_logger
    logger.setLevel(logging.DEBUG)
    run(ice_failure())
    assert handler.records
    logger.setLevel(logging.CRITICAL + 1)  # off
    omnirtc.sync_log_level()
    handler.records.clear()
    raw_lines.clear()
    run(ice_failure())
    assert handler.records == [] and raw_lines == []


def test_a_handler_may_call_the_library(omnirtc_logger):
    """A handler runs on the library's thread with the GIL: calling back in,
    or asking for a new level from there, does not deadlock (the new level is
    taken at the next peer connection)."""
    logger, handler = omnirtc_logger
    logger.setLevel(logging.DEBUG)
    calls: list[Any] = []

    class Calling(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            calls.append(omnirtc.debug_counters()["peers"])
            logger.setLevel(logging.WARNING if len(calls) % 2 else logging.DEBUG)
            omnirtc.sync_log_level()

    calling = Calling()
    logger.addHandler(calling)
    try:
        run(ice_failure())
    finally:
        logger.removeHandler(calling)
    assert calls


def test_bad_ice_server_url_names_it():
    """Error messages name the offending value and say why (webrtc-pc 4.4.1.1)."""
    for url, why in [("stun.example.org", "scheme"), ("stun:a:99999", "port 99999")]:
        server = omnirtc.RTCIceServer(urls=["stun:fine.example.org", url])
        with pytest.raises(omnirtc.InvalidSyntaxError) as raised:
            RTCPeerConnection(omnirtc.RTCConfiguration(iceServers=[server]))
        assert f'"{url}"' in str(raised.value) and why in str(raised.value)
