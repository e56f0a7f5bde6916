"""Interop with aiortc (from PyPI) as the remote peer, both ways.

aiortc gathers only non-loopback addresses: scripts/test-python.sh gives the
test namespace a veth pair (10.99.0.1, 10.99.0.2) that both peers use.
"""

from __future__ import annotations

import asyncio

import aiortc
import pytest

import omnirtc
from conftest import TIMEOUT, event_future, run

OMNI_CONFIG = omnirtc.RTCConfiguration(omnirtc={"mdns": "disabled"})


def aiortc_peer() -> aiortc.RTCPeerConnection:
    # No iceServers: aiortc would otherwise try a public STUN server.
    return aiortc.RTCPeerConnection(aiortc.RTCConfiguration(iceServers=[]))


async def exchange(local, remote) -> None:
    """A message each way over an open pair of channels (any library)."""
    got_remote = event_future(remote, "message")
    got_local = event_future(local, "message")
    local.send("from the offerer")
    remote.send(b"from the answerer")
    assert await asyncio.wait_for(got_remote, TIMEOUT) == "from the offerer"
    assert await asyncio.wait_for(got_local, TIMEOUT) == b"from the answerer"


@pytest.mark.parametrize("offerer", ["aiortc", "omnirtc"])
def test_interop_with_aiortc(offerer):
    async def main():
        theirs, ours = aiortc_peer(), omnirtc.RTCPeerConnection(OMNI_CONFIG)
        if offerer == "aiortc":
            first, second, first_lib, second_lib = theirs, ours, aiortc, omnirtc
        else:
            first, second, first_lib, second_lib = ours, theirs, omnirtc, aiortc
        channel = first.createDataChannel("interop", ordered=True)
        opened = asyncio.get_running_loop().create_future()
        channel.on("open", lambda: opened.done() or opened.set_result(True))
        remote_channel = event_future(second, "datachannel")

        await first.setLocalDescription(await first.createOffer())
        offer = first.localDescription
        await second.setRemoteDescription(second_lib.RTCSessionDescription(offer.sdp, offer.type))
        await second.setLocalDescription(await second.createAnswer())
        answer = second.localDescription
        await first.setRemoteDescription(first_lib.RTCSessionDescription(answer.sdp, answer.type))

        remote = await asyncio.wait_for(remote_channel, TIMEOUT)
        await asyncio.wait_for(opened, TIMEOUT)
        await exchange(channel, remote)
        assert remote.label == "interop"
        await ours.close()
        await theirs.close()

    run(main())
