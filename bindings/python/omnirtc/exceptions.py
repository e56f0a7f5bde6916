"""Errors raised by omnirtc: one class per library status code."""

from __future__ import annotations

from . import _abi


class Error(Exception):
    """A failure reported by the OmniRTC library."""

    #: the library's status code (a negative ``OMNIRTC_ERR_*`` value)
    status: int = 0

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class InvalidArgumentError(Error, ValueError):
    status = _abi.OMNIRTC_ERR_INVALID_ARGUMENT


class InvalidHandleError(Error):
    status = _abi.OMNIRTC_ERR_INVALID_HANDLE


class InvalidStateError(Error):
    status = _abi.OMNIRTC_ERR_INVALID_STATE


class InvalidConfigError(Error, ValueError):
    status = _abi.OMNIRTC_ERR_INVALID_CONFIG


class InvalidSdpError(Error, ValueError):
    status = _abi.OMNIRTC_ERR_INVALID_SDP


class InvalidCandidateError(Error, ValueError):
    status = _abi.OMNIRTC_ERR_INVALID_CANDIDATE


class TooLargeError(Error, ValueError):
    status = _abi.OMNIRTC_ERR_TOO_LARGE


class OperationError(Error):
    status = _abi.OMNIRTC_ERR_OPERATION


class RTCError(OperationError):
    """A WebRTC failure with its details (W3C ``RTCError``): ``errorDetail`` is one of
    "data-channel-failure", "dtls-failure", "fingerprint-failure", "sctp-failure",
    "sdp-syntax-error", "hardware-encoder-not-available", "hardware-encoder-error";
    the other details are None when absent."""

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
        super().__init__(message)
        self.errorDetail = errorDetail
        self.sdpLineNumber = sdpLineNumber
        self.sctpCauseCode = sctpCauseCode
        self.receivedAlert = receivedAlert
        self.sentAlert = sentAlert


class ForkedError(Error):
    status = _abi.OMNIRTC_ERR_FORKED


class InternalError(Error):
    status = _abi.OMNIRTC_ERR_INTERNAL


class NotSupportedError(Error):
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
