"""aiortc's server example on OmniRTC: a browser sends its camera to this
server, which transforms each frame and sends it back. The program is aiortc's
examples/server with its imports changed; its transforms use numpy where
aiortc's use OpenCV, so that it needs nothing beyond ``omnirtc[media]`` and aiohttp;
``--record-to`` writes the received camera and microphone into a file.

    pip install omnirtc[media] aiohttp
    python server.py            # then open http://127.0.0.1:8080
"""

import argparse
import asyncio
import json
import logging
import os
import uuid

import numpy
from aiohttp import web
from av import VideoFrame

from omnirtc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from omnirtc.contrib.media import MediaBlackhole, MediaRecorder, MediaRelay

ROOT = os.path.dirname(__file__)
PAINT = (255, 0, 255)  # what "paint" fills the middle of each frame with

logger = logging.getLogger("pc")
pcs = set()
relay = MediaRelay()


class VideoTransformTrack(MediaStreamTrack):
    """A video track that transforms the frames of another track."""

    kind = "video"

    def __init__(self, track, transform):
        super().__init__()
        self.track = track
        self.transform = transform

    async def recv(self):
        frame = await self.track.recv()
        if self.transform not in ("invert", "mirror", "paint"):
            return frame
        img = frame.to_ndarray(format="rgb24")
        if self.transform == "invert":
            img = 255 - img
        elif self.transform == "mirror":
            img = numpy.ascontiguousarray(img[:, ::-1])
        else:
            height, width = img.shape[:2]
            img[height // 4 : height * 3 // 4, width // 4 : width * 3 // 4] = PAINT
        # a new frame, with the timing of the one it was made from
        new_frame = VideoFrame.from_ndarray(img, format="rgb24")
        new_frame.pts = frame.pts
        new_frame.time_base = frame.time_base
        return new_frame


async def index(request):
    with open(os.path.join(ROOT, "index.html")) as f:
        return web.Response(content_type="text/html", text=f.read())


async def javascript(request):
    with open(os.path.join(ROOT, "client.js")) as f:
        return web.Response(content_type="application/javascript", text=f.read())


async def offer(request):
    params = await request.json()
    offer = RTCSessionDescription(sdp=params["sdp"], type=params["type"])

    pc = RTCPeerConnection()
    pc_id = "PeerConnection(%s)" % uuid.uuid4()
    pcs.add(pc)
    logger.info("%s created for %s", pc_id, request.remote)

    if args.record_to:
        recorder = MediaRecorder(args.record_to)
    else:
        recorder = MediaBlackhole()

    @pc.on("datachannel")
    def on_datachannel(channel):
        @channel.on("message")
        def on_message(message):
            if isinstance(message, str) and message.startswith("ping"):
                channel.send("pong" + message[4:])

    @pc.on("connectionstatechange")
    async def on_connectionstatechange():
        logger.info("%s connection state is %s", pc_id, pc.connectionState)
        if pc.connectionState == "failed":
            await pc.close()
            pcs.discard(pc)

    @pc.on("track")
    def on_track(track):
        logger.info("%s track %s received", pc_id, track.kind)
        if track.kind == "audio":
            recorder.addTrack(track)
        elif track.kind == "video":
            pc.addTrack(VideoTransformTrack(relay.subscribe(track), transform=params["video_transform"]))
            if args.record_to:
                recorder.addTrack(relay.subscribe(track))

        @track.on("ended")
        async def on_ended():
            logger.info("%s track %s ended", pc_id, track.kind)
            await recorder.stop()
            logger.info("%s recorder stopped", pc_id)

    await pc.setRemoteDescription(offer)
    await recorder.start()

    answer = await pc.createAnswer()
    await pc.setLocalDescription(answer)

    return web.Response(
        content_type="application/json",
        text=json.dumps({"sdp": pc.localDescription.sdp, "type": pc.localDescription.type}),
    )


async def on_shutdown(app):
    await asyncio.gather(*[pc.close() for pc in pcs])
    pcs.clear()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="WebRTC audio / video / data-channels demo")
    parser.add_argument("--host", default="0.0.0.0", help="Host for HTTP server (default: 0.0.0.0)")
    parser.add_argument("--port", type=int, default=8080, help="Port for HTTP server (default: 8080)")
    parser.add_argument("--record-to", help="Write received media to a file.")
    parser.add_argument("--verbose", "-v", action="count")
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)

    app = web.Application()
    app.on_shutdown.append(on_shutdown)
    app.router.add_get("/", index)
    app.router.add_get("/client.js", javascript)
    app.router.add_post("/offer", offer)
    web.run_app(app, access_log=None, host=args.host, port=args.port)
