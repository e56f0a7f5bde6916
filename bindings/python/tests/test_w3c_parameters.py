"""RTCRtpSender.getParameters() / setParameters() (webrtc-pc 5.2), as Node has them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import loopback_config, run, wait_for
from test_media import connected, feed

from omnirtc import (
    InvalidModificationError,
    InvalidStateError,
    LocalTrack,
    RTCPeerConnection,
    RTCRtpEncodingParameters,
    RTCRtpSendParameters,
)


def test_get_and_set_parameters_transaction_and_what_may_not_change_webrtc_pc_5_2(counters_back):
    async def main():
        pc = RTCPeerConnection(loopback_config())
        track = LocalTrack("vp8", rids=["q", "f"])
        sender = pc.addTransceiver(track, sendEncodings=[{"rid": "q", "maxBitrate": 100000}, {"rid": "f"}]).sender
        with pytest.raises(InvalidStateError):  # no getParameters() yet
            await sender.setParameters(RTCRtpSendParameters(transactionId="x"))
        parameters = sender.getParameters()
        assert isinstance(parameters.transactionId, str) and parameters.transactionId
        assert [(e.rid, e.active, e.maxBitrate) for e in parameters.encodings] == [
            ("q", True, 100000),
            ("f", True, None),
        ]
        await asyncio.sleep(0)  # the loop turned: the task that got them has ended
        with pytest.raises(InvalidStateError):
            await sender.setParameters(parameters)
        parameters = sender.getParameters()
        parameters.transactionId = "other"
        with pytest.raises(InvalidModificationError):
            await sender.setParameters(parameters)

        async def changed(edit: Any) -> None:
            p = sender.getParameters()
            edit(p)
            await sender.setParameters(p)

        with pytest.raises(InvalidModificationError):  # an encoding removed
            await changed(lambda p: p.encodings.pop())
        with pytest.raises(InvalidModificationError):  # an encoding added
            await changed(lambda p: p.encodings.append(RTCRtpEncodingParameters(rid="h")))
        with pytest.raises(InvalidModificationError):  # renamed
            await changed(lambda p: setattr(p.encodings[0], "rid", "h"))
        with pytest.raises(InvalidModificationError):  # codecs are read only
            await changed(lambda p: p.codecs.append({"mimeType": "video/VP9"}))
        for scale in (0.5, 0.0, -1.0):  # W3C RangeError: a ValueError
            with pytest.raises(ValueError):
                await changed(lambda p, scale=scale: setattr(p.encodings[1], "scaleResolutionDownBy", scale))
        assert sender.getParameters().encodings[1].scaleResolutionDownBy is None, "nothing changed"

        def edit(p: RTCRtpSendParameters) -> None:
            p.encodings[1].maxBitrate = 2500000
            p.encodings[1].scaleResolutionDownBy = 2.0

        await changed(edit)
        e = sender.getParameters().encodings[1]
        assert (e.maxBitrate, e.scaleResolutionDownBy) == (2500000, 2.0)
        edited = sender.getParameters()
        edited.encodings[0].maxBitrate = 1
        assert sender.getParameters().encodings[0].maxBitrate == 100000, "getParameters() returns a copy"
        await pc.close()
        track.stop()

    run(main())


def test_set_parameters_active_false_stops_a_layer_at_once_webrtc_pc_5_2(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        rids = ["q", "f"]
        track = LocalTrack("vp8", rids=rids)
        sender = a.addTransceiver(track, direction="sendonly", sendEncodings=[{"rid": rid} for rid in rids]).sender
        got: dict[str, int] = {}
        readers: list[asyncio.Task[None]] = []

        async def count(remote: Any) -> None:
            got[remote.rid] = 0
            while True:
                await remote.recvEncoded()
                got[remote.rid] += 1

        b.on("track", lambda remote: readers.append(asyncio.ensure_future(count(remote))))
        await connected(a, b)
        feeding = asyncio.ensure_future(feed([(track, rid, rid.encode()) for rid in rids]))
        await wait_for(lambda: got.get("q", 0) >= 5 and got.get("f", 0) >= 5)

        async def after(n: int) -> None:  # n more frames of the layer that stays
            target = got["q"] + n
            await wait_for(lambda: got["q"] >= target)

        async def set_active(active: bool) -> None:
            parameters = sender.getParameters()
            parameters.encodings[1].active = active
            await sender.setParameters(parameters)
            assert [e.active for e in sender.getParameters().encodings] == [True, active]

        await set_active(False)
        await after(10)  # what was in flight has arrived
        paused = got["f"]
        await after(10)
        assert got["f"] == paused, "frames of the inactive layer arrived"
        await set_active(True)
        await wait_for(lambda: got["f"] > paused + 5)
        feeding.cancel()
        for reader in readers:
            reader.cancel()
        await a.close()
        await b.close()
        track.stop()

    run(main())
