"""omnirtc.TurnServer: two peers of this process relayed through a server on
loopback, its events and stats, the auth callable, bad configuration.
(Relaying across network namespaces is scripts/test-nat.sh.)"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from conftest import TIMEOUT, connect, event_future, run, selected_pair, wait_for
from omnirtc import (
    InvalidConfigError,
    InvalidHandleError,
    OperationError,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    TurnAllocation,
    TurnServer,
    rest_credential,
)

CONFIG: dict[str, Any] = {
    "listeners": [{"transport": "udp", "address": "127.0.0.1:0"}],
    "relay": {"address": "127.0.0.1", "minPort": 52000, "maxPort": 52999},
    "users": {"alice": "wonder"},
    "sharedSecret": "north",
}


def relay_config(server: TurnServer, username: str, password: str) -> RTCConfiguration:
    address = server.addresses[0][1]
    return RTCConfiguration(
        iceServers=[RTCIceServer(urls=f"turn:{address}", username=username, credential=password)],
        iceTransportPolicy="relay",
        omnirtc={"includeLoopback": True, "mdns": "disabled"},
    )


async def relayed_echo(config: RTCConfiguration) -> None:
    """Connect two peers with `config` and pass one message."""
    a, b = RTCPeerConnection(config), RTCPeerConnection(config)
    channel = a.createDataChannel("relayed")
    remote = event_future(b, "datachannel")
    opened = event_future(channel, "open")
    await connect(a, b)
    await asyncio.wait_for(opened, TIMEOUT)
    theirs = await asyncio.wait_for(remote, TIMEOUT)
    message = event_future(theirs, "message")
    channel.send("through the relay")
    assert await asyncio.wait_for(message, TIMEOUT) == "through the relay"
    pair = await selected_pair(a)
    stats = await a.getStats()
    assert stats[pair.localCandidateId].candidateType == "relay"
    assert stats[pair.remoteCandidateId].candidateType == "relay"
    await a.close()
    await b.close()


def test_peers_relay_through_the_server() -> None:
    run(_peers_relay_through_the_server())


async def _peers_relay_through_the_server() -> None:
    created: list[TurnAllocation] = []
    deleted: list[TurnAllocation] = []
    async with TurnServer(CONFIG) as server:
        server.on("allocationcreated", created.append)
        server.on("allocationdeleted", deleted.append)
        await relayed_echo(relay_config(server, "alice", "wonder"))
        stats = server.stats()
        assert stats["allocationsCreated"] >= 2 and stats["bytesRelayed"] > 0
        closed = event_future(server, "close")
    await closed
    assert len(created) >= 2 and len(deleted) == len(created)
    assert created[0].username == "alice" and created[0].relay_address.startswith("127.0.0.1:")


def test_rest_credentials_and_auth_callable() -> None:
    run(_rest_credentials_and_auth_callable())


async def _rest_credentials_and_auth_callable() -> None:
    asked: list[str] = []

    def auth(username: str, realm: str, client: str) -> str | None:
        asked.append(username)
        return "from-python" if username == "carol" else None

    async with TurnServer(CONFIG, auth=auth) as server:
        await relayed_echo(relay_config(server, *rest_credential("north", "dave", 600)))
        await relayed_echo(relay_config(server, "carol", "from-python"))
        assert "carol" in asked
        failures = server.stats()["authFailures"]
        expired = relay_config(server, *rest_credential("north", "erin", -60))
        pc = RTCPeerConnection(expired)
        pc.createDataChannel("x")
        await pc.setLocalDescription(await pc.createOffer())
        assert "typ relay" not in pc.localDescription.sdp
        await pc.close()
        await wait_for(lambda: server.stats()["authFailures"] > failures)


def test_bad_configuration_and_closed_server() -> None:
    run(_bad_configuration_and_closed_server())


async def _bad_configuration_and_closed_server() -> None:
    with pytest.raises(InvalidConfigError, match='"listen"'):
        TurnServer({**CONFIG, "listen": True})
    server = TurnServer(CONFIG)
    with pytest.raises(OperationError):
        TurnServer({**CONFIG, "listeners": [{"transport": "udp", "address": server.addresses[0][1]}]})
    await server.close()
    await server.close()  # idempotent
    with pytest.raises(InvalidHandleError):
        server.stats()


def test_events_in_order_from_the_library_queue_none_lost_nothing_after_close() -> None:
    run(_events_in_order_from_the_library_queue())


async def _events_in_order_from_the_library_queue() -> None:
    """The server's events are drained from the library's queue
    (omnirtc_turn_server_poll_events): a close queues every deletion and
    CLOSED at once, and all arrive, each after its creation, close last."""
    log: list[tuple[str, str]] = []
    server = TurnServer(CONFIG)
    for name in ("allocationcreated", "allocationdeleted"):
        server.on(name, lambda a, name=name: log.append((name, a.client_address)))
    server.on("close", lambda: log.append(("close", "")))
    peers = [RTCPeerConnection(relay_config(server, "alice", "wonder")) for _ in range(8)]
    for pc in peers:
        pc.createDataChannel("x")
    offers = [await pc.createOffer() for pc in peers]
    await asyncio.gather(*(pc.setLocalDescription(offer) for pc, offer in zip(peers, offers)))
    await wait_for(lambda: server.stats()["allocations"] >= len(peers))
    await server.close()  # the deletions and CLOSED are queued by one call
    for pc in peers:
        await pc.close()
    created = [client for name, client in log if name == "allocationcreated"]
    deleted = [client for name, client in log if name == "allocationdeleted"]
    assert len(created) >= len(peers), log
    assert sorted(deleted) == sorted(created)
    for at, (name, client) in enumerate(log):
        if name == "allocationdeleted":
            assert ("allocationcreated", client) in log[:at]
    assert log[-1] == ("close", "") and len(log) == 2 * len(created) + 1
    await asyncio.sleep(0)  # another turn of the loop: still nothing after close
    assert log[-1] == ("close", "")
