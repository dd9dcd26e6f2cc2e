"""The rules that decide what goes into the desktop bundle (packaging/bundle_rules.py), checked
without building, for the layouts PySide6 has on Linux, Windows and macOS."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bundle_rules", ROOT / "packaging" / "bundle_rules.py")
assert _spec and _spec.loader
rules = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules)


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qt_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtdeclarative_zh_CN.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        # Windows layout (backslashes, no Qt/ level)
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6\\plugins\\imageformats\\qico.dll", True),
        ("PySide6\\translations\\qtbase_zh_CN.qm", True),
        ("PySide6\\translations\\qtbase_ja.qm", False),
        ("PySide6\\Qt6Core.dll", True),
        ("PySide6\\Qt6Qml.dll", False),
        # macOS layout (frameworks)
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", False),
        ("PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", False),
        # not Qt at all
        ("lxml/etree.cpython-311-x86_64-linux-gnu.so", True),
        ("pia_app/_resources/forms/face_voice/form.yaml", True),
    ],
)
def test_what_the_bundle_keeps(dest: str, kept: bool) -> None:
    assert rules.wanted(dest) is kept


def test_system_libraries_come_from_the_desktop() -> None:
    assert rules.from_the_system("libfontconfig.so.1")
    assert rules.from_the_system("libdbus-1.so.3")
    assert not rules.from_the_system("libxcb-cursor.so.0")  # often missing: bundled
    assert not rules.from_the_system("pillow.libs/libxcb-9065bb12.so.1.1.0")  # Pillow's own copy
    assert not rules.from_the_system("libstdc++.so.6")


def test_only_libraries_something_kept_links_to_stay() -> None:
    links = {
        "/src/QtWidgets.so": ["libQt6Widgets.so.6"],
        "/src/libQt6Widgets.so.6": ["libQt6Core.so.6", "libc.so.6"],
        "/src/libQt6Core.so.6": ["libicuuc.so.73"],
        "/src/libicuuc.so.73": [],
        "/src/libqxcb.so": ["libxcb-cursor.so.0"],
        "/src/libxcb-cursor.so.0": [],
        "/src/libsystemd.so.0": ["libgcrypt.so.20"],
        "/src/libgcrypt.so.20": [],
    }
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/lib/libicuuc.so.73", "/src/libicuuc.so.73", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("libsystemd.so.0", "/src/libsystemd.so.0", "BINARY"),  # only the system's libdbus wanted it
        ("libgcrypt.so.20", "/src/libgcrypt.so.20", "BINARY"),
        ("PySide6/Qt/qt.conf", "/src/qt.conf", "DATA"),
    ]
    kept = {dest for dest, _src, _kind in rules.linked_only(binaries, lambda path: links[path])}
    assert kept == {d for d, _s, _k in binaries} - {"libsystemd.so.0", "libgcrypt.so.20"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="objdump reads ELF files")
@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) is not installed")
def test_objdump_reads_direct_links_only() -> None:
    import PySide6

    gui = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Gui.so.6"
    needed = rules.objdump_needed(str(gui))
    assert "libQt6Core.so.6" in needed
    assert not any(name.startswith("libicu") for name in needed)  # ICU comes only through Qt Core


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2.3.4", (1, 2, 3, 4)),
        ("2.0rc1", (2, 0, 0, 0)),
        ("1.5.2+local.7", (1, 5, 2, 0)),
    ],
)
def test_windows_file_version_numbers(version: str, numbers: tuple[int, int, int, int]) -> None:
    assert rules.version_numbers(version) == numbers


@pytest.mark.skipif(sys.platform != "win32", reason="PyInstaller's versioninfo imports only on Windows")
def test_windows_version_resource_is_well_formed() -> None:
    pytest.importorskip("PyInstaller", reason="the package extra (pip install -e '.[package]')")
    from pia_app import __version__

    info = rules.windows_version_info(__version__, "pia-app")
    text = str(info)
    assert f"u'FileVersion', u'{__version__}'" in text and "080404B0" in text
    assert "filevers=" in text


def test_forms_and_templates_go_where_the_wheel_puts_them() -> None:
    pairs = rules.data_tree(ROOT, "forms", "_resources")
    dests = {Path(src).name: dest.replace("\\", "/") for src, dest in pairs}
    assert dests["form.yaml"] == "pia_app/_resources/forms/face_voice"
    assert any(dest.endswith("forms/face_voice/examples") for dest in dests.values())
    assert not any(Path(src).name.startswith(".") for src, _ in pairs)
