"""The library-side interop agent in Python: the omnirtc binding's asyncio API
speaking the interop protocol (PROTOCOL.md) as JSON lines on stdin and stdout.

Like aiortc, setLocalDescription waits for ICE gathering, so the SDP sent
carries every candidate and none is trickled."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import sys
import threading
import zlib
from typing import Any, Callable, Optional

import omnirtc
from omnirtc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription, candidate_from_sdp
from omnirtc.mediafile import MediaReader
from omnirtc.mediastreams import LocalTrack, MediaStreamError, RemoteStreamTrack

HIGH_WATER = 1 << 20
TEXT_UNIT = "héllo wörld ✓ "  # 14 characters, 18 UTF-8 bytes


def emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class Tally:
    """Count, bytes, stream CRC-32 and the sum of per-message CRCs."""

    def __init__(self) -> None:
        self.count = self.bytes = self.crc = self.sum = self.text = self.binary = 0

    def add(self, data: bytes, binary: bool) -> None:
        self.count += 1
        self.bytes += len(data)
        self.crc = zlib.crc32(data, self.crc)
        self.sum = (self.sum + zlib.crc32(data)) & 0xFFFFFFFF
        if binary:
            self.binary += 1
        else:
            self.text += 1

    def result(self) -> dict[str, int]:
        return dict(vars(self))


def payload(binary: bool, size: int, i: int) -> bytes | str:
    if binary:
        return random.Random(i).randbytes(size)
    text = f"{i} " + TEXT_UNIT * (size // 14 + 1)
    return text[: max(1, size * 14 // 18)]


def has_start_code(p: bytes, i: int) -> bool:
    return p[i : i + 3] == b"\0\0\1" or p[i : i + 4] == b"\0\0\0\1"


class TrackTally:
    """The frames of one received track, each checked against its codec's
    bitstream: VP8's frame tag and keyframe header (RFC 6386 9.1), H264's
    Annex-B NAL units (a keyframe with an SPS and an IDR slice), Opus's TOC byte."""

    def __init__(self, track: RemoteStreamTrack) -> None:
        self.track = track
        self.kind, self.rid, self.mime = track.kind, track.rid, track.codec.get("mimeType", "")
        self.frames = self.keyframes = self.bytes = self.lost = self.valid = self.idr = 0
        self.width = self.height = 0
        self.ended = False

    def add(self, p: bytes, keyframe: bool, lost: int) -> None:
        if not self.frames:  # the received codec: the track event's is the description's first
            self.mime = self.track.codec.get("mimeType", self.mime)
        self.frames += 1
        self.bytes += len(p)
        self.lost += max(lost, 0)
        self.keyframes += int(keyframe)
        mime, ok = self.mime.lower(), False
        if mime == "video/vp8" and len(p) >= 3:
            tag = p[0] | p[1] << 8 | p[2] << 16
            ok = (tag >> 5) & 0x7FFFF <= len(p) - 3
            if not tag & 1:
                ok = ok and len(p) >= 10 and p[3:6] == b"\x9d\x01\x2a"
                if ok:
                    self.width = (p[6] | p[7] << 8) & 0x3FFF
                    self.height = (p[8] | p[9] << 8) & 0x3FFF
                    ok = self.width > 0 and self.height > 0
        elif mime == "video/h264":
            types, i, bad = [], 0, False
            while i < len(p):
                if has_start_code(p, i):
                    i += 3 if p[i + 2] == 1 else 4
                    if i >= len(p) or p[i] & 0x80:
                        bad = True
                        break
                    types.append(p[i] & 0x1F)
                i += 1
            ok = not bad and bool(types) and has_start_code(p, 0)
            if keyframe and 7 in types and 5 in types:
                self.idr += 1
        elif mime == "audio/opus":
            ok = len(p) >= 1
        self.valid += int(ok)

    def result(self) -> dict[str, Any]:
        return {"kind": self.kind, "rid": self.rid, "mimeType": self.mime, "frames": self.frames,
                "keyframes": self.keyframes, "bytes": self.bytes, "lost": self.lost, "valid": self.valid,
                "idrKeyframes": self.idr, "width": self.width, "height": self.height, "ended": self.ended}


class Agent:
    def __init__(self) -> None:
        self.pc: Optional[RTCPeerConnection] = None
        self.channels: dict[str, Any] = {}
        self.received: dict[str, Tally] = {}
        self.expects: list[tuple[str, int, int]] = []
        self.signaling = asyncio.Lock()
        self.tracks: list[TrackTally] = []
        self.players: list[asyncio.Task[None]] = []
        self.local_tracks: list[LocalTrack] = []
        self.remote_video: list[RemoteStreamTrack] = []
        self.targets: list[dict[str, Any]] = []  # what each targetbitrate event carried
        self.tones: list[dict[str, Any]] = []  # {tone, duration} per DTMF tone received
        self.perfect: Optional[dict[str, Any]] = None  # {polite, rollback} in perfect-negotiation mode
        self.ignore_offer = False

    def tally(self, label: str) -> Tally:
        return self.received.setdefault(label, Tally())

    def settle(self) -> None:
        for e in list(self.expects):
            label, count, id_ = e
            if self.tally(label).count >= count:
                self.expects.remove(e)
                emit({"id": id_, "ok": True, **self.tally(label).result()})

    def adopt(self, channel: Any, remote: bool) -> None:
        label = channel.label
        self.channels[label] = channel
        if remote:
            emit({"ev": "channel", "label": label, "ordered": channel.ordered, "protocol": channel.protocol,
                  "maxRetransmits": channel.maxRetransmits, "maxPacketLifeTime": channel.maxPacketLifeTime})
        if channel.readyState == "open":
            emit({"ev": "open", "label": label, "sctpId": channel.id})
        else:
            channel.on("open", lambda: emit({"ev": "open", "label": label, "sctpId": channel.id}))
        channel.on("close", lambda: emit({"ev": "close", "label": label}))

        @channel.on("message")
        def on_message(data: bytes | str) -> None:
            binary = not isinstance(data, str)
            self.tally(label).add(data if binary else data.encode(), binary)
            self.settle()

    async def describe(self, kind: str, ice_restart: bool = False) -> None:
        pc = self.pc
        assert pc is not None
        if self.perfect:
            await pc.setLocalDescription()  # the implicit form, as the example
        else:
            desc = await pc.createOffer(iceRestart=ice_restart) if kind == "offer" else await pc.createAnswer()
            await pc.setLocalDescription(desc)
        emit({"ev": "signal", "signal": {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp}})

    # --- operations ---------------------------------------------------------
    async def op_create(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc = RTCPeerConnection(RTCConfiguration(omnirtc=(m.get("config") or {}).get("omnirtc", {})))
        pc.on("datachannel", lambda channel: self.adopt(channel, True))
        pc.on("track", self.on_track)
        pc.on("targetbitrate", lambda t: self.targets.append(dataclasses.asdict(t)))
        pc.on("signalingstatechange", lambda: emit({"ev": "signaling", "state": pc.signalingState}))
        pc.on("negotiationneeded", lambda: emit({"ev": "negotiationneeded"}))
        pc.on("iceconnectionstatechange", lambda: emit({"ev": "ice", "state": pc.iceConnectionState}))
        pc.on("connectionstatechange", lambda: emit({"ev": "connection", "state": pc.connectionState}))
        return {}

    async def op_channel(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        self.adopt(self.pc.createDataChannel(m["label"], **(m.get("init") or {})), False)
        return {}

    async def op_offer(self, m: dict[str, Any]) -> dict[str, Any]:
        async with self.signaling:
            assert self.pc is not None
            if self.perfect and self.pc.signalingState != "stable":  # made on negotiationneeded: none unless stable
                emit({"ev": "skipped"})
            else:
                await self.describe("offer", bool(m.get("iceRestart")))
        return {}

    async def op_setConfiguration(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        config = m["config"]
        self.pc.setConfiguration(dataclasses.replace(
            self.pc.getConfiguration(), iceServers=[RTCIceServer(**s) for s in config.get("iceServers", [])],
            iceTransportPolicy=config.get("iceTransportPolicy", "all")))
        return {}

    async def op_perfect(self, m: dict[str, Any]) -> dict[str, Any]:
        self.perfect = {"polite": bool(m.get("polite")), "rollback": m.get("rollback")}
        return {}

    async def op_signal(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc
        assert pc is not None
        async with self.signaling:
            if m["type"] == "candidate":
                candidate = candidate_from_sdp(m["candidate"])
                candidate.sdpMid = m.get("sdpMid")
                candidate.sdpMLineIndex = m.get("sdpMLineIndex")
                try:
                    await pc.addIceCandidate(candidate)
                except omnirtc.Error:
                    if not self.ignore_offer:
                        raise
            else:
                if self.perfect:
                    # W3C webrtc-pc 10.7: steps run one at a time here, so "making
                    # an offer" is having one applied, a signaling state not stable.
                    collision = m["type"] == "offer" and pc.signalingState != "stable"
                    self.ignore_offer = not self.perfect["polite"] and collision
                    if self.ignore_offer:
                        emit({"ev": "ignored", "type": m["type"]})
                        return {}
                    if collision and self.perfect["rollback"] == "explicit":
                        await pc.setLocalDescription(RTCSessionDescription("", "rollback"))
                        emit({"ev": "rolledBack", "state": pc.signalingState})
                await pc.setRemoteDescription(RTCSessionDescription(m["sdp"], m["type"]))
                if m["type"] == "offer":
                    await self.describe("answer")
        return {}

    async def op_send(self, m: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels[m["label"]]
        sent = Tally()
        for i in range(m["count"]):
            if m.get("pace"):
                await asyncio.sleep(0.002)
            while channel.bufferedAmount > HIGH_WATER:
                await asyncio.sleep(0.005)
            data = payload(m["binary"], m["size"], i)
            channel.send(data)
            sent.add(data if isinstance(data, bytes) else data.encode(), m["binary"])
        return sent.result()

    async def op_expect(self, m: dict[str, Any]) -> None:
        self.expects.append((m["label"], m["count"], m["id"]))
        self.settle()

    async def op_close(self, m: dict[str, Any]) -> dict[str, Any]:
        self.channels[m["label"]].close()
        return {}

    async def op_closePeer(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        self.stop_media()
        await self.pc.close()
        return {}

    async def op_state(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc
        assert pc is not None
        return {"signaling": pc.signalingState, "ice": pc.iceConnectionState, "connection": pc.connectionState,
                "maxMessageSize": pc.sctp.maxMessageSize if pc.connectionState != "closed" else None,
                "channels": {label: c.readyState for label, c in self.channels.items()}}

    # --- media ----------------------------------------------------------------
    def on_track(self, track: RemoteStreamTrack) -> None:
        tally = TrackTally(track)
        self.tracks.append(tally)
        if track.kind == "video":
            self.remote_video.append(track)
        emit({"ev": "track", "kind": track.kind, "rid": track.rid, "id": track.id, "codec": track.codec})
        track.on("dtmf", lambda tone, duration: self.tones.append({"tone": tone, "duration": duration}))

        async def read() -> None:
            try:
                while True:
                    frame = await track.recvEncoded()
                    tally.add(frame.data, frame.keyframe, frame.lost)
            except MediaStreamError:
                tally.ended = True

        task = asyncio.ensure_future(read())
        self.players.append(task)

    async def play(self, path: str, track: LocalTrack) -> None:
        """Plays a file to the track in real time, from the start again at its end."""
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            with MediaReader(path) as reader:
                for frame in reader:
                    track.write_sample(frame.data, frame.duration)
                    due += frame.duration or 0.02
                    await asyncio.sleep(max(0.0, due - loop.time()))

    async def op_sendMedia(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        for path in m["files"]:
            with MediaReader(path) as reader:
                codec = reader.info["codec"]
            track = LocalTrack(codec, streamId="omnirtc-interop")
            self.pc.addTrack(track)
            self.local_tracks.append(track)
            self.players.append(asyncio.ensure_future(self.play(path, track)))
        return {}

    async def op_tracks(self, m: dict[str, Any]) -> dict[str, Any]:
        return {"tracks": [t.result() for t in self.tracks]}

    async def op_targets(self, m: dict[str, Any]) -> dict[str, Any]:
        return {"targets": self.targets}

    async def op_dtmf(self, m: dict[str, Any]) -> dict[str, Any]:
        return {"tones": self.tones}

    async def op_insertDTMF(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        sender = next(s for s in self.pc.getSenders() if s.track is not None and s.track.kind == "audio")
        dtmf = sender.dtmf
        assert dtmf is not None
        can_insert = dtmf.can_insert_dtmf
        done: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        changes: list[str] = []

        def changed(tone: str) -> None:
            changes.append(tone)
            if tone == "" and not done.done():
                done.set_result(changes)

        dtmf.on("tonechange", changed)
        try:
            dtmf.insert_dtmf(m["tones"], m.get("duration", 100), m.get("interToneGap", 70))
            return {"tones": await done, "canInsertDTMF": can_insert}
        finally:
            dtmf.remove_listener("tonechange", changed)

    async def op_requestBitrate(self, m: dict[str, Any]) -> dict[str, Any]:
        for track in self.remote_video:
            track.requestBitrate(m["bitrate"])
        return {"tracks": len(self.remote_video)}

    async def op_stats(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        report = await self.pc.getStats()
        return {"report": {key: dict(value) for key, value in report.items()}}

    def stop_media(self) -> None:
        for task in self.players:
            task.cancel()
        for track in self.local_tracks:
            track.stop()
        self.players.clear()
        self.local_tracks.clear()

    async def handle(self, m: dict[str, Any]) -> None:
        try:
            op: Optional[Callable[[dict[str, Any]], Any]] = getattr(self, "op_" + m["op"], None)
            if op is None:
                raise ValueError(f"unknown op {m['op']!r}")
            result = await op(m)
            if result is not None:
                emit({"id": m["id"], "ok": True, **result})
        except Exception as error:  # reported to the runner, which decides
            emit({"id": m["id"], "error": f"{type(error).__name__}: {error}"})


async def main() -> None:
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[Optional[str]] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read, daemon=True).start()
    agent = Agent()
    emit({"ev": "hello", "userAgent": f"omnirtc-python/{omnirtc.__version__}"})
    tasks = set()
    while (line := await lines.get()) is not None:
        task = asyncio.create_task(agent.handle(json.loads(line)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    agent.stop_media()
    if agent.pc is not None:
        await agent.pc.close()


if __name__ == "__main__":
    asyncio.run(main())
