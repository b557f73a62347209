"""Quantities validated before any tool runs: a sign the user typed is kept, and a number no tool accepts is named.

Understanding is layered (STYLE.md): typed quantities (`assistant.quantities`, which reads −, -, －, 负) → bound to a
tool's schema (`assistant.tool_calls` builders) → decide. This module sits between binding and deciding. A question
that states a negative quantity ("招了-1个学徒", "第-1名", "面积-0.0平方米") or one outside what the tool's schema
accepts (10^40 posts, an age of 300) is answered with one Chinese sentence naming it — "学徒人数不能是负数，请检查您
输入的数字", "岗位数应为1到100000之间的整数" — and nothing is computed: neither from the number nor from its absolute
value. The bounds are the tools' own (`eligibility_tools/bounds.py`, read through each input model), so the chat, the
calculator form and the LLM agent reject the same numbers with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.quantities import Quantity, extract_quantities, sign_start

CHECK_MORE = "请检查您输入的数字。"

# What a stated quantity counts, by the role `assistant.slots` gives it (the words around it), then by its unit.
_NOUN_BY_SLOT = {
    "apprentices": "学徒人数", "trainees": "培训人数", "hires": "招用人数", "staff": "职工人数", "jobs": "吸纳就业人数",
    "disabled": "残疾人人数", "veterans": "退役士兵人数", "participants": "参赛人数", "people": "人数", "posts_total": "岗位数",
    "tenants": "入驻实体户数", "livestock": "存栏量", "area_mu": "面积", "area_m2": "面积", "hours": "课时数",
    "taxable_income": "应纳税所得额", "tax_due": "应纳税额", "monthly_sales": "月销售额", "amount": "金额", "success_rate": "成功率",
    "ratio": "比例", "score": "成绩", "rank": "名次", "projects": "项目数", "age": "年龄", "retirement_age": "退休年龄",
    "years_to_retirement": "距退休的年数", "train_years": "培养年限", "contract_years": "合同年限", "months_in_new_post": "在新岗位的时间",
    "years_in_new_post": "在新岗位的时间", "years_operating": "经营年限", "years_since_graduation": "毕业年限", "months_work": "工作时间",
    "years_work": "工作年限", "calendar_year": "年份",
}
_NOUN_BY_UNIT = {
    "人": "人数", "名": "人数", "人次": "人次", "个": "数量", "户": "户数", "家": "家数", "项": "项目数", "项目": "项目数", "元": "金额",
    "%": "比例", "年": "年限", "月": "月数", "周": "周数", "天": "天数", "工作日": "天数", "岁": "年龄", "课时": "课时数", "小时": "小时数",
    "平方米": "面积", "亩": "面积", "只": "存栏量", "分": "分数", "级": "等级", "次": "次数", "篇": "篇数", "份": "份数", "倍": "倍数",
    "期": "期数", "年份": "年份",
}
_POSTS_NEAR = re.compile(r"岗位|职数|编制")
_RANGE_ERRORS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than", "int_parsing_size")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class QuantityProblem:
    """One stated quantity no tool may compute with: what it counts, the sentence that says why, what to ask."""

    noun: str
    message: str
    question: str

    def contract(self) -> dict[str, Any]:
        """The answer (the contract's fields the assistant fills): the problem stated, the corrected number asked for."""
        return {"status": "needs_more_info", "answer": self.message, "citations": [], "tool_calls": [], "warnings": [],
                "follow_up_questions": [self.question], "quantity_problem": self.noun}


def quantity_problem(question: str, slots: Any = None, planned: Iterable[tuple[str, Any, dict[str, Any]]] = (),
                     tools: dict[str, Any] | None = None) -> QuantityProblem | None:
    """The first negative or out-of-range quantity of a question, or None when every stated number may be used.

    `slots`: the question's `assistant.slots.Slots` (the roles of its numbers); `planned`: the builders' arguments
    (tool name, tool spec or input model, arguments) the question would run, checked against each tool's schema;
    `tools`: the registry, to name a negative number by the tool field it would have filled ("课时补贴标准不能是负数").
    """
    typed = extract_quantities(question)
    return (_negative(question, typed, slots, tools) or _out_of_schema(_stated(question, typed), planned)
            or _absurd(question, typed, slots, tools))


def _stated(text: str, typed: list[Quantity]) -> set[Decimal]:
    """The numbers the question states: its quantities (in their unit, 万 applied) and its bare numbers. A calendar
    year is a date, not an amount ("2023年一共" read as 2023 years by a builder is the builder's guess, not the user's)."""
    out = {abs(q.value) for q in typed if q.unit != "年份"}
    spans = [(q.start, q.end) for q in typed]
    out |= {Decimal(m.group(0)) for m in _DIGITS.finditer(text) if not any(s <= m.start() < e for s, e in spans)}
    return out


def _negative(text: str, typed: list[Quantity], slots: Any, tools: dict[str, Any] | None) -> QuantityProblem | None:
    for q in typed:
        if q.negative:
            noun, rule = _field_of(text, q, tools) if tools else ("", "")
            noun = noun or noun_of(q, slots)
            rule = rule or _unit_rule(q)
            return QuantityProblem(noun, f"{noun}不能是负数{'，' + rule if rule else ''}，{CHECK_MORE}", f"请问{noun}是多少？")
    spans = [(q.start, q.end) for q in typed]
    for m in _DIGITS.finditer(text):  # a bare number with a sign ("领导职数-3"): no unit, still never a count
        if sign_start(text, m.start()) is not None and not any(s <= m.start() < e for s, e in spans):
            return QuantityProblem("数字", f"问题中的数字不能是负数，{CHECK_MORE}", "请问正确的数字是多少？")
    return None


def _unit_rule(q: Quantity) -> str:
    """"应为0到1000万平方米之间的数" from the sanity bound of the quantity's unit (bounds.UNIT_BOUNDS); "" without one."""
    from eligibility_tools.bounds import shown, unit_bound

    bound = unit_bound(q.unit)
    if bound is None or q.unit == "年份":
        return ""
    low = max(bound[1], Decimal(1)) if q.ordinal else bound[1]
    unit = "" if q.unit in ("%", "级", "名") else q.unit
    return f"应为{shown(low)}到{shown(bound[2])}{unit}之间的{'整数' if q.ordinal else '数'}"


_PROBE = 37  # a sane stand-in for the stated number, to find which tool field it fills (rarely a number of its own)


def _field_of(text: str, q: Quantity, tools: dict[str, Any]) -> tuple[str, str]:
    """The Chinese label of the tool field a stated number fills, and the range its schema accepts ("学徒人数",
    "应为1到100000之间的整数"): the question is planned with a sane number in its place (its unit kept), and the field
    that receives it is read from the plan. Nothing runs. ("", "") when no planned tool takes it."""
    from assistant.quantities import extract_quantities as typed
    from assistant.router import route
    from assistant.slots import extract_slots
    from assistant.tool_calls import normalised_arguments, planned_arguments
    from eligibility_tools.registry import field_info, field_label, range_message

    unit = q.word if q.word and q.text.endswith(q.word) else ""
    probe_text = text[:q.start] + f"{_PROBE}{unit}" + text[q.end:]
    probe = next((p for p in typed(probe_text) if p.start == q.start), None)
    if probe is None:
        return "", ""
    slots = extract_slots(probe_text)
    for _name, spec, args in planned_arguments(route(probe_text, slots), probe_text, tools):
        model = getattr(spec, "input_model", spec)
        for key, value in normalised_arguments(model, args).items():
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool) and Decimal(str(value)) == probe.value:
                return field_label(model, (key,)), range_message(field_info(model, (key,))).rstrip("。")
    return "", ""


def noun_of(q: Quantity, slots: Any = None) -> str:
    """What a quantity counts, in the user's words: 学徒人数, 岗位数, 名次, 面积 …"""
    if q.ordinal and q.unit == "名":
        return "名次"
    for tagged in getattr(slots, "quantities", None) or ():
        if tagged.start == q.start and tagged.slot in _NOUN_BY_SLOT:
            return _NOUN_BY_SLOT[tagged.slot]
    if "学徒" in q.word or "学徒" in q.after[:3]:
        return "学徒人数"
    if q.unit == "个" and (_POSTS_NEAR.search(q.before[-8:]) or "岗位" in q.word or q.after.startswith("岗位")):
        return "岗位数"
    return _NOUN_BY_UNIT.get(q.unit, "数字")


def _out_of_schema(stated: set[Decimal], planned: Iterable[tuple[str, Any, dict[str, Any]]]) -> QuantityProblem | None:
    """An argument the question states that its tool's schema rejects as out of range. A value the builder derived
    (a difference of two dates, a guess) is not the user's number: `adapt_arguments` drops it and the tool asks."""
    from pydantic import ValidationError

    from assistant.tool_calls import normalised_arguments
    from eligibility_tools.registry import explain, field_info, field_label, range_message

    for _name, spec, args in planned:
        model = getattr(spec, "input_model", spec)
        values = normalised_arguments(model, args)
        try:
            model.model_validate(values)
            continue
        except ValidationError as err:
            errors = err.errors()
        for error in errors:
            if error["type"] not in _RANGE_ERRORS or not error.get("loc"):
                continue
            if not _is_stated(error.get("input"), stated):
                continue
            if _short_of_a_minimum(error):
                continue  # "才学了半年" under a 1-year floor: a fact the rule weighs, not a mistyped number
            info = field_info(model, error["loc"])
            noun = field_label(model, error["loc"])
            rule = range_message(info) or explain(error, info)
            return QuantityProblem(noun, f"{noun}{rule.rstrip('。')}，{CHECK_MORE}", f"请问{noun}是多少？")
    return None


def _short_of_a_minimum(error: dict) -> bool:
    """A positive value below a field's positive minimum (0.5 years where the schema starts at 1): the tool cannot
    take it (`adapt_arguments` drops it), but the question is sound and other rules may answer it."""
    if error["type"] not in ("greater_than_equal", "greater_than"):
        return False
    try:
        value = Decimal(str(error.get("input")))
        floor = Decimal(str((error.get("ctx") or {}).get("ge", (error.get("ctx") or {}).get("gt"))))
    except (ArithmeticError, ValueError):
        return False
    return 0 < value < floor


def _is_stated(value: Any, stated: set[Decimal]) -> bool:
    try:
        return abs(Decimal(str(value))) in stated
    except (ArithmeticError, ValueError):
        return False


def _absurd(question: str, typed: list[Quantity], slots: Any, tools: dict[str, Any] | None) -> QuantityProblem | None:
    """A quantity larger than anything any tool or clause rule accepts in its unit (bounds.UNIT_BOUNDS), which no
    builder bound (so the schema check above did not see it): named by the tool field it would fill and that field's
    own bounds when a planned tool takes it ("岗位数应为1到100000之间的整数"), else by its unit's bound."""
    from eligibility_tools.bounds import shown, unit_bound

    for q in typed:
        bound = unit_bound(q.unit)
        if bound is None or q.unit == "年份" or q.value <= bound[2]:
            continue
        noun, rule = _field_of(question, q, tools) if tools else ("", "")
        if rule:
            return QuantityProblem(noun, f"{noun}{rule}，{CHECK_MORE}", f"请问{noun}是多少？")
        noun = noun or noun_of(q, slots)
        unit = "" if q.unit in ("%", "级") else q.unit
        return QuantityProblem(noun, f"{noun}应为{shown(bound[1])}到{shown(bound[2])}{unit}之间的数，{CHECK_MORE}", f"请问{noun}是多少？")
    return None
