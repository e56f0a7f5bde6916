"""webrtc-pc 7 (Peer-to-peer DTMF) in Python: the scenarios of the Node
suite's w3c-dtmf.test.js, and the tones arriving at another of our peers
as the remote track's ``dtmf`` event."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from conftest import TIMEOUT, connect, event_future, loopback_config, run, wait_for
from omnirtc import InvalidCharacterError, InvalidStateError, LocalTrack, RTCDTMFSender, RTCPeerConnection


async def audio_call() -> tuple[RTCPeerConnection, RTCPeerConnection, Any, Any, "asyncio.Task[None]"]:
    """a sends an Opus track to b, fed with numbered 20 ms packets until the task is cancelled."""
    a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
    track = LocalTrack("opus", id="mic")
    sender = a.addTrack(track)
    remote_future = event_future(b, "track")
    await connect(a, b)
    await wait_for(lambda: a.connectionState == b.connectionState == "connected")

    async def feed() -> None:
        for i in range(1_000_000):
            track.write_sample(f"opus-{i:06d}".encode(), 0.02)
            await asyncio.sleep(0.02)

    feeding = asyncio.ensure_future(feed())
    remote = await asyncio.wait_for(remote_future, TIMEOUT)
    return a, b, sender, remote, feeding


async def hang_up(a: RTCPeerConnection, b: RTCPeerConnection, feeding: "asyncio.Task[None]") -> None:
    feeding.cancel()
    await a.close()
    await b.close()


def tone_changes(dtmf: RTCDTMFSender) -> "asyncio.Future[list[str]]":
    """The tones of dtmf's tonechange events up to the final ""."""
    future = asyncio.get_running_loop().create_future()
    tones: list[str] = []

    def changed(tone: str) -> None:
        tones.append(tone)
        if tone == "" and not future.done():
            future.set_result(tones)

    dtmf.on("tonechange", changed)
    return future


def test_dtmf_attribute_is_audio_only():
    """webrtc-pc 7.1: sender.dtmf is an RTCDTMFSender for audio, the same each time, None for video."""

    async def main():
        pc = RTCPeerConnection()
        audio = pc.addTransceiver("audio").sender
        video = pc.addTransceiver("video").sender
        assert isinstance(audio.dtmf, RTCDTMFSender) and audio.dtmf is audio.dtmf
        assert video.dtmf is None
        await pc.close()

    run(main())


def test_insert_dtmf_before_negotiation_is_invalid_state():
    """webrtc-pc 7.2: canInsertDTMF is False before negotiation and insertDTMF raises InvalidStateError."""

    async def main():
        pc = RTCPeerConnection()
        dtmf = pc.addTrack(LocalTrack("opus")).dtmf
        assert dtmf is not None and not dtmf.can_insert_dtmf
        with pytest.raises(InvalidStateError):
            dtmf.insert_dtmf("1")
        assert dtmf.tone_buffer == ""
        await pc.close()

    run(main())


def test_insert_dtmf_validates_replaces_and_fires_tonechange():
    """webrtc-pc 7.2: InvalidCharacterError, upper-cased toneBuffer, a new call replaces it, tonechange then ""."""

    async def main():
        a, b, sender, _, feeding = await audio_call()
        dtmf = sender.dtmf
        assert dtmf.can_insert_dtmf and dtmf.canInsertDTMF
        with pytest.raises(InvalidCharacterError):
            dtmf.insert_dtmf("123X")
        assert dtmf.tone_buffer == ""
        changes = tone_changes(dtmf)
        first = event_future(dtmf, "tonechange")
        dtmf.insert_dtmf("abcd", 40, 30)
        assert dtmf.tone_buffer == "ABCD"
        assert await asyncio.wait_for(first, TIMEOUT) == "A"
        assert dtmf.tone_buffer == "BCD"
        dtmf.insertDTMF("1#*,", 40, 30)
        assert dtmf.toneBuffer == "1#*,"
        assert await asyncio.wait_for(changes, TIMEOUT) == ["A", "1", "#", "*", ",", ""]
        assert dtmf.tone_buffer == ""
        await hang_up(a, b, feeding)

    run(main())


def test_remote_peer_receives_the_tones_with_their_durations():
    """webrtc-pc 7.2 and RFC 4733: the remote track's dtmf events are the tones sent, durations clamped to 40 ms."""

    async def main():
        a, b, sender, remote, feeding = await audio_call()
        received: list[str] = []
        remote.on("dtmf", lambda tone, duration: received.append(f"{tone}:{duration}"))
        frames: list[bytes] = []

        async def read() -> None:
            while True:
                frames.append((await remote.recvEncoded()).data)

        reading = asyncio.ensure_future(read())
        changes = tone_changes(sender.dtmf)
        sender.dtmf.insert_dtmf("1a#", 10, 0)
        await asyncio.wait_for(changes, TIMEOUT)
        changes = tone_changes(sender.dtmf)
        sender.dtmf.insert_dtmf("*", 250)
        await asyncio.wait_for(changes, TIMEOUT)
        await wait_for(lambda: len(received) >= 4)
        assert received == ["1:40", "A:40", "#:40", "*:250"]
        reading.cancel()
        # the audio around them: Opus packets only, none lost or reordered
        numbers = [int(f.decode().removeprefix("opus-")) for f in frames]
        assert numbers and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        await hang_up(a, b, feeding)

    run(main())
