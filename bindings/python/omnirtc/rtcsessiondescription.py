"""RTCSessionDescription, as in aiortc (W3C webrtc-pc 4.8.1)."""

from __future__ import annotations

from dataclasses import dataclass

TYPES = ("offer", "pranswer", "answer", "rollback")


@dataclass
class RTCSessionDescription:
    """An SDP offer, answer, pranswer or rollback (W3C ``RTCSessionDescription``, aiortc's).

    Raises ValueError for another ``type`` and TypeError when ``sdp`` is not a str."""

    sdp: str
    type: str

    def __post_init__(self) -> None:
        """Check ``type`` and ``sdp``: ValueError, TypeError."""
        if self.type not in TYPES:
            raise ValueError(f"'type' must be one of {TYPES}, not {self.type!r}")
        if not isinstance(self.sdp, str):
            raise TypeError(f"'sdp' must be str, not {type(self.sdp).__name__}")
