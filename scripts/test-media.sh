#!/usr/bin/env bash
# The media suite: small test media made by scripts/media-files.sh (Debian's
# ffmpeg; never committed), the C media tests (tests/c/test_media.c), one
# process and private network namespace per test, and the C examples
# play_file and record_file on every format.
# Loss and delay (5% / 30 ms each way) come from a userspace relay inside the
# test (tests/c/harness/impair.c), since kernels without sch_netem (this CI's)
# cannot run "tc qdisc ... netem".
# Usage: scripts/test-media.sh [FILTER]   (run by ./build.sh test-media)
set -uo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
bin=build/bin
media=build/media
export OMNIRTC_TEST_MEDIA=$PWD/$media

scripts/media-files.sh || exit 1
mkdir -p "$bin"
# test_media goes next to its files, not into build/bin: the plain C suite
# runs every build/bin/test_* without them.
flags=$(pkg-config --cflags --libs omnirtc)
# shellcheck disable=SC2086
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -Itests/c/harness -o $media/test_media tests/c/test_media.c \
	tests/c/harness/*.c $flags -lpthread || exit 1
for ex in play_file record_file; do
	# shellcheck disable=SC2086
	cc -std=c11 -Wall -Wextra -Werror -O2 -o $bin/$ex examples/c/$ex.c $flags -lpthread || exit 1
done

passed=0 failed=0
run() { # NAME CMD...
	local name=$1 out start
	shift
	[[ -z "$filter" || "$name" == *"$filter"* ]] || return 0
	start=$(date +%s%N)
	if out=$(timeout 120 scripts/netns-run.sh "$@" 2>&1); then
		passed=$((passed + 1))
		printf 'ok   %-70s %dms\n' "$name" $((($(date +%s%N) - start) / 1000000))
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n%s\n' "$name" "$out"
	fi
}
names=$($media/test_media) && [ -n "$names" ] || { echo "FAIL test_media lists no tests"; exit 1; }
for name in $names; do
	run "test_media::$name" $media/test_media "$name"
done
for f in vp8.ivf vp9.ivf opus.ogg h264.h264; do
	run "examples/c/play_file $f" $bin/play_file "$media/$f"
	rm -f "$media/recorded-$f"
	run "examples/c/record_file $f" $bin/record_file "$media/$f" "$media/recorded-$f"
done
echo "media: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
