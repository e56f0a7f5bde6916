"""A small event emitter with the pyee-style ``@obj.on("event")`` decorator aiortc uses."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

Handler = Callable[..., Any]

# Tasks of coroutine handlers still running: the loop keeps only a weak
# reference to a task, which could otherwise be collected before it is done.
_running: set[asyncio.Future[Any]] = set()


class EventEmitter:
    """The pyee-style emitter every object with events derives from: ``on``, ``once``, ``remove_listener``,
    ``remove_all_listeners``, ``listeners`` and ``emit``, as aiortc's objects have them."""

    def __init__(self) -> None:
        """An emitter with no handlers."""
        self._handlers: dict[str, list[Handler]] = {}

    def on(self, event: str, handler: Handler | None = None) -> Any:
        """Register ``handler`` for ``event``; without a handler, return a decorator."""
        if handler is None:
            return lambda f: self.on(event, f)
        self._handlers.setdefault(event, []).append(handler)
        return handler

    def once(self, event: str, handler: Handler | None = None) -> Any:
        """Like :meth:`on`, for the next ``event`` only."""
        if handler is None:
            return lambda f: self.once(event, f)

        def wrapper(*args: Any) -> Any:
            self.remove_listener(event, wrapper)
            return handler(*args)

        return self.on(event, wrapper)

    def remove_listener(self, event: str, handler: Handler) -> None:
        """Unregister ``handler`` for ``event``; nothing happens if it is not registered."""
        handlers = self._handlers.get(event, [])
        if handler in handlers:
            handlers.remove(handler)

    def remove_all_listeners(self, event: str | None = None) -> None:
        """Unregister every handler of ``event``, or of every event when None."""
        if event is None:
            self._handlers.clear()
        else:
            self._handlers.pop(event, None)

    def listeners(self, event: str) -> list[Handler]:
        """A copy of the handlers registered for ``event``, in registration order."""
        return list(self._handlers.get(event, []))

    def emit(self, event: str, *args: Any) -> None:
        """Call each handler; coroutine results are scheduled as tasks.

        A handler's exception goes to the running loop's exception handler,
        and the remaining handlers still run.
        """
        for handler in list(self._handlers.get(event, [])):
            try:
                result = handler(*args)
                if asyncio.iscoroutine(result):
                    task = asyncio.ensure_future(result)
                    _running.add(task)
                    task.add_done_callback(_running.discard)
            except Exception as exc:  # noqa: BLE001 - reported, never fatal
                asyncio.get_event_loop().call_exception_handler(
                    {"message": f"exception in {event!r} handler {handler!r}", "exception": exc}
                )
