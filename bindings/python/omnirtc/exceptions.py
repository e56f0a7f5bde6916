"""Errors raised by omnirtc: one class per library status code."""

from __future__ import annotations

from . import _abi


class Error(Exception):
    """A failure reported by the OmniRTC library; the base of the classes below.

    ``message`` is the library's message (``omnirtc_last_error``), ``status`` its ``OMNIRTC_ERR_*`` code."""

    #: the library's status code (a negative ``OMNIRTC_ERR_*`` value)
    status: int = 0

    def __init__(self, message: str, status: int | None = None) -> None:
        """An error with the library's message and, when given, a status other than the class's."""
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class InvalidArgumentError(Error, ValueError):
    """A bad argument or option (``OMNIRTC_ERR_INVALID_ARGUMENT``, W3C ``TypeError``); a ValueError."""

    status = _abi.OMNIRTC_ERR_INVALID_ARGUMENT


class InvalidHandleError(Error):
    """The object is closed or released (``OMNIRTC_ERR_INVALID_HANDLE``)."""

    status = _abi.OMNIRTC_ERR_INVALID_HANDLE


class InvalidStateError(Error):
    """Not allowed in the object's current state (``OMNIRTC_ERR_INVALID_STATE``, W3C ``InvalidStateError``)."""

    status = _abi.OMNIRTC_ERR_INVALID_STATE


class InvalidConfigError(Error, ValueError):
    """A configuration key that is unknown or has the wrong type or value (``OMNIRTC_ERR_INVALID_CONFIG``); a
    ValueError."""

    status = _abi.OMNIRTC_ERR_INVALID_CONFIG


class InvalidSdpError(Error, ValueError):
    """A session description that is malformed or unacceptable (``OMNIRTC_ERR_INVALID_SDP``); a ValueError."""

    status = _abi.OMNIRTC_ERR_INVALID_SDP


class InvalidCandidateError(Error, ValueError):
    """A malformed ICE candidate, or one for no such mid or m-line index (``OMNIRTC_ERR_INVALID_CANDIDATE``); a
    ValueError."""

    status = _abi.OMNIRTC_ERR_INVALID_CANDIDATE


class TooLargeError(Error, ValueError):
    """A message or input over its maximum size (``OMNIRTC_ERR_TOO_LARGE``); a ValueError."""

    status = _abi.OMNIRTC_ERR_TOO_LARGE


class OperationError(Error):
    """The engine could not do it (``OMNIRTC_ERR_OPERATION``, W3C ``OperationError``)."""

    status = _abi.OMNIRTC_ERR_OPERATION


class RTCError(OperationError):
    """A WebRTC failure with its details (W3C ``RTCError``, webrtc-pc 11.1): ``errorDetail`` is one of
    "data-channel-failure", "dtls-failure", "fingerprint-failure", "sctp-failure", "sdp-syntax-error",
    "hardware-encoder-not-available", "hardware-encoder-error"; ``sdpLineNumber``, ``sctpCauseCode``,
    ``receivedAlert`` and ``sentAlert`` are None when absent. A data channel's ``error`` event carries one."""

    def __init__(
        self,
        message: str,
        *,
        errorDetail: str,
        sdpLineNumber: int | None = None,
        sctpCauseCode: int | None = None,
        receivedAlert: int | None = None,
        sentAlert: int | None = None,
    ) -> None:
        """An RTCError with its W3C ``RTCErrorInit`` fields."""
        super().__init__(message)
        self.errorDetail = errorDetail
        self.sdpLineNumber = sdpLineNumber
        self.sctpCauseCode = sctpCauseCode
        self.receivedAlert = receivedAlert
        self.sentAlert = sentAlert


class ForkedError(Error):
    """Called in a child process forked after the library was loaded (``OMNIRTC_ERR_FORKED``): use the "spawn" or
    "forkserver" start method."""

    status = _abi.OMNIRTC_ERR_FORKED


class InternalError(Error):
    """A bug in OmniRTC (``OMNIRTC_ERR_INTERNAL``); the process is still safe."""

    status = _abi.OMNIRTC_ERR_INTERNAL


class NotSupportedError(Error):
    """A valid request this build cannot do (``OMNIRTC_ERR_NOT_SUPPORTED``, W3C ``NotSupportedError``)."""

    status = _abi.OMNIRTC_ERR_NOT_SUPPORTED


class InvalidSyntaxError(Error, ValueError):
    """Malformed text in a valid place, as an ICE server URL (W3C ``SyntaxError``)."""

    status = _abi.OMNIRTC_ERR_INVALID_SYNTAX


class InvalidAccessError(Error):
    """Well-formed but unusable, as a TURN URL without credentials (W3C ``InvalidAccessError``)."""

    status = _abi.OMNIRTC_ERR_INVALID_ACCESS


class InvalidModificationError(Error):
    """A change the object does not allow (W3C ``InvalidModificationError``)."""

    status = _abi.OMNIRTC_ERR_INVALID_MODIFICATION


class InvalidCharacterError(Error, ValueError):
    """A character the call does not accept, as a DTMF tone (W3C ``InvalidCharacterError``)."""

    status = _abi.OMNIRTC_ERR_INVALID_CHARACTER


BY_STATUS: dict[int, type[Error]] = {
    cls.status: cls
    for cls in (
        InvalidArgumentError,
        InvalidHandleError,
        InvalidStateError,
        InvalidConfigError,
        InvalidSdpError,
        InvalidCandidateError,
        TooLargeError,
        OperationError,
        ForkedError,
        InternalError,
        NotSupportedError,
        InvalidSyntaxError,
        InvalidAccessError,
        InvalidModificationError,
        InvalidCharacterError,
    )
}
