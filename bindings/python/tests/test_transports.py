"""RTCIceTransport (webrtc-pc 5.6), RTCDtlsTransport (5.4), RTCSctpTransport
(6.1.1) and RTCRtpSender/RTCRtpReceiver.transport (5.2, 5.3)."""

from __future__ import annotations

import asyncio
import hashlib
import re

from conftest import TIMEOUT, connect, loopback_config, run, selected_pair, wait_for

from omnirtc import RTCDtlsTransport, RTCIceTransport, RTCPeerConnection, RTCSctpTransport


def record(emitter, event, getter):
    """What getter() says during each `event` of emitter, in order."""
    seen = []
    emitter.on(event, lambda *args: seen.append(getter()))
    return seen


async def negotiate_only(a, b):
    """Offer and answer without candidates: ICE never starts, every state stays at its first."""
    offer = await a.createOffer()
    await a.setLocalDescription(offer)
    assert a.sctp is None, "an offer alone negotiates nothing"
    await b.setRemoteDescription(offer)
    answer = await b.createAnswer()
    await b.setLocalDescription(answer)
    await a.setRemoteDescription(answer)


def test_sctp_is_none_until_an_answer_negotiated_it_webrtc_pc_6_1_1():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        assert a.sctp is None
        a.createDataChannel("x")
        await negotiate_only(a, b)
        for pc in (a, b):
            sctp = pc.sctp
            assert isinstance(sctp, RTCSctpTransport)
            assert pc.sctp is sctp
            assert isinstance(sctp.transport, RTCDtlsTransport)
            assert isinstance(sctp.transport.transport, RTCIceTransport)
            assert sctp.transport.iceTransport is sctp.transport.transport
            assert sctp.state == "connecting"
            assert sctp.maxChannels is None
            assert sctp.maxMessageSize == 65536
            assert sctp.transport.state == "new"
            assert sctp.transport.getRemoteCertificates() == []
            assert sctp.transport.transport.state == "new"
            assert sctp.transport.transport.component == "rtp"
            assert sctp.transport.transport.getSelectedCandidatePair() is None
        await a.close()
        await b.close()

    run(main())


def test_sctp_stays_none_without_an_application_section_webrtc_pc_6_1_1():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.addTransceiver("audio")
        await negotiate_only(a, b)
        assert a.sctp is None and b.sctp is None
        await a.close()
        await b.close()

    run(main())


def test_sender_and_receiver_transport_webrtc_pc_5_2_5_3():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        transceiver = a.addTransceiver("audio")
        a.createDataChannel("x")
        assert transceiver.sender.transport is None and transceiver.receiver.transport is None
        await negotiate_only(a, b)
        dtls = a.sctp.transport
        assert transceiver.sender.transport is dtls  # bundle: one DTLS transport
        assert transceiver.receiver.transport is dtls
        await a.close()
        assert transceiver.sender.transport is dtls
        assert dtls.state == "closed"
        await b.close()

    run(main())


def test_transport_states_over_a_connect_and_a_close_webrtc_pc_5_4_5_6_6_1_1():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("x")
        order = []
        a.on("iceconnectionstatechange", lambda: order.append(f"pc:{a.iceConnectionState}"))
        # The offerer's ICE starts with the answer: handlers added when it returns miss nothing.
        await connect(a, b)
        sctp = a.sctp
        dtls = sctp.transport
        ice = dtls.transport
        ice.on("statechange", lambda: order.append(f"ice:{ice.state}"))
        dtls_states = record(dtls, "statechange", lambda: dtls.state)
        sctp_states = record(sctp, "statechange", lambda: (sctp.state, sctp.maxChannels))
        await wait_for(lambda: len(sctp_states) == 1)
        assert dtls_states == ["connecting", "connected"]
        assert sctp_states == [("connected", 65535)]
        assert [s for s in order if s.endswith((":checking", ":connected"))] == [
            "ice:checking", "pc:checking", "ice:connected", "pc:connected",
        ]  # the transport's event before the peer's (5.6)
        assert ice.role == "controlling"
        assert b.sctp.transport.transport.role == "controlled"
        assert ice.gatheringState == a.iceGatheringState == "complete"

        closed = asyncio.get_running_loop().create_future()
        dtls.on("statechange", lambda: dtls.state == "closed" and not closed.done() and closed.set_result(None))
        await b.close()  # its close_notify closes a's DTLS and SCTP
        await asyncio.wait_for(closed, TIMEOUT)
        await wait_for(lambda: sctp_states[-1][0] == "closed")
        assert dtls_states[-1] == "closed"

        counts = (len(dtls_states), len(sctp_states))
        await a.close()  # closes every transport without an event (4.4.1.5)
        assert (dtls.state, sctp.state, ice.state) == ("closed", "closed", "closed")
        assert a.sctp is sctp
        await asyncio.sleep(0)
        assert (len(dtls_states), len(sctp_states)) == counts

    run(main())


def test_remote_certificate_is_the_fingerprinted_der_webrtc_pc_5_4():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("x")
        await connect(a, b)
        await wait_for(lambda: a.sctp.state == "connected" and b.sctp.state == "connected")
        for pc, remote in ((a, b), (b, a)):
            (der,) = pc.sctp.transport.getRemoteCertificates()
            assert der[0] == 0x30  # a DER SEQUENCE
            digest = ":".join(f"{x:02X}" for x in hashlib.sha256(der).digest())
            fingerprint = re.search(r"a=fingerprint:sha-256 (\S+)", remote.localDescription.sdp).group(1).upper()
            assert digest == fingerprint
        await a.close()
        await b.close()

    run(main())


def test_selected_candidate_pair_is_the_stats_one_webrtc_pc_5_6():
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("x")
        await connect(a, b)
        ice = a.sctp.transport.transport
        changes = record(ice, "selectedcandidatepairchange", ice.getSelectedCandidatePair)
        await wait_for(lambda: len(changes) > 0)
        pair = ice.getSelectedCandidatePair()
        stats = await selected_pair(a)
        report = await a.getStats()
        local, remote = report[stats.localCandidateId], report[stats.remoteCandidateId]
        assert (pair.local.ip, pair.local.port, pair.local.type) == (local.ip, local.port, local.candidateType)
        assert (pair.remote.ip, pair.remote.port) == (remote.ip, remote.port)
        await a.close()
        await b.close()

    run(main())
