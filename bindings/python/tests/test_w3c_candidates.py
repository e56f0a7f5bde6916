"""Remote candidates in the remote description (W3C webrtc-pc 4.4.1.6
addIceCandidate, JSEP 5.8), administratively prohibited TCP candidates (4.4.1.6,
the Fetch standard's bad ports), descriptions without media sections (JSEP
5.8) and data channel ids by the DTLS role (webrtc-pc 4.4.1.6 and 6.2, RFC 8832
6): the scenarios of bindings/node/test/w3c-candidates.test.js."""

from __future__ import annotations

import asyncio
import re

import pytest
from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import (
    InvalidArgumentError,
    InvalidCandidateError,
    RTCPeerConnection,
    RTCSessionDescription,
)
from omnirtc.rtcicecandidate import candidate_from_sdp

HOST = "candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host"
OTHER = "candidate:2 1 udp 2113937151 192.0.2.2 6000 typ host"


def candidate(line: str, mid: str | None = None, index: int | None = None):
    c = candidate_from_sdp(line)
    c.sdpMid, c.sdpMLineIndex = mid, index
    return c


def counts(sdp: str, line: str) -> list[int]:
    """How many times `line` is in each media section of sdp."""
    return [section.split("\r\n").count(line) for section in sdp.split("\r\nm=")[1:]]


async def offered() -> tuple[RTCPeerConnection, RTCPeerConnection]:
    """A peer holding the remote offer of an audio and a data section (mids "0", "1"), and the offerer."""
    offerer = RTCPeerConnection(loopback_config())
    offerer.addTransceiver("audio")
    offerer.createDataChannel("data")
    pc = RTCPeerConnection(loopback_config())
    await pc.setRemoteDescription(await offerer.createOffer())  # no gathering: no candidates of its own
    assert re.findall(r"a=mid:(\w+)", pc.remoteDescription.sdp) == ["0", "1"]
    return pc, offerer


def test_candidates_go_to_the_section_of_their_mid_or_index():
    """4.4.1.6: sdpMid, else sdpMLineIndex; pending, then current description."""

    async def main():
        pc, offerer = await offered()
        await pc.addIceCandidate(candidate(HOST, mid="1"))
        assert counts(pc.remoteDescription.sdp, f"a={HOST}") == [0, 1]
        await pc.addIceCandidate(candidate(OTHER, index=0))
        assert counts(pc.remoteDescription.sdp, f"a={OTHER}") == [1, 0]
        await pc.addIceCandidate(candidate(OTHER, mid="1", index=0))  # sdpMid wins
        assert counts(pc.remoteDescription.sdp, f"a={OTHER}") == [1, 1]
        await pc.addIceCandidate(candidate(HOST, mid="1"))  # once only
        assert counts(pc.pendingRemoteDescription.sdp, f"a={HOST}") == [0, 1]
        assert pc.currentRemoteDescription is None
        await pc.setLocalDescription(await pc.createAnswer())
        assert pc.pendingRemoteDescription is None
        assert counts(pc.currentRemoteDescription.sdp, f"a={HOST}") == [0, 1]
        await pc.close()
        await offerer.close()

    run(main())


def test_end_of_candidates_goes_to_every_section():
    """4.4.1.6: None (aiortc's end of candidates) has no mid or index: every section."""

    async def main():
        pc, offerer = await offered()
        await pc.addIceCandidate(None)
        assert counts(pc.remoteDescription.sdp, "a=end-of-candidates") == [1, 1]
        await pc.close()
        await offerer.close()

    run(main())


def test_unknown_mid_or_index_is_refused():
    """4.4.1.6: OperationError (InvalidCandidateError) for an unknown mid or
    index, TypeError (InvalidArgumentError) for neither."""

    async def main():
        pc, offerer = await offered()
        with pytest.raises(InvalidCandidateError):
            await pc.addIceCandidate(candidate(HOST, mid="nope"))
        with pytest.raises(InvalidCandidateError):
            await pc.addIceCandidate(candidate(HOST, index=2))
        with pytest.raises(InvalidArgumentError):
            await pc.addIceCandidate(candidate(HOST))
        assert "192.0.2.1" not in pc.remoteDescription.sdp
        await pc.close()
        await offerer.close()

    run(main())


def test_candidates_go_to_the_descriptions_of_their_ice_generation():
    """4.4.1.6: pending and current of one generation both get it; after an
    ICE restart only the pending one."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("data")
        await connect(a, b)
        a.createDataChannel("more")
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.addIceCandidate(candidate(HOST, mid="0"))
        assert counts(b.pendingRemoteDescription.sdp, f"a={HOST}") == [1]
        assert counts(b.currentRemoteDescription.sdp, f"a={HOST}") == [1]
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        await a.setLocalDescription(await a.createOffer(iceRestart=True))
        await b.setRemoteDescription(a.localDescription)
        await b.addIceCandidate(candidate(OTHER, mid="0"))
        assert counts(b.pendingRemoteDescription.sdp, f"a={OTHER}") == [1]
        assert counts(b.currentRemoteDescription.sdp, f"a={OTHER}") == [0]
        await a.close()
        await b.close()

    run(main())


def test_tcp_candidates_at_bad_ports_are_never_used():
    """4.4.1.6: administratively prohibited: accepted, in the description, not in the ICE agent."""

    def tcp(port: int) -> str:
        return f"candidate:{port} 1 tcp 2105524479 127.0.0.1 {port} typ host tcptype passive"

    async def main():
        pc, offerer = await offered()
        for port in (2049, 5060, 6697):
            await pc.addIceCandidate(candidate(tcp(port), mid="0"))
        await pc.addIceCandidate(candidate(tcp(8001), mid="0"))
        await pc.addIceCandidate(candidate("candidate:9 1 udp 2113937151 127.0.0.1 2049 typ host", mid="0"))
        assert counts(pc.remoteDescription.sdp, f"a={tcp(2049)}") == [1, 0]
        remote: list[str] = []

        async def remote_candidates() -> list[str]:
            report = await pc.getStats()
            return sorted(f"{s.protocol} {s.port}" for s in report.values() if s.type == "remote-candidate")

        # The ICE agent takes candidates in order: once it has the last two, it would have the others.
        deadline = asyncio.get_running_loop().time() + TIMEOUT
        while len(remote) < 2 and asyncio.get_running_loop().time() < deadline:
            remote = await remote_candidates()
        assert remote == ["tcp 8001", "udp 2049"]
        await pc.close()
        await offerer.close()

    run(main())


def test_offer_without_media_sections_is_answered():
    """JSEP 5.8: no m= line, so no ICE credentials; browsers accept it."""
    sdp = "v=0\r\no=- 166855176514521964 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=msid-semantic:WMS *\r\n"

    async def main():
        pc = RTCPeerConnection(loopback_config())
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        assert pc.signalingState == "have-remote-offer"
        answer = await pc.createAnswer()
        assert "\r\nm=" not in answer.sdp
        await pc.setLocalDescription(answer)
        assert pc.signalingState == "stable"
        await pc.close()

    run(main())


def test_no_media_then_a_data_channel_connects():
    """JSEP 5.8: the renegotiation after a negotiation without media starts the transports."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        await connect(a, b)
        assert "\r\nm=" not in a.localDescription.sdp
        assert a.signalingState == b.signalingState == "stable"
        channel = a.createDataChannel("later")
        opened = event_future(channel, "open")
        remote = event_future(b, "datachannel")
        await connect(a, b)
        await asyncio.wait_for(opened, TIMEOUT)
        assert (await asyncio.wait_for(remote, TIMEOUT)).label == "later"
        await a.close()
        await b.close()

    run(main())


def test_channel_ids_follow_the_dtls_role_once_an_answer_sets_it():
    """6.2, 4.4.1.6: None until an answer negotiates the DTLS role; then even
    on the DTLS client, odd on the server (RFC 8832 6)."""

    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        of_a = [a.createDataChannel("a1"), a.createDataChannel("a2")]
        of_b = b.createDataChannel("b1")
        assert [c.id for c in [*of_a, of_b]] == [None, None, None]
        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        assert of_b.id is None
        await b.setLocalDescription(await b.createAnswer())
        setup = re.search(r"a=setup:(\w+)", b.localDescription.sdp).group(1)
        answerer_parity = {"active": 0, "passive": 1}[setup]  # active: the DTLS client
        assert of_b.id % 2 == answerer_parity
        assert of_a[0].id is None
        await a.setRemoteDescription(b.localDescription)
        assert [c.id % 2 for c in of_a] == [1 - answerer_parity] * 2
        assert of_a[0].id != of_a[1].id
        late = a.createDataChannel("late")
        assert late.id is not None and late.id % 2 == 1 - answerer_parity
        seen: dict[str, int | None] = {}
        b.on("datachannel", lambda channel: seen.__setitem__(channel.label, channel.id))
        await wait_for(lambda: len(seen) == 3)
        assert seen == {"a1": of_a[0].id, "a2": of_a[1].id, "late": late.id}
        await a.close()
        await b.close()

    run(main())
