"""WHIP (RFC 9725) and WHEP signaling (include/omnirtc.h, "WHIP and WHEP").

::

    pc = RTCPeerConnection()
    pc.addTrack(track)
    session = await whip_publish("http://127.0.0.1:8080/whip", pc, token="secret")
    ...
    await session.close()

    server = WhipServer({"token": "secret"})

    @server.on("session")
    async def offer(offer: WhipOffer) -> None:
        pc = RTCPeerConnection()
        await server.answer(offer, pc)  # or server.reject(offer, 403)

The HTTP and SDP-fragment work is the library's; events are drained from its
queue on the event loop (omnirtc_whip_poll_events after each notify), as a
TURN server's are, and nothing is queued here. A session or a server takes
the peer connection it runs on: when it ends, refused or closed, that peer
connection closes.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
from typing import Any, NamedTuple

from . import _abi, _native, _polled
from ._polled import text as _text
from .exceptions import OperationError
from .rtcpeerconnection import RTCPeerConnection


class WhipError(OperationError):
    """A WHIP request that failed; ``status`` is its HTTP status (0 when none came, as a refused connection)."""

    def __init__(self, message: str, status: int) -> None:
        """The failure's message and HTTP status."""
        super().__init__(message, _abi.OMNIRTC_ERR_OPERATION)
        self.status = status


class WhipOffer(NamedTuple):
    """An offer a :class:`WhipServer` waits to answer: its session id, the request path that names the endpoint
    ("/whip", "/whep/room") and the SDP."""

    session: int
    path: str
    sdp: str


@_abi.omnirtc_whip_notify_cb
def _on_notify(user_data: int | None, _handle: int) -> None:  # on a library thread
    _polled.notify(user_data)


class _Polled(_polled.PolledObject):
    """A polled WHIP handle: a client session or a server."""

    _event_t = _abi.omnirtc_whip_event_t
    _poll = _native.lib.omnirtc_whip_poll_events
    _close_fn = _native.lib.omnirtc_whip_close
    _final = _abi.OMNIRTC_WHIP_EVENT_CLOSED

    def _begin(self, start: Any) -> None:
        """Start with ``start(notify, user_data, handle_out)``."""
        self._start(lambda user_data, out: start(_on_notify, user_data, out), _abi.omnirtc_whip_t())


class WhipSession(_Polled):
    """A WHIP or WHEP client session (``omnirtc_whip_client_start_with_options``), made by :func:`whip_publish` or
    :func:`whep_play`. Events: ``error`` (a :class:`WhipError` of a failed ICE restart), ``close``."""

    def __init__(self, pc: RTCPeerConnection, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """A session on ``pc``, not started: use :func:`whip_publish` or :func:`whep_play`."""
        super().__init__(loop)
        self.pc = pc
        self.resource = ""
        self._connected: asyncio.Future[None] = self._loop.create_future()
        self._restarts: list[asyncio.Future[None]] = []

    def _deliver(self, event: Any) -> None:
        t = event.type
        if t == _abi.OMNIRTC_WHIP_EVENT_CONNECTED:
            self.resource = _text(event.resource)
            self._connected.set_result(None)
        elif t == _abi.OMNIRTC_WHIP_EVENT_ICE_RESTARTED and self._restarts:
            self._restarts.pop(0).set_result(None)
        elif t == _abi.OMNIRTC_WHIP_EVENT_ERROR:
            error = WhipError(_text(event.reason), event.status)
            if not self._connected.done():
                self._connected.set_exception(error)
            elif self._restarts:
                self._restarts.pop(0).set_exception(error)
            else:
                self.emit("error", error)

    def _on_final(self, event: Any) -> None:
        reason = _text(event.reason)
        if not self._connected.done():
            self._connected.set_exception(WhipError(f"the session ended: {reason}", 0))
        for waiter in self._restarts:
            waiter.set_exception(WhipError(f"the session ended: {reason}", 0))
        self._restarts.clear()

    async def restart_ice(self) -> None:
        """Restart ICE through a PATCH of the resource; returns once negotiated. Raises :class:`WhipError`."""
        waiter: asyncio.Future[None] = self._loop.create_future()
        self._restarts.append(waiter)
        _native.check(_native.lib.omnirtc_whip_client_restart_ice(self._handle))
        await waiter


async def _connect(url: str, pc: RTCPeerConnection, token: str | None, trickle: bool) -> WhipSession:
    options = json.dumps({"token": token or "", "trickle": trickle})
    session = WhipSession(pc)
    session._begin(lambda notify, user_data, out: _native.lib.omnirtc_whip_client_start_with_options(
        pc._live(), _native.encode(url, "url"), _native.encode(options, "options"),
        _abi.omnirtc_whip_event_cb(), notify, user_data, out))
    try:
        await session._connected
    except WhipError:
        await session._closed  # the refused session closed itself, and its peer connection
        await pc.close()
        raise
    return session


async def whip_publish(url: str, pc: RTCPeerConnection, *, token: str | None = None,
                       trickle: bool = False) -> WhipSession:
    """Publish ``pc``'s tracks to the WHIP endpoint ``url`` (with a bearer ``token``); returns once the answer is
    applied. With ``trickle`` the offer goes before ICE gathering is complete and the later candidates follow in
    PATCH requests (``omnirtc_whip_client_start_with_options``). A refusal raises :class:`WhipError` with its HTTP
    status, and ``pc`` is closed."""
    return await _connect(url, pc, token, trickle)


async def whep_play(url: str, pc: RTCPeerConnection, *, token: str | None = None,
                    trickle: bool = False) -> WhipSession:
    """Play the WHEP endpoint ``url`` into ``pc``: a peer connection without transceivers gets a receive-only audio
    and video one; its ``track`` events bring the media. ``token`` and ``trickle`` as for :func:`whip_publish`.
    Raises :class:`WhipError` as :func:`whip_publish`."""
    if not pc.getTransceivers():
        pc.addTransceiver("audio", direction="recvonly")
        pc.addTransceiver("video", direction="recvonly")
    return await _connect(url, pc, token, trickle)


class WhipServer(_Polled):
    """A WHIP and WHEP server (``omnirtc_whip_server_start``). Events: ``session`` (a :class:`WhipOffer` to
    :meth:`answer` or :meth:`reject`), ``sessionended`` (session id, reason), ``close``."""

    def __init__(self, config: dict[str, Any] | str | None = None, *,
                 loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Serve with ``config`` (a dict or its JSON: address, token, iceServers, answerTimeoutMs; omnirtc.h); the base
        URL is :attr:`url`. Raises InvalidConfigError (a ValueError naming the key), OperationError (the address
        could not be listened on)."""
        super().__init__(loop)
        text = config if isinstance(config, str) else json.dumps(config or {})
        url = ctypes.c_void_p()
        self._begin(lambda notify, user_data, out: _native.lib.omnirtc_whip_server_start(
            _native.encode(text, "config"), _abi.omnirtc_whip_event_cb(), notify, user_data, out, ctypes.byref(url)))
        self.url: str = _native.take_string(url) or ""
        self._peers: dict[int, RTCPeerConnection] = {}
        self._closing: set[asyncio.Task[None]] = set()  # handle releases under way, kept from the GC

    def _deliver(self, event: Any) -> None:
        if event.type == _abi.OMNIRTC_WHIP_EVENT_SESSION:
            self.emit("session", WhipOffer(event.session, _text(event.path), _text(event.sdp)))
        elif event.type == _abi.OMNIRTC_WHIP_EVENT_SESSION_ENDED:
            pc = self._peers.pop(event.session, None)
            if pc is not None:  # the library closed it: release the handle
                task = self._loop.create_task(pc.close())
                self._closing.add(task)
                task.add_done_callback(self._closing.discard)
            self.emit("sessionended", event.session, _text(event.reason))

    async def answer(self, offer: WhipOffer | int, pc: RTCPeerConnection) -> None:
        """Answer an offer with ``pc`` (``omnirtc_whip_server_answer``): its remote description is set to the offer
        unless already set; the server closes ``pc`` when the session ends. Raises InvalidStateError when the offer no
        longer waits."""
        session = offer.session if isinstance(offer, WhipOffer) else int(offer)
        _native.check(_native.lib.omnirtc_whip_server_answer(self._handle, session, pc._live()))
        self._peers[session] = pc

    def reject(self, offer: WhipOffer | int, status: int = 403, reason: str = "") -> None:
        """Refuse an offer with an HTTP status (400 to 599) and a reason for the client."""
        session = offer.session if isinstance(offer, WhipOffer) else int(offer)
        _native.check(_native.lib.omnirtc_whip_server_reject(
            self._handle, session, status, _native.encode(reason, "reason")))

    async def __aenter__(self) -> WhipServer:
        """The server itself."""
        return self

    async def __aexit__(self, *exc: Any) -> None:
        """Close the server (:meth:`close`)."""
        await self.close()
