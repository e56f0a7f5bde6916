"""A selective forwarding server in one process: a publisher sends three simulcast layers, the
server forwards to each of two viewers the one layer it chooses, and moves a viewer to another
layer during the call (after that layer's next keyframe: the Forwarder waits for it and asks the
publisher for one).

Run: python examples/python/forward.py   (with omnirtc installed or on PYTHONPATH)
"""

import asyncio
import itertools

from omnirtc import Forwarder, LocalTrack, RTCConfiguration, RTCPeerConnection

# Loopback only, no mDNS: the example needs no network.
CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})
RIDS = ["q", "h", "f"]  # quarter, half and full resolution


async def connect(offerer: RTCPeerConnection, answerer: RTCPeerConnection) -> None:
    """In-process signaling: each description carries its candidates."""
    await offerer.setLocalDescription(await offerer.createOffer())
    await answerer.setRemoteDescription(offerer.localDescription)
    await answerer.setLocalDescription(await answerer.createAnswer())
    await offerer.setRemoteDescription(answerer.localDescription)


async def camera(track: LocalTrack) -> None:
    """Stands in for an encoder: frame i of each layer, tagged with its rid, a keyframe every 10."""
    for i in itertools.count():
        for rid in RIDS:
            keyframe = i % 10 == 0
            track.write_sample(bytes([0x00 if keyframe else 0x01]) + bytes(300) + rid.encode(), 1 / 30, rid)
        await asyncio.sleep(1 / 30)


async def main() -> None:
    publisher, server = RTCPeerConnection(CONFIG), RTCPeerConnection(CONFIG)
    server.setTrackReceive("none")  # the server only forwards: it assembles no frames
    source = LocalTrack("vp8", rids=RIDS)
    publisher.addTransceiver(source, direction="sendonly", sendEncodings=[{"rid": rid} for rid in RIDS])
    await connect(publisher, server)
    sending = asyncio.ensure_future(camera(source))

    forwarder = Forwarder(server.getTransceivers()[0])
    viewers = []
    for name, rid in (("small viewer", "q"), ("large viewer", "f")):
        out, viewer = RTCPeerConnection(CONFIG), RTCPeerConnection(CONFIG)  # server side, viewer side
        viewer.setTrackReceive("frames")  # encoded frames, not decoded pictures
        forwarded = LocalTrack("vp8", mode="rtp")  # the forwarder writes its RTP packets
        out.addTrack(forwarded)
        tracks = asyncio.get_running_loop().create_future()
        viewer.on("track", tracks.set_result)
        await connect(out, viewer)
        forwarder.addSubscriber(forwarded, rid=rid)
        viewers.append((name, await asyncio.wait_for(tracks, 10), forwarded, out, viewer))

    async def layers(track, frames: int) -> str:
        """The layers of the viewer's next frames, as the tags say."""
        tags = [(await asyncio.wait_for(track.recvEncoded(), 10)).data[-1:].decode() for _ in range(frames)]
        return "".join(tags)

    for name, track, *_ in viewers:
        print(f"{name} receives: {await layers(track, 10)}")
    name, track, forwarded, *_ = viewers[0]
    forwarder.setLayer(forwarded, rid="h")
    while (await layers(track, 1)) != "h":
        pass  # frames of q until h's next keyframe
    print(f"{name}, moved to h, receives: {await layers(track, 10)}")
    print(f"{name}'s layer: {forwarder.getLayer(forwarded)}")

    sending.cancel()
    forwarder.close()
    for _, _, forwarded, out, viewer in viewers:
        await out.close()
        await viewer.close()
        forwarded.stop()
    await publisher.close()
    await server.close()
    source.stop()


if __name__ == "__main__":
    asyncio.run(main())
