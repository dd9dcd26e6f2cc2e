"""`pia-app` commands of review, evidence and follow-up (issue 14), registered by cli.py.

    pia-app name [NAME | --clear]           who you are in the audit trail and the review records
    pia-app roles ID [--author NAME]... [--reviewer NAME]... [--dpo NAME]... [--approver NAME]...
    pia-app comment ID QUESTION TEXT          open a thread on a question
    pia-app reply ID THREAD TEXT
    pia-app resolve ID THREAD [--reopen]
    pia-app comments ID [--revision N] [--open] [--json]
    pia-app evaluate ID SECTION acceptable|to_improve|not_acceptable [--comment TEXT] [--role ROLE]
    pia-app dpo ID (--advice TEXT | --followed | --overruled REASON)
    pia-app attach ID FILE --question Q [--row N] [--note TEXT]
    pia-app attachments ID [--revision N] [--json]
    pia-app detach ID ATTACHMENT
    pia-app attach-limit [MB]
    pia-app measure ID ROW planned|in_progress|done [--date D] [--note TEXT] [--evidence FILE]
    pia-app review-status ID [--revision N] [--json]
    pia-app due [--json] [--ics FILE] [--within DAYS] [--as-of DATE]

Rows are numbered from 1 here, as the user sees them. Heavy modules load only when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pia_app.errors import UserError
from pia_app.i18n import t

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]

VERDICTS = ("acceptable", "to_improve", "not_acceptable")
PROGRESS = ("planned", "in_progress", "done")


def add_review_commands(command: Command) -> None:
    p = command("name", cmd_name, "cli.help.name")
    p.add_argument("name", nargs="?", metavar="NAME")
    p.add_argument("--clear", action="store_true", help=t("cli.help.name_clear"))

    p = command("roles", cmd_roles, "cli.help.roles")
    p.add_argument("id", type=int, metavar="ID")
    for role in ("author", "reviewer", "dpo", "approver"):
        p.add_argument(f"--{role}", action="append", metavar="NAME", help=t(f"cli.help.role_{role}"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("comment", cmd_comment, "cli.help.comment")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("text", metavar="TEXT")

    p = command("reply", cmd_reply, "cli.help.reply")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("thread", type=int, metavar="THREAD")
    p.add_argument("text", metavar="TEXT")

    p = command("resolve", cmd_resolve, "cli.help.resolve")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("thread", type=int, metavar="THREAD")
    p.add_argument("--reopen", action="store_true", help=t("cli.help.reopen"))

    p = command("comments", cmd_comments, "cli.help.comments")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--revision", type=int, metavar="N", help=t("cli.help.revision"))
    p.add_argument("--open", action="store_true", help=t("cli.help.open_only"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("evaluate", cmd_evaluate, "cli.help.evaluate")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("section", metavar="SECTION")
    p.add_argument("verdict", choices=VERDICTS)
    p.add_argument("--comment", default="", metavar="TEXT", help=t("cli.help.eval_comment"))
    p.add_argument("--role", default="", metavar="ROLE", help=t("cli.help.eval_role"))

    p = command("dpo", cmd_dpo, "cli.help.dpo")
    p.add_argument("id", type=int, metavar="ID")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--advice", metavar="TEXT", help=t("cli.help.dpo_advice"))
    group.add_argument("--followed", action="store_true", help=t("cli.help.dpo_followed"))
    group.add_argument("--overruled", metavar="REASON", help=t("cli.help.dpo_overruled"))

    p = command("attach", cmd_attach, "cli.help.attach")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--question", required=True, metavar="QUESTION", help=t("cli.help.attach_question"))
    p.add_argument("--row", type=int, metavar="N", help=t("cli.help.attach_row"))
    p.add_argument("--note", default="", metavar="TEXT", help=t("cli.help.attach_note"))

    p = command("attachments", cmd_attachments, "cli.help.attachments")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--revision", type=int, metavar="N", help=t("cli.help.revision"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("detach", cmd_detach, "cli.help.detach")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("attachment", type=int, metavar="ATTACHMENT")

    p = command("attach-limit", cmd_attach_limit, "cli.help.attach_limit")
    p.add_argument("mb", type=int, nargs="?", metavar="MB")

    p = command("measure", cmd_measure, "cli.help.measure")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("row", type=int, metavar="ROW")
    p.add_argument("status", choices=PROGRESS)
    p.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.help.measure_date"))
    p.add_argument("--note", default="", metavar="TEXT", help=t("cli.help.measure_note"))
    p.add_argument("--evidence", metavar="FILE", help=t("cli.help.measure_evidence"))

    p = command("review-status", cmd_review_status, "cli.help.review_status")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--revision", type=int, metavar="N", help=t("cli.help.revision"))
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))

    p = command("due", cmd_due, "cli.help.due")
    p.add_argument("--json", action="store_true", help=t("cli.help.json"))
    p.add_argument("--ics", metavar="FILE.ics", help=t("cli.help.due_ics"))
    p.add_argument("--within", type=int, metavar="DAYS", help=t("cli.help.due_within"))
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=t("cli.help.due_as_of"))


# -- plumbing ----------------------------------------------------------------------------------


def _lang(args: argparse.Namespace) -> str:
    from pia_app.cli import _lang as cli_lang

    return cli_lang(args)


def _open(args: argparse.Namespace) -> Any:
    from pia_app.cli import _repo

    return _repo(args)


def _store(repo: Any) -> Any:
    from pia_app.forms.loader import default_form
    from pia_app.store.review_store import ReviewStore

    return ReviewStore(repo, default_form())


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UserError("error.bad_date", value=text) from exc


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _row(n: int | None) -> int | None:
    """1-based row as typed → 0-based index; 0 or less is refused."""
    if n is None:
        return None
    if n < 1:
        raise UserError("error.row_number", row=n)
    return n - 1


# -- commands ----------------------------------------------------------------------------------


def cmd_name(args: argparse.Namespace) -> int:
    """Show or set the name this data folder records as "who" (the GUI's File › Your name)."""
    lang = _lang(args)
    with _open(args) as repo:
        if args.clear or args.name is not None:
            repo.set_actor_name(None if args.clear else args.name)
        from pia_app.actor import actor_label

        name = actor_label(repo.actor, lang)
    print(t("cli.review.name", lang, name=name))
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    from pia_app.review.duties import duty_conflicts

    lang = _lang(args)
    with _open(args) as repo:
        store = _store(repo)
        for role in ("author", "reviewer", "dpo", "approver"):
            names = getattr(args, role)
            if names is not None:
                store.set_role(
                    args.id,
                    role,
                    [n for chunk in names for n in chunk.replace("，", ",").replace("、", ",").split(",")],
                )
        roles = store.roles(args.id)
        evaluators = [e.reviewer for e in store.evaluations(args.id)]
    conflicts = duty_conflicts(roles, evaluators)
    if args.json:
        _print_json(
            {"roles": roles, "conflicts": [{"name": c.name, "roles": list(c.roles)} for c in conflicts]}
        )
        return 0
    sep = "、" if lang == "zh" else ", "
    for role, names in roles.items():
        print(f"{t('review.role.' + role, lang)}\t{sep.join(names) or '-'}")
    for c in conflicts:
        print(_conflict_text(c, lang), file=sys.stderr)
    return 0


def _conflict_text(conflict: Any, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    roles = sep.join(t("review.role." + r, lang) for r in conflict.roles)
    return t("review.duty_conflict", lang, name=conflict.name, roles=roles)


def cmd_comment(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        thread = _store(repo).open_thread(args.id, args.question, args.text)
    print(t("cli.review.thread_opened", lang, thread=thread.id, question=thread.question_id))
    return 0


def cmd_reply(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        thread = _store(repo).reply(args.id, args.thread, args.text)
    print(t("cli.review.replied", lang, thread=thread.id, count=len(thread.comments)))
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        thread = _store(repo).resolve(args.id, args.thread, resolved=not args.reopen)
    key = "cli.review.resolved" if thread.resolved else "cli.review.reopened"
    print(t(key, lang, thread=thread.id))
    return 0


def thread_json(th: Any) -> dict[str, Any]:
    return {
        "thread": th.id,
        "revision": th.revision,
        "question": th.question_id,
        "opened_by": th.opened_by,
        "opened_at": th.opened_at,
        "resolved": th.resolved,
        "resolved_by": th.resolved_by,
        "resolved_at": th.resolved_at,
        "comments": [{"author": c.author, "at": c.created_at, "text": c.body} for c in th.comments],
    }


def cmd_comments(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        threads = _store(repo).threads(args.id, args.revision)
    if args.open:
        threads = [th for th in threads if not th.resolved]
    if args.json:
        _print_json([thread_json(th) for th in threads])
        return 0
    if not threads:
        print(t("cli.review.no_comments", lang))
    for th in threads:
        state = t("review.resolved_by", lang, name=th.resolved_by) if th.resolved else t("review.open", lang)
        print(f"#{th.id}\t{th.question_id}\t{state}")
        for c in th.comments:
            print(f"    {c.created_at[:16].replace('T', ' ')}  {c.author}: {c.body}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        ev = _store(repo).evaluate(
            args.id, args.section, args.verdict, args.comment, args.role or t("review.role.reviewer", lang)
        )
    print(
        t(
            "cli.review.evaluated",
            lang,
            section=ev.section_id,
            verdict=t("review.verdict." + ev.verdict, lang),
            by=ev.reviewer,
            role=ev.reviewer_role,
        )
    )
    return 0


def cmd_dpo(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        store = _store(repo)
        if args.advice is not None:
            advice = store.give_dpo_advice(args.id, args.advice)
        elif args.followed:
            advice = store.decide_dpo_advice(args.id, "followed")
        else:
            advice = store.decide_dpo_advice(args.id, "overruled", args.overruled)
    state = t("review.dpo." + advice.decision, lang) if advice.decision else t("review.dpo.pending", lang)
    print(t("cli.review.dpo", lang, by=advice.given_by, state=state))
    return 0


def attachment_json(a: Any) -> dict[str, Any]:
    return {
        "attachment": a.id,
        "revision": a.revision,
        "question": a.question_id,
        "row": None if a.row_index is None else a.row_index + 1,
        "name": a.name,
        "media_type": a.media_type,
        "size": a.size,
        "sha256": a.sha256,
        "note": a.note,
        "added_by": a.added_by,
        "added_at": a.added_at,
        "follow_up": a.progress_id is not None,
    }


def cmd_attach(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        att = _store(repo).attach_file(args.id, Path(args.file), args.question, _row(args.row), args.note)
    print(t("cli.review.attached", lang, attachment=att.id, name=att.name, size=att.size, sha256=att.sha256))
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        items = _store(repo).attachments(args.id, args.revision)
    if args.json:
        _print_json([attachment_json(a) for a in items])
        return 0
    if not items:
        print(t("cli.review.no_attachments", lang))
    for a in items:
        where = a.question_id + (f" #{a.row_index + 1}" if a.row_index is not None else "")
        print(f"{a.id}\t{where}\t{a.name}\t{a.size}\t{a.sha256}")
    return 0


def cmd_detach(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        _store(repo).detach(args.id, args.attachment)
    print(t("cli.review.detached", lang, attachment=args.attachment))
    return 0


def cmd_attach_limit(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        store = _store(repo)
        if args.mb is not None:
            store.set_attachment_limit_mb(args.mb)
        mb = store.attachment_limit_mb()
    print(t("cli.review.limit", lang, mb=mb))
    return 0


def cmd_measure(args: argparse.Namespace) -> int:
    lang = _lang(args)
    row = _row(args.row)
    assert row is not None
    evidence = Path(args.evidence) if args.evidence else None
    with _open(args) as repo:
        p = _store(repo).record_progress(args.id, row, args.status, _date(args.date), args.note, evidence)
    print(
        t(
            "cli.review.measure",
            lang,
            row=p.row_index + 1,
            status=t("review.progress." + p.status, lang),
            date=p.on_date,
            by=p.recorded_by,
        )
    )
    return 0


def review_status(store: Any, repo: Any, assessment_id: int, revision: int | None) -> dict[str, Any]:
    """The review state of a revision as plain data (CLI --json, and the text below)."""
    from pia_app.review.duties import duty_conflicts
    from pia_app.store.review_store import approval_blockers

    rev = repo.revision(assessment_id, revision)
    roles = store.roles(assessment_id, rev.number)
    evaluations = store.evaluations(assessment_id, rev.number)
    threads = store.threads(assessment_id, rev.number)
    advice = store.dpo_advice(assessment_id, rev.number)
    conflicts = duty_conflicts(roles, [e.reviewer for e in evaluations], rev.approved_by)
    return {
        "id": assessment_id,
        "revision": rev.number,
        "status": rev.status,
        "roles": roles,
        "evaluations": [
            {
                "section": e.section_id,
                "verdict": e.verdict,
                "comment": e.comment,
                "reviewer": e.reviewer,
                "reviewer_role": e.reviewer_role,
                "evaluated_at": e.evaluated_at,
            }
            for e in evaluations
        ],
        "threads": {
            "open": sum(not th.resolved for th in threads),
            "resolved": sum(th.resolved for th in threads),
        },
        "dpo_advice": None
        if advice is None
        else {
            "advice": advice.advice,
            "given_by": advice.given_by,
            "decision": advice.decision,
            "reason": advice.reason,
        },
        "attachments": len(store.attachments(assessment_id, rev.number)),
        "blockers": [b.message() for b in approval_blockers(repo.db, assessment_id, rev.number)]
        if rev.status != "approved"
        else [],
        "conflicts": [{"name": c.name, "roles": list(c.roles)} for c in conflicts],
    }


def cmd_review_status(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as repo:
        data = review_status(_store(repo), repo, args.id, args.revision)
    if args.json:
        _print_json(data)
        return 0
    sep = "、" if lang == "zh" else ", "
    print(t("cli.review.status_head", lang, id=data["id"], revision=data["revision"],
            status=t("status." + data["status"], lang)))  # fmt: skip
    for role, names in data["roles"].items():
        print(f"  {t('review.role.' + role, lang)}: {sep.join(names) or '-'}")
    for e in data["evaluations"]:
        print(
            f"  {e['section']}: {t('review.verdict.' + e['verdict'], lang)} ({e['reviewer']}) {e['comment']}"
        )
    print(
        "  "
        + t("cli.review.threads", lang, open=data["threads"]["open"], resolved=data["threads"]["resolved"])
    )
    advice = data["dpo_advice"]
    if advice:
        state = (
            t("review.dpo." + advice["decision"], lang)
            if advice["decision"]
            else t("review.dpo.pending", lang)
        )
        print(f"  {t('review.role.dpo', lang)}: {advice['advice']} — {state} {advice['reason']}".rstrip())
    print("  " + t("cli.review.attachment_count", lang, count=data["attachments"]))
    for b in data["blockers"]:
        print(f"  ! {b}")
    for c in data["conflicts"]:
        print("  ! " + t("review.duty_conflict", lang, name=c["name"],
                         roles=sep.join(t("review.role." + r, lang) for r in c["roles"])))  # fmt: skip
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    from pia_app.forms.loader import default_form
    from pia_app.review.due import due_items, due_summary

    lang = _lang(args)
    today = _date(args.as_of) or dt.date.today()
    with _open(args) as repo:
        items = due_items(repo, default_form(), today, args.within)
    if args.ics:
        from pia_app.atomic import write_atomic
        from pia_app.review.ics import calendar

        text = calendar(items, [due_summary(i, lang) for i in items])
        write_atomic(Path(args.ics), text, "error.export_file")  # bytes as given: CRLF kept
    if args.json:
        _print_json([i.to_json() for i in items])
        return 0
    if not items:
        print(t("cli.due.none", lang))
    for i in items:
        when = i.due.isoformat() if i.due else t("due.now", lang)
        flag = t("due.overdue", lang) if i.overdue else ""
        extra = ""
        if i.kind == "measure":
            row = t("report.row", lang, n=(i.row or 0) + 1)
            parts = [row, t("review.progress." + i.status, lang), i.owner]
            if i.plan_status != "approved":
                parts.append(t("status." + i.plan_status, lang))
            extra = "  (" + "; ".join(p for p in parts if p) + ")"
        print(f"{when}\t{flag}\t{i.assessment_id}\t{due_summary(i, lang)}{extra}".replace("\t\t", "\t-\t"))
    return 0


def approval_warnings(repo: Any, assessment_id: int, revision: int, lang: str) -> list[str]:
    """Separation-of-duties notes for an approval just made (flagged, never refused)."""
    from pia_app.review.duties import duty_conflicts
    from pia_app.store.review_store import ReviewStore

    store = ReviewStore(repo)
    rev = repo.revision(assessment_id, revision)
    evaluators = [e.reviewer for e in store.evaluations(assessment_id, revision)]
    conflicts = duty_conflicts(store.roles(assessment_id, revision), evaluators, rev.approved_by)
    return [_conflict_text(c, lang) for c in conflicts]
