"""Parts 1 and 2 of the report: scope, team, references, object, data map and parties."""

from __future__ import annotations

from typing import Any

from pia_app.display import display_value, label, plain, table_rows
from pia_app.engine.grade import trigger_question
from pia_app.forms.conditions import is_blank
from pia_app.i18n import pick, t
from pia_app.report.context.base import Ctx, s, table_block

PARTY_ROLES = ("entrusted", "overseas_recipients", "third_party_oversight")
"""The report's parties table: form.yaml `roles.report` names the tables it lists."""
C_COLUMNS = (
    "act_id",
    "act_name",
    "lifecycle",
    "data_items",
    "sensitive",
    "subjects",
    "purpose",
    "legal_basis",
    "controller_role",
    "source_method",
    "storage_location",
    "transfer_protection",
    "retention",
    "deletion_method",
    "cross_border",
    "third_party",
)
"""The c_activities columns tables C-1/C-2 show (reference section C)."""


def team(c: Ctx) -> list[dict[str, str]]:
    def independent(value: Any) -> str:
        if value is True:
            return t("common.yes", c.lang)
        if value is False:
            return t("common.no", c.lang)
        return c.na

    return [
        {
            "name": s(r.get("name")) or c.na,
            "dept": s(r.get("dept")) or c.na,
            "role": s(r.get("role")) or c.na,
            "independent": independent(r.get("independent")),
        }
        for r in c.rows(c.role("assessors"))
    ]


def references(c: Ctx) -> list[str]:
    out = []
    q = c.form.question(c.role("references"))
    for code in c.eff.get(c.role("references")) or []:
        source = c.form.sources.get(code)
        if source is not None:
            out.append(plain(pick(source.name, c.lang), c.lang))
        else:
            opt = q.option(code) if q else None
            out.append(label(opt, c.lang, str(code)))
    other = c.eff.get(c.role("references_other"))
    if isinstance(other, str):
        out.extend(line.strip() for line in other.splitlines() if line.strip())
    return out


def parties(c: Ctx) -> list[dict[str, Any]]:
    out = []
    for qid in (c.role(name) for name in PARTY_ROLES):
        q = c.form.question(qid)
        if q is None or q.type != "table" or not c.rows(qid):
            continue
        columns = [label(col, c.lang) for col in q.columns]
        block = table_block(columns, table_rows(q, c.rows(qid), c.lang), c.lang)
        out.append({"title": label(q, c.lang), **block})
    return out


def activities(c: Ctx) -> tuple[dict[str, str], list[dict[str, str]]]:
    q = c.form.question(c.role("activities"))
    cols = {col_id: col_id for col_id in C_COLUMNS}
    rows: list[dict[str, str]] = []
    if q is None:
        return cols, rows
    for col in q.columns:
        if col.id in cols:
            cols[col.id] = label(col, c.lang)
    for i, raw in enumerate(c.rows(c.role("activities")), start=1):
        row = {col_id: c.na for col_id in C_COLUMNS}
        for col in q.columns:
            if col.id in row:
                row[col.id] = display_value(col, raw.get(col.id), c.lang)
        if is_blank(raw.get("act_id")):
            row["act_id"] = f"P{i}"
        rows.append(row)
    return cols, rows


def object_facts(c: Ctx) -> list[dict[str, str]]:
    return [
        {"label": label(q, c.lang), "answer": display_value(q, c.answers.get(q.id), c.lang)}
        for sec in c.form.sections
        if sec.id == "B"
        for q in sec.questions
        if q.id in c.visible
    ]


def triggers_text(c: Ctx, codes: list[str]) -> str:
    trig_q = c.form.question(trigger_question(c.form))
    labels = []
    for code in codes:
        opt = trig_q.option(code) if trig_q else None
        labels.append(label(opt, c.lang, code))
    return c.sep.join(labels) or t("report.none", c.lang)


def dataflow_lanes(c: Ctx) -> list[tuple[str, tuple[str, ...]]]:
    """Per activity of the data map: its name and the text of each data-flow stage
    (collection, storage, use, provision/entrustment, cross-border, deletion); "" where the
    activity does not go through the stage. The picture is drawn by report.dataflow."""
    q = c.form.question(c.role("activities"))
    if q is None:
        return []

    def cell(raw: Any, col_id: str) -> str:
        col = q.column(col_id)
        value = raw.get(col_id)
        return "" if col is None or is_blank(value) else display_value(col, value, c.lang)

    def names(qid: str) -> str:
        return "、".join(s(r.get("name")) for r in c.rows(qid) if s(r.get("name")).strip())

    entrusted, overseas = names(c.role("entrusted")), names(c.role("overseas_recipients"))
    lanes: list[tuple[str, tuple[str, ...]]] = []
    for i, raw in enumerate(c.rows(c.role("activities")), start=1):
        stages = {x for x in raw.get("lifecycle") or [] if isinstance(x, str)}
        shares = raw.get("third_party") is True or bool(stages & {"provide", "disclose"})
        abroad = raw.get("cross_border") is True
        collect = cell(raw, "source_method") or (t("report.flow.yes", c.lang) if "collect" in stages else "")
        store = cell(raw, "storage_location") if "store" in stages or cell(raw, "storage_location") else ""
        use = cell(raw, "purpose") if stages & {"use", "process"} or not stages else ""
        share = (entrusted or t("report.flow.yes", c.lang)) if shares else ""
        cross = (overseas or t("report.flow.yes", c.lang)) if abroad else ""
        delete = cell(raw, "deletion_method") or cell(raw, "retention")
        ident = s(raw.get("act_id")).strip() or f"P{i}"
        name = f"{ident} {s(raw.get('act_name')).strip()}".strip()
        lanes.append(
            (name, (collect if "collect" in stages or collect else "", store, use, share, cross, delete))
        )
    return lanes
