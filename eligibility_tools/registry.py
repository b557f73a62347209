"""The one list of tools: the CLI, the UI forms and the LLM agent all read it.

A tool is a pure function `(inputs: <pydantic model>, as_of: date) -> ToolResult`; its docstring's
first line is the description an LLM sees, its input model's Chinese field descriptions are the
form labels a user sees.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from corpus.errors import ClauseNotInForceError, DanglingReferenceError, ToolInputError, UnknownToolError
from eligibility_tools.base import Outcome, ToolResult
from eligibility_tools.bounds import shown

RULES_PACKAGE = "eligibility_tools.rules"
# Modules under rules/ that hold helpers, not tools (importing them registers nothing).
HELPER_MODULES = {"common"}


@dataclass(frozen=True)
class Triggers:
    """The words and clauses that make the assistant consider a tool: data, next to the tool's schema.

    `intent` is a router intent: one of `assistant/routes.yaml` (the tool joins it) or a new one (then `label` names
    it). Words count as in routes.yaml (`strong` two points, `keywords` one; active at `min_score`); `slots` are
    extracted facts whose presence is as strong a sign as a strong word. `clauses` are the clause ids the tool
    applies: on a date when one of them is repealed or not yet in force, the tool does not compute.
    """

    intent: str
    label: str = ""
    strong: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    min_score: int = 1
    slots: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title_zh: str
    category: str
    input_model: type[BaseModel]
    func: Callable[[Any, date], ToolResult]
    triggers: Triggers | None = None
    # How the assistant fills the input model from a question's facts: `(slots, question, route) -> args | [args] |
    # None`. None: a hand builder in assistant/tool_builders, else the schema-driven default (field name = slot name).
    builder: Callable[..., Any] | None = None

    @property
    def module(self) -> str:
        return self.func.__module__

    @property
    def description(self) -> str:
        doc = (self.func.__doc__ or self.title_zh).strip()
        return doc.splitlines()[0]

    def json_schema(self) -> dict:
        return self.input_model.model_json_schema()


TOOLS: dict[str, ToolSpec] = {}


def register(name: str, title_zh: str, input_model: type[BaseModel], category: str = "", *,
             triggers: Triggers | None = None, builder: Callable[..., Any] | None = None) -> Callable:
    def wrap(func: Callable[[Any, date], ToolResult]) -> Callable[[Any, date], ToolResult]:
        TOOLS[name] = ToolSpec(name=name, title_zh=title_zh, category=category, input_model=input_model, func=func,
                               triggers=triggers, builder=builder)
        return func

    return wrap


_loaded = False


def rule_modules(package: str = RULES_PACKAGE) -> list[str]:
    """Every module (or sub-package) under rules/, by name: adding a tool module needs no list to edit."""
    pkg = importlib.import_module(package)
    return [f"{package}.{info.name}" for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name)
            if info.name not in HELPER_MODULES and not info.name.startswith("_")]


def discover(package: str = RULES_PACKAGE) -> dict[str, ToolSpec]:
    """Import every rule module of `package` (each registers its tools with @register); tools are listed by their
    module's `TOOL_ORDER` (default: after the numbered ones), then in registration order."""
    modules = [importlib.import_module(name) for name in rule_modules(package)]
    order = {m.__name__: getattr(m, "TOOL_ORDER", 1000) for m in modules}
    position = {name: i for i, name in enumerate(TOOLS)}

    def rank(module: str) -> int:  # a tool registered in a sub-module of a tool folder takes the folder's order
        while module and module not in order:
            module = module.rpartition(".")[0]
        return order.get(module, 1000)

    ranked = sorted(TOOLS.items(), key=lambda kv: (rank(kv[1].module), position[kv[0]]))
    TOOLS.clear()
    TOOLS.update(ranked)
    return TOOLS


def load_tools() -> dict[str, ToolSpec]:
    global _loaded
    if not _loaded:
        discover()
        _loaded = True
    return TOOLS


def get_tool(name: str) -> ToolSpec:
    tools = load_tools()
    if name not in tools:
        raise UnknownToolError(name, sorted(tools))
    return tools[name]


def parse_args(spec: ToolSpec, args: dict[str, Any]) -> BaseModel:
    """Validate arguments; the error names the field by its Chinese label and says in Chinese what is allowed."""
    if not isinstance(args, dict):
        raise ToolInputError("参数", "参数必须是 JSON 对象，例如 {\"degree\": \"硕士\"}")
    try:
        inputs = spec.input_model.model_validate(args)
    except ValidationError as err:
        first = err.errors()[0]
        message = explain(first, field_info(spec.input_model, first.get("loc") or ()))
        label = field_label(spec.input_model, first.get("loc") or ())
        if first["type"] == "extra_forbidden":
            message = f"没有这个参数。可用参数：{'、'.join(spec.input_model.model_fields)}"
            label = str((first.get("loc") or ("参数",))[-1])
        raise ToolInputError(label, message) from None
    return _without_negative_zero(inputs)


def _without_negative_zero(inputs: BaseModel) -> BaseModel:
    """-0.0 is 0: a tool never prints "-0.0" (a Decimal or float keeps the sign of a zero it was given)."""
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal | float) and value == 0:
            return abs(value)
        if isinstance(value, BaseModel):
            return _without_negative_zero(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    fixed = {name: plain(value) for name, value in inputs.__dict__.items()}
    fixed = {name: value for name, value in fixed.items() if value is not inputs.__dict__[name]}
    return inputs.model_copy(update=fixed) if fixed else inputs


def field_info(model: type[BaseModel], loc: tuple | list) -> Any:
    """The FieldInfo at a validation error's location (nested models and list items followed); None when unknown."""
    info = None
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or str(part) not in fields:
            return info
        info = fields[str(part)]
        current = _inner_model(info.annotation)
    return info


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_label(model: type[BaseModel], loc: tuple | list) -> str:
    """What a user calls a field: its `title`, else its description up to the first bracket ("年龄（周岁）" -> "年龄")."""
    return noun(field_info(model, loc)) or "参数"


def noun(info: Any) -> str:
    if info is None:
        return ""
    if info.title:
        return info.title
    text = re.sub(r"^[^：（]{1,8}：", "", info.description or "")  # "双肩挑：领导职数（个）": the prefix names the item, not the field
    return re.split(r"[（(，,；;：]", text)[0].strip()


_RANGE_WORDS = {"ge": "不小于", "gt": "大于", "le": "不大于", "lt": "小于"}
_NUMBER_KINDS = {"int": "整数", "float": "数", "Decimal": "数"}


def explain(error: dict, info: Any = None) -> str:
    """A Chinese message for one pydantic error (every error type: none of pydantic's English reaches a user)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        allowed = _allowed_values(info)
        return "必须填写。" + (f"可选值：{allowed}" if allowed else "")
    if kind == "extra_forbidden":
        return "没有这个参数，请用 `policy-qa tool schema <工具名>` 查看可用参数。"
    if kind in ("enum", "literal_error"):
        allowed = _allowed_values(info) or "、".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"取值必须是以下之一：{allowed}" if allowed else "取值不在可选范围内。"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return range_message(info) or "数值超出允许范围（应{}）。".format("，".join(
            f"{_RANGE_WORDS[k]}{shown(v)}" for k, v in ctx.items() if k in _RANGE_WORDS))
    if kind == "value_error":  # a model's own validator: its message is Chinese, pydantic's "Value error, " prefix is not
        text = str(ctx.get("error", "")).strip()
        return text if re.search(r"[\u4e00-\u9fff]", text) else "取值无效。"
    message = _MESSAGES.get(kind)
    if message is None:
        return "取值无效，请按说明填写。"
    return message.format(**{k: shown(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
                             for k, v in ctx.items()}) if "{" in message else message


def range_message(info: Any) -> str:
    """"岗位数应为1到100000之间的整数" from a field's bounds (empty when the field has no two-sided bound)."""
    low = high = None
    for meta in getattr(info, "metadata", []) or []:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    if low is None or high is None:
        return ""
    kind = "数"
    annotation = getattr(info, "annotation", None)
    from typing import get_args

    for candidate in (annotation, *get_args(annotation)):
        if candidate is int:
            kind = "整数"
    return f"应为{shown(low)}到{shown(high)}之间的{kind}。"


# Every other pydantic error type, in Chinese. `{…}` are the error's context values (bounds, lengths).
_MESSAGES: dict[str, str] = {
    "finite_number": "必须是有限的数字。",
    "int_type": "必须是整数。", "int_parsing": "必须是整数。", "int_from_float": "必须是整数，不能带小数。",
    "int_parsing_size": "数字太大，请检查输入。",
    "float_type": "必须是数字。", "float_parsing": "必须是数字。",
    "decimal_type": "必须是数字。", "decimal_parsing": "必须是数字。",
    "decimal_max_digits": "数字位数过多（最多{max_digits}位）。", "decimal_max_places": "小数位数过多（最多{decimal_places}位）。",
    "decimal_whole_digits": "整数部分位数过多（最多{whole_digits}位）。",
    "complex_type": "必须是数字。", "complex_str_parsing": "必须是数字。", "fraction_type": "必须是数字。",
    "fraction_parsing": "必须是数字。", "multiple_of": "必须是{multiple_of}的倍数。",
    "bool_type": "应填写“是”或“否”。", "bool_parsing": "应填写“是”或“否”。",
    "string_type": "必须是文字。", "string_unicode": "文字编码无效。", "string_too_short": "至少需要{min_length}个字。",
    "string_too_long": "最多{max_length}个字。", "string_pattern_mismatch": "格式不正确。", "string_not_ascii": "只能包含英文字母和数字。",
    "bytes_type": "必须是文字。", "bytes_too_short": "内容过短。", "bytes_too_long": "内容过长。", "bytes_invalid_encoding": "文字编码无效。",
    "too_short": "至少需要{min_length}项。", "too_long": "最多{max_length}项。",
    "list_type": "必须是列表（多项用方括号括起）。", "tuple_type": "必须是列表。", "set_type": "必须是列表。", "frozen_set_type": "必须是列表。",
    "deque_type": "必须是列表。", "iterable_type": "必须是列表。", "iteration_error": "列表中有无法读取的项。",
    "set_item_not_hashable": "列表中有无效的项。",
    "dict_type": "必须是对象（名称：取值）。", "mapping_type": "必须是对象（名称：取值）。", "frozen_dict_type": "必须是对象（名称：取值）。",
    "ordered_dict_type": "必须是对象（名称：取值）。", "counter_type": "必须是对象（名称：取值）。", "invalid_key": "对象的名称无效。",
    "model_type": "必须是对象（名称：取值）。", "model_attributes_type": "必须是对象（名称：取值）。",
    "dataclass_type": "必须是对象（名称：取值）。", "dataclass_exact_type": "必须是对象（名称：取值）。", "named_tuple_type": "必须是列表。",
    "none_required": "此项不能填写。", "json_invalid": "不是有效的 JSON。", "json_type": "不是有效的 JSON。",
    "date_type": "日期格式应为“年-月-日”，如 2024-05-01。", "date_parsing": "日期格式应为“年-月-日”，如 2024-05-01。",
    "date_from_datetime_parsing": "日期格式应为“年-月-日”，如 2024-05-01。", "date_from_datetime_inexact": "只需填写日期，不要带时间。",
    "date_past": "日期应早于今天。", "date_future": "日期应晚于今天。",
    "time_type": "时间格式不正确。", "time_parsing": "时间格式不正确。", "datetime_type": "日期时间格式不正确。",
    "datetime_parsing": "日期时间格式不正确。", "datetime_object_invalid": "日期时间无效。", "datetime_from_date_parsing": "日期时间格式不正确。",
    "datetime_past": "日期应早于今天。", "datetime_future": "日期应晚于今天。", "timezone_naive": "不能带时区。", "timezone_aware": "需要带时区。",
    "timezone_offset": "时区不正确。", "time_delta_type": "时长格式不正确。", "time_delta_parsing": "时长格式不正确。",
    "url_type": "网址格式不正确。", "url_parsing": "网址格式不正确。", "url_syntax_violation": "网址格式不正确。", "url_too_long": "网址过长。",
    "url_scheme": "网址格式不正确。", "uuid_type": "编号格式不正确。", "uuid_parsing": "编号格式不正确。", "uuid_version": "编号格式不正确。",
    "union_tag_invalid": "类型不在可选范围内。", "union_tag_not_found": "缺少类型。", "is_instance_of": "类型不正确。",
    "is_subclass_of": "类型不正确。", "callable_type": "类型不正确。", "assertion_error": "取值不符合要求。",
    "frozen_field": "此项不能修改。", "frozen_instance": "不能修改。", "no_such_attribute": "没有这个参数。",
    "get_attribute_error": "无法读取取值。", "default_factory_not_called": "无法生成默认值。", "needs_python_object": "取值类型不正确。",
    "recursion_loop": "内容存在循环引用。", "recursion_depth_exceeded": "内容嵌套过深。", "missing_sentinel_error": "取值无效。",
    "ellipsis_error": "取值无效。",
    "arguments_type": "参数格式不正确。", "missing_argument": "缺少参数。", "unexpected_keyword_argument": "没有这个参数。",
    "missing_keyword_only_argument": "缺少参数。", "unexpected_positional_argument": "参数过多。",
    "missing_positional_only_argument": "缺少参数。", "multiple_argument_values": "参数重复。",
}


def _allowed_values(info: Any) -> str:
    from enum import Enum
    from typing import get_args

    annotation = getattr(info, "annotation", None)
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return "、".join(str(m.value) for m in candidate)
        for inner in get_args(candidate):  # list[Enum]
            if isinstance(inner, type) and issubclass(inner, Enum):
                return "、".join(str(m.value) for m in inner)
    return ""


def run_tool(name: str, args: dict[str, Any], as_of: date | None = None, *, not_in_force_result: bool = False) -> ToolResult:
    """Validate the arguments and run a tool on `as_of` (default today).

    A tool never computes from a clause that does not apply on `as_of`: a clause it declares (`Triggers.clauses`) that
    is repealed or not yet in force, or a parameter whose source is repealed, amended or missing, raises
    `ClauseNotInForceError` / `DanglingReferenceError` (the CLI prints it in Chinese and exits 2). With
    `not_in_force_result=True` the same refusal is returned as a `not_in_force` result instead: its summary is the
    Chinese message, its citations the clause that is not in force and the repealing / amending clause when known.
    """
    spec = get_tool(name)
    inputs = parse_args(spec, args)
    day = as_of or date.today()
    try:
        check_declared_clauses(spec, day)
        result = spec.func(inputs, day)
    except (ClauseNotInForceError, DanglingReferenceError) as err:
        if not not_in_force_result:
            raise
        result = not_in_force(err, day)
    result.tool = name
    return result


_REFUSED = {"repealed", "not_yet"}  # an expired period is a warning the tool gives itself, not a refusal


def check_declared_clauses(spec: ToolSpec, as_of: date) -> None:
    """Raise when a clause the tool declares it applies is missing, repealed or not yet in force on `as_of`."""
    clauses = spec.triggers.clauses if spec.triggers else ()
    if not clauses:
        return
    from corpus.loader import load_corpus

    corpus = load_corpus()
    where = f"工具“{spec.title_zh}”（{spec.name}）"
    for clause_id in clauses:
        if clause_id not in corpus.clauses:
            raise DanglingReferenceError(clause_id, where)
        status = corpus.in_force(clause_id, as_of)
        if str(status.status) in _REFUSED:
            raise ClauseNotInForceError(where, status, "如需按当时的规定计算，请指定相应的日期（--as-of）。")


def not_in_force(err: ClauseNotInForceError | DanglingReferenceError, as_of: date) -> ToolResult:
    """The refusal as a result: the message, and the clause not in force with the one that repealed or amended it."""
    status = getattr(err, "status", None)
    cited = [status.clause_id, status.by] if status is not None else [getattr(err, "clause_id", None)]
    value = {"clause_id": cited[0], "status": str(status.status) if status is not None else "missing",
             "by": status.by if status is not None else None}
    return ToolResult(outcome=Outcome.not_in_force, value=value, summary_zh=str(err),
                      citations=[c for c in dict.fromkeys(cited) if c], as_of=as_of)


def langchain_tools(as_of: date | None = None) -> list:
    """Every tool as a LangChain StructuredTool (same schema), returning the JSON result."""
    from langchain_core.tools import StructuredTool

    def make(spec: ToolSpec):
        def call(**kwargs: Any) -> dict:
            return run_tool(spec.name, kwargs, as_of).to_json()

        def invalid(err: Exception) -> str:  # the agent (and through it the user) reads Chinese, never pydantic's English
            if isinstance(err, ValidationError) and err.errors():
                first = err.errors()[0]
                return f"参数“{field_label(spec.input_model, first.get('loc') or ())}”有误：" + explain(
                    first, field_info(spec.input_model, first.get("loc") or ()))
            return "参数有误，请按工具说明填写。"

        return StructuredTool.from_function(func=call, name=spec.name, description=spec.description,
                                            args_schema=spec.input_model, handle_validation_error=invalid)

    return [make(spec) for spec in load_tools().values()]
