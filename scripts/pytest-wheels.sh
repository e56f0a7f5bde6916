#!/usr/bin/env bash
# Puts pytest and its dependencies' wheels into build/wheelhouse, once (by
# build/venv-wheel's pip, which scripts/wheel.sh makes): for the fresh venvs
# that install a wheel offline and test it (the wheel test of the Python
# suite; the dist-arches suite's emulated root). The media extra's PyAV and
# the numpy its tests use go to build/wheelhouse-media, for the wheel test
# only (this machine's platform, so not into the emulated roots).
# Usage: scripts/pytest-wheels.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "$(ls build/wheelhouse/pytest-*.whl 2>/dev/null)" ] ||
	build/venv-wheel/bin/pip download -q --disable-pip-version-check -d build/wheelhouse pytest
[ -n "$(ls build/wheelhouse-media/av-*.whl 2>/dev/null)" ] && [ -n "$(ls build/wheelhouse-media/numpy-*.whl 2>/dev/null)" ] ||
	build/venv-wheel/bin/pip download -q --disable-pip-version-check -d build/wheelhouse-media "av>=14,<20" numpy
