"""The app works with no network at all: any attempt to open a socket fails the test."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pia_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "forms" / "face_voice" / "examples"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> socket.socket:
        attempts.append(args)
        raise AssertionError("pia-app tried to open a network socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_main_jobs_open_no_socket(no_network, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    example = str(EXAMPLES / "office_access_face.json")
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert main(["grade", example, "--json"]) == 0
    assert main(["import", example]) == 0
    assert main(["report", "1", "--out", str(tmp_path / "r.docx"), "--lang", "en"]) == 0
    assert main(["export", "1", "--out", str(tmp_path / "e.json"), "--history"]) == 0
    assert main(["verify"]) == 0
    assert no_network == []
