"""The wheel `./build.sh dist` ships, checked as a user gets it: a manylinux
platlib wheel that auditwheel accepts, with the licences inside, installed in
a fresh venv with no Go, no compiler and no OMNIRTC_LIBRARY, where the
binding's own tests pass against it."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TESTS = Path(__file__).resolve().parent
# pytest's wheel, and the media extra's PyAV with numpy, fetched by
# scripts/test-python.sh: the fresh venv installs offline.
WHEELHOUSE = ROOT / "build" / "wheelhouse"
MEDIA_WHEELHOUSE = ROOT / "build" / "wheelhouse-media"
# Every test of the binding runs against the installed wheel too, but the
# aiortc interop (aiortc is no dependency of the wheel) and this file.
NOT_AGAINST_THE_WHEEL = ["test_aiortc.py", "test_media_aiortc.py", "test_wheel.py"]


@pytest.fixture(scope="module")
def wheel() -> Path:
    built = subprocess.run([str(ROOT / "scripts" / "wheel.sh")], capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    return ROOT / built.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # omnirtc[media]: the extra pulls PyAV
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", str(WHEELHOUSE),
                    "--find-links", str(MEDIA_WHEELHOUSE), "pytest", "numpy", f"{wheel}[media]"], check=True)
    return venv


def user_env(venv: Path) -> dict[str, str]:
    """The venv's bin only on PATH (no go, no cc), no library or source paths."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMNIRTC_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PATH"] = str(venv / "bin")
    return env


def test_wheel_is_manylinux_2_17_platlib_and_auditwheel_agrees(wheel: Path):
    tag = f"manylinux_2_17_{platform.machine()}"
    assert wheel.name.endswith(f"-py3-none-{tag}.whl"), wheel.name
    with zipfile.ZipFile(wheel) as whl:
        assert "omnirtc/libomnirtc.so" in whl.namelist()  # the root of a platlib wheel
        assert "Root-Is-Purelib: false" in whl.read("omnirtc-0.3.0.dist-info/WHEEL").decode()
    shown = subprocess.run([str(ROOT / "build" / "venv-wheel" / "bin" / "auditwheel"), "show", str(wheel)],
                           capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    assert re.search(rf'consistent with\s+the following platform tag:\s+"{tag}"', shown.stdout), shown.stdout


def test_wheel_carries_the_licences(wheel: Path):
    with zipfile.ZipFile(wheel) as whl:
        licences = "omnirtc-0.3.0.dist-info/licenses/"
        assert whl.read(licences + "LICENSE") == (ROOT / "LICENSE").read_bytes()
        assert whl.read(licences + "THIRD_PARTY_NOTICES") == (ROOT / "build" / "THIRD_PARTY_NOTICES").read_bytes()


def test_installed_wheel_runs_the_example_without_go_or_compiler(venv: Path, tmp_path: Path):
    env = user_env(venv)
    python = str(venv / "bin" / "python")
    found = subprocess.run(
        [python, "-c", "import omnirtc, omnirtc._native as n; print(omnirtc.__version__, omnirtc.library_version(), n.__file__)"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )
    assert found.returncode == 0, found.stderr
    version, library_version, native = found.stdout.split()
    assert (version, library_version) == ("0.3.0", "0.3.0")
    assert native.startswith(str(venv)), native  # the installed package, not the source tree
    example = subprocess.run([python, str(ROOT / "examples" / "python" / "datachannel.py")],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert example.returncode == 0, example.stderr
    assert "alice got: echo: hello bob" in example.stdout


def test_binding_tests_pass_against_the_installed_wheel(venv: Path, tmp_path: Path):
    # conftest.py's directory goes on sys.path, the source package does not:
    # `import omnirtc` is the installed wheel's (checked above).
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(TESTS),
         *(f"--ignore={TESTS / name}" for name in NOT_AGAINST_THE_WHEEL), str(TESTS)],
        capture_output=True, text=True, env=user_env(venv), cwd=tmp_path, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", run.stdout.splitlines()[-1]), run.stdout[-500:]
