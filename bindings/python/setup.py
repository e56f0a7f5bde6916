"""The wheel bundles libomnirtc.so, so it is a platform wheel; the library does
not use Python's ABI, so one wheel serves every Python 3 (py3-none-<platform>)."""

from setuptools import setup

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - plain sdist builds
    bdist_wheel = None


if bdist_wheel is not None:

    class PlatformWheel(bdist_wheel):  # type: ignore[misc, valid-type]
        def finalize_options(self) -> None:
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self) -> tuple[str, str, str]:
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    setup(cmdclass={"bdist_wheel": PlatformWheel})
else:
    setup()
