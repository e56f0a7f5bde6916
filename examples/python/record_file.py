"""Record what a peer sends into a file: a player peer sends IN, a recorder
peer writes the RTP it receives into OUT (same format), then reads OUT back.

    python record_file.py IN OUT
"""

import asyncio
import sys

from omnirtc import LocalTrack, MediaReader, MediaWriter, RTCConfiguration, RTCPeerConnection

CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})


async def main(source: str, target: str) -> int:
    player, recorder = RTCPeerConnection(CONFIG), RTCPeerConnection(CONFIG)
    recorder.setTrackReceive("rtp")  # remote tracks deliver RTP packets to recv()
    reader = MediaReader(source)
    codec = reader.info["codec"]
    options = {"codec": codec.split("/")[1].lower()} if target.endswith(".ivf") else {}
    writer = MediaWriter(target, **options)

    @recorder.on("track")
    def on_track(track):
        async def record():
            while True:
                writer.write_rtp(await track.recv())

        asyncio.ensure_future(record())

    track = LocalTrack(codec)
    player.addTrack(track)
    await player.setLocalDescription(await player.createOffer())
    await recorder.setRemoteDescription(player.localDescription)
    await recorder.setLocalDescription(await recorder.createAnswer())
    await player.setRemoteDescription(recorder.localDescription)
    while not player.connectionState == recorder.connectionState == "connected":
        await asyncio.sleep(0.01)
    sent = 0
    for frame in reader:
        track.write_sample(frame.data, frame.duration)
        sent += 1
        await asyncio.sleep(frame.duration)
    await asyncio.sleep(0.3)
    await recorder.close()
    await player.close()
    track.stop()
    reader.close()
    writer.close()
    with MediaReader(target) as recorded:
        count = sum(1 for _ in recorded)
    print(f"sent {sent} frames; {target} holds {count} frames")
    return 0 if count >= sent - 1 and count > 0 else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2])))
