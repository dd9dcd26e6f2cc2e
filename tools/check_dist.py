"""Try pia-app as someone who never cloned the repository would get it (run by `make test`).

1. Build the sdist, then the wheel from the sdist (python -m build), so both must carry forms/
   and templates/; check that the archives hold the questionnaire, templates, locales, schemas.
2. Install the wheel with its real dependencies (pip's cache makes that quick) into a fresh
   virtual environment in a temporary folder, outside the checkout.
3. From another folder (its path has Chinese characters and spaces), with no PIA_APP_RESOURCES
   and a temporary HOME and data folder: `pia-app --version`, `pia-app demo`, `pia-app grade` of
   an example, `pia-app forms check`, `pia-app --self-test`, and a missing resource folder.

Exit 0 when all of it works; otherwise the first failure is printed and the exit code is 1.
Usage: python tools/check_dist.py [--keep]   (--keep leaves the temporary folder for a look)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "office_access_face.json"
SDIST_MUST_HOLD = [
    "forms/face_voice/form.yaml",
    f"forms/face_voice/examples/{EXAMPLE}",
    "templates/report_zh.docx",
    "templates/report_en.docx",
    "setup.py",
]
WHEEL_MUST_HOLD = [
    "pia_app/_resources/forms/face_voice/form.yaml",
    "pia_app/_resources/forms/face_voice/sources.yaml",
    "pia_app/_resources/forms/face_voice/texts/pipl.yaml",
    f"pia_app/_resources/forms/face_voice/examples/{EXAMPLE}",
    "pia_app/_resources/templates/report_zh.docx",
    "pia_app/_resources/templates/report_en.docx",
    "pia_app/locales/zh.yaml",
    "pia_app/locales/en.yaml",
    "pia_app/schemas/assessment.schema.json",
    "pia_app/schemas/form-section.schema.json",
    "pia_app/icons/pia-app.png",
]


def package_data_files() -> list[str]:
    """Every file of the package that is not Python source: a new one needs package-data."""
    package = ROOT / "pia_app"
    skip = ("__pycache__", "_resources")
    return [
        path.relative_to(ROOT).as_posix()
        for path in sorted(package.rglob("*"))
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not path.name.startswith(".")
        and not any(part in skip for part in path.relative_to(package).parts)
    ]


class CheckFailed(Exception):
    pass


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, expect: int = 0) -> str:
    started = time.monotonic()
    proc = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, encoding="utf-8", errors="replace", timeout=900
    )
    took = time.monotonic() - started
    shown = " ".join(Path(c).name if c.startswith("/") else c for c in cmd)
    print(f"  {took:5.1f}s  {shown}  -> {proc.returncode}", flush=True)
    if proc.returncode != expect:
        raise CheckFailed(
            f"{' '.join(cmd)} exited {proc.returncode} (expected {expect})\n"
            f"--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
        )
    if "Traceback" in proc.stderr:
        raise CheckFailed(f"{' '.join(cmd)} printed a traceback:\n{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def must(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def build(tmp: Path) -> tuple[Path, Path]:
    dist = tmp / "dist"
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], cwd=tmp)
    sdist = next(dist.glob("pia_app-*.tar.gz"))
    wheel = next(dist.glob("pia_app-*.whl"))
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for name in SDIST_MUST_HOLD:
        must(name in names, f"the sdist {sdist.name} lacks {name}")
    with zipfile.ZipFile(wheel) as whl:
        wnames = set(whl.namelist())
    for name in WHEEL_MUST_HOLD + package_data_files():
        must(name in wnames, f"the wheel {wheel.name} lacks {name}")
    must(not any(n.startswith(("forms/", "templates/")) for n in wnames), "the wheel has top-level data")
    print(f"  sdist {sdist.stat().st_size // 1024} KiB, wheel {wheel.stat().st_size // 1024} KiB", flush=True)
    return sdist, wheel


def install(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], cwd=tmp)
    return bindir


def try_commands(tmp: Path, bindir: Path) -> None:
    from pia_app import __version__

    elsewhere = tmp / "用户 文件夹"
    elsewhere.mkdir()
    dropped = ("PIA_APP_", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env |= {
        "HOME": str(tmp / "home"),
        "XDG_DATA_HOME": str(tmp / "home" / "share"),
        "PIA_APP_DATA_DIR": str(tmp / "data"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUTF8": "1",
        "PATH": f"{bindir}{os.pathsep}{env.get('PATH', '')}",
    }
    app = str(bindir / ("pia-app.exe" if os.name == "nt" else "pia-app"))
    python = str(bindir / ("python.exe" if os.name == "nt" else "python"))

    where = run([python, "-c", "import pia_app; print(pia_app.__file__)"], elsewhere, env).strip()
    must(Path(where).resolve().is_relative_to(bindir.parent.resolve()), f"pia_app imported from {where}")
    must(run([app, "--version"], elsewhere, env).strip() == f"pia-app {__version__}", "--version")

    out = run([app, "demo", "--out", "报告 out", "--lang", "en"], elsewhere, env)
    report = Path(out.strip().splitlines()[-1])
    must(report.is_file() and report.is_relative_to(elsewhere), f"demo report {report}")
    with zipfile.ZipFile(report) as docx:
        must("word/document.xml" in docx.namelist(), f"{report} is not a .docx")

    example = elsewhere / "评估 example.json"
    shutil.copy(ROOT / "forms" / "face_voice" / "examples" / EXAMPLE, example)
    graded = run([app, "grade", example.name, "--lang", "en", "--json"], elsewhere, env)
    must('"findings"' in graded and '"risk"' in graded, "grade --json output")
    checked = run([app, "forms", "check", "--lang", "en"], elsewhere, env)
    must("face_voice_pia" in checked, f"forms check: {checked}")
    run([app, "--self-test", "--lang", "en"], elsewhere, env)

    broken = env | {"PIA_APP_RESOURCES": str(tmp / "no such folder")}
    said = run([app, "grade", example.name, "--lang", "en"], elsewhere, broken, expect=2)
    must(len(said.strip().splitlines()) == 1 and "no such folder" in said, f"missing resources: {said}")


def main() -> int:
    keep = "--keep" in sys.argv[1:]
    tmp = Path(tempfile.mkdtemp(prefix="pia-dist-check-"))
    started = time.monotonic()
    print(f"check_dist: building and trying the wheel outside the checkout in {tmp}", flush=True)
    try:
        _, wheel = build(tmp)
        bindir = install(tmp, wheel)
        try_commands(tmp, bindir)
    except (CheckFailed, StopIteration) as exc:
        print(f"check_dist: FAILED: {exc or 'no archive was built'}", file=sys.stderr)
        return 1
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"check_dist: ok in {time.monotonic() - started:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
