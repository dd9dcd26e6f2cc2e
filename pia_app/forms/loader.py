"""Load a questionnaire from YAML and check it, naming file, line and key for every problem.

A form is a folder with a manifest `form.yaml`:

    id: face_voice_pia
    version: "1.0"
    title: {zh: ..., en: ...}
    sources: sources.yaml            # the laws and standards that `refs` may cite
    sections: [a_basic.yaml, ...]    # one file per wizard section, in wizard order
    data: {risk: risk.yaml}          # optional further data files, e.g. the risk matrix

Each section file is checked against `schemas/form-section.schema.json`, then the whole form is
checked for what a schema cannot see: unique ids, conditions and rules that name real questions,
columns and option codes, citations of known sources. All problems are collected, so
`pia-app forms check` can report them in one go.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pia_app.forms import cache as form_cache
from pia_app.forms import conditions as cond_mod
from pia_app.forms.schema import (
    SEVERITIES,
    Column,
    Condition,
    ConsistencyCheck,
    Form,
    Option,
    Question,
    Rule,
    Section,
    Source,
)
from pia_app.resources import forms_dir, package_data

if TYPE_CHECKING:
    import jsonschema
    import yaml

DEFAULT_FORM = "face_voice"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class FormError(Exception):
    """The form has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _LineDict(dict[str, Any]):
    line = 0


class _LineList(list[Any]):
    line = 0


@cache
def _line_loader() -> type[yaml.SafeLoader]:
    """A SafeLoader that remembers the line of every mapping and sequence.

    On libyaml's parser (about 7x faster than the pure-Python one; its nodes carry the same marks,
    so every problem still names its line). Made on first use: a start from the form cache does
    not import PyYAML at all (issue 12)."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _LineLoader(base):  # type: ignore[misc,valid-type]
        pass

    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return _LineLoader


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
    out.line = node.start_mark.line + 1
    return out


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _LineList:
    out = _LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


@cache
def _section_validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # only when a form is checked: a cached form starts without it

    text = package_data("schemas", "form-section.schema.json").read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


DATA_SCHEMAS = {"risk": "risk-data.schema.json", "deadlines": "deadlines-data.schema.json"}
"""Data files with a known meaning are checked against their schema; others are loaded as is."""


@cache
def _data_validator(name: str) -> jsonschema.Draft202012Validator | None:
    schema = DATA_SCHEMAS.get(name)
    if schema is None:
        return None
    import jsonschema

    text = package_data("schemas", schema).read_text("utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _line_of(data: Any, path: list[Any]) -> int:
    """The line of the deepest mapping or sequence on `path` that knows its line."""
    line = getattr(data, "line", 0)
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "line", line)
    return int(line)


def _key_of(path: list[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, data: Any, path: list[Any], message: str) -> None:
        self.problems.append(Problem(file, _line_of(data, path), _key_of(path), message))

    def read_yaml(self, path: Path) -> Any:
        import yaml

        try:
            # _line_loader() is a SafeLoader subclass: no arbitrary objects are constructed.
            return yaml.load(path.read_text("utf-8"), Loader=_line_loader())
        except FileNotFoundError:
            self.problems.append(Problem(str(path), 0, "", "file not found"))
        except UnicodeDecodeError:
            self.problems.append(Problem(str(path), 0, "", "not UTF-8 text"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            reason = getattr(exc, "problem", None) or str(exc)
            self.problems.append(Problem(str(path), line, "", f"YAML syntax: {reason}"))
        return None


def _text(raw: Any) -> dict[str, str]:
    return {"zh": str(raw["zh"]), "en": str(raw["en"])} if isinstance(raw, Mapping) else {}


def _options(raw: Any) -> tuple[Option, ...]:
    return tuple(Option(o["code"], _text(o["label"]), bool(o.get("exclusive", False))) for o in (raw or []))


def load_form(path: str | Path | None = None) -> Form:
    """Load and check the form in folder `path` (or its `form.yaml`); raise FormError if wrong."""
    root = Path(path) if path else forms_dir() / DEFAULT_FORM
    manifest_path = root if root.is_file() else root / "form.yaml"
    root = manifest_path.parent
    chk = _Checker()
    manifest = chk.read_yaml(manifest_path)
    if chk.problems:
        raise FormError(chk.problems)
    mfile = str(manifest_path)
    if not isinstance(manifest, Mapping):
        raise FormError([Problem(mfile, 0, "", "the manifest must be a mapping")])
    for key in ("id", "version", "title", "sources", "sections"):
        if key not in manifest:
            chk.add(mfile, manifest, [], f"missing key '{key}'")
    if chk.problems:
        raise FormError(chk.problems)

    sources = _load_sources(chk, root / str(manifest["sources"]))
    data: dict[str, Any] = {}
    for name, rel in dict(manifest.get("data") or {}).items():
        dpath = root / str(rel)
        loaded = chk.read_yaml(dpath)
        if loaded is None:
            continue
        validator = _data_validator(str(name))
        found: list[jsonschema.ValidationError] = list(validator.iter_errors(loaded)) if validator else []
        for err in sorted(found, key=lambda e: list(e.absolute_path)):
            chk.add(str(dpath), loaded, list(err.absolute_path), _schema_message(err))
        data[str(name)] = loaded

    sections: list[Section] = []
    raw_sections: list[tuple[str, Any]] = []
    for rel in manifest["sections"]:
        spath = root / str(rel)
        raw = chk.read_yaml(spath)
        if raw is None:
            continue
        errors = sorted(_section_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
        for err in errors:
            chk.add(str(spath), raw, list(err.absolute_path), _schema_message(err))
        if errors:
            continue
        raw_sections.append((str(spath), raw))
        sections.append(_build_section(raw))

    form = Form(
        id=str(manifest["id"]),
        version=str(manifest["version"]),
        title=_text(manifest["title"]),
        sections=tuple(sections),
        sources=sources,
        data=data,
        path=str(root),
    )
    if not chk.problems:
        _check_semantics(chk, form, raw_sections)
    if not chk.problems:
        sources_file = str(root / str(manifest["sources"]))
        for code, src in form.sources.items():
            if src.applies_if is not None:
                _check_condition(
                    chk, sources_file, {}, [code, "applies_if"], src.applies_if, form.questions, None
                )
    if not chk.problems and "roles" in manifest:
        form = dataclasses.replace(form, roles=_check_roles(chk, mfile, manifest, form))
    derived_raw: tuple[str, Any] | None = None
    if not chk.problems and "derived" in data:
        derived_raw = (str(root / str(dict(manifest.get("data") or {})["derived"])), data["derived"])
        derived = _build_derived(chk, derived_raw[0], derived_raw[1], form)
        form = dataclasses.replace(form, derived_rules=derived)
    if not chk.problems and "consistency" in data:
        cfile = str(root / str(dict(manifest.get("data") or {})["consistency"]))
        checks = _build_consistency(chk, cfile, data["consistency"], form)
        form = dataclasses.replace(form, consistency=checks)
    if not chk.problems:
        _check_numbers(chk, form, raw_sections, derived_raw)
    if chk.problems:
        raise FormError(chk.problems)
    return form


def _schema_message(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        return f"unknown key: {err.message.split('(')[-1].rstrip(')')}"
    if err.validator == "required":
        return err.message.replace("is a required property", "is required")
    if err.validator == "pattern":
        return f"{err.instance!r} does not have the required form ({err.validator_value})"
    return err.message


def _load_sources(chk: _Checker, path: Path) -> dict[str, Source]:
    raw = chk.read_yaml(path)
    out: dict[str, Source] = {}
    if raw is None:
        return out
    if not isinstance(raw, Mapping):
        chk.add(str(path), raw, [], "sources must be a mapping of code → source")
        return out
    for code, src in raw.items():
        if not isinstance(src, Mapping) or not all(k in src for k in ("name", "short", "cite")):
            chk.add(str(path), raw, [code], "a source needs name, short and cite")
            continue
        out[str(code)] = Source(
            code=str(code),
            name=_text(src["name"]),
            short=_text(src["short"]),
            cite=_text(src["cite"]),
            status=str(src.get("status", "")),
            applies_if=src.get("applies_if") if isinstance(src.get("applies_if"), Mapping) else None,
        )
    return out


def _auto_number(sid: str, raw: Mapping[str, Any], rule: Mapping[str, Any]) -> str:
    """A rule without a declared `number` gets "<section>-<its position among the section's
    rules>". Declare numbers once assessments refer to them: a position moves when rules are
    added before it."""
    position = 0
    for q in raw["questions"]:
        for r in q.get("rules") or []:
            position += 1
            if r is rule:
                return f"{sid}-{position:02d}"
    return ""


def _build_derived(chk: _Checker, file: str, raw: Any, form: Form) -> dict[str, Rule]:
    """The derived findings of `data: {derived: ...}`: rule id → number, question, severity,
    refs, message, measure (see forms/face_voice/derived.yaml)."""
    out: dict[str, Rule] = {}
    if not isinstance(raw, Mapping):
        chk.add(file, raw, [], "derived findings must be a mapping of rule id → finding")
        return out
    for rid, entry in raw.items():
        where: list[Any] = [rid]
        if not isinstance(entry, Mapping):
            chk.add(file, raw, where, "a derived finding must be a mapping")
            continue
        missing = [k for k in ("number", "question", "severity", "message", "measure") if k not in entry]
        if missing:
            chk.add(file, raw, where, f"missing key(s): {', '.join(missing)}")
            continue
        if any(r.id == rid for r in form.rules):
            chk.add(file, raw, where, f"rule id {rid} is also declared in a section")
            continue
        q = form.question(str(entry["question"]))
        if q is None:
            chk.add(file, raw, [*where, "question"], f"unknown question id '{entry['question']}'")
            continue
        if entry["severity"] not in SEVERITIES:
            chk.add(file, raw, [*where, "severity"], f"severity must be one of {', '.join(SEVERITIES)}")
        if not all(
            isinstance(entry[k], Mapping) and {"zh", "en"} <= set(entry[k]) for k in ("message", "measure")
        ):
            chk.add(file, raw, where, "message and measure need zh and en")
            continue
        for i, ref in enumerate(entry.get("refs") or []):
            _check_ref(chk, file, raw, [*where, "refs", i], str(ref), form)
        out[str(rid)] = Rule(
            id=str(rid),
            number=str(entry["number"]),
            question_id=q.id,
            section_id=q.section_id,
            when={},
            severity=str(entry["severity"]),
            refs=tuple(str(r) for r in entry.get("refs") or ()),
            message=_text(entry["message"]),
            measure=_text(entry["measure"]),
            theme=str(entry.get("theme", q.theme)),
        )
    return out


PICKER_SOURCES = ("activities", "gaps")
"""What a `roles.pickers` column may be picked from: the processing activities (the table
`roles.report.activities`, by their first column) or the gap numbers of the assessment."""


def _check_roles(chk: _Checker, file: str, manifest: Any, form: Form) -> dict[str, Any]:
    """Check the manifest's `roles:` block: questions exist, trigger conditions are valid and
    name options of the trigger question, the conclusion codes are options of its question."""
    roles = manifest["roles"]
    if not isinstance(roles, Mapping):
        chk.add(file, manifest, ["roles"], "roles must be a mapping")
        return {}
    triggers = roles.get("triggers")
    if isinstance(triggers, Mapping):
        q = form.question(str(triggers.get("question")))
        if q is None:
            chk.add(file, manifest, ["roles", "triggers", "question"], "unknown question id")
        for code, cond in dict(triggers.get("derived") or {}).items():
            where: list[Any] = ["roles", "triggers", "derived", code]
            if q is not None and q.option(str(code)) is None:
                chk.add(file, manifest, where, f"{q.id} has no option '{code}'")
            if not isinstance(cond, Mapping):
                chk.add(file, manifest, where, "a trigger needs a condition")
                continue
            _check_condition(chk, file, manifest, where, cond, form.questions, None)
    conclusion = roles.get("conclusion")
    if isinstance(conclusion, Mapping):
        q = form.question(str(conclusion.get("question")))
        if q is None:
            chk.add(file, manifest, ["roles", "conclusion", "question"], "unknown question id")
        else:
            for key in ("may_proceed", "after_remediation"):
                if key in conclusion and q.option(str(conclusion[key])) is None:
                    chk.add(
                        file,
                        manifest,
                        ["roles", "conclusion", key],
                        f"{q.id} has no option '{conclusion[key]}'",
                    )
    pickers = roles.get("pickers")
    if isinstance(pickers, Mapping):
        for key, source in pickers.items():
            qid, _, col = str(key).partition(".")
            q = form.question(qid)
            if q is None or not any(c.id == col for c in q.columns):
                chk.add(file, manifest, ["roles", "pickers", key], f"no table column '{key}'")
            if source not in PICKER_SOURCES:
                chk.add(file, manifest, ["roles", "pickers", key], f"source must be one of {PICKER_SOURCES}")
    for group, block in roles.items():
        if group in ("triggers", "conclusion", "pickers") or block is None:
            continue
        if not isinstance(block, Mapping):
            chk.add(
                file, manifest, ["roles", group], f"roles.{group} must be a mapping of name → question id"
            )
            continue
        for name, qid in block.items():
            if form.question(str(qid)) is None:
                chk.add(file, manifest, ["roles", group, name], f"unknown question id '{qid}'")
    return dict(roles)


def _build_consistency(chk: _Checker, file: str, raw: Any, form: Form) -> tuple[ConsistencyCheck, ...]:
    """The cross-question contradictions of `data: {consistency: ...}`: a list of
    {id, questions, when, message} (see forms/face_voice/consistency.yaml)."""
    out: list[ConsistencyCheck] = []
    if not isinstance(raw, list):
        chk.add(file, raw, [], "consistency checks must be a list")
        return ()
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or not all(
            k in entry for k in ("id", "questions", "when", "message")
        ):
            chk.add(file, raw, [i], "a consistency check needs id, questions, when and message")
            continue
        cid = str(entry["id"])
        if cid in seen:
            chk.add(file, raw, [i, "id"], f"consistency check id {cid} is used twice")
        seen.add(cid)
        qids = [str(q) for q in entry["questions"] or []]
        for j, qid in enumerate(qids):
            if form.question(qid) is None:
                chk.add(file, raw, [i, "questions", j], f"unknown question id '{qid}'")
        if not isinstance(entry["when"], Mapping):
            chk.add(file, raw, [i, "when"], "'when' must be a condition")
            continue
        _check_condition(chk, file, raw, [i, "when"], entry["when"], form.questions, None)
        message = entry["message"]
        if not (isinstance(message, Mapping) and {"zh", "en"} <= set(message)):
            chk.add(file, raw, [i, "message"], "message needs zh and en")
            continue
        out.append(ConsistencyCheck(cid, tuple(qids), entry["when"], _text(message)))
    return tuple(out)


def _check_numbers(
    chk: _Checker, form: Form, raw_sections: list[tuple[str, Any]], derived: tuple[str, Any] | None
) -> None:
    """Gap numbers are unique in the form and start with their section's letter."""
    located: list[tuple[Rule, str, Any, list[Any]]] = []
    for (file, raw), section in zip(raw_sections, form.sections, strict=True):
        for qi, q in enumerate(section.questions):
            for ri, rule in enumerate(q.rules):
                located.append((rule, file, raw, ["questions", qi, "rules", ri, "number"]))
    if derived is not None:
        for rule in form.derived_rules.values():
            located.append((rule, derived[0], derived[1], [rule.id, "number"]))
    seen: dict[str, str] = {}
    for rule, file, raw, path in located:
        if not re.fullmatch(r"[A-Z]-[0-9]{2,3}", rule.number):
            chk.add(file, raw, path, f"gap number {rule.number!r} must look like D-03")
        elif not rule.number.startswith(rule.section_id + "-"):
            chk.add(file, raw, path, f"gap number {rule.number} must start with '{rule.section_id}-'")
        if rule.number in seen:
            chk.add(file, raw, path, f"gap number {rule.number} is also used by rule {seen[rule.number]}")
        seen.setdefault(rule.number, rule.id)


def _build_section(raw: Mapping[str, Any]) -> Section:
    sid = str(raw["id"])
    theme = str(raw.get("theme", ""))
    questions = []
    for q in raw["questions"]:
        qtheme = str(q.get("theme", theme))
        rules = tuple(
            Rule(
                id=r["id"],
                number=str(r.get("number") or _auto_number(sid, raw, r)),
                practice=_text(r.get("practice")),
                question_id=q["id"],
                section_id=sid,
                when=r["when"],
                severity=r["severity"],
                refs=tuple(r.get("refs") or q.get("refs") or ()),
                message=_text(r["message"]),
                measure=_text(r["measure"]),
                theme=str(r.get("theme", qtheme)),
            )
            for r in q.get("rules") or []
        )
        columns = tuple(
            Column(
                id=c["id"],
                type=c["type"],
                label=_text(c["label"]),
                options=_options(c.get("options")),
                required=bool(c.get("required", False)),
                help=_text(c.get("help")),
            )
            for c in q.get("columns") or []
        )
        questions.append(
            Question(
                id=q["id"],
                type=q["type"],
                label=_text(q["label"]),
                section_id=sid,
                help=_text(q.get("help")),
                required=bool(q.get("required", False)),
                show_if=q.get("show_if"),
                options=_options(q.get("options")),
                columns=columns,
                refs=tuple(q.get("refs") or ()),
                rules=rules,
                multiline=bool(q.get("multiline", False)),
                min_rows=int(q.get("min_rows", 0)),
                default=q.get("default"),
                computed=bool(q.get("computed", False)),
                theme=qtheme,
            )
        )
    return Section(
        id=sid,
        title=_text(raw["title"]),
        questions=tuple(questions),
        intro=_text(raw.get("intro")),
        show_if=raw.get("show_if"),
        theme=theme,
    )


def _check_semantics(chk: _Checker, form: Form, raw_sections: list[tuple[str, Any]]) -> None:
    seen_sections: set[str] = set()
    seen_questions: dict[str, str] = {}
    seen_rules: set[str] = set()
    questions = form.questions
    for (file, raw), section in zip(raw_sections, form.sections, strict=True):
        if section.id in seen_sections:
            chk.add(file, raw, ["id"], f"section id {section.id} is used twice")
        seen_sections.add(section.id)
        if section.show_if is not None:
            _check_condition(chk, file, raw, ["show_if"], section.show_if, questions, None)
        for qi, q in enumerate(section.questions):
            qpath: list[Any] = ["questions", qi]
            if q.id in seen_questions:
                chk.add(file, raw, [*qpath, "id"], f"question id {q.id} is also in {seen_questions[q.id]}")
            seen_questions[q.id] = file
            if not q.id.startswith(section.id.lower() + "_"):
                chk.add(file, raw, [*qpath, "id"], f"question id must start with '{section.id.lower()}_'")
            _check_question_shape(chk, file, raw, qpath, q)
            for ri, ref in enumerate(q.refs):
                _check_ref(chk, file, raw, [*qpath, "refs", ri], ref, form)
            if q.show_if is not None:
                _check_condition(chk, file, raw, [*qpath, "show_if"], q.show_if, questions, None)
            for ri, rule in enumerate(q.rules):
                rpath = [*qpath, "rules", ri]
                if rule.id in seen_rules:
                    chk.add(file, raw, [*rpath, "id"], f"rule id {rule.id} is used twice")
                seen_rules.add(rule.id)
                if not rule.id.startswith(q.id + "."):
                    chk.add(file, raw, [*rpath, "id"], f"rule id must start with '{q.id}.'")
                for fi, ref in enumerate(raw["questions"][qi]["rules"][ri].get("refs") or []):
                    _check_ref(chk, file, raw, [*rpath, "refs", fi], ref, form)
                _check_condition(chk, file, raw, [*rpath, "when"], rule.when, questions, q.id)


def _check_question_shape(chk: _Checker, file: str, raw: Any, path: list[Any], q: Question) -> None:
    if q.type in ("single", "multi") and not q.options:
        chk.add(file, raw, path, f"a {q.type} question needs options")
    if q.type not in ("single", "multi") and q.options:
        chk.add(file, raw, [*path, "options"], f"a {q.type} question takes no options")
    if q.type == "table" and not q.columns:
        chk.add(file, raw, path, "a table question needs columns")
    if q.type != "table" and q.columns:
        chk.add(file, raw, [*path, "columns"], f"a {q.type} question takes no columns")
    if q.type != "multi" and any(o.exclusive for o in q.options):
        chk.add(file, raw, [*path, "options"], "'exclusive' only makes sense in a multi question")
    codes = [o.code for o in q.options]
    if len(set(codes)) != len(codes):
        chk.add(file, raw, [*path, "options"], "option codes must be unique")
    col_ids = [c.id for c in q.columns]
    if len(set(col_ids)) != len(col_ids):
        chk.add(file, raw, [*path, "columns"], "column ids must be unique")
    for ci, col in enumerate(q.columns):
        if col.type in ("single", "multi") and not col.options:
            chk.add(file, raw, [*path, "columns", ci], f"a {col.type} column needs options")


def _check_ref(chk: _Checker, file: str, raw: Any, path: list[Any], ref: str, form: Form) -> None:
    src = ref.split(" ", 1)[0]
    if src not in form.sources:
        known = ", ".join(sorted(form.sources))
        chk.add(file, raw, path, f"unknown source '{src}' (known: {known})")


def _check_condition(
    chk: _Checker,
    file: str,
    raw: Any,
    path: list[Any],
    cond: Condition,
    questions: Mapping[str, Question],
    self_id: str | None,
    table: Question | None = None,
) -> None:
    for key in ("all", "any"):
        if key in cond:
            if len(cond) != 1:
                chk.add(file, raw, path, f"'{key}' must stand alone in its mapping")
            for i, sub in enumerate(cond[key]):
                _check_condition(chk, file, raw, [*path, key, i], sub, questions, self_id, table)
            return
    if "not" in cond:
        if len(cond) != 1:
            chk.add(file, raw, path, "'not' must stand alone in its mapping")
        _check_condition(chk, file, raw, [*path, "not"], cond["not"], questions, self_id, table)
        return
    ops = [k for k in cond if k in cond_mod.OPERATORS]
    if len(ops) != 1:
        chk.add(file, raw, path, f"a test needs exactly one operator, found {ops or 'none'}")
        return
    op = ops[0]
    target: Question | Column | None
    if "col" in cond:
        if table is None:
            chk.add(file, raw, path, "'col' is only allowed inside any_row / all_rows")
            return
        target = table.column(cond["col"])
        if target is None:
            chk.add(file, raw, [*path, "col"], f"table {table.id} has no column '{cond['col']}'")
            return
    else:
        qid = cond.get("q") or self_id
        if not qid:
            chk.add(file, raw, path, "a test needs 'q' (the question it reads)")
            return
        target = questions.get(qid)
        if target is None:
            where = [*path, "q"] if "q" in cond else path
            chk.add(file, raw, where, f"unknown question id '{qid}'")
            return
    arg = cond[op]
    ttype = target.type
    if op in ("any_row", "all_rows", "rows_lt"):
        if ttype != "table" or not isinstance(target, Question):
            chk.add(file, raw, path, f"'{op}' needs a table question, {target.id} is {ttype}")
            return
        if op != "rows_lt":
            _check_condition(chk, file, raw, [*path, op], arg, questions, self_id, target)
        return
    if op in cond_mod.SET_OPS and ttype not in ("single", "multi"):
        chk.add(file, raw, path, f"'{op}' needs a choice question, {target.id} is {ttype}")
        return
    if op in cond_mod.COMPARE:
        if ttype not in ("number", "date"):
            chk.add(file, raw, path, f"'{op}' needs a number or date, {target.id} is {ttype}")
        if isinstance(arg, Mapping):
            other = questions.get(str(arg.get("q")))
            if other is None:
                chk.add(file, raw, [*path, op], f"unknown question id '{arg.get('q')}'")
            elif "add_years" in arg and (ttype != "date" or other.type != "date"):
                chk.add(file, raw, [*path, op], "'add_years' compares two date questions")
        return
    if op == "empty":
        return
    values: list[Any] = list(arg) if isinstance(arg, list) else [arg]
    if ttype == "yesno":
        for v in values:
            if not isinstance(v, bool):
                chk.add(
                    file, raw, [*path, op], f"{target.id} is yes/no: compare with true or false, not {v!r}"
                )
    elif ttype in ("single", "multi"):
        codes = {o.code for o in target.options}
        for v in values:
            if v not in codes:
                chk.add(file, raw, [*path, op], f"{target.id} has no option '{v}'")


def default_form() -> Form:
    """The bundled face/voice questionnaire, loaded once per process."""
    return _cached_default()


@cache
def _cached_default() -> Form:
    # Checked in full only when the form files, the checks or the program changed (forms/cache.py).
    return form_cache.cached_form(forms_dir() / DEFAULT_FORM, load_form)
