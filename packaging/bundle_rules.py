"""What goes into the PyInstaller bundle: the rules packaging/pia-app.spec applies, kept here so
that tests can check them on every platform (tests/unit/test_bundle_rules.py) without building.

Entries are PyInstaller TOC tuples (destination in the bundle, source file, kind). Nothing here
imports PyInstaller except `windows_version_info`.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

Entry = tuple[str, str, str]

IGNORE = ("__pycache__", "*.pyc", ".*", "*~", "~$*", ".~lock.*")
"""Files of forms/ and templates/ never shipped (setup.py ignores the same)."""


def data_tree(root: Path, folder: str, packaged: str) -> list[tuple[str, str]]:
    """(file, destination folder) pairs putting root/folder under pia_app/<packaged>/."""
    pairs = []
    for path in sorted((root / folder).rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(fnmatch.fnmatch(part, pat) for part in rel.parts for pat in IGNORE):
            continue
        pairs.append((str(path), str(Path("pia_app", packaged, *rel.parts[:-1]))))
    return pairs


# Python packages the app never imports, though something in the environment may offer them.
EXCLUDES = [
    "tkinter",
    "unittest",
    "pydoc_data",
    "test",
    "distutils",
    "setuptools",
    "pip",
    "wheel",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "mypyc",
    "pygments",
    "IPython",
    "numpy",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtOpenGL",
    "PySide6.QtSvg",
    "PySide6.QtPrintSupport",
    "PySide6.QtDBus",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtPdf",
    # python-docx and docxtpl use lxml.etree only; the app writes PNG charts only.
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "lxml.sax",
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL.ImageQt",
    "PIL.ImageTk",
    "PIL.ImageCms",
    "PIL._imagingcms",
    # No network, no TLS: the app is offline (hashlib falls back to Python's own SHA-256).
    "ssl",
    "_ssl",
    "_hashlib",
    # Tools of the interpreter itself.
    "pdb",
    "doctest",
    "pydoc",
    "lib2to3",
    "idlelib",
    "ensurepip",
    "venv",
    "xmlrpc",
    "curses",
    "_curses",
    "readline",
    # Codecs for Japanese, Korean and traditional-Chinese legacy encodings (GBK/GB18030 stay),
    # and the C decimal module (decimal falls back to its pure-Python twin).
    "_codecs_jp",
    "_codecs_kr",
    "_codecs_tw",
    "_codecs_hk",
    "_codecs_iso2022",
    "_decimal",
]


# Qt: the app uses QtCore, QtGui and QtWidgets, draws no GL, opens no network socket, prints
# nothing through Qt. Kept plugins: the X11, Windows, macOS and offscreen platforms, the
# IBus and compose input methods (Chinese input), the desktop-portal theme (file dialogs), SVG
# and ICO images. Every other plugin, every Qt translation but Chinese, the Qt libraries only
# dropped plugins needed, and (Linux) the system libraries nothing kept links to, stay out.
# Patterns match the destination path with "/" on every OS (PySide6 lays out Qt differently on
# Windows and macOS, hence patterns on plugin folder and library names rather than full paths).
DROP_PLUGIN_FOLDERS = [
    "egldeviceintegrations",
    "generic",
    "networkinformation",
    "tls",
    "sqldrivers",
    "printsupport",
    "qmltooling",
    "qmllint",
    "designer",
    "xcbglintegrations",
    "vectorimageformats",
    "multimedia",
    "position",
    "sensors",
    "webview",
    # Wayland: the bundle runs on X11, and on Wayland desktops through XWayland (a pipx install
    # has native Wayland). Qt's Wayland client needs libwayland-cursor, which not every build
    # machine has, and GL integrations the app does not use.
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-graphics-integration-server",
    "wayland-shell-integration",
]
KEEP_PLUGINS = {
    "platforms": ["*xcb*", "*offscreen*", "*windows*", "*cocoa*"],
    "imageformats": ["*qsvg*", "*qico*"],
    "platformthemes": ["*xdgdesktopportal*"],  # not gtk3: it would drag in the build machine's GTK
    "platforminputcontexts": ["*compose*", "*ibus*"],  # not the virtual keyboard (Qt Quick)
}
DROP_QT_LIBRARIES = [
    "Quick",
    "Qml",
    "Pdf",
    "Network",
    "VirtualKeyboard",
    "WaylandCompositor",
    "Designer",
    "Sql",
    "OpenGL",
    "PrintSupport",
    "LabsStyleKit",
    "EglFS",
    "EglFs",
    "Wayland",
    "WlShell",
]
KEEP_TRANSLATIONS = ["qtbase_zh_CN.qm", "qt_zh_CN.qm"]  # the app loads these (ui/app.py)


def _slashed(dest: str) -> str:
    return dest.replace("\\", "/")


def wanted(dest: str) -> bool:
    """Whether a file at `dest` in the bundle is kept (plugins, Qt libraries, translations)."""
    dest = _slashed(dest)
    parts = dest.split("/")
    name = parts[-1]
    if "translations" in parts and name.endswith(".qm"):
        return name in KEEP_TRANSLATIONS
    if "plugins" in parts[:-2]:
        folder = parts[parts.index("plugins") + 1]
        if folder in DROP_PLUGIN_FOLDERS:
            return False
        if folder in KEEP_PLUGINS:
            return any(fnmatch.fnmatch(name, pat) for pat in KEEP_PLUGINS[folder])
        return True
    return not any(f"Qt6{lib}" in dest or f"Qt{lib}.framework" in dest for lib in DROP_QT_LIBRARIES)


def objdump_needed(path: str) -> list[str]:
    """The libraries an ELF file links to directly (DT_NEEDED)."""
    out = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def linked_only(binaries: list[Entry], needed: Callable[[str], list[str]] = objdump_needed) -> list[Entry]:
    """Linux: drop the shared libraries that no kept extension module, plugin or library links to.

    PyInstaller collected the dependencies of every plugin before the filter above, following
    ldd, which also lists what system libraries pull in; what only a dropped plugin or a system
    library needed (GTK, Cairo, Pango for the gtk3 theme; systemd and libgcrypt for libdbus)
    goes here. Links are read from the ELF files themselves (objdump -p: DT_NEEDED, the direct
    ones); PyInstaller needs objdump on Linux anyway.
    """
    by_name = {Path(dest).name: src for dest, src, kind in binaries if kind in ("BINARY", "EXTENSION")}
    roots = [
        Path(dest).name
        for dest, src, kind in binaries
        if kind == "EXTENSION" or "/plugins/" in _slashed(dest) or "libpython" in dest
    ]
    reached, todo = set(roots), list(roots)
    while todo:
        for name in needed(by_name[todo.pop()]):
            if name in by_name and name not in reached:
                reached.add(name)
                todo.append(name)
    return [e for e in binaries if e[2] not in ("BINARY", "EXTENSION") or Path(e[0]).name in reached]


# Linux: libraries of the desktop itself, present wherever a desktop runs, are taken from the
# user's system rather than from the build machine (as AppImage's exclude list does): a bundled
# fontconfig/freetype may not read the system's newer font configuration, a bundled libdbus
# brings systemd and libgcrypt along. Their Debian packages are in tools/system-deps.sh runtime.
SYSTEM_LIBRARIES = [
    "libfontconfig.so.*",
    "libfreetype.so.*",
    "libexpat.so.*",
    "libX11.so.*",
    "libX11-xcb.so.*",
    "libxcb.so.*",
    "libdbus-1.so.*",
    "libz.so.*",
]


def from_the_system(dest: str) -> bool:
    """A library at the top of the bundle that the Linux desktop provides itself."""
    name = Path(dest).name
    return "/" not in _slashed(dest) and any(fnmatch.fnmatch(name, p) for p in SYSTEM_LIBRARIES)


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """ "1.2.3rc1+local" -> (1, 2, 3, 0): the four numbers of a Windows file version."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    numbers = [int(n) for n in release.group(0).split(".")] if release else []
    a, b, c, d = [*numbers, 0, 0, 0, 0][:4]
    return (a, b, c, d)


def windows_version_info(version: str, app: str):  # type: ignore[no-untyped-def]
    """The version resource of pia-app.exe (Properties > Details): file and product version,
    a Chinese description, language zh-CN."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_numbers(version)
    strings = [
        vi.StringStruct("CompanyName", "pia-app"),
        vi.StringStruct("FileDescription", "pia-app 个人信息保护影响评估（人脸/声纹）"),
        vi.StringStruct("FileVersion", version),
        vi.StringStruct("InternalName", app),
        vi.StringStruct("OriginalFilename", f"{app}.exe"),
        vi.StringStruct("ProductName", "pia-app"),
        vi.StringStruct("ProductVersion", version),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo([vi.StringTable("080404B0", strings)]),  # zh-CN, Unicode
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
