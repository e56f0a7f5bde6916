"""The library-side interop agent in Python: the omnirtc binding's asyncio API
speaking the interop protocol (PROTOCOL.md) as JSON lines on stdin and stdout.

Like aiortc, setLocalDescription waits for ICE gathering, so the SDP sent
carries every candidate and none is trickled."""
from __future__ import annotations

import asyncio
import json
import random
import sys
import threading
import zlib
from typing import Any, Callable, Optional

import omnirtc
from omnirtc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, candidate_from_sdp

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


class Agent:
    def __init__(self) -> None:
        self.pc: Optional[RTCPeerConnection] = None
        self.channels: dict[str, Any] = {}
        self.received: dict[str, Tally] = {}
        self.expects: list[tuple[str, int, int]] = []
        self.signaling = asyncio.Lock()

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
            emit({"ev": "open", "label": label})
        else:
            channel.on("open", lambda: emit({"ev": "open", "label": label}))
        channel.on("close", lambda: emit({"ev": "close", "label": label}))

        @channel.on("message")
        def on_message(data: bytes | str) -> None:
            binary = not isinstance(data, str)
            self.tally(label).add(data if binary else data.encode(), binary)
            self.settle()

    async def describe(self, kind: str, ice_restart: bool = False) -> None:
        pc = self.pc
        assert pc is not None
        desc = await pc.createOffer(iceRestart=ice_restart) if kind == "offer" else await pc.createAnswer()
        await pc.setLocalDescription(desc)
        emit({"ev": "signal", "signal": {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp}})

    # --- operations ---------------------------------------------------------
    async def op_create(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc = RTCPeerConnection(RTCConfiguration(omnirtc=(m.get("config") or {}).get("omnirtc", {})))
        pc.on("datachannel", lambda channel: self.adopt(channel, True))
        pc.on("signalingstatechange", lambda: emit({"ev": "signaling", "state": pc.signalingState}))
        pc.on("iceconnectionstatechange", lambda: emit({"ev": "ice", "state": pc.iceConnectionState}))
        pc.on("connectionstatechange", lambda: emit({"ev": "connection", "state": pc.connectionState}))
        return {}

    async def op_channel(self, m: dict[str, Any]) -> dict[str, Any]:
        assert self.pc is not None
        self.adopt(self.pc.createDataChannel(m["label"], **(m.get("init") or {})), False)
        return {}

    async def op_offer(self, m: dict[str, Any]) -> dict[str, Any]:
        async with self.signaling:
            await self.describe("offer", bool(m.get("iceRestart")))
        return {}

    async def op_signal(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc
        assert pc is not None
        async with self.signaling:
            if m["type"] == "candidate":
                candidate = candidate_from_sdp(m["candidate"])
                candidate.sdpMid = m.get("sdpMid")
                candidate.sdpMLineIndex = m.get("sdpMLineIndex")
                await pc.addIceCandidate(candidate)
            else:
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
        await self.pc.close()
        return {}

    async def op_state(self, m: dict[str, Any]) -> dict[str, Any]:
        pc = self.pc
        assert pc is not None
        return {"signaling": pc.signalingState, "ice": pc.iceConnectionState, "connection": pc.connectionState,
                "maxMessageSize": pc.sctp.maxMessageSize if pc.connectionState != "closed" else None,
                "channels": {label: c.readyState for label, c in self.channels.items()}}

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
    if agent.pc is not None:
        await agent.pc.close()


if __name__ == "__main__":
    asyncio.run(main())
