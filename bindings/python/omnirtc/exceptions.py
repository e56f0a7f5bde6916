"""Errors raised by omnirtc: one class per library status code."""

from __future__ import annotations


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
    status = -1


class InvalidHandleError(Error):
    status = -2


class InvalidStateError(Error):
    status = -3


class InvalidConfigError(Error, ValueError):
    status = -4


class InvalidSdpError(Error, ValueError):
    status = -5


class InvalidCandidateError(Error, ValueError):
    status = -6


class TooLargeError(Error, ValueError):
    status = -7


class OperationError(Error):
    status = -8


class ForkedError(Error):
    status = -9


class InternalError(Error):
    status = -10


class NotSupportedError(Error):
    status = -11


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
    )
}
