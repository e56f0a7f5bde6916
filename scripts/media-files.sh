#!/usr/bin/env bash
# Makes the small test media of tests/c/test_media.c with Debian's ffmpeg
# (installed if missing) into build/media, once: they are never committed.
# Run by scripts/test-media.sh and by the AddressSanitizer step of
# scripts/test-reliability.sh; both point OMNIRTC_TEST_MEDIA at the directory.
# Usage: scripts/media-files.sh
set -uo pipefail
cd "$(dirname "$0")/.."
media=build/media

if ! command -v ffmpeg >/dev/null; then
	echo "installing ffmpeg"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi

mkdir -p "$media"
gen() { # FILE FFMPEG-ARGS...: made once, kept in build/
	local out=$media/$1
	shift
	[ -s "$out" ] || ffmpeg -v error -y "$@" "$out" || { echo "ffmpeg could not make $out"; exit 1; }
}
gen vp8.ivf -f lavfi -i testsrc=size=640x360:rate=30 -t 4 -c:v libvpx -b:v 1500k -g 60 -f ivf
gen vp9.ivf -f lavfi -i testsrc=size=320x240:rate=30 -t 1 -c:v libvpx-vp9 -b:v 300k -deadline realtime -f ivf
gen h264.h264 -f lavfi -i testsrc=size=320x240:rate=30 -t 3 -c:v libx264 -profile:v baseline -pix_fmt yuv420p \
	-g 30 -bsf:v h264_mp4toannexb -f h264
gen opus.ogg -f lavfi -i sine=frequency=440:duration=3 -c:a libopus -b:a 64k -ar 48000
gen av1.ivf -f lavfi -i testsrc=size=160x120:rate=30 -t 1 -c:v libaom-av1 -cpu-used 8 -usage realtime -g 30 -f ivf
