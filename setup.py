"""Build step: put the top-level forms/ and templates/ into the package.

The questionnaire (forms/) and the Word templates (templates/) are edited at the top of the
repository. Every build of a wheel (also the one pip makes from the sdist, MANIFEST.in carries the
folders there) copies them to `pia_app/_resources/`, where `pia_app.resources` finds them with
importlib.resources. Editable installs get no copy: they read the checkout's folders directly.
All other settings are in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA_FOLDERS = ("forms", "templates")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "*~", "~$*", ".~lock.*")


class BuildPyWithData(build_py):
    """build_py, then copy forms/ and templates/ into <build>/pia_app/_resources/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "pia_app" / "_resources"
        for name in DATA_FOLDERS:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; cannot build a working package")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=IGNORE)


setup(cmdclass={"build_py": BuildPyWithData})
