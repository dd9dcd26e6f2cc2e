"""The desktop bundle built by `make package` (dist/pia-app/) works where users put it.

Runs only with PIA_PACKAGE_TEST=1 (building the bundle takes minutes; run `make package` first):
the self-test from a copy of the bundle in a folder whose path has Chinese characters and
spaces, with no checkout, no PIA_APP_RESOURCES and a temporary HOME; every shared library and Qt
plugin resolves its dependencies; Qt's translations are only the Chinese ones the app loads.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "pia-app"
EXE = BUNDLE / ("pia-app.exe" if os.name == "nt" else "pia-app")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("PIA_PACKAGE_TEST") != "1", reason="set PIA_PACKAGE_TEST=1 to test the bundle"
    ),
]


@pytest.fixture(scope="module")
def moved_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert EXE.is_file(), f"{EXE} is missing: run `make package` first"
    target = tmp_path_factory.mktemp("bundle") / "我的 程序 (测试)" / "pia-app"
    shutil.copytree(BUNDLE, target, symlinks=True)
    return target


def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIA_APP_", "PYTHON", "VIRTUAL_ENV"))}
    env |= {
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PIA_APP_DATA_DIR": str(tmp_path / "d"),
    }
    return env


def test_self_test_passes_from_a_chinese_path_with_spaces(moved_bundle: Path, tmp_path: Path) -> None:
    cwd = tmp_path / "别处 folder"
    cwd.mkdir()
    exe = moved_bundle / EXE.name
    proc = subprocess.run(
        [str(exe), "--self-test", "--lang", "en"], cwd=cwd, env=clean_env(tmp_path),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "self-test passed" in proc.stdout
    assert "user interface (offscreen)" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "d").exists()


def test_bundle_cli_reports_errors_in_one_line(moved_bundle: Path, tmp_path: Path) -> None:
    bad = tmp_path / "坏 文件.json"
    bad.write_text("{not json", "utf-8")
    proc = subprocess.run(
        [str(moved_bundle / EXE.name), "grade", str(bad), "--lang", "en"], env=clean_env(tmp_path),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "is not valid JSON" in proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd is Linux's")
def test_every_library_and_plugin_resolves(moved_bundle: Path) -> None:
    missing: list[str] = []
    for path in sorted(moved_bundle.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True).stdout
        missing += [
            f"{path.relative_to(moved_bundle)}: {line.strip()}"
            for line in out.splitlines()
            if "not found" in line
        ]
    assert not missing, "\n".join(missing)


def test_only_the_chinese_qt_catalogues_ship(moved_bundle: Path) -> None:
    qms = sorted(p.name for p in moved_bundle.rglob("*.qm"))
    assert "qtbase_zh_CN.qm" in qms
    assert all("zh_CN" in name for name in qms), qms
    plugins = {p.parent.name + "/" + p.name for p in moved_bundle.rglob("plugins/*/*")}
    assert any("qxcb" in p for p in plugins) or os.name == "nt" or sys.platform == "darwin"
    assert not any(p.startswith(("sqldrivers/", "tls/", "qmltooling/")) for p in plugins), plugins
