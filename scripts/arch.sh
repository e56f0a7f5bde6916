# Sourced with one argument, an architecture as uname -m names it: sets what
# building and packaging for it needs. One table, so build.sh, zig-cc.sh and
# the packaging scripts agree.
#   GOARCH, GOARM    Go's names
#   ZIG_TARGET       zig cc -target: glibc 2.17 (CentOS 7) where the
#                    architecture existed then; riscv64 came with glibc 2.27
#   GLIBC            that floor
#   WHEEL_PLATFORM   the wheel's platform tag, manylinux_<glibc>_<machine> as
#                    auditwheel 6.8 agrees: its riscv64 policies start at
#                    glibc 2.31 (manylinux's first riscv64 image), so that
#                    wheel says 2.31 though the library needs 2.27
#   NODE_ARCH        process.arch, the npm package's cpu
#   DEBIAN_ARCH      dpkg's name: the emulated root, qemu-<QEMU>-static
#   QEMU             qemu-user's name of the machine
#   TRIPLE           the GNU triple: Debian's libc6-<DEBIAN_ARCH>-cross is in /usr/<TRIPLE>
# shellcheck shell=bash
case "$1" in
x86_64) GOARCH=amd64 GOARM= ZIG_TARGET=x86_64-linux-gnu.2.17 GLIBC=2.17 NODE_ARCH=x64 DEBIAN_ARCH=amd64 QEMU=x86_64 TRIPLE=x86_64-linux-gnu ;;
aarch64) GOARCH=arm64 GOARM= ZIG_TARGET=aarch64-linux-gnu.2.17 GLIBC=2.17 NODE_ARCH=arm64 DEBIAN_ARCH=arm64 QEMU=aarch64 TRIPLE=aarch64-linux-gnu ;;
armv7l) GOARCH=arm GOARM=7 ZIG_TARGET=arm-linux-gnueabihf.2.17 GLIBC=2.17 NODE_ARCH=arm DEBIAN_ARCH=armhf QEMU=arm TRIPLE=arm-linux-gnueabihf ;;
riscv64) GOARCH=riscv64 GOARM= ZIG_TARGET=riscv64-linux-gnu.2.27 GLIBC=2.27 NODE_ARCH=riscv64 DEBIAN_ARCH=riscv64 QEMU=riscv64 TRIPLE=riscv64-linux-gnu ;;
*)
	echo "arch.sh: unknown architecture $1 (x86_64, aarch64, armv7l, riscv64)" >&2
	return 1
	;;
esac
WHEEL_PLATFORM=manylinux_${GLIBC/./_}_$1
[ "$1" != riscv64 ] || WHEEL_PLATFORM=manylinux_2_31_riscv64
ARCH=$1
export ARCH TRIPLE GOARCH GOARM ZIG_TARGET GLIBC WHEEL_PLATFORM NODE_ARCH DEBIAN_ARCH QEMU
