"""RTCConfiguration as W3C webrtc-pc writes it, the same rules as the Node suite
(bindings/node/test/w3c-configuration.test.js): the constructor's checks (4.2,
4.4.1.1), getConfiguration / setConfiguration (4.4.1.6), rtcpMuxPolicy
"require" against a remote offer, and new ICE servers mid-call."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import pytest

import omnirtc
from conftest import TIMEOUT, connect, event_future, loopback_config, open_pair, run, selected_pair, wait_for
from omnirtc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription, TurnServer


@pytest.mark.parametrize("urls", ["", "stun.example.org", "turn:example.org?transport=xyz", ["stun:a:99999"]])
def test_ice_server_url_syntax_error(urls):
    """webrtc-pc 4.2 / 4.4.1.1: a URL that does not parse is a SyntaxError naming the key."""
    server = RTCIceServer(urls=urls, username="u", credential="c")
    with pytest.raises(omnirtc.InvalidSyntaxError, match=r"iceServers\[0\]\.urls"):
        RTCPeerConnection(RTCConfiguration(iceServers=[server]))


@pytest.mark.parametrize(
    "server",
    [RTCIceServer(urls="turn:turn.example.org"), RTCIceServer(urls="turns:turn.example.org", username="u")],
)
def test_turn_server_without_credentials_invalid_access(server):
    """webrtc-pc 4.2 / 4.4.1.1: a TURN URL without username or credential is an InvalidAccessError."""
    with pytest.raises(omnirtc.InvalidAccessError, match="username"):
        RTCPeerConnection(RTCConfiguration(iceServers=[server]))


def test_turns_with_empty_credentials_is_taken():
    """webrtc-pc 4.2.1: empty strings are a username and a credential."""

    async def main():
        server = RTCIceServer(urls="turns:turn.example.org", username="", credential="")
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[server]))
        assert pc.getConfiguration().iceServers == [server]
        await pc.close()

    run(main())


def test_rtcp_mux_policy_negotiate_not_supported():
    """webrtc-pc 4.2: "negotiate" is no longer in RTCRtcpMuxPolicy."""
    with pytest.raises(omnirtc.NotSupportedError, match="rtcpMuxPolicy"):
        RTCPeerConnection(RTCConfiguration(rtcpMuxPolicy="negotiate"))


def test_setRemoteDescription_without_rtcp_mux():
    """webrtc-pc 4.2.4 / JSEP 5.8: an offer without rtcp-mux under "require" is an InvalidAccessError."""

    async def main():
        offerer = RTCPeerConnection(loopback_config())
        offerer.addTransceiver("audio")
        offer = await offerer.createOffer()
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(omnirtc.InvalidAccessError, match="rtcp-mux"):
            await pc.setRemoteDescription(RTCSessionDescription(re.sub(r"a=rtcp-mux\r\n", "", offer.sdp), "offer"))
        assert pc.signalingState == "stable"
        await pc.setRemoteDescription(offer)
        assert pc.signalingState == "have-remote-offer"
        await pc.close()
        await offerer.close()

    run(main())


def test_getConfiguration():
    """webrtc-pc 4.4.1.6: the members as given, defaults for the others."""

    async def main():
        servers = [RTCIceServer(urls="stun:stun.example.org"), RTCIceServer(urls=["stun:a", "stun:b"])]
        pc = RTCPeerConnection(replace(loopback_config(), iceServers=servers, bundlePolicy="max-bundle"))
        config = pc.getConfiguration()
        assert config.iceServers == servers
        assert (config.bundlePolicy, config.iceTransportPolicy, config.rtcpMuxPolicy) == ("max-bundle", "all", "require")
        assert config.iceCandidatePoolSize == 0 and config.certificates == []
        assert config.omnirtc == loopback_config().omnirtc
        await pc.close()
        assert pc.getConfiguration().bundlePolicy == "max-bundle"

    run(main())


def test_setConfiguration_rules():
    """webrtc-pc 4.4.1.6 "set a configuration": what may not change, and what may."""

    async def main():
        same = replace(loopback_config(), bundlePolicy="max-bundle", iceCandidatePoolSize=1)
        pc = RTCPeerConnection(same)
        for changed, key in [
            (replace(same, bundlePolicy="balanced"), "bundlePolicy"),
            (replace(same, omnirtc={"mdns": "gather"}), "omnirtc"),
            (replace(same, certificates=["not the one in use"]), "certificates"),
        ]:
            with pytest.raises(omnirtc.InvalidModificationError, match=key):
                pc.setConfiguration(changed)
        with pytest.raises(omnirtc.InvalidSyntaxError):
            pc.setConfiguration(replace(same, iceServers=[RTCIceServer(urls="stun.example.org")]))
        pc.setConfiguration(replace(same, iceCandidatePoolSize=2, iceTransportPolicy="relay"))
        assert pc.getConfiguration().iceTransportPolicy == "relay"
        pc.createDataChannel("x")
        await pc.setLocalDescription(await pc.createOffer())
        with pytest.raises(omnirtc.InvalidModificationError, match="iceCandidatePoolSize"):
            pc.setConfiguration(replace(same, iceCandidatePoolSize=3, iceTransportPolicy="relay"))
        servers = [RTCIceServer(urls="stun:stun.example.org")]
        pc.setConfiguration(replace(same, iceCandidatePoolSize=2, iceTransportPolicy="relay", iceServers=servers))
        assert pc.getConfiguration().iceServers == servers
        await pc.close()
        with pytest.raises(omnirtc.InvalidStateError):
            pc.setConfiguration(same)

    run(main())


def _turn_server(min_port: int) -> TurnServer:
    return TurnServer({
        "listeners": [{"transport": "udp", "address": "127.0.0.1:0"}],
        "relay": {"address": "127.0.0.1", "minPort": min_port, "maxPort": min_port + 499},
        "users": {"alice": "wonder"},
    })


def _relay_through(server: TurnServer) -> RTCConfiguration:
    url = f"turn:{server.addresses[0][1]}"
    return replace(loopback_config(), iceServers=[RTCIceServer(urls=url, username="alice", credential="wonder")],
                   iceTransportPolicy="relay")


def test_setConfiguration_ice_servers_then_restartIce():
    """webrtc-pc 4.4.1.6: new iceServers mid-call, restartIce(), and the call goes on through them."""

    async def main():
        async with _turn_server(55000) as first, _turn_server(55500) as second:
            a, b, local, remote = await open_pair(_relay_through(first))
            assert second.stats()["allocationsCreated"] == 0

            for pc in (a, b):
                pc.setConfiguration(_relay_through(second))
            a.restartIce()
            await connect(a, b)
            await wait_for(lambda: second.stats()["allocationsCreated"] >= 2)
            message = event_future(remote, "message")
            local.send("after the restart")
            assert await asyncio.wait_for(message, TIMEOUT) == "after the restart"
            pair = await selected_pair(a)
            candidate = (await a.getStats())[pair.localCandidateId]
            assert candidate.candidateType == "relay" and 55500 <= candidate.port < 56000, candidate
            await wait_for(lambda: second.stats()["bytesRelayed"] > 0)
            await a.close()
            await b.close()

    run(main())
