"""The wheel bundles libomnirtc.so, so it is a platform wheel with the package
under platlib; the library does not use Python's ABI, so one wheel serves
every Python 3, and it is linked against glibc 2.17 (build.sh), so the tag is
py3-none-manylinux_2_17_<arch>. scripts/wheel.sh sets OMNIRTC_WHEEL_PLATFORM
for a library cross-built for another architecture (and glibc floor), and to
win_amd64 for the wheel bundling omnirtc.dll instead."""

import os
import platform

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel


class BinaryDistribution(Distribution):
    """A distribution with a platform part: the bundled libomnirtc.so or omnirtc.dll."""

    def has_ext_modules(self) -> bool:
        """True: the package installs into platlib."""
        return True


class PlatformWheel(bdist_wheel):
    """bdist_wheel tagging the wheel py3-none-<platform>."""

    def get_tag(self) -> tuple[str, str, str]:
        """py3, none, and OMNIRTC_WHEEL_PLATFORM or manylinux_2_17_<this machine>."""
        return "py3", "none", os.environ.get("OMNIRTC_WHEEL_PLATFORM", f"manylinux_2_17_{platform.machine()}")


setup(distclass=BinaryDistribution, cmdclass={"bdist_wheel": PlatformWheel})
