"""Find the data folders shipped with the app: forms/ (the questionnaire) and templates/ (Word).

They are edited at the top of the repository, and the build (setup.py) copies them into the
package as `pia_app/_resources/{forms,templates}`, so a wheel, a pipx install and the PyInstaller
bundle all read them through `importlib.resources` from inside the package. A source checkout or
an editable install has no copy (it would go stale while people edit the forms), so there the
top-level folders of the checkout are used. `PIA_APP_RESOURCES` overrides both (tests, packagers,
trying an edited questionnaire).

Locale catalogues and JSON schemas are ordinary package data (`pia_app/locales`,
`pia_app/schemas`), found with `package_data`. Like `_resources`, they are files beside the
package's modules in every form the app ships (source, wheel, PyInstaller's folder), so they are
found from `__file__`: importing `importlib.resources` would cost every command ~10 ms (issue 12).
"""

from __future__ import annotations

import os
from pathlib import Path

from pia_app.errors import UserError

ENV_RESOURCES = "PIA_APP_RESOURCES"
PACKAGED = "_resources"
"""The folder inside the package that the build fills with copies of forms/ and templates/."""
DATA_FOLDERS = ("forms", "templates")
APP_ID = "cn.pia_app.PiaApp"
"""Reverse-DNS id: the .desktop and AppStream files in packaging/linux/ and the icons are named so."""


_PACKAGE = Path(__file__).resolve().parent


def package_data(*parts: str) -> Path:
    """A file or folder of the package's own data, e.g. `package_data("schemas", "x.json")`."""
    return _PACKAGE.joinpath(*parts)


def packaged_root() -> Path:
    """`pia_app/_resources` as a real folder (wheels and bundles are installed unpacked)."""
    return package_data(PACKAGED)


def checkout_root() -> Path:
    """The top of the source checkout this package was imported from (it may not be one)."""
    return Path(__file__).resolve().parents[1]


def resource_root() -> Path:
    """The folder holding forms/ and templates/; a one-line UserError if there is none."""
    env = os.environ.get(ENV_RESOURCES)
    if env:
        root = Path(env).expanduser()
        if not (root / "forms").is_dir():
            raise UserError("error.resources_env", path=str(root / "forms"), env=ENV_RESOURCES)
        return root
    packaged = packaged_root()
    if (packaged / "forms").is_dir():
        return packaged
    checkout = checkout_root()
    if (checkout / "forms").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    raise UserError("error.resources_missing", path=str(packaged / "forms"))


def forms_dir() -> Path:
    return resource_root() / "forms"


def templates_dir() -> Path:
    return resource_root() / "templates"


def window_icon() -> Path:
    """The 256 px app icon (rendered from packaging/icons/pia-app.svg), shipped as package data."""
    return package_data("icons", "pia-app.png")


def report_template(lang: str) -> Path:
    return templates_dir() / f"report_{lang}.docx"
