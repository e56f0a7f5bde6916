#!/usr/bin/env python3
"""Writes bindings/python/omnirtc/_abi.py, the ctypes declarations of
include/omnirtc.h: every #define and enum constant, typedef, struct, callback
type and function prototype, in the header's order.

    scripts/python-venv.sh && build/venv-python/bin/python scripts/gen-python-abi.py [-o OUT]

The C preprocessor (cpp) strips the comments and keeps the #defines (-dD);
pycparser parses the rest. Small stand-ins for <stddef.h> and <stdint.h> keep
the fixed-width type names, which map one to one onto ctypes. A declaration
this script does not know how to map is an error, never silently left out.

Pointers: `const char *` is a string (ctypes.c_char_p), `char *` a buffer the
callee writes (POINTER(c_char)), `void *` is c_void_p, and `T **` (an
out-parameter that receives memory the library allocated) is
POINTER(c_void_p), so the caller keeps the address to give to omnirtc_free.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

try:
    from pycparser import c_ast, c_parser  # type: ignore[import-untyped]
except ImportError:
    sys.exit("gen-python-abi: pycparser is missing: run scripts/python-venv.sh and use build/venv-python/bin/python")

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "include" / "omnirtc.h"
OUTPUT = ROOT / "bindings" / "python" / "omnirtc" / "_abi.py"
LINE = 120  # ruff's line-length (bindings/python/pyproject.toml)

FIXED = {
    "int8_t": "ctypes.c_int8",
    "uint8_t": "ctypes.c_uint8",
    "int16_t": "ctypes.c_int16",
    "uint16_t": "ctypes.c_uint16",
    "int32_t": "ctypes.c_int32",
    "uint32_t": "ctypes.c_uint32",
    "int64_t": "ctypes.c_int64",
    "uint64_t": "ctypes.c_uint64",
    "size_t": "ctypes.c_size_t",
    "char": "ctypes.c_char",
    "int": "ctypes.c_int",
}
STAND_INS = {
    "stddef.h": "typedef unsigned long size_t;\n",
    "stdint.h": "".join(f"typedef int {name};\n" for name in FIXED if name.endswith("_t") and name != "size_t"),
}


def preprocess(header: Path) -> str:
    with tempfile.TemporaryDirectory() as include:
        for name, text in STAND_INS.items():
            Path(include, name).write_text(text)
        return subprocess.run(
            ["cpp", "-dD", "-undef", "-nostdinc", "-I", include, str(header)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


class Generator:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.types: set[str] = set()  # typedef names declared so far
        self.enumerators: dict[str, int] = {}
        self.prototypes: list[tuple[str, str, list[str]]] = []

    def fail(self, node: c_ast.Node, what: str) -> NoReturn:
        sys.exit(f"gen-python-abi: {node.coord}: cannot map {what}")

    # --- types ------------------------------------------------------------
    def ctype(self, node: c_ast.Node) -> str:
        """The ctypes expression of a declared type (None for void)."""
        if isinstance(node, c_ast.TypeDecl):
            inner = node.type
            if isinstance(inner, c_ast.IdentifierType):
                name = " ".join(inner.names)
                if name == "void":
                    return "None"
                if name in self.types:
                    return name
                if name in FIXED:
                    return FIXED[name]
            self.fail(node, f"type {' '.join(getattr(inner, 'names', [type(inner).__name__]))}")
        if isinstance(node, c_ast.PtrDecl):
            target = node.type
            if isinstance(target, c_ast.PtrDecl):
                return "ctypes.POINTER(ctypes.c_void_p)"
            if isinstance(target, c_ast.TypeDecl) and isinstance(target.type, c_ast.IdentifierType):
                name = " ".join(target.type.names)
                if name == "void":
                    return "ctypes.c_void_p"
                if name == "char":
                    return "ctypes.c_char_p" if "const" in target.quals else "ctypes.POINTER(ctypes.c_char)"
            return f"ctypes.POINTER({self.ctype(target)})"
        if isinstance(node, c_ast.ArrayDecl) and isinstance(node.dim, c_ast.Constant):  # a fixed-size member
            return f"{self.ctype(node.type)} * {node.dim.value}"
        self.fail(node, type(node).__name__)

    def params(self, func: c_ast.FuncDecl) -> list[str]:
        params = func.args.params if func.args else []
        if len(params) == 1 and self.ctype(params[0].type) == "None":  # (void)
            return []
        return [self.ctype(p.type) for p in params]

    # --- declarations -----------------------------------------------------
    def enum(self, node: c_ast.Enum) -> None:
        value = -1
        self.out.append("")
        for item in node.values.enumerators:
            value = self.evaluate(item.value) if item.value is not None else value + 1
            self.enumerators[item.name] = value
            self.out.append(f"{item.name} = {value}")

    def evaluate(self, node: c_ast.Node) -> int:
        if isinstance(node, c_ast.Constant) and node.type == "int":
            return int(node.value.rstrip("uUlL"), 0)
        if isinstance(node, c_ast.UnaryOp) and node.op in "-+":
            value = self.evaluate(node.expr)
            return -value if node.op == "-" else value
        if isinstance(node, c_ast.ID) and node.name in self.enumerators:
            return self.enumerators[node.name]
        self.fail(node, "an enum value that is not an integer")

    def typedef(self, node: c_ast.Typedef) -> None:
        name, decl = node.name, node.type
        if isinstance(decl, c_ast.TypeDecl) and isinstance(decl.type, c_ast.Struct):
            self.record("Structure", name, decl.type.decls or [])
        elif isinstance(decl, c_ast.TypeDecl) and isinstance(decl.type, c_ast.Enum):
            self.enum(decl.type)
            self.out.append(f"{name} = ctypes.c_int")
        elif isinstance(decl, c_ast.PtrDecl) and isinstance(decl.type, c_ast.FuncDecl):
            func = decl.type
            self.out.append("")
            self.out.append(self.wrap(f"{name} = ctypes.CFUNCTYPE(", [self.ctype(func.type), *self.params(func)], ")"))
        else:
            self.out.append(f"{name} = {self.ctype(decl)}")
        self.types.add(name)

    def record(self, base: str, name: str, decls: list[c_ast.Decl]) -> None:
        """A struct or union as a ctypes class, after the classes of the
        struct and union types declared inside it. A member struct is named
        by its tag; an anonymous union becomes a member of `_anonymous_`,
        so its members read as the outer struct's, as in C."""
        fields: list[tuple[str, str]] = []
        anonymous: list[str] = []
        for field in decls:
            inner = field.type.type if isinstance(field.type, c_ast.TypeDecl) else field.type
            if isinstance(inner, c_ast.Union) and field.name is None:
                member = f"_union{len(anonymous)}"
                self.record("Union", f"{name}{member}", inner.decls)
                fields.append((member, f"{name}{member}"))
                anonymous.append(member)
            elif isinstance(inner, (c_ast.Struct, c_ast.Union)) and inner.decls is not None:
                if inner.name is None or field.name is None:
                    self.fail(field, "a struct or union member without a tag or a name")
                self.record("Structure" if isinstance(inner, c_ast.Struct) else "Union", inner.name, inner.decls)
                fields.append((field.name, inner.name))
            else:
                fields.append((field.name, self.ctype(field.type)))
        self.out += ["", "", f"class {name}(ctypes.{base}):"]
        if anonymous:
            self.out.append(f"    _anonymous_ = ({''.join(f'{json.dumps(a)}, ' for a in anonymous).strip()})")
        self.out.append("    _fields_ = [")
        self.out += [f'        ("{field}", {ctype}),' for field, ctype in fields]
        self.out += ["    ]", "", ""]

    def declaration(self, node: c_ast.Node) -> None:
        if isinstance(node, c_ast.Typedef):
            if node.name not in FIXED:  # the stand-in headers' own
                self.typedef(node)
        elif isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.Enum) and node.name is None:
            self.enum(node.type)
        elif isinstance(node, c_ast.FuncDef):
            pass  # a static inline helper: C callers' convenience, not a library symbol
        elif isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.FuncDecl):
            func = node.type
            self.prototypes.append((node.name, self.ctype(func.type), self.params(func)))
        else:
            self.fail(node, "this declaration")

    @staticmethod
    def wrap(head: str, items: list[str], tail: str) -> str:
        """head + items + tail on one line when it fits, else one item a line."""
        line = f"{head}{', '.join(items)}{tail}"
        if len(line) <= LINE:
            return line
        return "\n".join([head, *(f"    {item}," for item in items), tail])

    def module(self, macros: list[str]) -> str:
        lines = [
            '"""ctypes declarations of include/omnirtc.h, generated by scripts/gen-python-abi.py: do not edit.',
            "",
            "Regenerate after changing the header:",
            "scripts/python-venv.sh && build/venv-python/bin/python scripts/gen-python-abi.py",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "import ctypes",
            "from typing import Any",
            "",
            *macros,
            "",
            *self.out,
            "",
            "# name: (restype, argtypes)",
            "PROTOTYPES: dict[str, tuple[Any, list[Any]]] = {",
        ]
        for name, restype, argtypes in self.prototypes:
            arguments = ", ".join(argtypes)
            entry = f'    "{name}": ({restype}, [{arguments}]),'
            if len(entry) <= LINE:
                lines.append(entry)
                continue
            lines += [f'    "{name}": (', f"        {restype},"]
            entry = f"        [{arguments}],"
            if len(entry) <= LINE:
                lines.append(entry)
            else:
                lines += ["        [", *(f"            {a}," for a in argtypes), "        ],"]
            lines.append("    ),")
        lines.append("}")
        return re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines) + "\n")  # at most two blank lines


def macros(preprocessed: str) -> tuple[list[str], str]:
    """The header's valued #defines as Python assignments, and the code
    without them (blank lines in their place, so the line markers stay true)."""
    assignments, code = [], []
    for line in preprocessed.splitlines():
        parts = line.split(None, 2)
        if not line.startswith("#") or parts[1][0].isdigit():  # code, or a line marker for pycparser
            code.append(line)
            continue
        code.append("")
        if parts[0] == "#define" and len(parts) == 3 and parts[1].startswith("OMNIRTC_"):
            try:
                value = ast.literal_eval(parts[2])
            except (ValueError, SyntaxError):
                value = None
            if not isinstance(value, (int, str)):
                sys.exit(f"gen-python-abi: cannot map #define {parts[1]} {parts[2]}: not a number or string")
            assignments.append(f"{parts[1]} = {json.dumps(value)}")
    return assignments, "\n".join(code)


def read(header: Path) -> tuple[list[str], Generator]:
    """The header's #defines as Python assignments, and its declarations
    read into a Generator (scripts/gen-def.py takes its prototypes)."""
    assignments, code = macros(preprocess(header))
    generator = Generator()
    for node in c_parser.CParser().parse(code, str(header)).ext:
        generator.declaration(node)
    return assignments, generator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--header", type=Path, default=HEADER, help=f"default: {HEADER.relative_to(ROOT)}")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT.relative_to(ROOT)}")
    args = parser.parse_args()
    assignments, generator = read(args.header)
    args.output.write_text(generator.module(assignments))


if __name__ == "__main__":
    main()
