"""The `pia-app` command. Exit codes: 0 done, 2 user error (one line, in the user's language),
1 internal error (one line naming the crash log written; see pia_app.crashlog).

The GUI is imported only when `pia-app gui` runs, so every other command works on a machine
without Qt's libraries or a screen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

from pia_app import __version__
from pia_app.errors import UserError
from pia_app.i18n import language_from_env, set_language, t

EXIT_OK = 0
EXIT_INTERNAL = 1
"""An unexpected error: a crash log was written (pia_app.crashlog) and its path printed."""
EXIT_USER = 2

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"pia-app: {t('cli.usage_error')}: {message}\n")
        sys.exit(EXIT_USER)


ARGPARSE_TEXTS = {
    "the following arguments are required: %s": "cli.argparse.required",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "expected one argument": "cli.argparse.expected_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "show program's version number and exit": "cli.argparse.version",
}
"""argparse's own English texts (its gettext templates) and the catalogue keys that say them in
the user's language: "用法错误: the following arguments are required: FILE.json" was half English."""


def _argparse_text(message: str) -> str:
    key = ARGPARSE_TEXTS.get(message)
    return t(key) if key is not None else message


def _common(parser: argparse.ArgumentParser, by: bool = True) -> None:
    # SUPPRESS: a subcommand's absent option must not overwrite the same option given before it.
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=t("cli.help.data_dir"))
    parser.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=t("cli.help.lang"))
    if by:  # `approve` has its own --by (the approver, then also the actor); the GUI asks for a name
        parser.add_argument("--by", metavar="NAME", default=argparse.SUPPRESS, help=t("cli.help.by"))


class _NotBuilt:
    """Stands for the parser of a command that was not asked for: `build_parser(only=...)` skips
    the arguments of every other command (their help texts and argparse objects were ~8 ms of a
    ~110 ms `pia-app grade`, issue 12). Every call is accepted and does nothing."""

    def __getattr__(self, _name: str) -> Any:
        return lambda *args, **kwargs: self


_NOT_BUILT: Any = _NotBuilt()
_GLOBAL_VALUE_OPTIONS = frozenset({"--data-dir", "--lang", "--by"})


def command_in_argv(argv: list[str]) -> str | None:
    """The command word of `argv` (its first positional argument, after the global options), or
    None when there is none (`pia-app --help`)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, the arguments of that command alone (the others are
    listed, never parsed). An `only` that names no command gives the whole parser, so that the
    usage error lists every command."""
    argparse._ = _argparse_text  # type: ignore[attr-defined]  # argparse's gettext hook
    parser = _Parser(prog="pia-app", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"pia-app {__version__}")
    parser.add_argument("--self-test", action="store_true", help=t("cli.help.self_test"))
    _common(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    found = only is None

    def command(name: str, handler: Handler, help_key: str) -> argparse.ArgumentParser:
        nonlocal found
        if only is not None and name != only:
            return cast(argparse.ArgumentParser, _NOT_BUILT)
        found = True
        p = sub.add_parser(name, help=t(help_key), description=t(help_key))
        _common(p, by=name not in ("approve", "gui"))
        p.set_defaults(handler=handler)
        return p

    command("gui", cmd_gui, "cli.help.gui")

    p = command("demo", cmd_demo, "cli.help.demo")
    p.add_argument("--out", metavar="DIR", default="out", help=t("cli.help.demo_out"))

    p = command("list", cmd_list, "cli.help.list")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--all", action="store_true", help=t("cli.help.all"))

    p = command("report", cmd_report, "cli.help.report")
    p.add_argument("source", metavar="ID|FILE.json", help=t("cli.help.report_source"))
    p.add_argument("--out", metavar="PATH.docx", required=True, help=t("cli.help.report_out"))
    p.add_argument("--revision", type=int, metavar="N", help=t("cli.help.revision"))
    p.add_argument("--pdf", action="store_true", help=t("cli.help.pdf"))

    p = command("grade", cmd_grade, "cli.help.grade")
    p.add_argument("file", metavar="FILE.json", help=t("cli.help.grade_file"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    # --- storage (issue 4) ---
    p = command("submit", cmd_submit, "cli.help.submit")
    p.add_argument("id", type=int, metavar="ID")

    p = command("approve", cmd_approve, "cli.help.approve")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--by", required=True, metavar="NAME", help=t("cli.help.approve_by"))
    p.add_argument("--role", required=True, metavar="ROLE", help=t("cli.help.approve_role"))

    p = command("review", cmd_review, "cli.help.review")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--reason", required=True, metavar="CODE", help=t("cli.help.review_reason"))
    p.add_argument("--note", default="", metavar="TEXT", help=t("cli.help.review_note"))

    p = command("history", cmd_history, "cli.help.history")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("diff", cmd_diff, "cli.help.diff")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("rev_a", type=int, metavar="REV_A")
    p.add_argument("rev_b", type=int, metavar="REV_B")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("archive", cmd_archive, "cli.help.archive")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--undo", action="store_true", help=t("cli.help.archive_undo"))

    p = command("delete", cmd_delete, "cli.help.delete")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--force", action="store_true", help=t("cli.help.delete_force"))
    p.add_argument("--reason", metavar="TEXT", default="", help=t("cli.help.delete_reason"))
    p.add_argument("--purge-backups", action="store_true", help=t("cli.help.delete_purge"))

    p = command("export", cmd_export, "cli.help.export")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p.add_argument("--out", required=True, metavar="FILE.json", help=t("cli.help.export_out"))
    p.add_argument("--history", action="store_true", help=t("cli.help.export_history"))

    p = command("import", cmd_import, "cli.help.import")
    p.add_argument("file", metavar="FILE.json")

    p = command("verify", cmd_verify, "cli.help.verify")
    p.add_argument("id", type=int, nargs="?", metavar="ID")
    p.add_argument("--hash", metavar="SHA256", help=t("cli.help.verify_hash"))
    p.add_argument("--head", metavar="HASH", help=t("cli.help.verify_head"))

    if only is None or (not found and only != "forms"):
        from pia_app.cli_review import add_review_commands  # review, evidence, follow-up (issue 14)

        add_review_commands(command)

    if only in (None, "forms"):
        found = True
        forms = sub.add_parser("forms", help=t("cli.help.forms"))
        forms_sub = forms.add_subparsers(dest="forms_command", parser_class=_Parser)
        p = forms_sub.add_parser("check", help=t("cli.help.forms_check"))
        _common(p)
        p.add_argument("path", nargs="?", metavar="FILE", help=t("cli.help.forms_path"))
        p.set_defaults(handler=cmd_forms_check)
    if not found:
        return build_parser()  # not a command: the usage error lists them all
    return parser


def _lang(args: argparse.Namespace) -> str:
    """--lang, else PIA_APP_LANG, else the language saved in the GUI, else Chinese."""
    chosen = getattr(args, "lang", None) or os.environ.get("PIA_APP_LANG")
    if not chosen:
        from pia_app import preferences
        from pia_app.paths import data_dir

        try:
            chosen = preferences.saved_language(data_dir(getattr(args, "data_dir", None)))
        except UserError:
            chosen = None
    return set_language(chosen or language_from_env())


def _repo(args: argparse.Namespace, readonly: bool = False) -> Any:
    """The store; `readonly` for commands that only read (works on a read-only folder and
    while another program holds the write lock)."""
    from pia_app.actor import given_actor
    from pia_app.paths import db_path
    from pia_app.store.repository import open_repository

    actor = given_actor(getattr(args, "by", None))  # --by, PIA_APP_ACTOR; else saved name or login
    path = db_path(getattr(args, "data_dir", None), writable=not readonly)
    return open_repository(path, actor=actor, readonly=readonly)


def _output_repo(args: argparse.Namespace) -> Any:
    """The store for commands that write a file and then log it (export, report): writable if
    possible, else read-only, the file still written and the missing audit entry told."""
    try:
        return _repo(args)
    except UserError as exc:
        if exc.key not in ("error.db_readonly", "error.data_dir", "error.db_locked"):
            raise
        return _repo(args, readonly=True)


def _tell_unlogged(repo: Any, lang: str) -> None:
    if repo.unlogged:
        print(f"pia-app: {t('cli.unlogged', lang, actions=', '.join(repo.unlogged))}", file=sys.stderr)


def cmd_gui(args: argparse.Namespace) -> int:
    lang = _lang(args)
    if _no_screen():
        raise UserError("error.no_display")
    _bundle_platform_fallback()
    _import_before_qt()
    try:
        from pia_app.ui.app import run_gui
    except ImportError as exc:  # e.g. libEGL.so.1 missing: PySide6 loads, Qt's libraries do not
        raise UserError("error.qt_missing", reason=str(exc)) from exc

    return run_gui(data_dir=getattr(args, "data_dir", None), lang=lang)


def _bundle_platform_fallback() -> None:
    """The Linux desktop bundle ships Qt's X11 platform, not Wayland's (packaging/README.md): a
    desktop that asks for Wayland by QT_QPA_PLATFORM gets X11 (XWayland) as Qt's fallback."""
    wanted = os.environ.get("QT_QPA_PLATFORM", "")
    if getattr(sys, "frozen", False) and sys.platform.startswith("linux") and "wayland" in wanted:
        if "xcb" not in wanted:
            os.environ["QT_QPA_PLATFORM"] = f"{wanted};xcb"


def _import_before_qt() -> None:
    """Import what the main window needs that is not Qt before Qt (issue 12).

    PySide6 reads the source of every module imported after it (looking for `__feature__`
    imports) and keeps it in `linecache`: ~6 MiB and some of the start time for the store,
    sqlite-utils and the forms, which never use PySide6."""
    import pia_app.engine.risk
    import pia_app.forms.answers
    import pia_app.forms.loader
    import pia_app.instance_lock
    import pia_app.store.repository  # noqa: F401


def _no_screen() -> bool:
    """On Linux without X11 or Wayland (and no explicit Qt platform) a window cannot open."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_demo(args: argparse.Namespace) -> int:
    from pia_app.demo import run_demo

    path = run_demo(Path(args.out), _lang(args))
    print(path)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _repo(args, readonly=True) as repo:
        rows = repo.list_assessments(include_archived=args.all)
    if args.json:
        out = [
            {
                "id": r.id,
                "uid": r.uid,
                "title": r.title,
                "status": r.status,
                "revision": r.current_revision,
                "archived": r.archived,
                "updated_at": r.updated_at,
                "due_for_review": r.due_for_review(),
                "next_review": r.next_review,
            }
            for r in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print(t("cli.list.empty", lang))
    for r in rows:
        title = r.title or t("ui.untitled", lang)
        status = t("status." + r.display_status(), lang)
        print(f"{r.id}\t{status}\t{r.updated_at[:19]}\t{title}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pia_app.forms.loader import default_form
    from pia_app.report.export import export_answers, export_revision

    lang = _lang(args)
    form = default_form()
    out = Path(args.out)
    if args.source.isdigit():
        with _output_repo(args) as repo:
            path = export_revision(repo, form, int(args.source), out, lang, args.revision)
            _tell_unlogged(repo, lang)
    else:
        from pia_app.interchange import parse_assessment, read_json_file
        from pia_app.interchange_review import review_of_document
        from pia_app.report.review_context import review_context

        data = read_json_file(Path(args.source))
        doc = parse_assessment(data, form, args.source)
        meta: dict[str, Any] = {k: doc.metadata[k] for k in ("revision", "status") if k in doc.metadata}
        found = review_of_document(data, form, args.source)  # issue 14: a file's review records
        review = review_context(form, found[0], found[1], doc.answers, lang, found[2]) if found else None
        path = export_answers(form, doc.answers, out, lang, meta, review=review)
    print(path)
    from pia_app.report.export import pagination_message

    print(pagination_message(path, lang))
    if args.pdf:
        from pia_app.report.export import convert_to_pdf

        print(convert_to_pdf(path))
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade an assessment file without storing it (the same engine the wizard uses)."""
    from pia_app.engine.grade import grade_assessment, grading_to_json
    from pia_app.forms.loader import default_form
    from pia_app.interchange import load_assessment_file

    lang = _lang(args)
    form = default_form()
    doc = load_assessment_file(Path(args.file), form)
    data = grading_to_json(form, grade_assessment(form, doc.answers), lang)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_grading_text(data, lang))
    return EXIT_OK


def _grading_text(data: dict[str, Any], lang: str) -> str:
    """Readable grading: findings, triggers, risk items, overall level, dates, blockers."""
    sep = "：" if lang == "zh" else ": "
    none = t("cli.grade.none", lang)

    def level(v: dict[str, Any] | None) -> str:
        if not v:
            return t("cli.grade.not_rated", lang)
        if lang == "en":  # the Chinese label too: it is what the report and the regulator use
            return f"{v['label']} ({v['code']}, {v['label_zh']})"
        return f"{v['label']}（{v['code']}）"

    lines: list[str] = []
    findings = data["findings"]
    lines.append(
        t("cli.grade.findings", lang, count=len(findings)) if findings else t("cli.grade.no_findings", lang)
    )
    for f in findings:
        lines.append(f"  [{f['severity']}] {f['number']}  {f['message']}")
        lines.append(f"      {t('cli.grade.questions', lang)}{sep}{', '.join(f['question_ids'])}")
        if f["citations"]:
            joined = "；".join(f["citations"]) if lang == "zh" else "; ".join(f["citations"])
            lines.append(f"      {t('cli.grade.refs', lang)}{sep}{joined}")
        if f.get("practice"):
            lines.append(f"      {t('cli.grade.practice', lang)}{sep}{f['practice']}")
    lines.append("")
    lines.append(
        t("cli.grade.triggers", lang)
        + sep
        + (
            ("、" if lang == "zh" else ", ").join(tr["label"] for tr in data["triggers"])
            or t("cli.grade.no_triggers", lang)
        )
    )
    if data["pia_required"]:
        lines.append("  " + t("cli.grade.pia_required", lang))
    lines.append("")
    items = data["risk"]["items"]
    lines.append(t("cli.grade.risk_items", lang) if items else t("cli.grade.no_risk_items", lang))
    for item in items:
        head = " ".join(x for x in (item["risk_id"], item["threat"]) if x)
        lines.append(f"  {head}")
        lines.append(
            f"      {t('cli.grade.impact', lang)}{sep}{level(item['impact'])}  "
            f"{t('cli.grade.likelihood', lang)}{sep}{level(item['likelihood'])}  "
            f"{t('cli.grade.level', lang)}{sep}{level(item['level'])}  "
            f"{t('cli.grade.residual', lang)}{sep}{level(item['residual_level'])}"
        )
        lines.extend(f"      ↳ {step['text']}" for step in item.get("steps", []))
        for p in item["problems"]:
            lines.append(f"      ! {p['message']}")
    lines.append(f"{t('cli.grade.overall', lang)}{sep}{level(data['risk']['overall'])}")
    lines.append("")
    lines.extend(_treatment_text(data.get("treatment") or {}, lang, sep))
    dates = data["dates"]
    lines.append(t("cli.grade.dates", lang))
    due = dates["filing_due"] or none
    if dates["filing_overdue"]:
        due += " " + t("cli.grade.filing_overdue", lang)
    lines.append(f"  {t('cli.grade.filing_due', lang)}{sep}{due}")
    if dates["filing_note_text"]:
        lines.append(f"      {dates['filing_note_text']}")
    lines.append(f"  {t('cli.grade.retain_until', lang)}{sep}{dates['retain_until'] or none}")
    lines.append(f"  {t('cli.grade.next_review', lang)}{sep}{dates['next_review'] or none}")
    lines.append("")
    if data["unanswered_required"]:
        lines.append(t("cli.grade.incomplete", lang, count=len(data["unanswered_required"])))
        for sec in data["completeness"]:
            if sec["missing"]:
                lines.append(f"  {sec['section_id']} {sec['title']} ({sec['answered']}/{sec['required']})")
                lines.extend(f"      - {m['label']} [{m['question_id']}]" for m in sec["missing"])
    else:
        lines.append(t("cli.grade.complete", lang))
    lines.append("")
    if data["conclusion_blockers"]:
        lines.append(t("cli.grade.blockers", lang))
        lines.extend(f"  - {b}" for b in data["conclusion_blockers"])
    else:
        lines.append(t("cli.grade.may_proceed", lang))
    return "\n".join(lines)


# --- storage (issue 4) ---


def _treatment_text(plan: dict[str, Any], lang: str, sep: str) -> list[str]:
    """The measures to finish before go-live and the gaps nothing covers (issue 8)."""
    lines: list[str] = []
    rows = plan.get("before_go_live") or []
    if rows:
        lines.append(t("cli.grade.before_go_live", lang, date=plan.get("go_live") or "?"))
        late = set(plan.get("late") or [])
        for r in rows:
            refs = ("、" if lang == "zh" else ", ").join(r["refs"])
            flag = " " + t("cli.grade.late", lang) if r["row"] in late else ""
            who = (
                f"（{r['owner'] or '?'}，{r['deadline'] or '?'}）"
                if lang == "zh"
                else f" ({r['owner'] or '?'}, {r['deadline'] or '?'})"
            )
            lines.append(f"  {refs}{sep}{r['measure']}{who}{flag}")
        lines.append("")
    uncovered = plan.get("uncovered_gaps") or []
    if uncovered:
        names = ("、" if lang == "zh" else ", ").join(g["number"] for g in uncovered)
        lines.append(f"{t('cli.grade.uncovered', lang)}{sep}{names}")
        lines.append("")
    return lines


def cmd_submit(args: argparse.Namespace) -> int:
    lang = _lang(args)
    from pia_app.signoff import require_complete

    with _repo(args) as repo:
        require_complete(repo, args.id, "submit")
        repo.submit(args.id)
        rev = repo.revision(args.id)
    print(t("cli.status_now", lang, id=args.id, revision=rev.number, status=t("status." + rev.status, lang)))
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    lang = _lang(args)
    from pia_app.signoff import require_complete

    with _repo(args) as repo:
        require_complete(repo, args.id, "approve")
        rev = repo.approve(args.id, args.by, args.role)
        from pia_app.cli_review import approval_warnings

        warnings = approval_warnings(repo, args.id, rev.number, lang)
    for line in warnings:
        print(f"pia-app: {line}", file=sys.stderr)
    print(
        t(
            "cli.approved",
            lang,
            id=args.id,
            revision=rev.number,
            by=rev.approved_by,
            role=rev.approved_role,
            hash=rev.content_hash,
        )
    )
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _repo(args) as repo:
        number = repo.start_review(args.id, args.reason, args.note)
    print(t("cli.review_started", lang, id=args.id, revision=number))
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _repo(args, readonly=True) as repo:
        record = repo.record(args.id)
    if args.json:
        from pia_app.interchange import record_document

        doc = record_document(record, history=True, exported_at="")
        print(
            json.dumps({"revisions": doc["revisions"], "audit": doc["audit"]}, ensure_ascii=False, indent=2)
        )
        return EXIT_OK
    from pia_app.forms.loader import default_form
    from pia_app.i18n import pick

    form = default_form()
    reason_question = form.questions.get(form.role("record", "assessment_type"))
    for rev in record.revisions:
        reason = rev.review_reason or ""
        option = reason_question.option(reason) if reason_question else None
        if option is not None:
            reason = f"{pick(option.label, lang)} / {reason}"
        line = (
            f"{t('cli.history.revision', lang, revision=rev.number)}\t"
            f"{t('status.' + rev.status, lang)}\t{rev.created_at[:19]}"
        )
        if rev.review_reason:
            line += "\t" + t(
                "cli.history.review", lang, based_on=rev.based_on, reason=reason, note=rev.review_note or ""
            )
        if rev.status == "approved":
            line += "\t" + t(
                "cli.history.approved",
                lang,
                by=rev.approved_by,
                role=rev.approved_role,
                at=(rev.approved_at or "")[:19],
                hash=rev.content_hash,
            )
        print(line)
    print()
    for entry in record.audit:
        detail = (
            entry["detail"]
            if isinstance(entry["detail"], str)
            else json.dumps(entry["detail"], ensure_ascii=False, sort_keys=True)
        )
        if len(detail) > 160:
            detail = detail[:157] + "..."
        from pia_app.actor import actor_label

        who = actor_label(str(entry["actor"]), lang)
        print(f"{entry['ts'][:19]}\t{who}\t{entry['action']}\tr{entry['revision']}\t{detail}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from pia_app.engine.diff import diff_revisions
    from pia_app.forms.loader import default_form
    from pia_app.i18n import pick

    lang = _lang(args)
    form = default_form()
    with _repo(args, readonly=True) as repo:
        old = repo.revision(args.id, args.rev_a)
        new = repo.revision(args.id, args.rev_b)
    diff = diff_revisions(form, old, new)
    if args.json:
        print(json.dumps(diff.to_dict(), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(t("cli.diff.title", lang, id=args.id, rev_a=args.rev_a, rev_b=args.rev_b))
    if diff.empty:
        print(t("cli.diff.none", lang))
    for ch in diff.answers:
        print(
            f"  {ch.question_id}  {pick(ch.label, lang)}: "
            f"{pick(ch.old_text, lang)} → {pick(ch.new_text, lang)}"
        )
    for f in diff.findings_added:
        print(f"  + [{f.severity}] {f.number}: {pick(f.message, lang)}")
    for f in diff.findings_resolved:
        print(f"  - [{f.severity}] {f.number}: {pick(f.message, lang)}")
    for r in diff.risk_changes:
        name = r.risk_id or t("cli.diff.overall", lang)
        print(
            f"  {t('cli.diff.risk', lang)} {name}: {r.old_level or '-'} → {r.new_level or '-'}"
            f" ({r.old_residual or '-'} → {r.new_residual or '-'})"
        )
    return EXIT_OK


def cmd_archive(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _repo(args) as repo:
        repo.archive(args.id, archived=not args.undo)
    print(t("cli.unarchived" if args.undo else "cli.archived", lang, id=args.id))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    """Delete for real (answers scrubbed from the trail, file compacted); name the backup
    copies that still hold the assessment, or remove them with --purge-backups."""
    lang = _lang(args)
    with _repo(args) as repo:
        summary = repo.get(args.id)
        if args.force and not args.reason.strip():
            retention = repo.retention_until(args.id)
            raise UserError("error.retention_force", id=args.id, until=retention[1] if retention else "-")
        scrubbed = repo.delete(args.id, force_reason=args.reason if args.force else None)
        holding = repo.backups_holding(summary.uid)
    print(t("cli.deleted_scrubbed", lang, id=args.id, scrubbed=scrubbed))
    if args.purge_backups:
        for copy in holding:
            for suffix in ("", "-wal", "-shm"):
                Path(str(copy) + suffix).unlink(missing_ok=True)
            print(t("cli.purged", lang, path=copy))
    elif holding:
        print(t("cli.deleted_backups", lang, id=args.id, paths=", ".join(str(p) for p in holding)))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from pia_app.interchange import export_file

    lang = _lang(args)
    with _output_repo(args) as repo:
        path = export_file(repo, args.ids, Path(args.out), history=args.history)
        _tell_unlogged(repo, lang)
    print(path)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from pia_app.forms.loader import default_form
    from pia_app.interchange import import_file

    _lang(args)
    form = default_form()
    with _repo(args) as repo:
        ids = import_file(repo, form, Path(args.file))
    for aid in ids:
        print(aid)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from pia_app.store.verify import anchor_position, verify

    lang = _lang(args)
    with _repo(args, readonly=True) as repo:
        if args.id is not None or args.hash:
            if args.id is None or not args.hash:
                raise UserError("error.verify_args")
            number = repo.find_revision_by_hash(args.id, args.hash)
            if number is None:
                raise UserError("error.hash_unknown", id=args.id, hash=args.hash)
            rev = repo.revision(args.id, number)
            print(
                t(
                    "cli.verify.hash_ok",
                    lang,
                    id=args.id,
                    revision=number,
                    status=t("status." + rev.status, lang),
                )
            )
            return EXIT_OK
        result = verify(repo, anchor=args.head)
        position = anchor_position(repo.audit_rows(), args.head) if args.head else None
    if not result.ok:
        for problem in result.problems:
            print(f"pia-app: {problem.message(lang)}", file=sys.stderr)
        return EXIT_USER
    print(t("cli.verify.ok", lang, entries=result.entries, approved=result.approved))
    if position is not None:
        print(
            t(
                "cli.verify.anchor_ok",
                lang,
                hash=args.head.strip().lower(),
                position=position,
                entries=result.entries,
            )
        )
    print(t("cli.verify.head", lang, hash=result.head, entries=result.entries))
    return EXIT_OK


def cmd_forms_check(args: argparse.Namespace) -> int:
    from pia_app.forms.loader import FormError, load_form

    lang = _lang(args)
    try:
        form = load_form(args.path)
    except FormError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(t("cli.forms.problems", lang, count=len(exc.problems)), file=sys.stderr)
        return EXIT_USER
    print(
        t(
            "cli.forms.ok",
            lang,
            id=form.id,
            version=form.version,
            questions=len(form.questions),
            rules=len(form.rules),
        )
    )
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    from pia_app.selftest import SelfTestFailed, run_self_test

    # Not _lang(): the self-test reads nothing of the user's, not even the saved language.
    lang = set_language(getattr(args, "lang", None) or language_from_env())
    try:
        run_self_test(lang, sys.stdout)
    except SelfTestFailed as exc:
        print(
            f"pia-app: {t('cli.self_test.failed', lang, step=exc.step, reason=exc.reason)}", file=sys.stderr
        )
        return EXIT_INTERNAL
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (see `_main`). `--self-test` runs with a private, temporary cache folder
    from the very start (the help texts already read the message catalogues through the cache),
    so that it leaves nothing in the user's folders."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" not in argv:
        return _main(argv)
    import tempfile

    from pia_app.forms.cache import ENV_CACHE_DIR

    saved = os.environ.get(ENV_CACHE_DIR)
    with tempfile.TemporaryDirectory(prefix="pia-self-test-cache-") as tmp:
        os.environ[ENV_CACHE_DIR] = tmp
        try:
            return _main(argv)
        finally:
            if saved is None:
                os.environ.pop(ENV_CACHE_DIR, None)
            else:
                os.environ[ENV_CACHE_DIR] = saved


def _lang_in_argv(argv: list[str]) -> str | None:
    """`--lang en` as given, before parsing: a usage error must already speak the chosen language."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in ("zh", "en"):
            return value
    return None


def _main(argv: list[str]) -> int:
    """Run one command. Whatever happens, the user sees at most one line on stderr, never a
    traceback: UserError and a broken questionnaire exit 2, anything else writes a crash log
    (pia_app.crashlog) and exits 1."""
    args: argparse.Namespace | None = None
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show Chinese gets escapes, not a crash
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        set_language(_lang_in_argv(argv) or language_from_env())
        if not argv:
            # The desktop launcher runs `pia-app` with no arguments: the GUI, without building the
            # parsers of every command first (issue 12).
            return cmd_gui(argparse.Namespace(command="gui", handler=cmd_gui, self_test=False))
        parser = build_parser(only=command_in_argv(argv))
        args = parser.parse_args(argv)
        if args.self_test:
            return cmd_self_test(args)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return EXIT_USER
        return handler(args)
    except UserError as exc:
        print(f"pia-app: {_one_line(exc.message())}", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if _is_form_error(exc):
            problems = getattr(exc, "problems", [])
            first = str(problems[0]) if problems else str(exc)
            message = t("error.form_broken", count=len(problems), first=first)
            print(f"pia-app: {_one_line(message)}", file=sys.stderr)
            return EXIT_USER
        return _crashed(exc, args)


def _is_form_error(exc: Exception) -> bool:
    """A FormError, without importing the form loader (and jsonschema) for every command."""
    loader = sys.modules.get("pia_app.forms.loader")
    return loader is not None and isinstance(exc, loader.FormError)


def _crashed(exc: Exception, args: argparse.Namespace | None) -> int:
    """An unexpected exception: write the crash log, tell the user where in one line."""
    command = " ".join(
        str(getattr(args, name)) for name in ("command", "forms_command") if getattr(args, name, None)
    )
    kind = type(exc).__name__
    lang = getattr(args, "lang", None)
    try:
        from pia_app.crashlog import write_crash_log

        path = write_crash_log(exc, getattr(args, "data_dir", None), command)
        line = _say("error.crash", lang, kind=kind, path=path)
    except Exception as log_exc:  # the log itself failed: still one line, still no traceback
        line = _say("error.crash_no_log", lang, kind=kind, reason=f"{type(log_exc).__name__}: {log_exc}")
    print(f"pia-app: {_one_line(line)}", file=sys.stderr)
    return EXIT_INTERNAL


def _one_line(text: str) -> str:
    """Messages may quote a parser or the OS, which break lines; the user gets one line."""
    return " ".join(part.strip() for part in text.strip().splitlines() if part.strip())


def _say(key: str, lang: str | None = None, **params: Any) -> str:
    """t(), or plain English if the message catalogue itself is what broke."""
    try:
        return t(key, lang, **params)
    except Exception:
        return f"internal error ({params.get('kind', '?')}); " + ", ".join(
            f"{k}: {v}" for k, v in params.items() if k != "kind"
        )


if __name__ == "__main__":
    sys.exit(main())
