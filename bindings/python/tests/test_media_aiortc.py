"""Decoded media with aiortc (from PyPI), both ways: aiortc's own tracks
reach an OmniRTC peer that decodes them, OmniRTC's reach aiortc's decoders.
Peers talk over the test namespace's veth pair (see test_aiortc.py)."""

from __future__ import annotations

import asyncio

import aiortc
import av
import numpy
import omnirtc
import pytest
from conftest import TIMEOUT, event_future, run
from mediaframes import (
    GREEN,
    HEIGHT,
    RED,
    TONE_HZ,
    WIDTH,
    ColourTrack,
    ToneTrack,
    centre_colour,
    dominant_hz,
    near,
    write_clip,
)
from omnirtc.contrib.media import MediaPlayer
from test_aiortc import OMNI_CONFIG, aiortc_peer

BLUE = (40, 40, 230)


class AiortcColourTrack(aiortc.VideoStreamTrack):
    """aiortc's own VideoStreamTrack subclass, numpy frames of one colour."""

    async def recv(self) -> av.VideoFrame:
        pts, time_base = await self.next_timestamp()
        image = numpy.empty((HEIGHT, WIDTH, 3), numpy.uint8)
        image[:, :] = BLUE
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts, frame.time_base = pts, time_base
        return frame


async def negotiate(offerer, answerer, answerer_lib) -> None:
    await offerer.setLocalDescription(await offerer.createOffer())
    offer = offerer.localDescription
    await answerer.setRemoteDescription(answerer_lib.RTCSessionDescription(offer.sdp, offer.type))
    await answerer.setLocalDescription(await answerer.createAnswer())
    answer = answerer.localDescription
    offerer_lib = omnirtc if answerer_lib is aiortc else aiortc
    await offerer.setRemoteDescription(offerer_lib.RTCSessionDescription(answer.sdp, answer.type))


def aiortc_tone() -> aiortc.AudioStreamTrack:
    """ToneTrack's frames from an aiortc AudioStreamTrack subclass."""
    tone = ToneTrack()

    class Tone(aiortc.AudioStreamTrack):
        async def recv(self) -> av.AudioFrame:
            return await tone.recv()

    return Tone()


@pytest.mark.parametrize("kind", ["video", "audio"])
@pytest.mark.parametrize("sender", ["aiortc", "omnirtc"])
def test_tracks_of_one_library_arrive_decoded_at_the_other(sender, kind):
    """aiortc's own track subclasses decoded by OmniRTC, OmniRTC's decoded by aiortc."""

    async def main():
        theirs, ours = aiortc_peer(), omnirtc.RTCPeerConnection(OMNI_CONFIG)
        if sender == "aiortc":
            theirs.addTrack(AiortcColourTrack() if kind == "video" else aiortc_tone())
            offerer, receiver, receiver_lib, colour = theirs, ours, omnirtc, BLUE
        else:
            ours.addTrack(ColourTrack() if kind == "video" else ToneTrack())
            offerer, receiver, receiver_lib, colour = ours, theirs, aiortc, RED
        remote_future = event_future(receiver, "track")
        await negotiate(offerer, receiver, receiver_lib)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(40)]
        if kind == "video":
            assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
            assert near(centre_colour(frames[-1]), colour), centre_colour(frames[-1])
        else:
            assert {f.sample_rate for f in frames} == {48000}
            assert abs(dominant_hz(frames[10:]) - TONE_HZ) < 10
        await ours.close()
        await theirs.close()

    run(main())


def test_media_player_plays_a_file_to_aiortc(tmp_path):
    async def main():
        path = str(tmp_path / "clip.webm")
        write_clip(path, 90, with_audio=True)
        player = MediaPlayer(path)
        assert player.video is not None and player.audio is not None
        theirs, ours = aiortc_peer(), omnirtc.RTCPeerConnection(OMNI_CONFIG)
        ours.addTrack(player.video)
        ours.addTrack(player.audio)
        tracks: list = []
        theirs.on("track", tracks.append)
        await negotiate(ours, theirs, aiortc)
        video = next(t for t in tracks if t.kind == "video")
        frames = [await asyncio.wait_for(video.recv(), TIMEOUT) for _ in range(20)]
        assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
        assert near(centre_colour(frames[-1]), GREEN), centre_colour(frames[-1])
        audio = next(t for t in tracks if t.kind == "audio")
        assert isinstance(await asyncio.wait_for(audio.recv(), TIMEOUT), av.AudioFrame)
        await ours.close()
        await theirs.close()
        player.video.stop()
        player.audio.stop()

    run(main())


def force_codec(pc, sender, mime_type: str) -> None:
    """aiortc's server example's force_codec: only ``mime_type`` for the sender's transceiver."""
    kind = mime_type.split("/")[0]
    codecs = omnirtc.RTCRtpSender.getCapabilities(kind).codecs
    transceiver = next(t for t in pc.getTransceivers() if t.sender == sender)
    transceiver.setCodecPreferences([c for c in codecs if c.mimeType == mime_type])


@pytest.mark.parametrize("mime_type", ["video/H264", "audio/PCMU", "audio/PCMA"])
def test_frames_are_encoded_in_the_codec_the_transceiver_prefers(mime_type):
    """A track of frames is encoded in the codec negotiated for its sender, not a fixed one: aiortc decodes it."""

    async def main():
        theirs, ours = aiortc_peer(), omnirtc.RTCPeerConnection(OMNI_CONFIG)
        video = mime_type.startswith("video")
        sender = ours.addTrack(ColourTrack() if video else ToneTrack())
        force_codec(ours, sender, mime_type)
        remote_future = event_future(theirs, "track")
        await negotiate(ours, theirs, aiortc)
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        frames = [await asyncio.wait_for(remote.recv(), TIMEOUT) for _ in range(40)]
        # the only codec offered: aiortc could take no other
        assert {c.mimeType for c in theirs.getTransceivers()[0]._codecs} == {mime_type}
        if video:
            assert {(f.width, f.height) for f in frames} == {(WIDTH, HEIGHT)}
            assert near(centre_colour(frames[-1]), RED), centre_colour(frames[-1])
        else:
            assert {f.sample_rate for f in frames} == {8000}
            assert abs(dominant_hz(frames[10:]) - TONE_HZ) < 10
        await ours.close()
        await theirs.close()

    run(main())
