"""A one-room broadcast over WHIP and WHEP (RFC 9725): one publisher's video
reaches every viewer, forwarded as RTP, never decoded on the server.

    python whip_broadcast.py          # the room, a publisher of a generated
                                      # video and two viewers, in one process
    python whip_broadcast.py serve    # only the room, on 127.0.0.1:8080, for
                                      # OBS (WHIP) and WHEP players

The publisher and the viewers need PyAV (pip install omnirtc[media]); the
room does not.
"""

import asyncio
import sys

from omnirtc import (
    LocalTrack,
    RTCConfiguration,
    RTCPeerConnection,
    RTCSessionDescription,
    WhipServer,
    whep_play,
    whip_publish,
)

CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})
TOKEN = "secret"


class Room:
    """Every WHIP publisher's RTP goes out on one track, which each WHEP viewer receives; a viewer's keyframe
    request (a new viewer's decoder starts with one) goes to the publisher."""

    def __init__(self, server):
        self.server = server
        self.track = LocalTrack("video/VP8", mode="rtp")
        self.source = None  # the publisher's remote track
        self.forwarding = set()
        server.on("session", self.offer)

    async def offer(self, offer):
        pc = RTCPeerConnection(CONFIG)
        if offer.path.endswith("/whip"):
            pc.setTrackReceive("rtp")  # packets as they come: forwarded, not decoded
            pc.on("track", self.forward)
        else:  # a viewer's offer: the room's track on its receive-only transceiver
            await pc.setRemoteDescription(RTCSessionDescription(offer.sdp, "offer"))
            pc.addTrack(self.track).on("keyframerequest", self.keyframe)
        await self.server.answer(offer, pc)

    def keyframe(self, kind, rid):
        if self.source is not None:
            self.source.requestKeyframe()

    def forward(self, remote):
        self.source = remote

        async def run():
            while True:
                self.track.write_rtp(await remote.recv())

        task = asyncio.ensure_future(run())
        self.forwarding.add(task)
        remote.on("ended", task.cancel)

    def close(self):
        for task in self.forwarding:
            task.cancel()
        self.track.stop()


async def publish(url):
    """A publisher of a generated video: 320x240 frames of one colour."""
    import av
    import numpy

    from omnirtc import VideoStreamTrack

    class Colour(VideoStreamTrack):
        async def recv(self):
            pts, time_base = await self.next_timestamp()
            image = numpy.full((240, 320, 3), (40, 90, 220), numpy.uint8)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            return frame

    pc = RTCPeerConnection(CONFIG)
    pc.addTransceiver(Colour(), direction="sendonly")
    return pc, await whip_publish(url + "/whip", pc, token=TOKEN)


async def view(url, name, frames):
    """A viewer: plays the room over WHEP and reports the first frames it decodes."""
    pc = RTCPeerConnection(CONFIG)
    arrived = asyncio.get_running_loop().create_future()
    pc.on("track", lambda track: track.kind != "video" or arrived.done() or arrived.set_result(track))
    session = await whep_play(url + "/whep", pc, token=TOKEN)
    track = await asyncio.wait_for(arrived, 20)
    decoded = [await asyncio.wait_for(track.recv(), 20) for _ in range(frames)]
    last = decoded[-1].to_ndarray(format="rgb24")[120, 160]
    print(f"{name}: {len(decoded)} frames {decoded[-1].width}x{decoded[-1].height}, colour {tuple(int(c) for c in last)}")
    await session.close()
    await pc.close()


async def demo():
    async with WhipServer({"token": TOKEN}) as server:
        room = Room(server)
        publisher, published = await publish(server.url)
        await asyncio.gather(view(server.url, "viewer 1", 30), view(server.url, "viewer 2", 30))
        await published.close()
        await publisher.close()
        room.close()


async def serve():
    async with WhipServer({"token": TOKEN, "address": "127.0.0.1:8080"}) as server:
        room = Room(server)
        print(f"publish to {server.url}/whip, play {server.url}/whep, bearer token {TOKEN!r}; Ctrl+C stops")
        try:
            await asyncio.Event().wait()
        finally:
            room.close()


if __name__ == "__main__":
    try:
        asyncio.run(serve() if sys.argv[1:] == ["serve"] else demo())
    except KeyboardInterrupt:
        pass
