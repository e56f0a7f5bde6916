"""REMB between two Python peers: the receiver's requestBitrate is the
sender's targetbitrate event; errors for what cannot send one."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from conftest import TIMEOUT, loopback_config, run, wait_for
from omnirtc import (
    BitrateTarget,
    InvalidArgumentError,
    InvalidHandleError,
    InvalidStateError,
    LocalTrack,
    RTCPeerConnection,
    RemoteStreamTrack,
)
from test_media import connected, vp8_frame


async def media_pair(interceptors: list[str]):
    """a sends a video and an audio track to b; returns both peers, what a's
    targetbitrate events carried, b's remote tracks by kind and the task
    that keeps sending."""
    config = loopback_config(interceptors=interceptors)
    a, b = RTCPeerConnection(config), RTCPeerConnection(config)
    tracks = [LocalTrack("vp8", id="cam"), LocalTrack("opus", id="mic")]
    for track in tracks:
        a.addTrack(track)
    targets: list[BitrateTarget] = []
    a.on("targetbitrate", targets.append)
    remote: dict[str, RemoteStreamTrack] = {}
    b.on("track", lambda track: remote.setdefault(track.kind, track))
    await connected(a, b)

    async def send() -> None:
        for i in range(100_000):
            for track in tracks:
                track.write_sample(vp8_frame(i, 300), 0.02)
            await asyncio.sleep(0.02)

    sending = asyncio.ensure_future(send())
    # unmuted: their first packets came, so the video's SSRC is known (the tracks come at setRemoteDescription)
    await wait_for(lambda: len(remote) == 2 and not any(t.muted for t in remote.values()))
    return a, b, targets, remote, sending, tracks


async def close(a, b, sending, tracks) -> None:
    sending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sending
    await a.close()
    await b.close()
    for track in tracks:
        track.stop()


def test_remb_from_the_receiver_is_the_senders_target_bitrate(counters_back):
    async def main():
        a, b, targets, remote, sending, tracks = await media_pair(["nack", "rtcpReports", "remb"])
        assert " goog-remb\r\n" in a.localDescription.sdp
        video = remote["video"]
        video.requestBitrate(500_000)  # 250000 * 2: exact in REMB's 18-bit mantissa
        await wait_for(lambda: len(targets) == 1)
        mid = a.getTransceivers()[0].mid
        assert targets[0] == BitrateTarget(500_000, "remb", [video.ssrc], [mid])
        video.requestBitrate(1_234_567)  # sent as 154320 * 2^3
        await wait_for(lambda: len(targets) == 2)
        assert targets[1].bitrate == 1_234_560

        with pytest.raises(InvalidArgumentError, match="positive"):
            video.requestBitrate(0)
        with pytest.raises(InvalidArgumentError, match="positive"):
            video.requestBitrate(-1)
        with pytest.raises(TypeError, match="int"):
            video.requestBitrate(1.5e6)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="2\\*\\*63"):
            video.requestBitrate(2**64)
        with pytest.raises(InvalidStateError, match="video"):
            remote["audio"].requestBitrate(64_000)
        await close(a, b, sending, tracks)
        with pytest.raises(InvalidHandleError):
            video.requestBitrate(500_000)

    run(asyncio.wait_for(main(), TIMEOUT * 4))


def test_without_the_remb_interceptor_there_is_no_remb():
    async def main():
        a, b, targets, remote, sending, tracks = await media_pair(["nack", "rtcpReports"])
        assert "goog-remb" not in a.localDescription.sdp
        with pytest.raises(InvalidStateError, match='"remb"'):
            remote["video"].requestBitrate(500_000)
        await close(a, b, sending, tracks)

    run(main())
