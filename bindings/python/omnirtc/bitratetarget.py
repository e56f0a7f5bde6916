"""The ``targetbitrate`` event's argument: a send bitrate for the encoder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BitrateTarget:
    """A new target for what this peer sends, in bits per second.

    ``source`` is ``"gcc"`` (the "gcc" interceptor's estimate, for everything
    the peer sends) or ``"remb"`` (a REMB from the remote receiver, with the
    "remb" interceptor): then ``ssrcs`` are the streams its bitrate covers
    together and ``mids`` the transceivers sending them.
    """

    bitrate: int
    source: str
    ssrcs: list[int] = field(default_factory=list)
    mids: list[str] = field(default_factory=list)

    @classmethod
    def _from_event(cls, bitrate: int, text: str) -> BitrateTarget:
        info = json.loads(text)
        return cls(bitrate, info.get("source", ""), info.get("ssrcs", []), info.get("mids", []))
