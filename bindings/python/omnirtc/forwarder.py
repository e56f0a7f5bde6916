"""Selective forwarding: :class:`Forwarder` sends a received track, or the simulcast layers of a transceiver, on to
local tracks of other peers, each with its own layer (``omnirtc_forwarder_*``)."""

from __future__ import annotations

import ctypes
import json
from typing import Any

from . import _abi, _native
from .mediastreams import LocalTrack, RemoteStreamTrack
from .rtcrtptransceiver import RTCRtpTransceiver

#: The ``temporal`` that selects every temporal layer.
ALL_TEMPORAL = _abi.OMNIRTC_TEMPORAL_ALL
#: The ``spatial`` that selects every spatial layer.
ALL_SPATIAL = _abi.OMNIRTC_SPATIAL_ALL


class Forwarder:
    """Forwards what ``source`` receives (a :class:`RemoteStreamTrack`, or a :class:`RTCRtpTransceiver` for all its
    simulcast layers) to subscribers: :class:`LocalTrack` objects of ``mode="rtp"`` sent on other peers.

    Each subscriber sees one continuous stream (sequence numbers, timestamps, VP8 and VP9 picture ids) and switches
    layers only where it can decode: a new rid or a higher spatial layer (VP9 SVC, AV1 with the dependency
    descriptor) at the next keyframe (asked for with a PLI), a temporal or spatial layer down at once, a temporal
    layer up at a switch point. A subscriber's keyframe request goes upstream for its layer. Nothing runs
    on the event loop: the methods return at once, from any thread. Use it as a context manager or call
    :meth:`close`."""

    def __init__(self, source: RemoteStreamTrack | RTCRtpTransceiver) -> None:
        """Start forwarding ``source``. Raises InvalidStateError if it is forwarded already."""
        handle = _abi.omnirtc_forwarder_t()
        if isinstance(source, RTCRtpTransceiver):
            _native.check(_native.lib.omnirtc_forwarder_create_group(source._handle, ctypes.byref(handle)))
        else:
            _native.check(_native.lib.omnirtc_forwarder_create(source._handle, ctypes.byref(handle)))
        self._handle = handle.value

    def addSubscriber(
        self, track: LocalTrack, rid: str | None = None, temporal: int = ALL_TEMPORAL, spatial: int = ALL_SPATIAL
    ) -> None:
        """Forward to ``track`` the layer ``rid`` (None: the first layer to start, for a group) with temporal layers
        up to ``temporal`` and spatial layers up to ``spatial``, from that layer's next keyframe. Raises
        InvalidArgumentError (a ValueError) for a track of mode "sample" or another codec, an unknown rid or a layer
        outside -1..7, InvalidStateError if the track is a subscriber already."""
        _native.check(
            _native.lib.omnirtc_forwarder_add_subscriber_json(
                self._handle, track._handle, _layer(rid, temporal, spatial)
            )
        )

    def removeSubscriber(self, track: LocalTrack) -> None:
        """Stop forwarding to ``track``. Raises InvalidArgumentError if it is no subscriber."""
        _native.check(_native.lib.omnirtc_forwarder_remove_subscriber(self._handle, track._handle))

    def setLayer(
        self, track: LocalTrack, rid: str | None = None, temporal: int = ALL_TEMPORAL, spatial: int = ALL_SPATIAL
    ) -> None:
        """Choose the layer ``track`` receives, as in :meth:`addSubscriber`; it switches at the next point that
        allows it."""
        _native.check(
            _native.lib.omnirtc_forwarder_set_layer_json(self._handle, track._handle, _layer(rid, temporal, spatial))
        )

    def setAuto(self, track: LocalTrack, enabled: bool) -> None:
        """Choose the layer ``track`` receives from the bandwidth estimate of the peer sending it (the "gcc"
        interceptor's, or its receiver's REMB), never above the layer set, with hysteresis; off: back to the layer
        set. Raises InvalidArgumentError if it is no subscriber."""
        _native.check(_native.lib.omnirtc_forwarder_set_auto(self._handle, track._handle, 1 if enabled else 0))

    def getLayer(self, track: LocalTrack) -> dict[str, Any]:
        """The layer ``track`` receives now: ``{"rid", "temporal", "spatial", "started", "auto", "target": {"rid",
        "temporal", "spatial"}, "estimate"}`` (-1: all; until started, the layer asked for; target: the layer it
        switches to, chosen or set; estimate: the latest estimated bitrate of the peer sending it, b/s, 0 before the
        first)."""
        text = _native.call_string(_native.lib.omnirtc_forwarder_get_layer, self._handle, track._handle)
        return json.loads(text or "{}")

    def close(self) -> None:
        """Stop forwarding; the subscriber tracks stay open. Closing twice does nothing."""
        if self._handle:
            _native.lib.omnirtc_forwarder_free(self._handle)
            self._handle = 0

    def __enter__(self) -> Forwarder:
        """The forwarder itself."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the forwarder."""
        self.close()


def _layer(rid: str | None, temporal: int, spatial: int) -> bytes:
    return json.dumps({"rid": rid or "", "temporal": temporal, "spatial": spatial}).encode()
