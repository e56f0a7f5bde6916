#!/usr/bin/env python3
"""The C reference: include/omnirtc.h's sections, its comments and its declarations, as one Markdown page.

    scripts/docs-c.py [OUT [HEADER]]   (default build/docs/c/omnirtc.md, include/omnirtc.h)

Fails, naming them, on functions without a comment: each function's declaration must follow its comment
directly, or follow another declaration that does (a group under one comment), as the header's style has it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BANNER = re.compile(r"^/\* =+ \*/$")
FUNCTION = re.compile(r"^(?!typedef\b)[A-Za-z_][\w \t*]*?\b(omnirtc_\w+)\(")


def comment_text(block: list[str]) -> str:
    """A comment's text without its /*, */ and leading asterisks."""
    text = []
    for line in block:
        line = line.strip().removeprefix("/*").removesuffix("*/").strip()
        text.append(line.removeprefix("*").removeprefix(" ") if line.startswith("*") else line)
    return "\n".join(text).strip()


def reference(header: Path) -> tuple[str, list[str]]:
    """The Markdown page and the functions without a comment."""
    lines = header.read_text().splitlines()
    out = [f"# {header.name}", "", "The C API of OmniRTC, from the header's own comments.", ""]
    undocumented: list[str] = []
    comment: list[str] | None = None  # the comment just before, when nothing came between
    i = 0
    while i < len(lines):
        line = lines[i]
        if BANNER.match(line) and i + 2 < len(lines) and BANNER.match(lines[i + 2]):
            out += [f"## {comment_text([lines[i + 1]])}", ""]
            comment, i = None, i + 3
            continue
        if line.startswith("/*"):
            block = [line]
            while not block[-1].rstrip().endswith("*/"):
                i += 1
                block.append(lines[i])
            comment, i = block, i + 1
            continue
        if not line.strip() or line.startswith(("#", "}", 'extern "C"')):
            if comment is not None and not line.strip():
                out += [comment_text(comment), ""]  # a section's prose
            comment, i = None if not line.strip() else comment, i + 1
            continue
        chunk = []  # the declarations after the comment, up to a blank line
        while i < len(lines) and lines[i].strip():
            chunk.append(lines[i])
            i += 1
        names = [m.group(1) for m in map(FUNCTION.match, chunk) if m]
        if comment is None:
            undocumented += names
        out += [f"### `{name}`" for name in names]
        out += ["```c", *chunk, "```", ""]
        if comment is not None:
            out += [comment_text(comment), ""]
        comment = None
    return "\n".join(out), undocumented


def main() -> int:
    """Writes the page, or names the functions without a comment and fails."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/docs/c/omnirtc.md")
    header = Path(sys.argv[2] if len(sys.argv) > 2 else "include/omnirtc.h")
    page, undocumented = reference(header)
    if undocumented:
        print(f"{header}: functions without a comment: {', '.join(undocumented)}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
