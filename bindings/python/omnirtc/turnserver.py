"""The built-in TURN/STUN server (include/omnirtc.h, "TURN server").

::

    server = TurnServer({"listeners": [{"transport": "udp", "address": "0.0.0.0:3478"}],
                         "relay": {"address": "203.0.113.7"}, "users": {"alice": "secret"}})

    @server.on("allocationcreated")
    def created(allocation: TurnAllocation) -> None: ...

    print(server.stats()["allocations"])
    await server.close()

Events are delivered on the event loop that was running when the server
started (or the one passed in), drained from the library's queue as a peer
connection's are (omnirtc_turn_server_start_polled, see _bridge.py and _polled.py): the
library's notify only schedules a drain, and nothing is queued here. The
optional ``auth`` callable is the exception: the server needs the password to
answer the request, so it asks synchronously, on a library thread; it must be
quick and must not touch the loop; it returns the user's password or ``None``.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
from typing import Any, Callable, NamedTuple, Optional

from . import _abi, _native, _polled
from ._polled import text as _text

_EVENT_NAMES = {
    _abi.OMNIRTC_TURN_EVENT_ALLOCATION_CREATED: "allocationcreated",
    _abi.OMNIRTC_TURN_EVENT_ALLOCATION_DELETED: "allocationdeleted",
}


class TurnAllocation(NamedTuple):
    """What an ``allocationcreated`` / ``allocationdeleted`` event carries."""

    username: str
    realm: str
    client_address: str
    relay_address: str  # "" for allocationdeleted
    protocol: str  # "UDP" or "TCP"


AuthFunction = Callable[[str, str, str], Optional[str]]

@_abi.omnirtc_turn_notify_cb
def _on_notify(user_data: int | None, _handle: int) -> None:  # on a library thread
    _polled.notify(user_data)


@_abi.omnirtc_turn_auth_cb
def _on_auth(user_data: int | None, username: bytes, realm: bytes, client: bytes, out: Any, capacity: int) -> int:
    server = _polled.registered(user_data)
    if not isinstance(server, TurnServer) or server._auth is None:
        return 0
    try:
        password = server._auth(_text(username), _text(realm), _text(client))
    except Exception:  # noqa: BLE001 - a failing auth function refuses the user
        return 0
    if password is None:
        return 0
    encoded = password.encode("utf-8")
    if len(encoded) >= capacity or b"\0" in encoded:
        return 0
    ctypes.memmove(out, encoded + b"\0", len(encoded) + 1)
    return 1


class TurnServer(_polled.PolledObject):
    """A running TURN/STUN server; see the ``omnirtc_turn_server_start``
    documentation in omnirtc.h for the configuration keys.

    Events: ``allocationcreated`` and ``allocationdeleted`` (a
    :class:`TurnAllocation`), then ``close`` once the server is gone.
    """

    _event_t = _abi.omnirtc_turn_event_t
    _poll = _native.lib.omnirtc_turn_server_poll_events
    _close_fn = _native.lib.omnirtc_turn_server_close
    _final = _abi.OMNIRTC_TURN_EVENT_CLOSED

    def __init__(self, config: dict[str, Any] | str, *, auth: AuthFunction | None = None,
                 loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Start a server with ``config`` (a dict or its JSON; keys in omnirtc.h, ``omnirtc_turn_server_start``);
        ``auth(username, realm, client_address)`` may return the password of users found neither in ``users`` nor as
        REST credentials, or None; events go to ``loop`` (default: the current one).

        Raises InvalidConfigError (a ValueError; the message names the key), TooLargeError (config over 1 MiB),
        OperationError (a listener could not be opened, as an address in use)."""
        text = config if isinstance(config, str) else json.dumps(config)
        self._auth = auth
        super().__init__(loop)
        self._start(lambda user_data, out: _native.lib.omnirtc_turn_server_start_polled(
            _native.encode(text, "config"), _on_notify, _on_auth if auth else _abi.omnirtc_turn_auth_cb(),
            user_data, out), _abi.omnirtc_turn_server_t())

    def _deliver(self, event: Any) -> None:
        self.emit(_EVENT_NAMES[event.type], TurnAllocation(
            _text(event.username), _text(event.realm), _text(event.client_address),
            _text(event.relay_address), _text(event.protocol)))

    def stats(self) -> dict[str, Any]:
        """Allocations (now and since start), bytes relayed (to and from peers), auth failures, quota rejections, events
        dropped, and the listeners' addresses (``omnirtc_turn_server_stats``)."""
        return json.loads(_native.call_string(_native.lib.omnirtc_turn_server_stats, self._handle) or "{}")

    @property
    def addresses(self) -> list[tuple[str, str]]:
        """(transport, "ip:port") of each listener, with ports chosen by the OS filled in."""
        return [(entry["transport"], entry["address"]) for entry in self.stats()["listeners"]]

    async def close(self) -> None:
        """Stop the server; returns once its ``close`` event was emitted. Idempotent."""
        await super().close()

    async def __aenter__(self) -> TurnServer:
        """The server itself."""
        return self

    async def __aexit__(self, *exc: Any) -> None:
        """Close the server (:meth:`close`)."""
        await self.close()


def rest_credential(secret: str, user: str, ttl: int = 86400) -> tuple[str, str]:
    """A time-limited (username, password) for a server's ``sharedSecret``, as coturn's use-auth-secret:
    ``("<expiry>:<user>", base64(HMAC-SHA1))``, valid for ``ttl`` seconds. Raises InvalidArgumentError (a ValueError)
    for a user containing ':', TypeError or ValueError for a non-str or a NUL character."""
    username, password = ctypes.c_void_p(), ctypes.c_void_p()
    _native.check(_native.lib.omnirtc_turn_rest_credential(
        _native.encode(secret, "secret"), _native.encode(user, "user"), int(ttl),
        ctypes.byref(username), ctypes.byref(password)))
    return _native.take_string(username) or "", _native.take_string(password) or ""
