"""Which library file the binding loads on which platform.

Kept apart from :mod:`omnirtc._native`, which loads it at import, so that the
choice for Windows can be tested on Linux: the platform is a parameter
(``sys.platform``'s values).
"""

from __future__ import annotations

import ctypes.util
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple


class Library(NamedTuple):
    """The library to load, and the directory Windows must search for it."""

    path: str
    # Windows resolves a DLL's own dependencies only in the directories it is
    # told of (os.add_dll_directory), not beside a DLL loaded by full path.
    dll_directory: str | None


def bundled_name(platform: str) -> str:
    """The file name pattern of the library a wheel ships for ``platform``."""
    return "omnirtc.dll" if platform == "win32" else "libomnirtc.so*"


def find_library(
    platform: str,
    package_dir: Path,
    environ: Mapping[str, str],
    search: Callable[[str], str | None] = ctypes.util.find_library,
) -> Library:
    """OMNIRTC_LIBRARY, else the library in ``package_dir`` (the wheel's),
    else the system's (``search``, ctypes' find_library).
    """
    explicit = environ.get("OMNIRTC_LIBRARY")
    if explicit:
        return Library(explicit, None)
    pattern = bundled_name(platform)
    bundled = sorted(package_dir.glob(pattern))
    if bundled:
        return Library(str(bundled[0]), str(package_dir) if platform == "win32" else None)
    found = search("omnirtc")
    if found:
        return Library(found, None)
    raise ImportError(f"{pattern.rstrip('*')} not found: set OMNIRTC_LIBRARY or install the omnirtc wheel")
