"""Play a media file (VP8/VP9/AV1 IVF, Opus Ogg, H264 Annex-B) from one peer
to another in this process, at real-time pace; the viewer counts frames.

    python play_file.py FILE
"""

import asyncio
import sys

from omnirtc import LocalTrack, MediaReader, RTCConfiguration, RTCPeerConnection

CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})


async def main(path: str) -> int:
    player, viewer = RTCPeerConnection(CONFIG), RTCPeerConnection(CONFIG)
    received = []

    @viewer.on("track")
    def on_track(track):
        async def read():
            while True:
                received.append(await track.recvEncoded())  # the frames as sent, not decoded

        asyncio.ensure_future(read())

    with MediaReader(path) as reader:
        print("file:", reader.info)
        track = LocalTrack(reader.info["codec"], streamId="file")
        player.addTransceiver(track, direction="sendonly")
        await player.setLocalDescription(await player.createOffer())
        await viewer.setRemoteDescription(player.localDescription)
        await viewer.setLocalDescription(await viewer.createAnswer())
        await player.setRemoteDescription(viewer.localDescription)
        while not player.connectionState == viewer.connectionState == "connected":
            await asyncio.sleep(0.01)
        frames = list(reader)
    for frame in frames + frames[-1:]:  # the last one again, so the viewer releases it
        track.write_sample(frame.data, frame.duration)
        await asyncio.sleep(frame.duration)
    await asyncio.sleep(0.3)
    got = min(len(received), len(frames))
    print(f"played {len(frames)} frames, viewer received {got}")
    ok = [f.data for f in received[: len(frames)]] == [f.data for f in frames]
    print("all frames arrived intact" if ok else "frames differ")
    await player.close()
    await viewer.close()
    track.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
