"""The `transcode SECONDS` workload of bench.py: aiortc's server example path.

a sends a 640x480 30 fps VP8 video track; b decodes each frame and sends it
back re-encoded (an echo track added before the answer, as the server example
adds its transform track); a decodes what comes back. Each frame carries its
index in a row of black and white blocks, so a can tell when the frame it
sent came back (end-to-end latency). All four codec steps run in this one
process, the same for both stacks; CPU is the process's, memory its RSS
growth for the one call (two peer connections).
"""

from __future__ import annotations

import asyncio
import time

import numpy

WIDTH, HEIGHT, FPS = 640, 480, 30
BITS, BLOCK = 12, 32  # the frame index, in blocks of 32x32 pixels along the top
WARMUP = 2.0  # seconds before measuring: connection, first keyframe, bitrate ramp


def stamped(index: int, base: numpy.ndarray) -> numpy.ndarray:
    image = base.copy()
    for bit in range(BITS):
        image[:BLOCK, bit * BLOCK:(bit + 1) * BLOCK] = 255 if index >> bit & 1 else 0
    return image


def index_of(frame) -> int:
    luma = frame.to_ndarray(format="gray")
    return sum(1 << bit for bit in range(BITS) if luma[4:BLOCK - 4, bit * BLOCK + 4:(bit + 1) * BLOCK - 4].mean() > 128)


def tracks(stack):
    import av

    class Source(stack.VideoStreamTrack):
        """Moving frames, each stamped with its index; when each was made."""

        def __init__(self) -> None:
            super().__init__()
            y, x = numpy.mgrid[0:HEIGHT, 0:WIDTH]
            self.bases = [((x + 8 * i) % 256).astype(numpy.uint8) for i in range(32)]
            self.sent: dict[int, float] = {}
            self.count = 0

        async def recv(self):
            pts, time_base = await self.next_timestamp()
            index = self.count % (1 << BITS)
            gray = stamped(index, self.bases[self.count % len(self.bases)])
            frame = av.VideoFrame.from_ndarray(numpy.repeat(gray[:, :, None], 3, axis=2), format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            self.sent[index] = time.perf_counter()
            self.count += 1
            return frame

    class Echo(stack.MediaStreamTrack):
        """The server's transform track: the remote track's frames, sent back."""

        kind = "video"

        def __init__(self) -> None:
            super().__init__()
            self.remote: asyncio.Future = asyncio.get_running_loop().create_future()

        async def recv(self):
            return await (await self.remote).recv()

    return Source, Echo


async def transcode(stack, seconds: float, rss_kib) -> None:
    Source, Echo = tracks(stack)
    base = rss_kib()
    config = stack.RTCConfiguration(iceServers=[])
    a, b = stack.RTCPeerConnection(config), stack.RTCPeerConnection(config)
    source, echo = Source(), Echo()
    back: asyncio.Future = asyncio.get_running_loop().create_future()
    a.on("track", lambda track: back.done() or back.set_result(track))
    b.on("track", lambda track: echo.remote.done() or echo.remote.set_result(track))
    a.addTrack(source)
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription)
    b.addTrack(echo)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription)
    returned = await asyncio.wait_for(back, 30)

    latencies: list[float] = []
    frames, measuring = 0, False
    started = time.perf_counter()
    while True:
        frame = await returned.recv()
        now = time.perf_counter()
        if not measuring and now - started >= WARMUP:
            measuring, frames, latencies = True, 0, []
            cpu0, t0 = time.process_time(), now
        if measuring:
            frames += 1
            sent = source.sent.get(index_of(frame))
            if sent is not None and now >= sent:
                latencies.append((now - sent) * 1e3)
            if now - t0 >= seconds:
                break
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
    rss = rss_kib() - base
    latencies.sort()
    print(f"transcode_fps {frames / wall:.1f}\ntranscode_cpu_ms_per_frame {cpu * 1e3 / max(frames, 1):.2f}")
    print(f"transcode_latency_p50_ms {latencies[len(latencies) // 2]:.1f}")
    print(f"transcode_latency_p99_ms {latencies[len(latencies) * 99 // 100]:.1f}")
    print(f"transcode_rss_kib_per_call {rss}")
    await a.close()
    await b.close()

