"""`./build.sh wheel` makes a wheel that works alone: no Go, no OMNIRTC_LIBRARY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_wheel_installs_and_runs_without_go(tmp_path):
    built = subprocess.run([str(ROOT / "scripts" / "wheel.sh")], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    wheel = built.stdout.strip().splitlines()[-1]
    assert "-py3-none-linux_" in wheel
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-index", str(ROOT / wheel)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("OMNIRTC_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PATH"] = "/usr/bin:/bin"  # no Go toolchain
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import omnirtc; print(omnirtc.__version__, omnirtc.library_version())"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.split() == ["0.1.0", "0.1.0"]
    example = subprocess.run(
        [str(venv / "bin" / "python"), str(ROOT / "examples" / "python" / "datachannel.py")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert example.returncode == 0, example.stderr
    assert "alice got: echo: hello bob" in example.stdout
