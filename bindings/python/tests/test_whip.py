"""WHIP and WHEP (omnirtc.whip): a publisher forwarded to a WHEP viewer
through our server, an ICE restart, DELETE, trickle, and refusals; loopback only."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
from conftest import TIMEOUT, event_future, loopback_config, run, wait_for
from omnirtc import (
    LocalTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
    WhipError,
    WhipOffer,
    WhipServer,
    whep_play,
    whip_publish,
)


def vp8_frame(i: int) -> bytes:
    """A fake VP8 frame: byte 0 bit 0 clear marks a keyframe (the first)."""
    return bytes([0x00 if i == 0 else 0x01]) + f"frame-{i:05d}".encode() + bytes(200)


class Room:
    """A one-room broadcast: the WHIP publisher's RTP goes out on one track to every WHEP viewer."""

    def __init__(self, server: WhipServer) -> None:
        self.server = server
        self.track = LocalTrack("vp8", mode="rtp")
        self.forwarding: list[asyncio.Task[Any]] = []
        server.on("session", self.offer)

    async def offer(self, offer: WhipOffer) -> None:
        pc = RTCPeerConnection(loopback_config())
        if offer.path.endswith("/whip"):
            pc.setTrackReceive("rtp")
            pc.on("track", lambda remote: self.forwarding.append(asyncio.ensure_future(self.forward(remote))))
        else:  # a viewer: the forwarded track on its receive-only video transceiver
            await pc.setRemoteDescription(RTCSessionDescription(offer.sdp, "offer"))
            pc.addTrack(self.track)
        await self.server.answer(offer, pc)

    async def forward(self, remote: Any) -> None:
        while True:
            self.track.write_rtp(await remote.recv())


def test_publisher_forwarded_to_a_whep_viewer_with_ice_restart_and_delete() -> None:
    async def main() -> None:
        server = WhipServer({"token": "secret"})
        room = Room(server)
        publisher = RTCPeerConnection(loopback_config())
        source = LocalTrack("vp8")
        publisher.addTransceiver(source, direction="sendonly")
        published = await whip_publish(server.url + "/whip", publisher, token="secret")
        assert published.resource.startswith(server.url + "/")

        viewer = RTCPeerConnection(loopback_config())
        viewer.setTrackReceive("rtp")
        # the video track (whep_play offers audio and video; each fires track at the answer)
        arrived = asyncio.get_running_loop().create_future()
        viewer.on("track", lambda track: track.kind != "video" or arrived.done() or arrived.set_result(track))
        played = await whep_play(server.url + "/whep", viewer, token="secret")
        stop = asyncio.Event()

        async def send() -> None:
            i = 0
            while not stop.is_set():
                source.write_sample(vp8_frame(i), 1 / 30)
                i += 1
                await asyncio.sleep(1 / 30)

        sending = asyncio.ensure_future(send())
        remote = await asyncio.wait_for(arrived, TIMEOUT)
        packet = await asyncio.wait_for(remote.recv(), TIMEOUT)
        assert b"frame-" in packet  # the publisher's payload, through the room

        await published.restart_ice()
        drained = 0
        while drained < 200 and b"frame-" in packet:  # still flowing after the restart
            packet = await asyncio.wait_for(remote.recv(), TIMEOUT)
            drained += 1
        assert b"frame-" in packet

        ended = event_future(server, "sessionended")
        await published.close()  # DELETE
        assert await asyncio.wait_for(ended, TIMEOUT) == (1, "deleted")
        assert publisher.connectionState == "closed"
        stop.set()
        await sending
        await played.close()
        await server.close()
        for task in room.forwarding:
            task.cancel()
        room.track.stop()
        source.stop()
        await viewer.close()
        await publisher.close()

    run(main())


def test_trickle_publish_offers_before_gathering_completes_and_connects() -> None:
    async def main() -> None:
        # A STUN server that never answers: gathering cannot complete while the session starts.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
            silent.bind(("127.0.0.1", 0))
            stun = RTCIceServer(f"stun:127.0.0.1:{silent.getsockname()[1]}")
            async with WhipServer({"token": "secret"}) as server:
                offers: list[WhipOffer] = []
                served = RTCPeerConnection(loopback_config())

                async def answer(offer: WhipOffer) -> None:
                    offers.append(offer)
                    await server.answer(offer, served)

                server.on("session", answer)
                pc = RTCPeerConnection(RTCConfiguration(iceServers=[stun], omnirtc=loopback_config().omnirtc))
                pc.createDataChannel("x")
                session = await whip_publish(server.url + "/whip", pc, token="secret", trickle=True)
                assert "a=end-of-candidates" not in offers[0].sdp
                await wait_for(lambda: served.connectionState == "connected" and pc.connectionState == "connected")
                await session.close()
                await pc.close()
                await served.close()

    run(main())


@pytest.mark.parametrize("token, refuse, status", [("wrong", None, 401), ("secret", 403, 403), ("secret", 503, 503)])
def test_refused_publish_raises_and_closes_its_peer_connection(token: str, refuse: int | None, status: int) -> None:
    async def main() -> None:
        async with WhipServer({"token": "secret"}) as server:
            server.on("session", lambda offer: server.reject(offer, refuse or 403, "not today"))
            pc = RTCPeerConnection(loopback_config())
            pc.createDataChannel("x")
            with pytest.raises(WhipError) as refused:
                await whip_publish(server.url + "/whip", pc, token=token)
            assert refused.value.status == status
            assert pc.connectionState == "closed"

    run(main())


def test_server_misuse() -> None:
    async def main() -> None:
        with pytest.raises(ValueError, match="tokn"):
            WhipServer({"tokn": "x"})
        async with WhipServer() as server:
            with pytest.raises(ValueError):
                server.reject(1, 302)
            pc = RTCPeerConnection(loopback_config())
            with pytest.raises(Exception, match="no WHIP session"):
                await server.answer(7, pc)
            await pc.close()

    run(main())
