"""Bad arguments of every kind raise the documented exception, never crash."""

from __future__ import annotations

import asyncio

import pytest

import omnirtc
from omnirtc import _abi, _native
from omnirtc.exceptions import BY_STATUS
from conftest import TIMEOUT, open_pair, run, loopback_config
from omnirtc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription


def test_configuration_errors_name_the_key():
    async def main():
        with pytest.raises(TypeError):
            RTCPeerConnection(configuration="stun:x")  # type: ignore[arg-type]
        with pytest.raises(omnirtc.InvalidConfigError, match="mdsn"):
            RTCPeerConnection(RTCConfiguration(omnirtc={"mdsn": "disabled"}))
        with pytest.raises(omnirtc.InvalidConfigError, match="iceTransportPolicy"):
            RTCPeerConnection(RTCConfiguration(iceTransportPolicy="none"))
        with pytest.raises(omnirtc.InvalidSyntaxError, match=r"iceServers\[0\]\.urls") as info:
            RTCPeerConnection(RTCConfiguration(iceServers=[RTCIceServer("http://not-ice")]))  # webrtc-pc 4.2
        assert info.value.status == _abi.OMNIRTC_ERR_INVALID_SYNTAX and info.value.message
        with pytest.raises(TypeError):
            RTCPeerConnection(RTCConfiguration(iceServers=["stun:x"]))  # type: ignore[list-item]

    run(main())


@pytest.mark.parametrize(
    "options",
    [
        {"maxRetransmits": 1, "maxPacketLifeTime": 1},
        {"maxRetransmits": -1},
        {"maxPacketLifeTime": 65536},
        {"negotiated": True},
        {"negotiated": True, "id": 65535},  # reserved
        {"negotiated": True, "id": 70000},
    ],
)
def test_data_channel_init_rules_are_the_librarys(options):
    """RTCDataChannelInit is checked once, by the library: its status and message."""

    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(omnirtc.InvalidArgumentError, match="data channel options") as error:
            pc.createDataChannel("x", **options)
        assert error.value.status == -1
        await pc.close()

    run(main())


def test_data_channel_argument_errors():
    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(TypeError):
            pc.createDataChannel(5)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            pc.createDataChannel("x", maxRetransmits=1, maxPacketLifeTime=1)
        with pytest.raises(ValueError):
            pc.createDataChannel("x", maxRetransmits=-1)
        with pytest.raises(TypeError):
            pc.createDataChannel("x", maxRetransmits="3")  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            pc.createDataChannel("x", negotiated=True)
        with pytest.raises(ValueError):
            pc.createDataChannel("x", id=70000, negotiated=True)
        with pytest.raises(ValueError):
            pc.createDataChannel("nul\0inside")
        with pytest.raises(ValueError):
            pc.createDataChannel("\ud800")  # lone surrogate: not UTF-8
        channel = pc.createDataChannel("x")
        with pytest.raises(omnirtc.InvalidStateError):
            channel.send("not open yet")
        with pytest.raises(TypeError):
            channel.send(123)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            channel.bufferedAmountLowThreshold = "high"  # type: ignore[assignment]
        with pytest.raises(ValueError):
            channel.bufferedAmountLowThreshold = -1
        await pc.close()

    run(main())


def test_description_and_candidate_errors():
    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(ValueError):
            RTCSessionDescription("v=0", "bogus")
        with pytest.raises(TypeError):
            await pc.setRemoteDescription("v=0")  # type: ignore[arg-type]
        with pytest.raises(omnirtc.InvalidSdpError):
            await pc.setRemoteDescription(RTCSessionDescription("garbage", "offer"))
        with pytest.raises(omnirtc.InvalidStateError):
            await pc.createAnswer()
        with pytest.raises(TypeError):
            await pc.addIceCandidate("candidate:1 1 udp 1 1.2.3.4 5 typ host")  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            omnirtc.candidate_from_sdp("garbage")
        other = RTCPeerConnection(loopback_config())
        other.createDataChannel("x")
        await pc.setRemoteDescription(await other.createOffer())
        bad = omnirtc.candidate_from_sdp("candidate:1 1 udp 1 300.1.1.1 5 typ host")
        bad.sdpMid = "0"  # without sdpMid or sdpMLineIndex it is refused before it is read (webrtc-pc 4.4.1.6)
        with pytest.raises(omnirtc.InvalidCandidateError):
            await pc.addIceCandidate(bad)
        await pc.close()
        await other.close()

    run(main())


def test_oversize_message_and_calls_after_close():
    async def main():
        a, b, local, remote = await open_pair()
        with pytest.raises(omnirtc.TooLargeError):
            local.send(b"x" * (a.sctp.maxMessageSize + 1))
        local.send(b"x" * a.sctp.maxMessageSize)  # exactly the maximum is fine
        await a.close()
        await a.close()  # idempotent
        with pytest.raises(omnirtc.InvalidStateError):
            await a.createOffer()
        with pytest.raises(omnirtc.InvalidStateError):
            a.createDataChannel("late")
        with pytest.raises(omnirtc.InvalidStateError):
            local.send("after close")
        assert a.localDescription is None and local.bufferedAmount == 0
        await b.close()

    run(main())


def test_errors_carry_status_and_message():
    err = omnirtc.InvalidStateError("x", -3)
    assert isinstance(err, omnirtc.Error) and err.status == -3 and err.message == "x"
    assert issubclass(omnirtc.InvalidConfigError, ValueError)


def test_every_status_of_the_header_has_its_error_class():
    statuses = {name: value for name, value in vars(_abi).items() if name.startswith("OMNIRTC_ERR_")}
    assert set(BY_STATUS) == set(statuses.values())
    for name, value in statuses.items():
        expected = "".join(word.capitalize() for word in name.removeprefix("OMNIRTC_ERR_").split("_")) + "Error"
        assert BY_STATUS[value].__name__ == expected and BY_STATUS[value].status == value
        assert _native.lib.omnirtc_status_string(value).decode() == name  # the library agrees with the header
