"""Every Python example runs (scripts/test-python.sh collects this file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run(*args: str, timeout: float = 60) -> str:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_datachannel_example():
    out = run(str(HERE / "datachannel.py"))
    assert "bob got: hello bob" in out and "alice got: echo: hello bob" in out


def test_two_process_example():
    script = str(HERE / "two_process.py")
    answerer = subprocess.Popen(
        [sys.executable, script, "answer", "127.0.0.1", "9417"], stdout=subprocess.PIPE, text=True
    )
    assert answerer.stdout is not None
    assert answerer.stdout.readline().strip() == "answerer: listening"
    out = run(script, "offer", "127.0.0.1", "9417")
    rest, _ = answerer.communicate(timeout=30)
    assert answerer.returncode == 0
    assert "offerer got: pong for ping 3" in out and "offerer: done" in out
    assert "answerer got: ping 1" in rest and "answerer: done" in rest


def test_aiortc_program_ported_by_changing_imports():
    original = (HERE / "aiortc_port" / "original.py").read_text().splitlines()
    ported = (HERE / "aiortc_port" / "ported.py").read_text().splitlines()
    changed = [(a, b) for a, b in zip(original, ported) if a != b]
    assert len(original) == len(ported)
    assert all("import" in a or a.startswith('"""') for a, _ in changed)
    assert run(str(HERE / "aiortc_port" / "original.py")).strip() == "pong 1"
    assert run(str(HERE / "aiortc_port" / "ported.py")).strip() == "pong 1"
