#!/usr/bin/env bash
# The Python binding's reference, by pdoc (pinned in scripts/python-venv.sh)
# from the docstrings, into OUT (default build/docs/python): the omnirtc
# package (everything in its __all__, on one page), omnirtc.logs and
# omnirtc.contrib. Importing omnirtc needs the library: build.sh runs this
# with OMNIRTC_LIBRARY set (./build.sh docs).
#
# Fails on any warning pdoc prints (a type annotation it cannot resolve, a
# module it cannot import), and on a docstring cross-reference (:class:`X`,
# :meth:`X`, :attr:`X`, :func:`X`, :mod:`X`) naming nothing the reference
# documents: pdoc 16 renders those as plain code without a word.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
venv=build/venv-python
out=${1:-build/docs/python}
modules=(omnirtc omnirtc.logs omnirtc.contrib)
scripts/python-venv.sh || exit 1
export PYTHONPATH=$PWD/bindings/python
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -rf "$out"
"$venv/bin/pdoc" --docformat restructuredtext -o "$out" "${modules[@]}" 2>"$log"
status=$?
cat "$log" >&2
if [ "$status" -ne 0 ] || [ -s "$log" ]; then
	echo "pdoc failed or warned (above)" >&2
	exit 1
fi

# Each cross-reference is resolved as pdoc's linkify does: a documented
# module, a fully qualified name, or a name relative to the docstring's
# class, its enclosing classes and its module. One into another importable
# package (:mod:`logging`) is left to the reader.
"$venv/bin/python" - "${modules[@]}" <<'EOF' || exit 1
import importlib.util
import re
import sys

import pdoc.doc

modules: dict[str, pdoc.doc.Module] = {}
pending = [pdoc.doc.Module.from_name(name) for name in sys.argv[1:]]
while pending:
    module = pending.pop()
    modules[module.modulename] = module
    pending.extend(module.submodules)

ROLE = re.compile(r":(?:class|meth|attr|func|mod|exc|data):`~?([\w.]+)`")


def resolves(target: str, namespace: str, module: pdoc.doc.Module) -> bool:
    top = target.partition(".")[0]
    if target in modules or (top != "omnirtc" and importlib.util.find_spec(top) is not None):
        return True
    for name, other in modules.items():
        if target.startswith(name + ".") and other.get(target[len(name) + 1 :]) is not None:
            return True
    parts = namespace.split(".") if namespace else []
    return any(module.get(".".join([*parts[:n], target])) is not None for n in range(len(parts), -1, -1))




def documented(module: pdoc.doc.Module) -> list[pdoc.doc.Doc]:
    """The module and what its page shows (names it re-exports too), classes with their own members."""
    docs: list[pdoc.doc.Doc] = [module]
    pending: list[pdoc.doc.Doc] = list(module.members.values())
    while pending:
        doc = pending.pop()
        docs.append(doc)
        if isinstance(doc, pdoc.doc.Class):
            pending.extend(doc.own_members)
    return docs


unresolved = []
for module in modules.values():
    for doc in documented(module):
        namespace = doc.qualname if isinstance(doc, pdoc.doc.Class) else doc.qualname.rpartition(".")[0]
        if isinstance(doc, pdoc.doc.Module):
            namespace = ""
        for target in ROLE.findall(doc.docstring):
            if not resolves(target, namespace, module):
                unresolved.append(f"{doc.fullname}: {target}")
if unresolved:
    print("docstring references to nothing the reference documents:", *unresolved, sep="\n  ", file=sys.stderr)
    sys.exit(1)
EOF
echo "Python reference in $out/omnirtc.html"
