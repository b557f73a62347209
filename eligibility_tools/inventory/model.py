"""Clause rules as data: the conditions, prohibitions and figures of the compilation, one YAML entry per rule.

Every clause that states a condition, a prohibition or a figure is either applied by a dedicated tool
(`eligibility_tools/rules/*.py`) or by an entry here (`rules/<document>.yaml`), or listed in `coverage/<document>.yaml` with the
reason nothing applies it. An entry quotes its clause verbatim (a test checks it), says when the question is about
it (`about`: every pattern must match the normalised question), and holds either conditions (three-valued: met,
unmet, unknown — an unknown never silently becomes unmet) or formulas over the user's quantities and the clause's
own figures (`params`, each quoted). See docs/RULES.md for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import CorpusError

RULES_DIR = Path(__file__).resolve().parent / "rules"
KINDS = ("permission", "requirement", "prohibition", "formula")
OPS = (">=", ">", "<=", "<", "==", "!=")
CONDITION_KINDS = ("quantity", "choice", "statement")
ROUNDING = ("floor", "ceil", "round", "money", "none")
# Facts the assistant extracts from every question (assistant.slots / assistant.facts); a `choice` condition reads one.
CHOICE_FACTS = ("education", "full_time", "unit_type", "workplace_level", "jurisdiction", "current_title", "target_title",
                "district", "contest_kind", "incubator_level", "incubator_type", "series", "employer_kind")


@dataclass(frozen=True)
class Param:
    """A figure of the clause: `value` in `unit` (a percentage is written 60 with unit %), quoted verbatim."""

    name: str
    value: Decimal
    unit: str
    quote: str
    clause: str

    @property
    def number(self) -> Decimal:
        """The value used in arithmetic: 60 % -> 0.6."""
        return self.value / 100 if self.unit == "%" else self.value

    @property
    def display(self) -> str:
        return f"{_plain(self.value)}{self.unit}" if self.unit in ("%", "元", "人", "个", "年", "月", "课时", "户", "项", "分", "级") else _plain(self.value)


@dataclass(frozen=True)
class Condition:
    """One condition of a rule. `kind`:

    - quantity: a stated quantity (bound by `unit` and `cues`) compared with `value` (or another input `than`);
    - choice: one of the extracted facts (`fact`) must be in `allowed` (or not in `excluded`);
    - statement: a yes/no fact recognised by patterns (`holds` / `fails`; `pending` = not yet, will be later).
    `grows`: when unmet today, time alone can meet it (the verdict is "not yet", with the gap).
    """

    name: str
    label: str
    kind: str
    ask: str
    unit: str = ""
    op: str = ">="
    value: Decimal | None = None
    than: str | None = None  # compare with another input of the rule instead of a fixed value
    cues: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    grows: bool = False
    fact: str | None = None
    allowed: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    holds: tuple[str, ...] = ()
    fails: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    default: bool | None = None  # a statement nobody mentions is taken as this (e.g. "no major change") — say so in `label`
    optional: bool = False  # an input that is used when given and never asked for
    by_fact: str | None = None  # `value_by`: the threshold depends on this extracted fact (本科满5年、专科满8年)
    by_values: tuple[tuple[str, Decimal], ...] = ()
    by_ask: str = ""

    def threshold_for(self, fact_value: str) -> Decimal | None:
        """The threshold for a value of `by_fact` (prefix match: 村 -> 村（嘎查）); None when the value has none."""
        for key, value in self.by_values:
            if fact_value == key or fact_value.startswith(key) or key.startswith(fact_value):
                return value
        return None

    def threshold_text(self) -> str:
        if self.value is None:
            return ""
        return f"{_plain(self.value)}{self.unit}"


@dataclass(frozen=True)
class Output:
    """A computed figure: `expr` over inputs and params (+ - * / min max floor ceil), shown with `show`."""

    name: str
    label: str
    expr: str
    unit: str = ""
    rounding: str = "none"
    show: str = ""  # template with {names} of inputs, params and earlier outputs; empty: "label＝value"


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    document: str  # the YAML file's stem (document slug)
    kind: str
    quote: str
    about: tuple[str, ...]
    subject: str
    yes: str = ""
    no: str = ""
    conditions: tuple[Condition, ...] = ()
    exceptions: tuple[Condition, ...] = ()
    params: dict[str, Param] = field(default_factory=dict)
    inputs: tuple[Condition, ...] = ()  # formula inputs (quantity conditions without a threshold)
    outputs: tuple[Output, ...] = ()
    each: str | None = None  # formula input that may be stated several times (one result per value, then the total)
    also_cites: tuple[str, ...] = ()
    note: str = ""
    tests: tuple[dict[str, Any], ...] = ()

    @property
    def about_res(self) -> tuple[re.Pattern[str], ...]:
        return _compiled(self.about)


@lru_cache(maxsize=4096)
def _compiled_one(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(_compiled_one(p) for p in patterns)


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _decimal(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except Exception as err:  # noqa: BLE001 - any bad literal is a data error
        raise CorpusError(f"{where}：数值“{value}”无效") from err


def _condition(raw: dict[str, Any], where: str, *, needs_threshold: bool = True) -> Condition:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}：条件应为映射（name/label/kind …）")
    unknown = set(raw) - {"name", "label", "kind", "ask", "unit", "op", "value", "than", "cues", "avoid", "grows", "fact", "allowed",
                          "excluded", "holds", "fails", "pending", "default", "optional", "value_by"}
    if unknown:
        raise CorpusError(f"{where}：未知字段 {sorted(unknown)}")
    kind = raw.get("kind", "quantity")
    if kind not in CONDITION_KINDS:
        raise CorpusError(f"{where}：kind 应为 {CONDITION_KINDS} 之一，实际为 {kind!r}")
    for key in ("name", "label"):
        if not raw.get(key):
            raise CorpusError(f"{where}：缺少 {key}")
    op = str(raw.get("op", ">="))
    if op not in OPS:
        raise CorpusError(f"{where}：op 应为 {OPS} 之一")
    by = raw.get("value_by") or {}
    if by and (by.get("fact") not in CHOICE_FACTS or not isinstance(by.get("values"), dict) or not by.get("ask")):
        raise CorpusError(f"{where}：value_by 须写 fact（{CHOICE_FACTS} 之一）、values（取值 -> 阈值）和 ask")
    cond = Condition(name=str(raw["name"]), label=str(raw["label"]), kind=kind, ask=str(raw.get("ask") or ""), unit=str(raw.get("unit") or ""),
                     op=op, value=_decimal(raw.get("value"), where), than=raw.get("than"), cues=_tuple(raw.get("cues")),
                     avoid=_tuple(raw.get("avoid")), grows=bool(raw.get("grows", False)), fact=raw.get("fact"),
                     allowed=_tuple(raw.get("allowed")), excluded=_tuple(raw.get("excluded")), holds=_tuple(raw.get("holds")),
                     fails=_tuple(raw.get("fails")), pending=_tuple(raw.get("pending")), default=raw.get("default"),
                     optional=bool(raw.get("optional", False)), by_fact=by.get("fact"),
                     by_values=tuple((str(k), _decimal(v, where)) for k, v in (by.get("values") or {}).items()),
                     by_ask=str(by.get("ask") or ""))
    if kind == "quantity":
        if not cond.unit:
            raise CorpusError(f"{where}：数量条件须写 unit（如 年、人、元、%）")
        if needs_threshold and cond.value is None and cond.than is None and not cond.by_fact:
            raise CorpusError(f"{where}：数量条件须写 value（阈值）、value_by（随学历等事实而定的阈值）或 than（与哪个输入比较）")
    elif kind == "choice":
        if cond.fact not in CHOICE_FACTS:
            raise CorpusError(f"{where}：choice 条件的 fact 应为 {CHOICE_FACTS} 之一")
        if not cond.allowed and not cond.excluded:
            raise CorpusError(f"{where}：choice 条件须写 allowed 或 excluded")
    elif not cond.holds and not cond.fails and not cond.pending:
        raise CorpusError(f"{where}：statement 条件须写 holds / fails / pending 中的至少一项")
    for pattern in cond.holds + cond.fails + cond.pending:
        try:
            re.compile(pattern)
        except re.error as err:
            raise CorpusError(f"{where}：正则“{pattern}”无效：{err}") from err
    if not cond.ask and not cond.optional and cond.default is None:
        raise CorpusError(f"{where}：条件 {cond.name} 须写 ask（缺少这一事实时向用户提的问题）")
    return cond


def _rule(raw: dict[str, Any], document: str, where: str) -> Rule:
    allowed_keys = {"id", "clause", "kind", "quote", "about", "subject", "yes_text", "no_text", "conditions", "exceptions", "params", "inputs",
                    "outputs", "each", "also_cites", "note", "tests"}
    unknown = set(raw) - allowed_keys
    if unknown:
        raise CorpusError(f"{where}：未知字段 {sorted(unknown)}")
    for key in ("id", "clause", "kind", "quote", "about", "subject"):
        if not raw.get(key):
            raise CorpusError(f"{where}：缺少 {key}")
    kind = raw["kind"]
    if kind not in KINDS:
        raise CorpusError(f"{where}：kind 应为 {KINDS} 之一，实际为 {kind!r}")
    where = f"{where}（{raw['id']}）"
    params = {}
    for name, p in (raw.get("params") or {}).items():
        if not isinstance(p, dict) or "value" not in p or not p.get("quote"):
            raise CorpusError(f"{where}：参数 {name} 须写 value 与 quote")
        params[name] = Param(name=name, value=_decimal(p["value"], where), unit=str(p.get("unit") or ""), quote=str(p["quote"]),
                             clause=str(p.get("clause") or raw["clause"]))
    conditions = tuple(_condition(c, f"{where} 条件{i + 1}") for i, c in enumerate(raw.get("conditions") or []))
    exceptions = tuple(_condition(c, f"{where} 例外{i + 1}") for i, c in enumerate(raw.get("exceptions") or []))
    inputs = tuple(_condition(c, f"{where} 输入{i + 1}", needs_threshold=False) for i, c in enumerate(raw.get("inputs") or []))
    outputs = []
    for i, o in enumerate(raw.get("outputs") or []):
        if not isinstance(o, dict) or not o.get("name") or not o.get("expr") or not o.get("label"):
            raise CorpusError(f"{where} 输出{i + 1}：须写 name、label、expr")
        rounding = o.get("rounding", "none")
        if rounding not in ROUNDING:
            raise CorpusError(f"{where} 输出{i + 1}：rounding 应为 {ROUNDING} 之一")
        outputs.append(Output(name=o["name"], label=o["label"], expr=str(o["expr"]), unit=str(o.get("unit") or ""), rounding=rounding,
                              show=str(o.get("show") or "")))
    if kind == "formula" and not outputs:
        raise CorpusError(f"{where}：formula 规则须写 outputs")
    if kind != "formula" and not conditions and kind != "prohibition":
        # a permission with no condition is a plain statement ("非全日制与全日制享有同等待遇"): allowed
        pass
    names = [c.name for c in conditions + exceptions + inputs]
    if len(names) != len(set(names)):
        raise CorpusError(f"{where}：条件/输入名称重复")
    rule = Rule(id=str(raw["id"]), clause=str(raw["clause"]), document=document, kind=kind, quote=str(raw["quote"]),
                about=_tuple(raw["about"]), subject=str(raw["subject"]), yes=str(raw.get("yes_text") or ""), no=str(raw.get("no_text") or ""),
                conditions=conditions, exceptions=exceptions, params=params, inputs=inputs, outputs=tuple(outputs),
                each=raw.get("each"), also_cites=_tuple(raw.get("also_cites")), note=str(raw.get("note") or ""),
                tests=tuple(raw.get("tests") or ()))
    for pattern in rule.about:
        try:
            re.compile(pattern)
        except re.error as err:
            raise CorpusError(f"{where}：about 正则“{pattern}”无效：{err}") from err
    from eligibility_tools.inventory.expressions import check_expression

    known = set(params) | {c.name for c in inputs + conditions}
    for out in rule.outputs:
        check_expression(out.expr, known, where=f"{where} 输出 {out.name}")
        known.add(out.name)
    return rule


@lru_cache(maxsize=1)
def load_rules(directory: str | None = None) -> dict[str, Rule]:
    """Every rule of `rules/*.yaml`, by id (CorpusError naming file and entry on any problem)."""
    base = Path(directory) if directory else RULES_DIR
    rules: dict[str, Rule] = {}
    for path in sorted(base.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise CorpusError(f"{path.name}：应为规则列表")
        for i, raw in enumerate(data):
            rule = _rule(raw, path.stem, f"{path.name} 第{i + 1}条")
            if rule.id in rules:
                raise CorpusError(f"{path.name}：规则 id “{rule.id}” 重复")
            rules[rule.id] = rule
    return rules
