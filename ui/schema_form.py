"""A tool's pydantic JSON schema -> form field specs -> tool arguments. Pure: no gradio here.

The calculator page never has a hand-written form: every tool in the registry gets its form from
`fields_from_schema(spec.json_schema())`, and the submitted widget values go back through
`collect_args`. Three-valued booleans stay three-valued: 不清楚 is None, never False.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from corpus.errors import ToolInputError

FieldKind = Literal["dropdown", "integer", "number", "tristate", "checkboxes", "text", "date", "json"]

YES, NO, UNKNOWN = "是", "否", "不清楚"
_BOOL_CHOICE = {YES: True, NO: False, UNKNOWN: None}


@dataclass(frozen=True)
class FieldSpec:
    """One form field, derived from one property of a tool's input schema."""

    name: str
    label: str  # the field's Chinese description (what a user reads)
    kind: FieldKind
    required: bool = False
    nullable: bool = False  # None is an allowed value (an unknown fact)
    choices: tuple[Any, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    decimal: bool = False  # money: sent as an exact string, never a float
    info: str = ""  # extra hint shown under the widget
    extra: dict = field(default_factory=dict)

    @property
    def blank_number(self) -> bool:
        """A number with no default: shown as a text box that can stay empty (gradio's number box
        cannot be blank — it shows and sends 0, and an unknown must never become 0)."""
        return self.kind in ("integer", "number") and self.default is None

    @property
    def display_label(self) -> str:
        return f"{self.label}（必填）" if self.required else self.label


def _resolve(node: dict, defs: dict) -> dict:
    """Follow `$ref` (and pydantic's single-item `allOf` wrapper) to the referenced definition."""
    seen = 0
    while seen < 20:
        seen += 1
        if "$ref" in node:
            ref = node["$ref"].rsplit("/", 1)[-1]
            merged = {k: v for k, v in node.items() if k != "$ref"}
            node = {**defs.get(ref, {}), **merged}
        elif "allOf" in node and len(node["allOf"]) == 1:
            inner = node["allOf"][0]
            node = {**{k: v for k, v in node.items() if k != "allOf"}, **_resolve(inner, defs)}
        else:
            return node
    return node


def _split_nullable(node: dict, defs: dict) -> tuple[list[dict], bool]:
    """`anyOf: [X, {type: null}]` -> ([X], True); a plain node -> ([node], False)."""
    for key in ("anyOf", "oneOf"):
        if key in node:
            options = [_resolve(o, defs) for o in node[key]]
            non_null = [o for o in options if o.get("type") != "null"]
            return non_null, len(non_null) < len(options)
    if isinstance(node.get("type"), list):
        types = [t for t in node["type"] if t != "null"]
        return [{**node, "type": t} for t in types], len(types) < len(node["type"])
    return [node], False


def _field(name: str, prop: dict, defs: dict, required: bool) -> FieldSpec:
    outer = _resolve(prop, defs)
    options, nullable = _split_nullable(outer, defs)
    label = outer.get("description") or outer.get("title") or name
    default = outer.get("default")
    common = {"name": name, "label": label, "required": required, "nullable": nullable, "default": default}
    types = {o.get("type") for o in options}
    node = options[0] if options else {}

    if len(options) == 1 and ("enum" in node or "const" in node):
        choices = tuple(node["enum"]) if "enum" in node else (node["const"],)
        return FieldSpec(kind="dropdown", choices=choices, **common)
    if types == {"boolean"}:
        choices = (YES, NO, UNKNOWN) if nullable or (not required and default is None) else (YES, NO)
        return FieldSpec(kind="tristate", choices=choices, **common)
    if types <= {"integer"} and types:
        return FieldSpec(kind="integer", minimum=_bound(node, "min"), maximum=_bound(node, "max"), **common)
    if "number" in types and types <= {"number", "integer", "string"}:
        number = next(o for o in options if o.get("type") == "number")
        return FieldSpec(kind="number", minimum=_bound(number, "min"), maximum=_bound(number, "max"),
                         decimal="string" in types, **common)
    if types == {"array"}:
        items = _resolve(node.get("items", {}), defs)
        if "enum" in items:
            return FieldSpec(kind="checkboxes", choices=tuple(items["enum"]), **common)
        return FieldSpec(kind="json", info="填写 JSON 数组，例如 [\"a\", \"b\"]", **common)
    if types == {"string"}:
        if node.get("format") == "date":
            return FieldSpec(kind="date", info="格式 YYYY-MM-DD，例如 2025-12-31", **common)
        return FieldSpec(kind="text", **common)
    return FieldSpec(kind="json", info="填写 JSON", **common)


def _bound(node: dict, side: str) -> float | None:
    if side == "min":
        value = node.get("minimum", node.get("exclusiveMinimum"))
    else:
        value = node.get("maximum", node.get("exclusiveMaximum"))
    return float(value) if value is not None else None


def fields_from_schema(schema: dict) -> list[FieldSpec]:
    """Every property of a tool's input schema, in declaration order, as a form field."""
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    return [_field(name, prop, defs, name in required) for name, prop in schema.get("properties", {}).items()]


def initial_value(spec: FieldSpec) -> Any:
    """What the widget shows before the user touches it."""
    if spec.kind == "tristate":
        if spec.default is True:
            return YES
        if spec.default is False:
            return NO
        return UNKNOWN if UNKNOWN in spec.choices else None
    if spec.kind == "checkboxes":
        return list(spec.default or [])
    if spec.kind == "json" and spec.default is not None:
        return json.dumps(spec.default, ensure_ascii=False)
    if spec.kind in ("text", "date", "json") or spec.blank_number:
        return "" if spec.default is None else str(spec.default)
    return spec.default


def collect_args(fields: list[FieldSpec], values: list[Any]) -> dict[str, Any]:
    """Widget values -> tool arguments. A blank widget is left out (the tool's default applies, and a
    missing required field is reported by the tool's own validation, by its Chinese label)."""
    if len(fields) != len(values):
        raise ValueError(f"expected {len(fields)} values, got {len(values)}")
    args: dict[str, Any] = {}
    for spec, raw in zip(fields, values, strict=True):
        value = _convert(spec, raw)
        if value is _OMIT:
            continue
        args[spec.name] = value
    return args


_OMIT = object()


def _number(spec: FieldSpec, raw: Any) -> Any:
    """A number widget gives int/float; a blank-able number box gives text ("1,200", full-width digits)."""
    if raw is None:
        return _OMIT
    if isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
        if not text:
            return _OMIT
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ToolInputError(spec.label, f"“{raw.strip()[:20]}”不是数字，请只填写数字，例如 3 或 1200。") from None
        if not number.is_finite():
            raise ToolInputError(spec.label, "必须是数字。")
    else:
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if number == number.to_integral_value():
        return int(number)
    if spec.kind == "integer":
        raise ToolInputError(spec.label, "必须是整数。")
    return str(number.normalize()) if spec.decimal else float(number)


def _convert(spec: FieldSpec, raw: Any) -> Any:
    if spec.kind == "tristate":
        if raw in (None, ""):
            return _OMIT
        value = _BOOL_CHOICE[raw]
        if value is None and not spec.nullable:
            return _OMIT  # a non-nullable flag: 不清楚 means "use the tool's default", not False
        return value
    if spec.kind == "dropdown":
        return _OMIT if raw in (None, "") else raw
    if spec.kind in ("integer", "number"):
        return _number(spec, raw)
    if spec.kind == "checkboxes":
        return list(raw) if raw else _OMIT
    text = (raw or "").strip() if isinstance(raw, str) or raw is None else raw
    if text == "":
        return _OMIT
    if spec.kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ToolInputError(spec.label, "不是有效的 JSON，请检查引号和括号。") from None
    return text
