"""SVC from Python (W3C webrtc-svc): scalabilityMode in sendEncodings and
getParameters, scalabilityModes in getCapabilities, and each received RTP
packet's spatial and temporal layer."""

from __future__ import annotations

import asyncio
import struct

import pytest

from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import LocalTrack, OperationError, RTCPeerConnection, RTCRtpSender, RTPPacket

TEMPORAL = [0, 2, 1, 2]  # L3T3's pattern of temporal layers
SPATIAL = 3


def vp9_packet(seq: int, picture: int, spatial: int, temporal: int) -> bytes:
    """One VP9 layer frame in one packet, numbered seq: a non-flexible descriptor (I L B E; P after the first
    picture; D above spatial layer 0)."""
    flags = 0xAC | (0x40 if picture else 0)
    layer = temporal << 5 | spatial << 1 | (1 if spatial else 0)
    return struct.pack("!BBHII", 0x80, 98, seq, picture * 3000, 0) + bytes([flags, picture, layer, 0, 0x82])


def test_received_vp9_packets_carry_their_layers(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        b.setTrackReceive("rtp")
        track = LocalTrack("vp9", mode="rtp")
        a.addTransceiver(track, direction="sendonly", sendEncodings=[{"scalabilityMode": "L3T3"}])
        remote_future = event_future(b, "track")
        await connect(a, b)
        await wait_for(lambda: a.connectionState == b.connectionState == "connected")
        sent = [(picture, spatial) for picture in range(len(TEMPORAL)) for spatial in range(SPATIAL)]
        for seq, (picture, spatial) in enumerate(sent, 1):
            track.write_rtp(vp9_packet(seq, picture, spatial, TEMPORAL[picture]))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        packets = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in sent]
        assert all(isinstance(p, RTPPacket) for p in packets)
        got = {
            struct.unpack("!H", p[2:4])[0]: (p.spatial_id, p.temporal_id, p.keyframe, p.switch_point) for p in packets
        }
        assert got == {
            seq: (spatial, TEMPORAL[picture], seq == 1, picture == 0)
            for seq, (picture, spatial) in enumerate(sent, 1)
        }
        await a.close()
        await b.close()
        track.stop()

    run(main())


def test_rtp_packets_of_a_codec_without_layers_say_none():
    packet = RTPPacket(b"\x80\x60" + bytes(10))
    assert packet == b"\x80\x60" + bytes(10)
    assert (packet.spatial_id, packet.temporal_id, packet.keyframe, packet.switch_point) == (None, None, None, None)


def test_scalability_mode_is_kept_and_checked():
    async def main():
        pc = RTCPeerConnection(loopback_config())
        with pytest.raises(OperationError, match="L3T3_KEY"):
            pc.addTransceiver(LocalTrack("vp8"), sendEncodings=[{"scalabilityMode": "L3T3_KEY"}])
        sender = pc.addTransceiver(LocalTrack("vp9"), sendEncodings=[{"scalabilityMode": "L3T3_KEY"}]).sender
        parameters = sender.getParameters()
        assert parameters.encodings[0].scalabilityMode == "L3T3_KEY"
        parameters.encodings[0].scalabilityMode = "L2T2"
        await sender.setParameters(parameters)
        assert sender.getParameters().encodings[0].scalabilityMode == "L2T2"
        parameters = sender.getParameters()
        parameters.encodings[0].scalabilityMode = "L9T9"
        with pytest.raises(OperationError, match="L9T9"):
            await sender.setParameters(parameters)
        await pc.close()

    run(main())


def test_capabilities_list_scalability_modes():
    codecs = {c.mimeType: c for c in RTCRtpSender.getCapabilities("video").codecs}
    assert "L3T3_KEY" in codecs["video/VP9"].scalabilityModes
    assert "L3T3_KEY" in codecs["video/AV1"].scalabilityModes
    assert codecs["video/VP8"].scalabilityModes == ["L1T1", "L1T2", "L1T3"]
    assert all(not c.scalabilityModes for c in RTCRtpSender.getCapabilities("audio").codecs)
