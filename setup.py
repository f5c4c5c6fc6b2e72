"""Build hook: the top-level `configs/` is the one copy of gridctl's default configuration.

A wheel (or sdist-built install) carries it as package data `gridctl/configs/*.yaml`, copied
here at build time, so there is nothing to keep in step by hand. Everything else is in
pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithConfigs(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "gridctl" / "configs"
        target.mkdir(parents=True, exist_ok=True)
        for source in sorted(Path(__file__).resolve().parent.joinpath("configs").glob("*.yaml")):
            self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildWithConfigs})
