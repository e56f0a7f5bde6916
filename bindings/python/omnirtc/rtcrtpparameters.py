"""RTCRtpSender.getParameters() / setParameters() (webrtc-pc 5.2).

The library keeps each encoding's ``active``, ``maxBitrate``,
``scaleResolutionDownBy`` and ``scalabilityMode`` (W3C webrtc-svc;
``omnirtc_transceiver_set_parameters``); the
transaction rules are the binding's, as the header says, with an asyncio
task for the spec's task: what ``getParameters()`` returned last may be given
to ``setParameters()`` until the event loop's next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from . import _native
from .exceptions import InvalidModificationError, InvalidStateError

ENCODING_KEYS = ("rid", "active", "maxBitrate", "scaleResolutionDownBy", "scalabilityMode")


@dataclass
class RTCRtpEncodingParameters:
    """One encoding (simulcast layer) of a sender (W3C ``RTCRtpEncodingParameters``): ``rid``, ``active``,
    ``maxBitrate`` in bits/s, ``scaleResolutionDownBy`` (1 or more), ``scalabilityMode`` (W3C webrtc-svc, as
    "L3T3_KEY"; one the codec cannot send raises OperationError)."""

    rid: str | None = None
    active: bool = True
    maxBitrate: int | None = None
    scaleResolutionDownBy: float | None = None
    scalabilityMode: str | None = None


@dataclass
class RTCRtpSendParameters:
    """What getParameters() returns (W3C RTCRtpSendParameters): ``codecs`` are
    the negotiated ones as dicts (RTCRtpCodecParameters), read only."""

    transactionId: str
    encodings: list[RTCRtpEncodingParameters] = field(default_factory=list)
    codecs: list[dict[str, Any]] = field(default_factory=list)
    headerExtensions: list[dict[str, Any]] = field(default_factory=list)


class SendParametersTransaction:
    """A sender's [[LastReturnedParameters]] and the calls that use it."""

    def __init__(self, transceiver_handle: Any) -> None:
        """The transaction of the transceiver whose handle ``transceiver_handle()`` returns."""
        self._handle = transceiver_handle  # a callable: the transceiver's handle now
        self._last: RTCRtpSendParameters | None = None

    def get(self, info: dict[str, Any]) -> RTCRtpSendParameters:
        """New parameters from the transceiver's ``info``, remembered as the last returned until the event loop's next
        turn; the caller gets a copy."""
        parameters = RTCRtpSendParameters(
            transactionId=str(uuid.uuid4()),
            encodings=[
                RTCRtpEncodingParameters(**{k: e[k] for k in ENCODING_KEYS if e.get(k) is not None})
                for e in info.get("sendEncodings") or []
            ],
            codecs=list(info.get("codecs") or []),
        )
        self._last = parameters
        with contextlib.suppress(RuntimeError):  # no loop: no task to end; the next getParameters() replaces it
            asyncio.get_running_loop().call_soon(self._expire, parameters)
        return _copy(parameters)

    def _expire(self, parameters: RTCRtpSendParameters) -> None:
        if self._last is parameters:
            self._last = None

    def set(self, parameters: RTCRtpSendParameters) -> None:
        """Apply ``parameters`` (RTCRtpSender.setParameters): InvalidStateError without a current get(),
        InvalidModificationError for another transactionId or changed codecs, and the library's errors."""
        last = self._last
        if last is None:
            raise InvalidStateError("call getParameters() first, in the same task")
        if getattr(parameters, "transactionId", None) != last.transactionId:
            raise InvalidModificationError("transactionId is not the one getParameters() returned last")
        if list(parameters.codecs) != last.codecs:
            raise InvalidModificationError("codecs cannot be changed by setParameters()")
        # The library refuses a scaleResolutionDownBy below 1: InvalidArgumentError, a ValueError (W3C RangeError).
        encodings = [
            {k: getattr(e, k) for k in ENCODING_KEYS if getattr(e, k) is not None} for e in parameters.encodings
        ]
        text = json.dumps({"encodings": encodings}).encode()
        _native.check(_native.lib.omnirtc_transceiver_set_parameters(self._handle(), text))
        self._last = None


def _copy(parameters: RTCRtpSendParameters) -> RTCRtpSendParameters:
    """A copy the caller may edit without touching [[LastReturnedParameters]]."""
    return RTCRtpSendParameters(
        transactionId=parameters.transactionId,
        encodings=[RTCRtpEncodingParameters(**asdict(e)) for e in parameters.encodings],
        codecs=[dict(c) for c in parameters.codecs],
        headerExtensions=[dict(h) for h in parameters.headerExtensions],
    )
