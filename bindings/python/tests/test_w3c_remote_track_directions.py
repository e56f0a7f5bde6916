"""W3C webrtc-pc 4.4.1.6 "set the RTCSessionDescription" for remote tracks, as tests/node's
w3c-remote-track-directions: our own answer that no longer receives mutes the remote track (step 7.1.6.1); a
rejected media section stops its transceiver and ends its track (step 8.1.12)."""

from __future__ import annotations

import asyncio

from conftest import TIMEOUT, connect, event_future, loopback_config, run
from omnirtc import LocalTrack, RTCPeerConnection, RTCSessionDescription
from test_w3c_remote_tracks import close, sending


def test_our_answer_that_no_longer_receives_mutes_the_remote_track(counters_back):
    async def main():
        a, b, track, _, tracks, feeding = await sending()
        remote = tracks[0]
        transceiver = b.getTransceivers()[0]
        transceiver.direction = "inactive"
        muted = event_future(remote, "mute")
        await connect(a, b)  # a offers sendrecv as before; b answers inactive
        await asyncio.wait_for(muted, TIMEOUT)
        assert remote.muted and remote.readyState == "live"
        assert transceiver.currentDirection == "inactive"
        feeding.cancel()
        await close(a, b, track)

    run(main())


def test_a_rejected_section_stops_the_transceiver_and_ends_its_track(counters_back):
    async def main():
        a, b = RTCPeerConnection(loopback_config()), RTCPeerConnection(loopback_config())
        a.createDataChannel("transport")
        track = LocalTrack("vp8", id="cam")
        a.addTrack(track)
        offerer = a.getTransceivers()[0]
        offerer.setCodecPreferences([{"mimeType": "video/VP8"}])
        await a.setLocalDescription(await a.createOffer())
        remote_future = event_future(b, "track")
        # b knows none of the section's codecs: its answer rejects it (port 0)
        sdp = a.localDescription.sdp.replace("VP8/90000", "XV8/90000")
        await b.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        remote = await asyncio.wait_for(remote_future, TIMEOUT)
        ended = event_future(remote, "ended")
        await b.setLocalDescription(await b.createAnswer())
        assert "m=video 0 " in b.localDescription.sdp
        await asyncio.wait_for(ended, TIMEOUT)
        await a.setRemoteDescription(b.localDescription)
        for transceiver in (b.getTransceivers()[0], offerer):
            assert transceiver.stopped
            assert transceiver.currentDirection == "stopped" and transceiver.direction == "stopped"
        await close(a, b, track)

    run(main())
