"""`policy-qa corpus check [SLUG]`: every reference to a document, and the dangling ones.

A document is referred to from many files that nothing else ties together: tool parameters, clause rules and
coverage reasons (eligibility_tools/), routes and out-of-scope topics (assistant/), gold items (evals/gold/), tool
cases (tests/eligibility_tools/cases/) and clause ids written in code. Before a document is removed, renumbered,
amended or repealed, this lists them all, so nothing keeps citing a clause that is gone (or gone out of force)
without anyone noticing.

Levels: `error` — a clause id that does not exist (or a parameter quote no longer in its clause): the check fails;
`warning` — a reference to something repealed or amended on the as-of date, an out-of-scope topic whose pattern
matches the document's own text, a gold evidence string found nowhere; `ok` — listed only.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

from corpus.lifecycle import passages_overlap
from corpus.model import Corpus, Status

REPO_ROOT = Path(__file__).resolve().parents[1]
CODE_PACKAGES = ("eligibility_tools", "assistant", "indexing", "ui")
KINDS = ("文件清单", "参数", "条款规则", "覆盖理由", "工具用例", "路由", "拒答主题", "金标准", "代码")
_SQUASH = re.compile(r"\s+")
_NAME_RE = re.compile(r"""["']([a-z][a-z0-9_]+)["']""")
_REGISTER_RE = re.compile(r"""register\(\s*["']([a-z0-9_]+)["']""")


@dataclass(frozen=True)
class Reference:
    kind: str  # one of KINDS
    where: str  # file (relative to the repository) and the entry in it
    target: str  # a clause id, or a document slug
    slug: str  # the document the target belongs to
    level: str = "ok"  # ok | warning | error
    problem: str = ""  # Chinese, what is wrong and what to do


@dataclass
class CheckReport:
    as_of: date
    slug: str | None
    references: list[Reference] = field(default_factory=list)

    @property
    def errors(self) -> list[Reference]:
        return [r for r in self.references if r.level == "error"]

    @property
    def warnings(self) -> list[Reference]:
        return [r for r in self.references if r.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def by_document(self) -> dict[str, list[Reference]]:
        out: dict[str, list[Reference]] = {}
        for ref in self.references:
            out.setdefault(ref.slug, []).append(ref)
        return out

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "slug": self.slug, "ok": self.ok, "errors": len(self.errors),
                "warnings": len(self.warnings),
                "counts": {slug: dict(Counter(r.kind for r in refs)) for slug, refs in self.by_document().items()},
                "references": [asdict(r) for r in self.references]}


def _squash(text: str) -> str:
    return _SQUASH.sub("", text or "")


def _slug_of(target: str) -> str:
    return target.split("/", 1)[0]


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None


class _Checker:
    def __init__(self, corpus: Corpus, root: Path, as_of: date, errata: list[dict]):
        self.corpus = corpus
        self.root = root
        self.as_of = as_of
        self.errata = errata
        self.refs: list[Reference] = []
        self.tables = {t.id for t in corpus.tables}
        self.slugs = {d.slug for d in corpus.documents}

    # --- helpers ------------------------------------------------------------------------------------------
    def exists(self, target: str) -> bool:
        return target in self.corpus.clauses or target in self.tables

    def status_problem(self, target: str) -> str:
        """'' when in force (or merely expired / not yet: tools say so themselves); else the reason."""
        if target not in self.corpus.clauses:
            return ""
        return _short(self.corpus.in_force(target, self.as_of))

    def add_clause_ref(self, kind: str, where: str, target: str, missing_hint: str = "",
                       quotes: list[str] | None = None) -> None:
        """`quotes`: the passages the reference relies on; an amendment of another passage of the clause is fine."""
        if not self.exists(target):
            self.refs.append(Reference(kind, where, target, _slug_of(target), "error",
                                       f"条款 {target} 不存在{missing_hint}"))
            return
        problem = self.status_problem(target)
        if problem and quotes and target in self.corpus.clauses:
            status = self.corpus.in_force(target, self.as_of)
            if status.status == Status.amended and not any(passages_overlap(status.quote, q) for q in quotes):
                problem = ""
        self.refs.append(Reference(kind, where, target, _slug_of(target), "warning" if problem else "ok", problem))

    def files(self, folder: str, pattern: str) -> list[Path]:
        base = self.root / folder
        return sorted(base.glob(pattern)) if base.is_dir() else []

    # --- documents.yaml -----------------------------------------------------------------------------------
    def documents(self) -> None:
        for doc in self.corpus.documents:
            for a in doc.amends:
                self.refs.append(Reference("文件清单", f"corpus/documents.yaml: {doc.slug} amends", a.clause,
                                           _slug_of(a.clause), "ok", f"自{a.from_date.isoformat()}起由 {a.by} "
                                           + ("废止" if a.effect == "repealed" else "修改")))
            if doc.repealed_by:
                self.refs.append(Reference("文件清单", f"corpus/documents.yaml: {doc.slug} repealed_by", doc.slug, doc.slug,
                                           "ok", f"自{doc.repealed_on.isoformat()}起废止，依据 {doc.repealed_by}"))

    # --- eligibility_tools ---------------------------------------------------------------------------------
    def parameters(self) -> dict[str, set[str]]:
        """Parameter references; returns parameter name -> slugs (for the tools that read them).

        Read here from the YAML itself (corpus does not import eligibility_tools); the same rules as
        `eligibility_tools.params.Parameter.check_source`: repealed, or amended before the version was written."""
        by_name: dict[str, set[str]] = {}
        for path in self.files("eligibility_tools/parameters", "*.yaml"):
            data = _yaml(path)
            rel = _rel(path, self.root)
            if not isinstance(data, dict):
                self.refs.append(Reference("参数", rel, rel, "", "error", "参数文件不是有效的 YAML 映射"))
                continue
            for name, entry in data.items():
                versions = _parameter_versions(entry)
                for v in versions:
                    if not v["clause_id"]:
                        continue
                    by_name.setdefault(name, set()).add(_slug_of(v["clause_id"]))
                    span = "" if not (v["valid_from"] or v["valid_until"]) else (
                        f"（{v['valid_from'] or '…'} 至 {v['valid_until'] or '…'}）")
                    where = f"{rel}: {name}{span}"
                    target = v["clause_id"]
                    if not self.exists(target):
                        self.add_clause_ref("参数", where, target, "：工具运行时会报错，请改为现有条款或删除该参数")
                        continue
                    if v["quote"] and _squash(v["quote"]) not in _squash(self.corpus.full_text(target)):
                        self.refs.append(Reference("参数", where, target, _slug_of(target), "error",
                                                   "quote 不在所引条款的原文中：条文已改动或引错了条款"))
                        continue
                    problem = ""
                    if not (v["valid_until"] and v["valid_until"] <= self.as_of):  # a version for the past is fine
                        day = max(self.as_of, v["valid_from"] or self.as_of)
                        status = self.corpus.in_force(target, day)
                        reviewed = v["valid_from"] is not None and status.since is not None and v["valid_from"] >= status.since
                        hit = passages_overlap(status.quote, v["quote"])
                        if status.status == Status.repealed or (status.status == Status.amended and not reviewed and hit):
                            problem = (f"{_short(status)}：工具会拒绝按它计算"
                                       + ("；请新增 versions: 条目引用修改后的条款" if status.status == Status.amended else ""))
                    self.refs.append(Reference("参数", where, target, _slug_of(target), "warning" if problem else "ok", problem))
                self._unregistered_amendments(rel, name, versions)
        return by_name

    def _unregistered_amendments(self, rel: str, name: str, versions) -> None:
        """A new parameter version citing another clause from a date: the old clause is superseded, which
        documents.yaml should say (`amends:`), or answers quoting the old clause will not say it changed."""
        for old, new in zip(versions, versions[1:], strict=False):
            before, after, start = old["clause_id"], new["clause_id"] or new["external"], new["valid_from"]
            if not (before and after and before != after and start):
                continue
            if before not in self.corpus.clauses or (new["clause_id"] and after not in self.corpus.clauses):
                continue
            if any(a.from_date <= start for a in self.corpus.amendments_of(before)):
                continue
            if self.corpus.document(_slug_of(before)).repealed_on:
                continue
            self.refs.append(Reference(
                "参数", f"{rel}: {name}", before, _slug_of(before), "warning",
                f"自{start.isoformat()}起参数改引 {after}，但 corpus/documents.yaml 没有登记 "
                f"amends: [{{clause: {before}, by: {after}, from: {start.isoformat()}}}]，"
                "回答引用原条款时不会提示它已被修改"))

    def clause_rules(self) -> None:
        for path in self.files("eligibility_tools/inventory/rules", "*.yaml"):
            rel = _rel(path, self.root)
            for raw in _yaml(path) or []:
                if not isinstance(raw, dict) or not raw.get("clause"):
                    continue
                where = f"{rel}: {raw.get('id')}"
                quotes = {str(raw["clause"]): [str(raw.get("quote") or "")]}
                for p in (raw.get("params") or {}).values():
                    if isinstance(p, dict):
                        quotes.setdefault(str(p.get("clause") or raw["clause"]), []).append(str(p.get("quote") or ""))
                targets = [*quotes, *(str(c) for c in raw.get("also_cites") or [])]
                for target in dict.fromkeys(targets):
                    self.add_clause_ref("条款规则", where, target, quotes=quotes.get(target))

    def coverage_reasons(self) -> None:
        for path in self.files("eligibility_tools/inventory/coverage", "*.yaml"):
            rel = _rel(path, self.root)
            for target in (_yaml(path) or {}):
                self.add_clause_ref("覆盖理由", f"{rel}: {target}", str(target))

    def tool_cases(self) -> dict[str, set[str]]:
        """Clause ids in tool cases; returns tool name -> slugs its cases cite."""
        by_tool: dict[str, set[str]] = {}
        for path in self.files("tests/eligibility_tools/cases", "*.yaml"):
            rel = _rel(path, self.root)
            data = _yaml(path) or []
            cases = data.get("cases", []) if isinstance(data, dict) else data
            for case in cases:
                if not isinstance(case, dict):
                    continue
                expected = case.get("expected") or {}
                where = f"{rel}: {case.get('name', '')}"
                for key in ("cites", "cites_first", "not_cites"):
                    for target in expected.get(key) or []:
                        by_tool.setdefault(str(case.get("tool")), set()).add(_slug_of(str(target)))
                        self.add_clause_ref("工具用例", where, str(target))
        return by_tool

    # --- code ---------------------------------------------------------------------------------------------
    def code(self, slugs: set[str], param_slugs: dict[str, set[str]]) -> dict[str, set[str]]:
        """Clause ids written in code (rules/*.py, assistant …); returns tool name -> slugs its module reads."""
        if not slugs:
            return {}
        id_re = re.compile(r"(?<![\w/-])(" + "|".join(sorted(map(re.escape, slugs), key=len, reverse=True))
                           + r")((?:/[a-z0-9][a-z0-9-]*)+)")
        by_tool: dict[str, set[str]] = {}
        for package in CODE_PACKAGES:
            for path in self.files(package, "**/*.py"):
                text = path.read_text(encoding="utf-8")
                rel = _rel(path, self.root)
                found: set[str] = set()
                for m in id_re.finditer(text):
                    target = m.group(0)
                    if target in found:
                        continue
                    found.add(target)
                    line = text.count("\n", 0, m.start()) + 1
                    self.add_clause_ref("代码", f"{rel}:{line}", target, "：请修改代码中的条款编号")
                tools = _REGISTER_RE.findall(text)
                if tools:
                    module_slugs = {_slug_of(t) for t in found}
                    for name in _NAME_RE.findall(text):
                        module_slugs |= param_slugs.get(name, set())
                    for tool in tools:
                        by_tool.setdefault(tool, set()).update(module_slugs)
        return by_tool

    # --- assistant ----------------------------------------------------------------------------------------
    def routes(self, tool_slugs: dict[str, set[str]]) -> None:
        path = self.root / "assistant" / "routes.yaml"
        data = _yaml(path) if path.exists() else None
        for intent, spec in ((data or {}).get("intents") or {}).items():
            for tool in (spec or {}).get("tools") or []:
                for slug in sorted(tool_slugs.get(tool, set())):
                    doc = next((d for d in self.corpus.documents if d.slug == slug), None)
                    problem = ""
                    if doc is None:
                        problem = f"工具 {tool} 读取的文件 {slug} 不在语料中"
                    elif doc.repealed_on and self.as_of >= doc.repealed_on:
                        problem = f"路由仍把问题交给工具 {tool}，而它依据的《{doc.title}》已于{doc.repealed_on.isoformat()}废止"
                    self.refs.append(Reference("路由", f"{_rel(path, self.root)}: intents.{intent} → {tool}", slug, slug,
                                               "warning" if problem else "ok", problem))

    def abstain_topics(self) -> None:
        """Out-of-scope topics whose patterns match a document's own text would refuse questions it answers."""
        path = self.root / "assistant" / "abstain.yaml"
        data = _yaml(path) if path.exists() else None
        flat = {cid: _squash(c.text) for cid, c in self.corpus.clauses.items()}
        for topic in (data or {}).get("topics") or []:
            for pattern in topic.get("patterns") or []:
                try:
                    regex = re.compile(pattern)
                except re.error:
                    continue
                hits = [cid for cid, text in flat.items() if regex.search(text)]
                for slug in dict.fromkeys(_slug_of(h) for h in hits):
                    first = next(h for h in hits if _slug_of(h) == slug)
                    known = bool(topic.get("mentioned_as"))
                    problem = "" if known else (
                        f"拒答主题“{topic.get('name')}”的模式“{pattern}”匹配本文件条款 {first} 的原文：问这份文件的问题可能被拒答；"
                        "请收窄模式，或写 mentioned_as 说明汇编只提到而未规定")
                    self.refs.append(Reference("拒答主题", f"{_rel(path, self.root)}: {topic.get('name')}", first, slug,
                                               "warning" if problem else "ok", problem))

    # --- evals --------------------------------------------------------------------------------------------
    def gold(self) -> None:
        texts = {cid: _squash(c.text) for cid, c in self.corpus.clauses.items()}
        titles = {d.slug: _squash(d.title) for d in self.corpus.documents}
        for path in self.files("evals/gold", "*.jsonl"):
            rel = _rel(path, self.root)
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    continue
                where = f"{rel}:{n} ({item.get('id')})"
                found: dict[str, str] = {}
                unmatched = []
                for evidence in item.get("evidence") or []:
                    hit = self._evidence_clause(str(evidence), texts)
                    if hit:
                        found.setdefault(_slug_of(hit), hit)
                    else:
                        unmatched.append(str(evidence))
                if not found:
                    for title in re.split(r"[；;]", item.get("doc") or ""):
                        slug = self._title_slug(_squash(title), titles)
                        if slug:
                            found.setdefault(slug, slug)
                for slug, target in found.items():
                    problem = self.status_problem(target) if target in self.corpus.clauses else ""
                    self.refs.append(Reference("金标准", where, target, slug, "warning" if problem else "ok", problem))
                for evidence in unmatched:
                    self.refs.append(Reference("金标准", where, evidence[:40], next(iter(found), ""), "warning",
                                               "evidence 原文在任何条款中都找不到（条文已改动，或 evidence 有误）"))

    def _evidence_clause(self, evidence: str, texts: dict[str, str]) -> str | None:
        for fix in self.errata:
            evidence = evidence.replace(fix["original"], fix["corrected"])
        parts = [_squash(p) for p in evidence.split("\t")] if "\t" in evidence else [_squash(evidence)]
        parts = [p for p in parts if p]
        if not parts:
            return None
        return next((cid for cid, text in texts.items() if all(p in text for p in parts)), None)

    @staticmethod
    def _title_slug(title: str, titles: dict[str, str]) -> str | None:
        if not title:
            return None
        best = max(titles, key=lambda s: difflib.SequenceMatcher(None, title, titles[s]).ratio())
        return best if difflib.SequenceMatcher(None, title, titles[best]).ratio() >= 0.6 else None


def _short(status) -> str:
    """'' unless repealed or amended: "文件已于2025-01-01废止（依据 …）" / "自2024-07-01起由 … 修改"."""
    by = f"（依据 {status.by}）" if status.by else ""
    if status.status == Status.repealed:
        what = "文件" if status.decided_by == status.clause_id.split("/", 1)[0] else "条款"
        return f"{what}已于{status.since.isoformat()}废止{by}"
    if status.status == Status.amended:
        return f"自{status.since.isoformat()}起由 {status.by} 修改"
    return ""


def _parameter_versions(entry) -> list[dict]:
    """{clause_id, quote, valid_from, valid_until} of each version of a parameters/*.yaml entry, earliest first."""
    if not isinstance(entry, dict):
        return []
    out = []
    for version in entry.get("versions") or [entry]:
        if not isinstance(version, dict):
            continue
        source = version.get("source") or entry.get("source") or {}
        out.append({"clause_id": source.get("clause_id"), "quote": source.get("quote"), "external": source.get("external"),
                    "valid_from": _day(version.get("valid_from", entry.get("valid_from"))),
                    "valid_until": _day(version.get("valid_until", entry.get("valid_until")))})
    return sorted(out, key=lambda v: v["valid_from"] or date.min)


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def check_references(corpus: Corpus, slug: str | None = None, *, root: Path | None = None, as_of: date | None = None,
                     errata: list[dict] | None = None) -> CheckReport:
    """Every reference to `slug` (or to every document) under the repository `root`; see the module docstring."""
    from corpus.parser import load_errata

    checker = _Checker(corpus, Path(root) if root else REPO_ROOT, as_of or date.today(),
                       load_errata() if errata is None else errata)
    checker.documents()
    param_slugs = checker.parameters()
    checker.clause_rules()
    checker.coverage_reasons()
    case_tools = checker.tool_cases()
    slugs = checker.slugs | {r.slug for r in checker.refs if r.slug} | ({slug} if slug else set())
    code_tools = checker.code(slugs, param_slugs)
    tool_slugs = {t: case_tools.get(t, set()) | code_tools.get(t, set()) for t in {*case_tools, *code_tools}}
    checker.routes(tool_slugs)
    checker.abstain_topics()
    checker.gold()
    refs = checker.refs
    if slug:
        refs = [r for r in refs if r.slug == slug]
    order = {k: i for i, k in enumerate(KINDS)}
    refs.sort(key=lambda r: (r.slug, order.get(r.kind, 99), r.where))
    return CheckReport(as_of=checker.as_of, slug=slug, references=refs)
