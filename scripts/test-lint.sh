#!/usr/bin/env bash
# Linters as tests: golangci-lint over core and capi (.golangci.yml, modelled on
# pion's), ruff and mypy over the Python binding (bindings/python/pyproject.toml),
# a probe that ruff's docstring rules (D100-D107) fire on the package, the
# Python reference built by pdoc without a warning or a dangling docstring
# reference (scripts/docs.sh), the Python binding's ctypes declarations checked
# against the header, and eslint (recommended rules) and tsc --noEmit (checkJs) over the Node package,
# a JSDoc comment on every public name of its index.d.ts (scripts/check-dts-docs.js) with a probe,
# the Node reference built by TypeDoc without a warning, an undocumented name included (scripts/docs-node.sh) with a probe,
# the C reference made from the header, every function with its comment (scripts/docs-c.py) with a probe,
# clang-format (.clang-format) over the C, and actionlint (with shellcheck on
# the run: scripts) over .github/workflows, with a probe. Reformat the C with:
#   find include capi tests/c tests/dist examples/c bench/c bindings/node/src -name '*.[ch]' -exec clang-format -i {} +
# Each linter is one test. golangci-lint is built once, pinned, into a cache
# directory shared by every clone; ruff, mypy and pdoc are pinned in the test venv.
set -uo pipefail
cd "$(dirname "$0")/.."
golangci_version=v2.15.0
tools=${OMNIRTC_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/omnirtc/tools}/golangci-lint-$golangci_version
golangci=$tools/golangci-lint
actionlint_version=v1.7.12
actionlint=${OMNIRTC_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/omnirtc/tools}/actionlint-$actionlint_version/actionlint
venv=build/venv-python
# shellcheck source=scripts/checks.sh
. scripts/checks.sh
# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh

if [ ! -x "$golangci" ]; then
	echo "==> building golangci-lint $golangci_version into $tools" >&2
	GOBIN=$tools go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$golangci_version" >&2
fi
if [ ! -x "$actionlint" ]; then
	echo "==> building actionlint $actionlint_version into $(dirname "$actionlint")" >&2
	GOBIN=$(dirname "$actionlint") go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version" >&2
fi
scripts/python-venv.sh || exit 1
apt_need clang-format || exit 1
node_bin=bindings/node/node_modules/.bin
[ -x "$node_bin/eslint" ] && [ -x "$node_bin/tsc" ] && [ -x "$node_bin/typedoc" ] ||
	(cd bindings/node && npm install --no-audit --no-fund --loglevel=error >&2) || exit 1

# python_abi fails when bindings/python/omnirtc/_abi.py is not what
# scripts/gen-python-abi.py makes of include/omnirtc.h now.
python_abi() {
	local fresh status=0
	fresh=$(mktemp)
	"$venv/bin/python" scripts/gen-python-abi.py -o "$fresh" &&
		diff -u bindings/python/omnirtc/_abi.py "$fresh" || status=1
	rm -f "$fresh"
	[ "$status" -eq 0 ] || echo "regenerate it: $venv/bin/python scripts/gen-python-abi.py"
	return "$status"
}

# ruff_docstrings fails unless ruff, with the package's configuration, reports
# D10x for a package module that lost a method's docstring: a select or a
# per-file-ignores pattern that turned the rules off for the package would
# pass the ruff check silently. The module goes in on stdin under its own path,
# so the patterns apply to it as to the file.
ruff_docstrings() {
	local module=bindings/python/omnirtc/rtcdatachannel.py report
	report=$(sed '0,/^        """.*"""$/{//d}' "$module" |
		"$venv/bin/ruff" check --no-cache --config bindings/python/pyproject.toml --output-format concise --stdin-filename "$module" -)
	grep -Eq "^$module:[0-9]+:[0-9]+: D10[0-7] " <<<"$report" ||
		{ echo "ruff reports no D10x for $module without a method's docstring: $report"; return 1; }
}

# c_docs_probe fails unless scripts/docs-c.py fails on a copy of the header
# whose omnirtc_free lost its comment.
c_docs_probe() {
	local copy out status=0
	copy=$(mktemp) out=$(mktemp -d)
	awk '/^\/\*$/ { held = $0; next } held != "" { held = held "\n" $0; if ($0 ~ /\*\/$/) { block = held; held = ""; next } next }
		block != "" { if ($0 !~ /^void omnirtc_free\(/) printf "%s\n", block; block = "" } { print }' include/omnirtc.h >"$copy"
	if grep -q '^void omnirtc_free(' "$copy" && python3 scripts/docs-c.py "$out/c.md" "$copy" >/dev/null 2>&1; then
		echo "scripts/docs-c.py accepts omnirtc_free without its comment"
		status=1
	fi
	rm -rf "$copy" "$out"
	return "$status"
}

# node_docs builds the Node reference into a temporary directory:
# scripts/docs-node.sh fails on any TypeDoc warning, an undocumented name
# (a property of an inline object type too) included.
node_docs() {
	local out status
	out=$(mktemp -d)
	scripts/docs-node.sh "$out/node"
	status=$?
	rm -rf "$out"
	return "$status"
}

# node_docs_probe fails unless scripts/docs-node.sh fails on a copy of
# index.d.ts with a {@link} to nothing: a TypeDoc that no longer treats its
# warnings as errors would pass node_docs silently.
node_docs_probe() {
	local probe=bindings/node/build/docs-probe out status=0
	out=$(mktemp -d)
	mkdir -p "$probe" && cp bindings/node/index.d.ts "$probe/index.d.ts" &&
		printf '{"extends":"../../tsconfig.json","include":["index.d.ts"]}\n' >"$probe/tsconfig.json" &&
		sed -i '0,/^export interface/s//\/** See {@link NoSuchThing}. *\/\nexport interface/' "$probe/index.d.ts" || status=1
	if [ "$status" -eq 0 ] && scripts/docs-node.sh "$out/node" "$probe/index.d.ts" >/dev/null 2>&1; then
		echo "scripts/docs-node.sh accepts a {@link} to nothing"
		status=1
	fi
	rm -rf "$out" "$probe"
	return "$status"
}

# python_docs builds the reference into a temporary directory: scripts/docs.sh
# fails on any pdoc warning and on a docstring reference to nothing documented.
python_docs() {
	local out status
	out=$(mktemp -d)
	scripts/docs.sh "$out/python"
	status=$?
	rm -rf "$out"
	return "$status"
}

# dts_docs_probe fails unless scripts/check-dts-docs.js names the member of
# bindings/node/index.d.ts whose comment is taken out of a copy: a checker
# that passes everything would pass the dts-docs check silently.
dts_docs_probe() {
	local copy report status=0
	copy=$(mktemp --suffix=.d.ts)
	sed '0,/^  \/\*\* W3C `RTCDataChannel.readyState`.*\*\/$/{//d}' bindings/node/index.d.ts >"$copy"
	report=$(node scripts/check-dts-docs.js "$copy" 2>&1) && status=1
	grep -q ": RTCDataChannel.readyState has no JSDoc comment$" <<<"$report" || status=1
	rm -f "$copy"
	[ "$status" -eq 0 ] || echo "check-dts-docs does not name RTCDataChannel.readyState without its comment: $report"
	return "$status"
}

# actionlint_probe fails unless actionlint rejects a copy of the workflow
# whose job names an unknown runner key: a linter that passes everything
# would pass the actionlint check silently.
actionlint_probe() {
	local copy report
	copy=$(mktemp --suffix=.yml)
	sed '0,/^    runs-on: windows-2022$/s//    runs_on: windows-2022/' .github/workflows/windows-macos.yml >"$copy"
	report=$("$actionlint" "$copy" 2>&1)
	local status=$?
	rm -f "$copy"
	[ "$status" -ne 0 ] && grep -q 'runs_on' <<<"$report" || { echo "actionlint accepts a job without runs-on: $report"; return 1; }
}

# serialized: two clones linting at once (helpers, a second checkout) share its cache and lock
check golangci-lint "$golangci" run --allow-serial-runners ./core/... ./capi/...
check ruff "$venv/bin/ruff" check --no-cache --config bindings/python/pyproject.toml bindings/python/omnirtc scripts/gen-python-abi.py scripts/gen-def.py scripts/docs-c.py tests/dist/check_wheel.py
check ruff-docstrings ruff_docstrings
check pdoc python_docs
check python-abi python_abi
check mypy "$venv/bin/mypy" --config-file bindings/python/pyproject.toml --cache-dir=/dev/null bindings/python/omnirtc scripts/gen-python-abi.py scripts/gen-def.py scripts/docs-c.py
check eslint bash -c "cd bindings/node && node_modules/.bin/eslint ."
check tsc bash -c "cd bindings/node && node_modules/.bin/tsc -p ."
check dts-docs node scripts/check-dts-docs.js
check dts-docs-probe dts_docs_probe
check c-docs bash -c 'out=$(mktemp -d) && python3 scripts/docs-c.py "$out/c/omnirtc.md"; status=$?; rm -rf "$out"; exit $status'
check c-docs-probe c_docs_probe
check typedoc node_docs
check typedoc-probe node_docs_probe
mapfile -t c_sources < <(find include capi tests/c tests/dist examples/c bench/c bindings/node/src -name '*.[ch]' | sort)
check clang-format clang-format --dry-run --Werror "${c_sources[@]}"
check actionlint "$actionlint" .github/workflows/windows-macos.yml
check actionlint-probe actionlint_probe
checks_summary lint
