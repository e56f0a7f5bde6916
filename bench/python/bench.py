"""The Python side of `./build.sh bench`: one workload on omnirtc or aiortc,
same code for both (omnirtc's API is aiortc's).

    python bench.py omnirtc|aiortc setup PAIRS | throughput MIB | rate MESSAGES | idle PEERS
        | transcode SECONDS (transcode.py: decode and re-encode 640x480 VP8, PyAV)

Output: one "name value" line per result. Runs in scripts/netns-run.sh with a
veth pair, since aiortc ignores loopback.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import os
import sys
import time

BULK_MESSAGE = 64 * 1024
SMALL_MESSAGE = 100
HIGH_WATER = 4 << 20
LOW_WATER = 1 << 20


class Pair:
    def __init__(self, stack) -> None:
        config = stack.RTCConfiguration(iceServers=[])
        self.a = stack.RTCPeerConnection(config)
        self.b = stack.RTCPeerConnection(config)
        self.bytes = 0
        self.messages = 0
        self.setup_ms = 0.0

    async def connect(self) -> "Pair":
        loop = asyncio.get_running_loop()
        opened, remote_open = loop.create_future(), loop.create_future()
        self.local = self.a.createDataChannel("bench")
        self.local.on("open", lambda: opened.set_result(None))

        @self.b.on("datachannel")
        def on_datachannel(channel) -> None:
            channel.on("message", self._count)
            if channel.readyState == "open":
                remote_open.set_result(None)
            else:
                channel.on("open", lambda: remote_open.set_result(None))

        started = time.perf_counter()
        await self.a.setLocalDescription(await self.a.createOffer())
        await self.b.setRemoteDescription(self.a.localDescription)
        await self.b.setLocalDescription(await self.b.createAnswer())
        await self.a.setRemoteDescription(self.b.localDescription)
        await asyncio.wait_for(asyncio.gather(opened, remote_open), 30)
        self.setup_ms = (time.perf_counter() - started) * 1e3
        return self

    def _count(self, message) -> None:
        self.bytes += len(message)
        self.messages += 1

    async def close(self) -> None:
        await self.a.close()
        await self.b.close()


async def setup(stack, pairs: int) -> None:
    ms = []
    for _ in range(pairs):
        pair = await Pair(stack).connect()
        ms.append(pair.setup_ms)
        await pair.close()
    ms.sort()
    print(f"setup_median_ms {ms[pairs // 2]:.2f}\nsetup_p95_ms {ms[pairs * 95 // 100]:.2f}")


async def send_all(stack, size: int, count: int) -> float:
    """Sends count messages, at most HIGH_WATER buffered; returns the seconds
    until the remote received them all."""
    pair = await Pair(stack).connect()
    local = pair.local
    local.bufferedAmountLowThreshold = LOW_WATER
    low = asyncio.Event()
    local.on("bufferedamountlow", low.set)
    message = b"x" * size
    started = time.perf_counter()
    for _ in range(count):
        if local.bufferedAmount > HIGH_WATER:
            low.clear()
            if local.bufferedAmount > LOW_WATER:
                await low.wait()
        local.send(message)
    while pair.messages < count:
        await asyncio.sleep(0.001)
    seconds = time.perf_counter() - started
    if pair.bytes != size * count:
        raise SystemExit(f"received {pair.bytes} bytes, sent {size * count}")
    await pair.close()
    return seconds


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def idle(stack, peers: int) -> None:
    gc.collect()
    base = rss_kib()
    keep = [await Pair(stack).connect() for _ in range(peers // 2)]
    await asyncio.sleep(5)
    gc.collect()
    print(f"idle_peers {2 * len(keep)}\nidle_rss_kib_per_peer {(rss_kib() - base) / (2 * len(keep)):.1f}")
    sys.stdout.flush()
    os._exit(0)  # tearing down the peers is not what is measured


async def main(impl: str, workload: str, n: int) -> None:
    stack = importlib.import_module(impl)
    if workload == "setup":
        await setup(stack, n)
    elif workload == "throughput":
        print(f"throughput_mib_s {n / await send_all(stack, BULK_MESSAGE, n * 16):.1f}")
    elif workload == "rate":
        print(f"rate_msgs_s {n / await send_all(stack, SMALL_MESSAGE, n):.0f}")
    elif workload == "idle":
        await idle(stack, n)
    elif workload == "transcode":
        from transcode import transcode

        await transcode(stack, n, rss_kib)
    else:
        raise SystemExit(f"unknown workload {workload}")


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("omnirtc", "aiortc"):
        raise SystemExit(__doc__)
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
