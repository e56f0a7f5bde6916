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


def fake_vp8_ivf(path: Path, frames: int = 30) -> None:
    """A small VP8 IVF file without an encoder: distinct fake frames, the first a keyframe."""
    import struct

    data = bytearray(b"DKIF" + struct.pack("<HH4sHHIIII", 0, 32, b"VP80", 320, 240, 30, 1, frames, 0))
    for i in range(frames):
        frame = bytes([0x00 if i == 0 else 0x01]) + f"frame-{i:04d}".encode() * 40
        data += struct.pack("<IQ", len(frame), i) + frame
    path.write_bytes(bytes(data))


def test_play_file_example(tmp_path):
    source = tmp_path / "in.ivf"
    fake_vp8_ivf(source)
    out = run(str(HERE / "play_file.py"), str(source))
    assert "played 30 frames, viewer received 30" in out and "all frames arrived intact" in out


def test_record_file_example(tmp_path):
    source, target = tmp_path / "in.ivf", tmp_path / "out.ivf"
    fake_vp8_ivf(source)
    out = run(str(HERE / "record_file.py"), str(source), str(target))
    assert f"sent 30 frames; {target} holds 30 frames" in out


def test_whip_broadcast_example():
    out = run(str(HERE / "whip_broadcast.py"))
    for viewer in ("viewer 1", "viewer 2"):
        line = next(line for line in out.splitlines() if line.startswith(viewer + ":"))
        assert "30 frames 320x240" in line, out
        colour = [int(c) for c in line.split("colour (")[1].rstrip(")").split(",")]
        assert all(abs(a - b) <= 24 for a, b in zip(colour, (40, 90, 220))), line


def test_forward_example():
    out = run(str(HERE / "forward.py"))
    assert "small viewer receives: qqqqqqqqqq" in out, out
    assert "large viewer receives: ffffffffff" in out, out
    assert "small viewer, moved to h, receives: hhhhhhhhhh" in out, out
    assert "'rid': 'h'" in out and "'started': True" in out, out
