"""The library file the binding picks on each platform (omnirtc._loader),
checked here for Windows too: the platform is a parameter."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnirtc._loader import Library, find_library


def nothing(name: str) -> None:
    return None


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A package directory holding both platforms' libraries."""
    for name in ("omnirtc.dll", "libomnirtc.so"):
        (tmp_path / name).write_bytes(b"")
    return tmp_path


def test_windows_loads_the_bundled_dll_and_adds_its_directory(package: Path):
    assert find_library("win32", package, {}, nothing) == Library(str(package / "omnirtc.dll"), str(package))


def test_linux_loads_the_bundled_shared_object(package: Path):
    assert find_library("linux", package, {}, nothing) == Library(str(package / "libomnirtc.so"), None)


def test_the_versioned_shared_object_of_a_wheel_is_found(tmp_path: Path):
    (tmp_path / "libomnirtc.so.0").write_bytes(b"")
    assert find_library("linux", tmp_path, {}, nothing).path == str(tmp_path / "libomnirtc.so.0")


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_omnirtc_library_wins_over_the_bundled_one(package: Path, platform: str):
    assert find_library(platform, package, {"OMNIRTC_LIBRARY": "/x/lib.so"}, nothing) == Library("/x/lib.so", None)


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_without_a_bundled_library_the_system_one_is_searched(tmp_path: Path, platform: str):
    searched = []

    def search(name: str) -> str:
        searched.append(name)
        return "omnirtc-found"

    assert find_library(platform, tmp_path, {}, search) == Library("omnirtc-found", None)
    assert searched == ["omnirtc"]


def test_a_linux_library_is_not_taken_on_windows(tmp_path: Path):
    (tmp_path / "libomnirtc.so").write_bytes(b"")
    with pytest.raises(ImportError, match=r"^omnirtc\.dll not found"):
        find_library("win32", tmp_path, {}, nothing)


def test_a_windows_library_is_not_taken_on_linux(tmp_path: Path):
    (tmp_path / "omnirtc.dll").write_bytes(b"")
    with pytest.raises(ImportError, match=r"^libomnirtc\.so not found"):
        find_library("linux", tmp_path, {}, nothing)
