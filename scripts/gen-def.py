#!/usr/bin/env python3
"""Writes the module-definition file (.def) of omnirtc.dll: its name and the
functions of include/omnirtc.h, in the header's order, and nothing else.

    scripts/gen-def.py [-o OUT]     (needs pycparser: Debian's python3-pycparser)

The header is read by scripts/gen-python-abi.py's parser, so the DLL exports
what the Python binding declares; a static inline helper of the header is no
export (the parser leaves it out). With --list, prints the names alone, one a
line (what the dist suite compares the DLL's export table with).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def functions(header: Path) -> list[str]:
    """The names of the functions the header declares, in its order."""
    spec = importlib.util.spec_from_file_location("gen_python_abi", ROOT / "scripts" / "gen-python-abi.py")
    assert spec is not None and spec.loader is not None
    abi = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(abi)
    _, generator = abi.read(header)
    return [name for name, _, _ in generator.prototypes]


def main() -> None:
    """Print (or write to --output) the .def of the header's functions, or with --list their names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--header", type=Path, default=ROOT / "include" / "omnirtc.h")
    parser.add_argument("--list", action="store_true", help="the function names only")
    parser.add_argument("-o", "--output", type=Path, help="default: standard output")
    args = parser.parse_args()
    names = functions(args.header)
    if not names:
        sys.exit(f"gen-def: no functions in {args.header}")
    lines = names if args.list else ["LIBRARY omnirtc.dll", "EXPORTS", *(f"    {name}" for name in names)]
    text = "".join(f"{line}\n" for line in lines)
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
