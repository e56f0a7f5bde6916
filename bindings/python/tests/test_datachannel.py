"""Two Python peers over loopback."""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Callable, get_type_hints

import pytest

from conftest import TIMEOUT, connect, event_future, loopback_config, open_pair, run, selected_pair, wait_for
from omnirtc import InvalidStateError, RTCDataChannel, RTCPeerConnection, RTCSctpTransportStats, _native, candidate_from_sdp


def test_text_and_binary_both_ways(counters_back):
    async def main():
        a, b, local, remote = await open_pair()
        got_b, got_a = [], []
        remote.on("message", got_b.append)
        local.on("message", got_a.append)
        local.send("hello")
        local.send(b"\x00\x01\xff")
        local.send(bytearray(b"ba"))
        remote.send("back")
        await wait_for(lambda: len(got_b) == 3 and len(got_a) == 1)
        assert got_b == ["hello", b"\x00\x01\xff", b"ba"]
        assert got_a == ["back"]
        assert a.connectionState == b.connectionState == "connected"
        assert remote.label == "test" and remote.readyState == "open" and remote.id == local.id
        await a.close()
        await b.close()
        assert a.connectionState == "closed" and local.readyState == "closed"

    run(main())


@pytest.mark.parametrize(
    "options, expect",
    [
        ({"ordered": False}, {"ordered": False, "maxRetransmits": None, "maxPacketLifeTime": None}),
        ({"maxRetransmits": 0}, {"ordered": True, "maxRetransmits": 0}),
        ({"ordered": False, "maxPacketLifeTime": 150}, {"ordered": False, "maxPacketLifeTime": 150}),
        ({"protocol": "chat.v2"}, {"protocol": "chat.v2", "negotiated": False}),
    ],
)
def test_every_channel_option_reaches_the_remote(options, expect):
    async def main():
        a, b, local, remote = await open_pair(**options)
        for name, value in expect.items():
            assert getattr(remote, name) == value, name
            assert getattr(local, name) == value, name
        got = event_future(remote, "message")
        local.send("x")
        assert await asyncio.wait_for(got, TIMEOUT) == "x"
        await a.close()
        await b.close()

    run(main())


def test_negotiated_channels_pair_by_id():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        ca = a.createDataChannel("neg", negotiated=True, id=5)
        cb = b.createDataChannel("neg", negotiated=True, id=5)
        opened = asyncio.gather(event_future(ca, "open"), event_future(cb, "open"))
        await connect(a, b)
        await asyncio.wait_for(opened, TIMEOUT)
        got = event_future(cb, "message")
        ca.send(b"over id 5")
        assert await asyncio.wait_for(got, TIMEOUT) == b"over id 5"
        assert ca.id == cb.id == 5 and ca.negotiated
        await a.close()
        await b.close()

    run(main())


def test_sixteen_mib_arrive_byte_identical(counters_back):
    async def main():
        a, b, local, remote = await open_pair()
        total, chunk = 16 * 1024 * 1024, 64 * 1024
        payload = bytes(range(256)) * (total // 256)
        received = hashlib.sha256()
        count = [0]

        def on_message(message: bytes) -> None:
            received.update(message)
            count[0] += len(message)

        remote.on("message", on_message)
        threshold, burst = 1024 * 1024, 4 * 1024 * 1024
        local.bufferedAmountLowThreshold = threshold
        lows = [0]
        low = asyncio.Event()

        def on_low() -> None:
            lows[0] += 1
            low.set()

        local.on("bufferedamountlow", on_low)
        # Bursts paced by the event: each burst fills the buffer past the
        # threshold, and nothing more is sent until the event says it drained
        # (it may fire more than once a burst when sending stalls mid-burst).
        for start in range(0, total, burst):
            low.clear()
            for offset in range(start, start + burst, chunk):
                local.send(payload[offset : offset + chunk])
            await asyncio.wait_for(low.wait(), TIMEOUT)
        await wait_for(lambda: count[0] >= total, 60)
        assert count[0] == total
        assert lows[0] >= total // burst
        assert received.digest() == hashlib.sha256(payload).digest()
        await a.close()
        await b.close()

    run(main())


def test_a_slow_consumer_holds_back_the_library_queue_and_loses_nothing():
    from omnirtc import debug_counters

    size = 1000
    # the library's budget (4 MiB, 64 bytes per event besides the payload) in events
    bound = (4 << 20) // (size + 64) + 1

    async def main():
        a, b, local, remote = await open_pair()
        count = 3 * bound  # 12 MB: under the sender's 16 MiB limit
        got: list[str] = []
        most = 0

        def on_message(message: str) -> None:
            nonlocal most
            if not got:
                # A consumer stuck in its first message while everything else
                # is sent: the library's queue fills to its budget, no further.
                deadline = time.monotonic() + TIMEOUT
                while most < bound // 2 and time.monotonic() < deadline:
                    most = max(most, debug_counters()["queuedEvents"])
                    time.sleep(0.01)
                settle = time.monotonic() + 0.5
                while time.monotonic() < settle:
                    most = max(most, debug_counters()["queuedEvents"])
                    time.sleep(0.01)
            got.append(message)

        remote.on("message", on_message)
        for i in range(count):
            local.send(f"{i:<{size}}")
        await wait_for(lambda: len(got) == count)
        assert bound // 2 <= most <= bound + 8, most
        assert got == [f"{i:<{size}}" for i in range(count)]
        await a.close()
        await b.close()

    run(main())


def test_a_flood_from_the_remote_does_not_starve_the_loop():
    count = 15000  # 15 MB: under the sender's 16 MiB limit

    async def main():
        a, b, local, remote = await open_pair()
        # Queued at the sender before any arrives: the library sends on its
        # own threads, faster than a handler that spends 50 µs a message takes
        # them, so the receiver's queue never runs empty while the flood lasts.
        for _ in range(count):
            local.send("x" * 1000)
        got = 0
        ran_at = -1

        def tick() -> None:
            nonlocal ran_at
            ran_at = got

        def on_message(_: str) -> None:
            nonlocal got
            got += 1
            if got == 1:
                asyncio.get_running_loop().call_soon(tick)
            end = time.perf_counter() + 50e-6
            while time.perf_counter() < end:
                pass

        remote.on("message", on_message)
        await wait_for(lambda: got == count, 120)
        # A drain that ran until the queue was empty would let the callback
        # run only after the last message.
        assert 0 < ran_at < count // 2, f"the callback ran after message {ran_at} of {count}"
        await a.close()
        await b.close()

    run(main())


def test_send_past_the_buffered_amount_limit_raises_and_loses_nothing():
    """W3C send(): OperationError when the data cannot be queued."""
    from omnirtc import OperationError, _abi

    limit = _abi.OMNIRTC_MAX_BUFFERED_AMOUNT
    chunk = 64 * 1024

    async def main():
        a, b, local, remote = await open_pair()
        got: list[bytes] = []
        remote.on("message", got.append)
        sent = 0
        # The loop never yields, so nothing is drained at b: what b's library
        # and SCTP window do not take stays queued at a.
        with pytest.raises(OperationError, match="bufferedAmount"):
            while sent < 4 * limit:
                local.send(bytes([sent // chunk % 256]) * chunk)
                sent += chunk
        assert local.bufferedAmount <= limit
        assert limit - chunk < sent < limit + (12 << 20)
        await wait_for(lambda: len(got) == sent // chunk)
        assert got == [bytes([i % 256]) * chunk for i in range(sent // chunk)]
        await a.close()
        await b.close()

    run(main())


def test_buffered_amount_counts_only_what_send_queued():
    """W3C webrtc-pc 6.2 bufferedAmount: UTF-8 bytes of send(), never the channel's open message."""

    async def main():
        a, b, first, _ = await open_pair()
        label = "l" * 65535  # the longest label: a 64 KiB open message, on both sides
        remote_future = event_future(b, "datachannel")
        local = a.createDataChannel(label)
        await asyncio.wait_for(event_future(local, "open"), TIMEOUT)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        assert remote.label == label
        assert local.bufferedAmount == 0 and remote.bufferedAmount == 0
        local.send("✓✓")  # 6 bytes of UTF-8
        assert local.bufferedAmount in (0, 6)
        await wait_for(lambda: local.bufferedAmount == 0)
        await a.close()
        await b.close()

    run(main())


def test_trickle_ice_events_and_add_ice_candidate():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("t")
        candidates = []
        a.on("icecandidate", candidates.append)
        await a.setLocalDescription(await a.createOffer())
        assert candidates and candidates[-1] is None  # end of candidates
        first = candidates[0]
        assert first.ip == "127.0.0.1" and first.protocol == "udp" and first.sdpMid is not None
        # Each description without its candidates, then the candidates one by
        # one: both ways, so neither side can connect unless addIceCandidate works
        # (one way would connect anyway through peer-reflexive candidates).
        from omnirtc import RTCSessionDescription

        def bare(description: RTCSessionDescription) -> RTCSessionDescription:
            lines = description.sdp.split("\r\n")
            return RTCSessionDescription(
                "\r\n".join(line for line in lines if not line.startswith("a=candidate")), description.type
            )

        await b.setRemoteDescription(bare(a.localDescription))
        for candidate in candidates:
            await b.addIceCandidate(candidate)
        answer_candidates = []
        b.on("icecandidate", answer_candidates.append)
        datachannel = event_future(b, "datachannel")
        await b.setLocalDescription(await b.createAnswer())
        assert answer_candidates and answer_candidates[-1] is None
        await a.setRemoteDescription(bare(b.localDescription))
        for candidate in answer_candidates:
            await a.addIceCandidate(candidate)
        await asyncio.wait_for(datachannel, TIMEOUT)
        assert candidate_from_sdp("candidate:" + "1 1 udp 5 10.0.0.1 9 typ host").port == 9
        await a.close()
        await b.close()

    run(main())


def test_remote_channel_is_announced_open_then_opens():
    """W3C and browsers: datachannel finds the channel open (it may send), and
    the channel's open event follows, so a listener added then sees it."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        local = a.createDataChannel("chat")
        got = event_future(local, "message")
        seen: list[str] = []
        opened = asyncio.get_running_loop().create_future()

        def on_datachannel(channel: RTCDataChannel) -> None:
            seen.append(f"datachannel {channel.readyState}")
            channel.send("from the handler")
            channel.on("open", lambda: opened.set_result(None))

        b.on("datachannel", on_datachannel)
        await connect(a, b)
        await asyncio.wait_for(opened, TIMEOUT)
        assert seen == ["datachannel open"]
        assert await asyncio.wait_for(got, TIMEOUT) == "from the handler"
        await a.close()
        await b.close()

    run(main())


def test_renegotiation_adds_a_channel():
    async def main():
        a, b, local, remote = await open_pair()
        late = a.createDataChannel("late")
        datachannel, opened = event_future(b, "datachannel"), event_future(late, "open")
        await connect(a, b)  # a second offer/answer round on a connected pair
        added = await asyncio.wait_for(datachannel, TIMEOUT)
        assert added.label == "late"
        # b announces the channel at the remote's open request; a's opens at b's acknowledgement, after
        await asyncio.wait_for(opened, TIMEOUT)
        got = event_future(added, "message")
        late.send("after renegotiation")
        assert await asyncio.wait_for(got, TIMEOUT) == "after renegotiation"
        await a.close()
        await b.close()

    run(main())


def test_ice_restart_selects_a_new_candidate_pair():
    async def main():
        a, b, local, remote = await open_pair()
        before = [await selected_pair(a), await selected_pair(b)]
        ufrag = ice_ufrag(a.localDescription.sdp)
        needed = event_future(a, "negotiationneeded")
        a.restartIce()
        await asyncio.wait_for(needed, TIMEOUT)
        await connect(a, b)
        assert ice_ufrag(a.localDescription.sdp) != ufrag
        got = event_future(remote, "message")
        local.send("after restart")
        assert await asyncio.wait_for(got, TIMEOUT) == "after restart"
        # New candidates on both sides carry the data now: a restart that
        # renewed only the credentials would keep the old pair.
        after = [await selected_pair(a), await selected_pair(b)]
        for old, new in zip(before, after):
            assert new.localCandidateId != old.localCandidateId
        await a.close()
        await b.close()

    run(main())


def ice_ufrag(sdp: str) -> str:
    return next(line for line in sdp.splitlines() if line.startswith("a=ice-ufrag:"))


def test_close_is_seen_by_the_other_side(counters_back):
    async def main():
        a, b, local, remote = await open_pair()
        closed = event_future(remote, "close")
        local.close()
        await asyncio.wait_for(closed, TIMEOUT)
        assert remote.readyState == "closed"
        await wait_for(lambda: local.readyState == "closed")
        await a.close()
        await b.close()

    run(main())


def queued_events() -> int:
    """Events the library queued that no loop took yet, over all peers."""
    from omnirtc import debug_counters

    return int(debug_counters()["queuedEvents"])


def block_loop_until(condition: Callable[[], bool]) -> None:
    """Holds the loop (no event is delivered) until the library reaches condition."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the library"
        time.sleep(0.01)


def test_ready_state_is_closed_only_with_the_close_event(counters_back):
    """webrtc-pc 6.2: readyState becomes "closed" in the task that fires
    close, so a channel the library closed while the loop was busy reads
    "closing" until then, on both ends."""

    async def main():
        a, b, local, remote = await open_pair()
        seen: list[tuple[str, str]] = []
        local.on("close", lambda: seen.append(("local", local.readyState)))
        remote.on("close", lambda: seen.append(("remote", remote.readyState)))
        queued = queued_events()
        local.close()
        block_loop_until(lambda: queued_events() >= queued + 3)  # a's CLOSE, b's CLOSING and CLOSE
        assert (local.readyState, remote.readyState) == ("closing", "closing")
        await wait_for(lambda: len(seen) == 2)
        assert sorted(seen) == [("local", "closed"), ("remote", "closed")]
        await a.close()
        await b.close()

    run(main())


def test_open_then_close_while_the_loop_was_busy(counters_back):
    """A channel that opened and closed before the loop ran: open, then
    close, with the channel's properties, though the library released its
    handle when the loop took the events."""

    async def main():
        a, b, _, _ = await open_pair()
        errors: list[object] = []
        asyncio.get_running_loop().set_exception_handler(lambda _, context: errors.append(context))
        queued = queued_events()
        ours = b.createDataChannel("late", negotiated=True, id=7)
        seen: list[str] = []
        for name in ("open", "closing", "close"):
            ours.on(name, lambda name=name: seen.append(f"{name} {ours.label} {ours.id}"))
        theirs = a.createDataChannel("late", negotiated=True, id=7)  # both open at once: SCTP is up
        block_loop_until(lambda: queued_events() >= queued + 2)  # both OPENs
        theirs.close()
        block_loop_until(lambda: queued_events() >= queued + 5)  # a's CLOSE, b's CLOSING and CLOSE
        await wait_for(lambda: (bool(seen) and seen[-1].startswith("close ")) or bool(errors))
        assert errors == []
        assert seen[0] == "open late 7" and seen[-1] == "close late 7"
        await a.close()
        await b.close()

    run(main())


def test_send_and_close_right_after_the_remote_closed(counters_back):
    """The remote closes its peer before our end read the end of the channel
    (held back here as the binding's backpressure would hold it): send raises
    InvalidStateError, as the W3C send does, and close() never raises."""

    async def main():
        a, b, local, remote = await open_pair()
        _native.check(_native.lib.omnirtc_channel_set_paused(local._handle, 1))
        got = event_future(local, "message")
        remote.send("last")  # ends the read under way; then a reads no more
        await asyncio.wait_for(got, TIMEOUT)
        await b.close()
        with pytest.raises(InvalidStateError):
            for _ in range(10000):
                local.send("x")
                await asyncio.sleep(0.001)
        local.close()
        local.close()
        await wait_for(lambda: local.readyState == "closed")
        await a.close()

    run(main())


def test_get_stats_and_sctp():
    async def main():
        a, b, local, remote = await open_pair()
        got = event_future(remote, "message")
        local.send("count me")
        await asyncio.wait_for(got, TIMEOUT)
        report = await a.getStats()
        types = {stats.type for stats in report.values()}
        assert {"peer-connection", "transport", "candidate-pair", "data-channel", "certificate"} <= types
        assert any(s.type == "data-channel" and s.messagesSent == 1 for s in report.values())
        sctp = next(s for s in report.values() if s.type == "sctp-transport")
        transport = next(s for s in report.values() if s.type == "transport")
        assert sctp.transportId == transport.id
        assert isinstance(sctp, RTCSctpTransportStats)
        # Every typed field is in the entry with its type (float takes a JSON 0 as int).
        for name, kind in get_type_hints(RTCSctpTransportStats).items():
            assert isinstance(sctp[name], (int, float) if kind is float else kind), name
        for name in ("congestionWindow", "receiverWindow", "localReceiverWindow", "mtu", "slowStartThreshold"):
            assert sctp[name] > 0, name
        assert a.sctp.maxMessageSize == 256 * 1024
        await a.close()
        await b.close()

    run(main())


def test_handler_exception_goes_to_the_loop_exception_handler():
    async def main():
        loop = asyncio.get_running_loop()
        reported = []
        loop.set_exception_handler(lambda _loop, context: reported.append(context))
        a, b, local, remote = await open_pair()
        remote.on("message", lambda message: 1 / 0)
        after = event_future(remote, "message")  # registered second: still called
        local.send("boom")
        assert await asyncio.wait_for(after, TIMEOUT) == "boom"
        assert any(isinstance(c.get("exception"), ZeroDivisionError) for c in reported)
        local.send("still alive")
        assert await asyncio.wait_for(event_future(remote, "message"), TIMEOUT) == "still alive"
        await a.close()
        await b.close()

    run(main())


def test_garbage_collected_peer_connection_is_closed():
    import gc

    from omnirtc import debug_counters

    async def main():
        before = debug_counters()["handles"]["peer"]
        pc = RTCPeerConnection(loopback_config())
        pc.createDataChannel("x")
        assert debug_counters()["handles"]["peer"] == before + 1
        del pc
        gc.collect()
        await wait_for(lambda: debug_counters()["handles"]["peer"] == before)

    run(main())
