"""The one list of tools: the CLI, the UI forms and the LLM agent all read it.

A tool is a pure function `(inputs: <pydantic model>, as_of: date) -> ToolResult`; its docstring's
first line is the description an LLM sees, its input model's Chinese field descriptions are the
form labels a user sees.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from corpus.errors import ToolInputError, UnknownToolError
from eligibility_tools.base import ToolResult

# Rule modules, imported on first use; each registers its tools with @register.
RULE_MODULES = [
    "eligibility_tools.rules.titles",
    "eligibility_tools.rules.posts",
    "eligibility_tools.rules.contests",
    "eligibility_tools.rules.training",
    "eligibility_tools.rules.hr_service",
    "eligibility_tools.rules.incubator",
    "eligibility_tools.rules.tax",
    "eligibility_tools.rules.offices",
    "eligibility_tools.rules.match",
    "eligibility_tools.rules.clause_rule",
    "eligibility_tools.rules.validity",
    "eligibility_tools.rules.sums",
]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title_zh: str
    category: str
    input_model: type[BaseModel]
    func: Callable[[Any, date], ToolResult]

    @property
    def description(self) -> str:
        doc = (self.func.__doc__ or self.title_zh).strip()
        return doc.splitlines()[0]

    def json_schema(self) -> dict:
        return self.input_model.model_json_schema()


TOOLS: dict[str, ToolSpec] = {}


def register(name: str, title_zh: str, input_model: type[BaseModel], category: str = "") -> Callable:
    def wrap(func: Callable[[Any, date], ToolResult]) -> Callable[[Any, date], ToolResult]:
        TOOLS[name] = ToolSpec(name=name, title_zh=title_zh, category=category, input_model=input_model, func=func)
        return func

    return wrap


_loaded = False


def load_tools() -> dict[str, ToolSpec]:
    global _loaded
    if not _loaded:
        for module in RULE_MODULES:
            try:
                importlib.import_module(module)
            except ModuleNotFoundError as err:
                if err.name != module:
                    raise
        _loaded = True
    return TOOLS


def get_tool(name: str) -> ToolSpec:
    tools = load_tools()
    if name not in tools:
        raise UnknownToolError(name, sorted(tools))
    return tools[name]


def parse_args(spec: ToolSpec, args: dict[str, Any]) -> BaseModel:
    """Validate arguments; the error names the field (by its Chinese label) and the allowed values."""
    if not isinstance(args, dict):
        raise ToolInputError("args", "参数必须是 JSON 对象，例如 {\"degree\": \"硕士\"}")
    try:
        return spec.input_model.model_validate(args)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "args"
        info = spec.input_model.model_fields.get(str(first["loc"][0])) if first["loc"] else None
        label = f"{field}（{info.description}）" if info and info.description else field
        message = _explain(first, info)
        if first["type"] == "extra_forbidden":
            message = f"没有这个参数。可用参数：{'、'.join(spec.input_model.model_fields)}"
        raise ToolInputError(label, message) from None


def _explain(error: dict, info: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "没有这个参数，请用 `policy-qa tool schema <工具名>` 查看可用参数。"
    if kind == "missing":
        allowed = _allowed_values(info)
        return "必须填写。" + (f"可选值：{allowed}" if allowed else "")
    if kind == "enum":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"取值必须是以下之一：{allowed.replace(' or ', ', ')}"
    if kind in ("int_parsing", "int_type", "decimal_parsing", "float_parsing", "int_from_float"):
        return "必须是数字。"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        words = {"ge": "不小于", "gt": "大于", "le": "不大于", "lt": "小于"}
        bounds = "，".join(f"{words[k]} {v}" for k, v in (error.get("ctx") or {}).items() if k in words)
        return f"数值超出允许范围（应{bounds}）。"
    if kind in ("bool_parsing", "bool_type"):
        return "必须是 true 或 false（是/否）。"
    if kind in ("date_parsing", "date_from_datetime_parsing"):
        return "日期格式应为 YYYY-MM-DD。"
    return error.get("msg", "取值无效。")


def _allowed_values(info: Any) -> str:
    from enum import Enum
    from typing import get_args

    annotation = getattr(info, "annotation", None)
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return "、".join(str(m.value) for m in candidate)
    return ""


def run_tool(name: str, args: dict[str, Any], as_of: date | None = None) -> ToolResult:
    spec = get_tool(name)
    inputs = parse_args(spec, args)
    result = spec.func(inputs, as_of or date.today())
    result.tool = name
    return result


def langchain_tools(as_of: date | None = None) -> list:
    """Every tool as a LangChain StructuredTool (same schema), returning the JSON result."""
    from langchain_core.tools import StructuredTool

    def make(spec: ToolSpec):
        def call(**kwargs: Any) -> dict:
            return run_tool(spec.name, kwargs, as_of).to_json()

        return StructuredTool.from_function(func=call, name=spec.name, description=spec.description,
                                            args_schema=spec.input_model)

    return [make(spec) for spec in load_tools().values()]
