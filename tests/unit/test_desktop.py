"""Linux desktop integration: the launcher, icons and AppStream metadata, installed per user."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from pia_app import __version__
from pia_app.resources import APP_ID, window_icon

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
ICONS = ROOT / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def install(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"} | {"HOME": str(home)}
    return subprocess.run(
        ["bash", str(LINUX / "install-desktop.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_install_under_home_local_share_and_uninstall(tmp_path: Path) -> None:
    folder = tmp_path / "我的 程序 $HOME `x`"
    folder.mkdir()
    exe = folder / "pia-app"
    exe.write_text('#!/bin/sh\necho "started with $*"\n', "utf-8")
    exe.chmod(0o755)
    home = tmp_path / "home"

    proc = install(home, str(exe))
    assert proc.returncode == 0, proc.stderr
    share = home / ".local" / "share"
    entry = desktop_entry(share / "applications" / f"{APP_ID}.desktop")
    assert entry["Icon"] == APP_ID and entry["Type"] == "Application"
    argv = shlex.split(entry["Exec"])  # the spec's quoting is the shell's double quotes
    assert argv == [str(exe), "gui"]
    assert subprocess.run(argv, capture_output=True, text=True).stdout.strip() == "started with gui"
    for size in SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert not (share / "icons" / "hicolor" / "icon-theme.cache").exists()

    proc = install(home, "--uninstall")
    assert proc.returncode == 0, proc.stderr
    assert not list(share.rglob(f"{APP_ID}*"))


def test_install_without_an_executable_is_one_line_exit_2(tmp_path: Path) -> None:
    proc = install(tmp_path / "home", str(tmp_path / "missing" / "pia-app"))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "no pia-app executable" in proc.stderr
    assert not (tmp_path / "home" / ".local" / "share" / "applications").exists()


def test_desktop_file_is_valid() -> None:
    path = LINUX / f"{APP_ID}.desktop"
    entry = desktop_entry(path)
    assert entry["Exec"] == "pia-app gui"  # install-desktop.sh replaces it with the full path
    assert "Name[zh_CN]" in entry and "Comment[zh_CN]" in entry and entry["Categories"].endswith(";")
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout


def test_appstream_metainfo_is_valid_and_names_this_version() -> None:
    path = LINUX / f"{APP_ID}.metainfo.xml"
    root = ET.parse(path).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == __version__, "add a <release> for the new version"
    if not shutil.which("appstreamcli"):
        pytest.skip("appstreamcli is not installed")
    proc = subprocess.run(["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_icons_are_rendered_at_every_size() -> None:
    for size in SIZES:
        with Image.open(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png") as image:
            image.load()
        assert image.size == (size, size) and image.mode == "RGBA"
        alpha = image.getchannel("A")
        assert alpha.getextrema() == (0, 255)  # transparent corners, an opaque shield
        assert alpha.getpixel((0, 0)) == 0 and alpha.getpixel((size // 2, size // 2)) == 255
    with Image.open(ICONS / "pia-app.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ICONS / "pia-app.icns") as icns:
        assert icns.format == "ICNS"
    with Image.open(window_icon()) as icon:
        assert icon.size == (256, 256)
