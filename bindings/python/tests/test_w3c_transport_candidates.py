"""RTCIceTransport.getLocalCandidates() / getRemoteCandidates() (webrtc-pc 5.6)."""

from __future__ import annotations

from conftest import loopback_config, run

from omnirtc import RTCIceCandidate, RTCPeerConnection, RTCSessionDescription


def key(c: RTCIceCandidate) -> tuple[object, ...]:
    return (c.foundation, c.component, c.protocol, c.priority, c.ip, c.port, c.type)


def without_candidates(sdp: str) -> str:
    return "".join(line for line in sdp.splitlines(keepends=True) if not line.startswith("a=candidate:"))


def test_local_candidates_are_those_sent_and_remote_ones_those_added_webrtc_pc_5_6(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("x")
        sent: list[RTCIceCandidate] = []
        a.on("icecandidate", lambda c: c is not None and sent.append(c))
        await a.setLocalDescription(await a.createOffer())  # returns once gathering completed
        assert sent, "a gathered candidates"
        offer = a.localDescription
        await b.setRemoteDescription(RTCSessionDescription(without_candidates(offer.sdp), "offer"))
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        remote = b.sctp.transport.transport
        assert remote.getRemoteCandidates() == [], "nothing added yet"
        for candidate in sent:
            await b.addIceCandidate(candidate)
        got = remote.getRemoteCandidates()
        assert all(isinstance(c, RTCIceCandidate) for c in got)
        assert [key(c) for c in got] == [key(c) for c in sent]
        local = a.sctp.transport.transport
        assert [key(c) for c in local.getLocalCandidates()] == [key(c) for c in sent]
        assert remote.getLocalCandidates(), "b gathered too"
        await a.close()
        assert [key(c) for c in local.getLocalCandidates()] == [key(c) for c in sent], "after close(), the last ones"
        await b.close()

    run(main())
