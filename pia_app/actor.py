"""Who acts: the person's name recorded in the audit trail, comments and evaluations.

An assessment is a legal record, and "root" is not a person. The name comes, first found:

1. `--by NAME` on the command line (any command; for `approve` it is the approver);
2. the environment variable `PIA_APP_ACTOR` (a script or a shared shell profile);
3. the name saved for the data folder (`pia-app name NAME`, or the GUI's File › Your name,
   which the GUI asks for once);
4. otherwise the operating system's login, recorded as `login:<user>` so that nobody reading the
   trail later takes it for a person's name; shown as "root（系统登录名，未设置姓名）".

This module holds that rule and the one way to show an actor; no PySide6 here.
"""

from __future__ import annotations

import getpass
import os

from pia_app.errors import UserError
from pia_app.i18n import t

ENV_VAR = "PIA_APP_ACTOR"
LOGIN_PREFIX = "login:"
"""Marks an actor that is only the OS login (no name was given or saved)."""

NAME_LIMIT = 200
"""A name longer than this is refused (it is printed in every audit line)."""


def os_login() -> str:
    """The OS login marked as such: "login:root"."""
    try:
        user = getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        user = "unknown"
    return LOGIN_PREFIX + user


def is_os_login(actor: str) -> bool:
    return actor.startswith(LOGIN_PREFIX)


def clean_name(name: str) -> str:
    """A name as given (`--by`, the environment), checked: not empty, one line, not too long.
    Raises UserError (exit 2 with one line) otherwise."""
    clean = " ".join(name.split())  # newlines, tabs and control whitespace become one space
    clean = "".join(ch for ch in clean if ch.isprintable())
    if not clean:
        raise UserError("error.actor_empty")
    if len(clean) > NAME_LIMIT:
        raise UserError("error.actor_too_long", limit=NAME_LIMIT)
    if is_os_login(clean):
        raise UserError("error.actor_reserved", prefix=LOGIN_PREFIX)
    return clean


def given_actor(by: str | None) -> str | None:
    """The name given for this run: `--by`, else PIA_APP_ACTOR; None when neither is set (the
    store then uses the saved name, else the OS login)."""
    if by is not None:
        return clean_name(by)
    env = os.environ.get(ENV_VAR)
    if env is not None and env.strip():
        return clean_name(env)
    return None


def actor_label(actor: str, lang: str | None = None) -> str:
    """An actor as people read it: a name as it is, an OS login said to be one."""
    if is_os_login(actor):
        return t("actor.os_login", lang, login=actor[len(LOGIN_PREFIX) :])
    return actor
