"""Play a file (or a webcam) to a browser, as aiortc's webcam example does: the page offers to
receive audio and video, this server answers with the tracks of a ``MediaPlayer``.

    pip install omnirtc[media] aiohttp
    python webcam.py --play-from clip.mp4                      # decoded, re-encoded for the browser
    python webcam.py --play-from clip.mp4 --play-without-decoding --video-codec video/H264
    python webcam.py                                            # /dev/video0 (v4l2), shared by every viewer

then open http://127.0.0.1:8080.
"""

import argparse
import asyncio
import logging
import os

from aiohttp import web
from omnirtc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from omnirtc.contrib.media import MediaPlayer, MediaRelay

ROOT = os.path.dirname(__file__)

peers: set[RTCPeerConnection] = set()
camera: MediaPlayer | None = None
relay = MediaRelay()


def tracks(args):
    """The (audio, video) tracks for one viewer: a player of its own for a file, else the camera's video."""
    global camera
    if args.play_from:
        player = MediaPlayer(args.play_from, decode=not args.play_without_decoding)
        return player.audio, player.video
    if camera is None:
        camera = MediaPlayer("/dev/video0", format="v4l2", options={"framerate": "30", "video_size": "640x480"})
    return None, relay.subscribe(camera.video)


async def page(request):
    """The viewer's page."""
    return web.FileResponse(os.path.join(ROOT, "index.html"))


async def offer(request):
    """Answer a viewer's offer with the tracks it is to play."""
    params = await request.json()
    pc = RTCPeerConnection()
    peers.add(pc)

    @pc.on("connectionstatechange")
    async def on_connectionstatechange():
        logging.info("connection %s", pc.connectionState)
        if pc.connectionState in ("failed", "closed"):
            await pc.close()
            peers.discard(pc)

    audio, video = tracks(request.app["args"])
    if audio:
        pc.addTrack(audio)
    if video:
        sender = pc.addTrack(video)
        if request.app["args"].video_codec:
            transceiver = next(t for t in pc.getTransceivers() if t.sender == sender)
            codecs = RTCRtpSender.getCapabilities("video").codecs
            transceiver.setCodecPreferences([c for c in codecs if c.mimeType == request.app["args"].video_codec])

    await pc.setRemoteDescription(RTCSessionDescription(sdp=params["sdp"], type=params["type"]))
    await pc.setLocalDescription(await pc.createAnswer())
    return web.json_response({"sdp": pc.localDescription.sdp, "type": pc.localDescription.type})


async def on_shutdown(app):
    """Close every viewer's connection."""
    await asyncio.gather(*(pc.close() for pc in peers))
    peers.clear()


def main():
    """Serve the page and the offers until interrupted."""
    parser = argparse.ArgumentParser(description="Play a file or a webcam to a browser")
    parser.add_argument("--play-from", help="the file to play (else the webcam at /dev/video0)")
    parser.add_argument(
        "--play-without-decoding",
        action="store_true",
        help="send the file's packets as they are (VP8, H264, Opus, PCMU, PCMA); needs --video-codec",
    )
    parser.add_argument("--video-codec", help="the only video codec to offer, e.g. video/H264")
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    if args.play_without_decoding and not args.video_codec:
        parser.error("--play-without-decoding needs --video-codec")
    logging.basicConfig(level=logging.INFO)

    app = web.Application()
    app["args"] = args
    app.on_shutdown.append(on_shutdown)
    app.router.add_get("/", page)
    app.router.add_post("/offer", offer)
    web.run_app(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
