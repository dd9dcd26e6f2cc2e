"""The command line builds only the parser of the command asked for (issue 12: ~8 ms of a
~110 ms `pia-app grade`); what it parses must be exactly what the whole parser parses."""

from __future__ import annotations

import argparse

import pytest

from pia_app.cli import build_parser, command_in_argv

ARGVS = [
    ["grade", "x.json", "--json"],
    ["--lang", "en", "grade", "x.json"],
    ["--data-dir", "grade", "list", "--all"],  # a global option's value is not the command
    ["--by", "王敏", "submit", "3"],
    ["approve", "3", "--by", "李静", "--role", "DPO"],
    ["report", "2", "--out", "r.docx", "--revision", "1"],
    ["comments", "1", "--open"],
    ["roles", "1"],
    ["forms", "check"],
    ["verify", "--head", "abc"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=lambda a: " ".join(a))
def test_the_lazy_parser_parses_as_the_whole_one(argv: list[str]) -> None:
    def parsed(parser: argparse.ArgumentParser) -> dict[str, object]:
        return {k: v for k, v in vars(parser.parse_args(argv)).items() if k != "handler"} | {
            "handler": getattr(parser.parse_args(argv), "handler", None)
        }

    assert parsed(build_parser(only=command_in_argv(argv))) == parsed(build_parser())


def test_the_command_word_is_the_first_positional_after_global_options() -> None:
    assert command_in_argv(["--lang", "en", "--by", "x", "grade", "f"]) == "grade"
    assert command_in_argv(["--lang=en", "list"]) == "list"
    assert command_in_argv(["--help"]) is None and command_in_argv([]) is None


def test_an_unknown_command_gets_the_whole_parser_with_every_choice() -> None:
    full = build_parser()
    lazy = build_parser(only="bogus")
    choices = {a.dest: sorted(a.choices or []) for a in lazy._actions if a.dest == "command"}
    assert choices == {a.dest: sorted(a.choices or []) for a in full._actions if a.dest == "command"}
    assert "comments" in choices["command"] and "forms" in choices["command"]
