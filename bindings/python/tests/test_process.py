"""The host process stays in charge: exit, Ctrl-C, a closed loop, fork."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent

PAIR = textwrap.dedent(
    """
    import asyncio, sys
    sys.path.insert(0, %r)
    from conftest import open_pair
    """
    % str(HERE)
)


def python(code: str, **kwargs) -> subprocess.Popen:  # type: ignore[type-arg]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-c", PAIR + textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,
    )


def signal_when_ready(proc: subprocess.Popen, sig: int) -> tuple[str, str]:  # type: ignore[type-arg]
    """Sends sig once the child printed "ready" and is busy with the library;
    returns its output."""
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    proc.send_signal(sig)
    return proc.communicate(timeout=20)


def test_interpreter_exits_promptly_with_peers_open():
    proc = python(
        """
        async def main():
            global keep
            keep = await open_pair()
            keep[2].send("in flight")
            print("connected", flush=True)
        asyncio.run(main())
        """
    )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "connected" in out


def test_no_library_callback_reaches_python_after_the_exit_shutdown():
    """The exit hook's omnirtc_shutdown closes every peer; the notifies of
    their last events must not come after it, into a finalizing interpreter
    (a SIGSEGV in ortc_bridge_notify was seen at exit)."""
    proc = python(
        """
        import atexit, time
        import omnirtc
        from omnirtc import _bridge
        wakes = []
        wake = _bridge.Inbox.wake
        def counted(self):
            wakes.append(time.monotonic())
            wake(self)
        _bridge.Inbox.wake = counted
        def shutdown_then_count():
            omnirtc._shutdown()
            done = time.monotonic()
            time.sleep(0.3)
            print("after", sum(t > done for t in wakes), "of", len(wakes), flush=True)
        atexit.unregister(omnirtc._shutdown)
        atexit.register(shutdown_then_count)
        async def main():
            global keep
            keep = await open_pair()
        asyncio.run(main())
        """
    )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.startswith("after 0 of "), out


def test_ctrl_c_raises_keyboard_interrupt_while_connected():
    proc = python(
        """
        async def main():
            a, b, local, remote = await open_pair()
            print("ready", flush=True)
            while True:  # busy with the library when SIGINT lands
                local.send("tick")
                await asyncio.sleep(0.001)
        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(3)
        """
    )
    out, err = signal_when_ready(proc, signal.SIGINT)
    assert proc.returncode == 3, err
    assert "interrupted" in out


def test_sigterm_handler_of_the_host_runs_while_connected():
    # The handler raises SystemExit wherever the main thread is: in a plain
    # loop, not inside asyncio, whose internals it can leave with a task that
    # never wakes (asyncio.run then hung in _cancel_all_tasks, 3 of 417 runs,
    # with no library thread busy); asyncio programs use add_signal_handler,
    # tested below.
    proc = python(
        """
        import signal, time
        def on_term(signum, frame):
            print("terminated", flush=True)
            sys.exit(4)
        signal.signal(signal.SIGTERM, on_term)
        a, b, local, remote = asyncio.run(open_pair())
        print("ready", flush=True)
        while True:  # busy with the library, whose threads run, when SIGTERM lands
            local.send("tick")
            time.sleep(0.001)
        """
    )
    out, err = signal_when_ready(proc, signal.SIGTERM)
    assert proc.returncode == 4, err
    assert "terminated" in out


def test_asyncio_signal_handler_runs_while_connected():
    proc = python(
        """
        import signal
        async def main():
            stop = asyncio.Event()
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
            a, b, local, remote = await open_pair()
            print("ready", flush=True)
            while not stop.is_set():
                local.send("tick")
                await asyncio.sleep(0.001)
            await a.close()
            await b.close()
            print("stopped cleanly", flush=True)
        asyncio.run(main())
        """
    )
    out, err = signal_when_ready(proc, signal.SIGTERM)
    assert proc.returncode == 0, err
    assert "stopped cleanly" in out


def test_loop_closed_with_events_pending_does_not_crash():
    proc = python(
        """
        loop = asyncio.new_event_loop()
        a, b, local, remote = loop.run_until_complete(open_pair())
        for _ in range(200):
            local.send(b"x" * 1000)   # events for b arrive after its loop is gone
        loop.close()
        import time; time.sleep(1)
        print("survived", flush=True)
        """
    )
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "survived" in out


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_forked_child_gets_forked_error():
    proc = python(
        """
        import os, omnirtc
        from omnirtc import RTCPeerConnection
        async def main():
            await open_pair()   # the library's threads are running
        asyncio.run(main())
        pid = os.fork()
        if pid == 0:
            try:
                RTCPeerConnection()
            except omnirtc.ForkedError as e:
                os._exit(0 if "fork" in e.message else 2)
            os._exit(1)
        _, status = os.waitpid(pid, 0)
        print("child", os.waitstatus_to_exitcode(status), flush=True)
        """
    )
    out, err = proc.communicate(timeout=30)
    assert "child 0" in out, err
