"""The layout pass's LibreOffice profile (pia_app/report/paginate.py): kept in the cache folder and
used by one export at a time; a taken or failing profile falls back to a throw-away one.

A stand-in `soffice` copies the report to the output folder (its contents' placeholders are page
numbers already) and records the profile it was given, so no LibreOffice is needed."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

from pia_app.forms import cache as form_cache
from pia_app.instance_lock import acquire
from pia_app.report import paginate

FAKE_SOFFICE = """#!{python}
import shutil, sys
from pathlib import Path
args = sys.argv[1:]
profile = next(a.split("=", 1)[1] for a in args if a.startswith("-env:UserInstallation="))
with open({log!r}, "a") as log:
    log.write(profile + "\\n")
if {fail_in!r} and {fail_in!r} in profile:
    sys.exit(1)
outdir = Path(args[args.index("--outdir") + 1])
shutil.copyfile(args[-1], outdir / Path(args[-1]).name)
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(folder))
    monkeypatch.setenv(paginate.ENV_SWITCH, "1")
    return folder


def _soffice(tmp_path: Path, fail_in: str = "") -> tuple[str, Path]:
    log = tmp_path / "profiles.log"
    script = tmp_path / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable, log=str(log), fail_in=fail_in))
    script.chmod(0o755)
    return str(script), log


def _report(tmp_path: Path, name: str) -> Path:
    """A small .docx with a PAGEREF field and w:updateFields, as the report has."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (
        f"<w:document {w}><w:body><w:p>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>'
    )
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", body)
        z.writestr("word/settings.xml", f"<w:settings {w}><w:updateFields w:val='true'/></w:settings>")
    return out


def _profiles(log: Path) -> list[str]:
    return log.read_text().split()


def test_the_profile_is_kept_in_the_cache_folder_and_used_again(cache_home: Path, tmp_path: Path) -> None:
    soffice, log = _soffice(tmp_path)
    assert paginate.paginate(_report(tmp_path, "a.docx"), soffice)
    assert paginate.paginate(_report(tmp_path, "b.docx"), soffice)
    first, second = _profiles(log)
    kept = (cache_home / paginate.PROFILE_DIR / "profile").as_uri()
    assert first == second == kept
    assert paginate.pagination_state(tmp_path / "b.docx") == paginate.LAID_OUT


def test_a_profile_in_use_by_another_export_is_not_shared(cache_home: Path, tmp_path: Path) -> None:
    soffice, log = _soffice(tmp_path)
    folder = cache_home / paginate.PROFILE_DIR
    folder.mkdir(parents=True)
    other = acquire(folder)  # another export is laying out its report
    assert other is not None
    try:
        assert paginate.paginate(_report(tmp_path, "a.docx"), soffice)
    finally:
        other.release()
    (used,) = _profiles(log)
    assert not used.startswith(cache_home.as_uri())  # a throw-away profile
    assert paginate.pagination_state(tmp_path / "a.docx") == paginate.LAID_OUT


def test_a_kept_profile_that_fails_is_removed_and_a_fresh_one_used(cache_home: Path, tmp_path: Path) -> None:
    profile = cache_home / paginate.PROFILE_DIR / "profile"
    profile.mkdir(parents=True)
    (profile / "damaged").write_text("x")
    soffice, log = _soffice(tmp_path, fail_in=str(cache_home))
    assert paginate.paginate(_report(tmp_path, "a.docx"), soffice)
    kept, fresh = _profiles(log)
    assert kept == profile.as_uri() and not fresh.startswith(cache_home.as_uri())
    assert not profile.exists()  # rebuilt by the next export


def test_an_unusable_cache_folder_falls_back_to_a_throw_away_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(form_cache.ENV_CACHE_DIR, str(blocker / "cache"))
    monkeypatch.setenv(paginate.ENV_SWITCH, "1")
    soffice, log = _soffice(tmp_path)
    assert paginate.paginate(_report(tmp_path, "a.docx"), soffice)
    assert len(_profiles(log)) == 1
