from __future__ import annotations

from dataclasses import dataclass

TYPES = ("offer", "pranswer", "answer", "rollback")


@dataclass
class RTCSessionDescription:
    """An SDP offer or answer (W3C RTCSessionDescription)."""

    sdp: str
    type: str

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"'type' must be one of {TYPES}, not {self.type!r}")
        if not isinstance(self.sdp, str):
            raise TypeError(f"'sdp' must be str, not {type(self.sdp).__name__}")
