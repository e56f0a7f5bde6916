"""State attributes are the library's current state when the call that changed
it returns, and each state event's handlers see the state that event reports."""

from __future__ import annotations

import asyncio

from conftest import TIMEOUT, event_future, loopback_config, run, wait_for
from omnirtc import RTCPeerConnection


def seen(emitter, event, read):  # type: ignore[no-untyped-def]
    """The states `emitter`'s handlers saw, one per `event`."""
    states: list[str] = []
    emitter.on(event, lambda *_: states.append(read()))
    return states


def test_signaling_state_and_descriptions_are_current_after_each_step():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a_signaling = seen(a, "signalingstatechange", lambda: a.signalingState)
        b_signaling = seen(b, "signalingstatechange", lambda: b.signalingState)
        local = a.createDataChannel("state")
        transceiver = a.addTransceiver("audio", direction="sendonly")
        assert transceiver.currentDirection is None
        opened = event_future(local, "open")

        # webrtc-pc 4.4.1.5: each call's signalingstatechange fires before it returns
        await a.setLocalDescription(await a.createOffer())
        assert a.signalingState == "have-local-offer" and a_signaling == ["have-local-offer"]
        assert a.localDescription.type == "offer"

        await b.setRemoteDescription(a.localDescription)
        assert b.signalingState == "have-remote-offer" and b_signaling == ["have-remote-offer"]
        assert b.remoteDescription.type == "offer"

        await b.setLocalDescription(await b.createAnswer())
        assert b.signalingState == "stable"
        assert b.localDescription.type == "answer"

        await a.setRemoteDescription(b.localDescription)
        assert a.signalingState == "stable"
        assert a.remoteDescription.type == "answer"
        assert transceiver.currentDirection == "sendonly"

        # each seen with the state it reports
        assert a_signaling == ["have-local-offer", "stable"]
        assert b_signaling == ["have-remote-offer", "stable"]
        await asyncio.wait_for(opened, TIMEOUT)
        await a.close()
        assert (a.signalingState, a.iceConnectionState, a.connectionState) == ("closed",) * 3
        assert local.readyState == "closed"
        await b.close()

    run(main())


def test_glare_is_seen_right_after_set_local_description():
    # W3C perfect negotiation finds a collision from signalingState read right
    # after the awaited setLocalDescription / setRemoteDescription.
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        for pc in (a, b):
            pc.createDataChannel("glare")
        await asyncio.gather(a.setLocalDescription(), b.setLocalDescription())
        assert (a.signalingState, b.signalingState) == ("have-local-offer",) * 2
        answerer = RTCPeerConnection(loopback_config())
        await answerer.setRemoteDescription(a.localDescription)
        assert answerer.signalingState == "have-remote-offer"
        for pc in (a, b, answerer):
            await pc.close()

    run(main())


def test_state_events_are_seen_with_their_state_channel_states_are_current():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        connection = seen(a, "connectionstatechange", lambda: a.connectionState)
        local = a.createDataChannel("state")
        open_states = seen(local, "open", lambda: local.readyState)
        remote_future = event_future(b, "datachannel")
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        assert remote.readyState == "open"
        await wait_for(lambda: open_states == ["open"] and "connected" in connection)
        assert connection == ["connecting", "connected"]
        closed = event_future(remote, "close")
        local.close()
        assert local.readyState == "closing"
        await asyncio.wait_for(closed, TIMEOUT)
        assert remote.readyState == "closed"
        await a.close()
        await b.close()

    run(main())


def test_ice_is_new_until_a_remote_candidate_arrives():
    """webrtc-pc 5.6: an ICE transport checks once it has a remote candidate; "new" before."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        found: dict[RTCPeerConnection, list] = {a: [], b: []}
        ice = {pc: seen(pc, "iceconnectionstatechange", lambda pc=pc: pc.iceConnectionState) for pc in (a, b)}
        connection = {pc: seen(pc, "connectionstatechange", lambda pc=pc: pc.connectionState) for pc in (a, b)}
        for pc in (a, b):
            pc.on("icecandidate", lambda c, pc=pc: found[pc].append(c))
        a.createDataChannel("late")
        offer = await a.createOffer()  # no candidates in either description
        await a.setLocalDescription(offer)
        await b.setRemoteDescription(offer)
        answer = await b.createAnswer()
        await b.setLocalDescription(answer)
        await a.setRemoteDescription(answer)
        # Every candidate, through the end-of-candidates None, as the events came.
        await wait_for(lambda: None in found[a] and None in found[b])
        for pc in (a, b):
            assert (pc.iceConnectionState, pc.connectionState, ice[pc]) == ("new", "new", [])
        for candidate in found[b][:-1]:
            await a.addIceCandidate(candidate)
        for candidate in found[a][:-1]:
            await b.addIceCandidate(candidate)
        # The events, not the attributes: an attribute is current before its event reached Python.
        await wait_for(lambda: "connected" in connection[a] and "connected" in connection[b])
        assert ice[a][:2] == ice[b][:2] == ["checking", "connected"]
        await a.close()
        await b.close()

    run(main())
