"""The engine's log lines (pion's included) as :mod:`logging` records.

Each line goes to ``logging.getLogger("omnirtc.<scope>")``, the scope being
the subsystem the engine names (``omnirtc.ice``, ``omnirtc.dtls``,
``omnirtc.sctp``, ``omnirtc.pc``…; the core's own lines go to ``omnirtc``),
at the matching level: ERROR, WARNING, INFO, DEBUG, and TRACE (5, below
DEBUG). Configure them as any logger::

    logging.basicConfig()
    logging.getLogger("omnirtc.ice").setLevel(logging.DEBUG)

The engine only formats the lines some ``omnirtc`` logger with a handler
would take: the level the library is asked for
(``omnirtc_set_log_callback``) is worked out from those loggers each time a
peer connection or TURN server is created, so set levels up before creating
them, or call :func:`sync_log_level` after a change. With no handler
anywhere (Python's default) the engine logs nothing and costs nothing.

The lines arrive on one library thread, one at a time, and go straight to the
logger there, as from any other thread; the GIL is taken for each one and
never held while the library waits.
"""

from __future__ import annotations

import logging
import threading

from . import _abi, _native

TRACE = 5
"""The logging level of the engine's trace lines, below ``logging.DEBUG``."""
logging.addLevelName(TRACE, "TRACE")

logger = logging.getLogger("omnirtc")

# the engine's levels (OMNIRTC_LOG_*), least verbose first, and logging's
_LEVELS = {
    _abi.OMNIRTC_LOG_ERROR: logging.ERROR,
    _abi.OMNIRTC_LOG_WARNING: logging.WARNING,
    _abi.OMNIRTC_LOG_INFO: logging.INFO,
    _abi.OMNIRTC_LOG_DEBUG: logging.DEBUG,
    _abi.OMNIRTC_LOG_TRACE: TRACE,
}

_lock = threading.Lock()  # held around omnirtc_set_log_callback; never by the library's thread
_engine_level = _abi.OMNIRTC_LOG_NONE  # the level the library was last given
_loggers: dict[str, logging.Logger] = {}  # by scope, filled on the library's thread only
_on_log_thread = threading.local()


def _wanted_level() -> int:
    """The most verbose engine level some ``omnirtc`` logger with a handler takes."""
    family = [logger] + [
        child
        for name, child in list(logging.root.manager.loggerDict.items())
        if name.startswith("omnirtc.") and isinstance(child, logging.Logger)
    ]
    listening = [each for each in family if each.hasHandlers()]
    wanted = _abi.OMNIRTC_LOG_NONE
    for engine_level, level in _LEVELS.items():
        if any(each.isEnabledFor(level) for each in listening):
            wanted = engine_level
    return wanted


def sync_log_level() -> None:
    """Ask the library for the lines the ``omnirtc`` loggers take now.

    Called on each new peer connection and TURN server; call it after changing
    a level or a handler while connections are open. From a log handler
    itself it does nothing (the library would wait for that very handler).
    """
    global _engine_level
    if getattr(_on_log_thread, "active", False):
        return
    with _lock:
        wanted = _wanted_level()
        if wanted != _engine_level:
            # ctypes lets the GIL go for the call, which waits for the line in
            # delivery (if any) to reach its handlers
            _native.check(_native.lib.omnirtc_set_log_callback(wanted, _on_log, None))
            _engine_level = wanted


def _forget_level() -> None:
    """omnirtc_shutdown (at exit) silenced the library."""
    global _engine_level
    _engine_level = _abi.OMNIRTC_LOG_NONE


def _emit(engine_level: int, scope: str, message: str) -> None:
    """One line to its logger, on the library's thread."""
    target = _loggers.get(scope)
    if target is None:
        name = scope.lower()
        target = _loggers[scope] = logger if name in ("", "omnirtc") else logger.getChild(name)
    level = _LEVELS.get(engine_level, logging.DEBUG)
    if target.isEnabledFor(level):
        target.handle(target.makeRecord(target.name, level, "(omnirtc)", 0, message, (), None))


@_abi.omnirtc_log_cb
def _on_log(user_data: int | None, level: int, scope: bytes | None, message: bytes | None) -> None:
    _on_log_thread.active = True
    try:
        _emit(level, (scope or b"").decode("utf-8", "replace"), (message or b"").decode("utf-8", "replace"))
    except BaseException:  # noqa: BLE001 - a Go thread must never see a Python exception
        pass
    finally:
        _on_log_thread.active = False
