"""Chinese labels and readable values for the fields of a tool result (pure: no gradio).

One label per field: a field that repeats one of the tool's inputs takes that input's Chinese description
from the tool's schema; the others come from `result_labels.yaml`. Internal fields (ids, clause ids, fact
names) are `hidden` and so is any field without a label — a citizen never reads a raw field name; the
complete result stays available to 工作人员模式 as JSON.
"""

from __future__ import annotations

import functools
import html
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

LABELS_FILE = Path(__file__).with_name("result_labels.yaml")
ROUTE_STATUS_ZH = {"eligible": "符合", "not_eligible": "不符合", "needs_info": "还需了解情况", "not_in_force": "已不在执行期内",
                   "ambiguous": "条文存在两种理解", "computed": "已计算"}
_ASCII_NAME = re.compile(r"^[A-Za-z0-9_:.\-]+$")


@functools.lru_cache(maxsize=1)
def field_table() -> dict[str, dict]:
    raw = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8")) or {}
    return {str(k): (v if isinstance(v, dict) else {"label": str(v)}) for k, v in raw.items()}


_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


@functools.lru_cache(maxsize=1)
def _tool_titles() -> dict[str, str]:
    from eligibility_tools.registry import load_tools

    return {name: spec.title_zh for name, spec in load_tools().items()}


def plain(text: Any) -> str:
    """Text for citizens: a tool's name that slipped into a sentence ("见 apprenticeship_subsidy") becomes its
    Chinese title."""
    text = "" if text is None else str(text)
    if "_" not in text:
        return text
    titles = _tool_titles()
    return _IDENTIFIER.sub(lambda m: f"“{titles[m.group(0)]}”" if m.group(0) in titles else m.group(0), text)


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def input_labels(spec: Any) -> dict[str, str]:
    """A tool's input field -> its Chinese description (the schema the form is generated from)."""
    if spec is None:
        return {}
    model = getattr(spec, "input_model", None)
    fields = getattr(model, "model_fields", {}) if model is not None else {}
    return {name: _short(info.description) for name, info in fields.items() if info.description}


def _short(description: str) -> str:
    """The first clause of a long description: '参加新型学徒制培训的学徒人数' stays, '…，如 [..]' is cut."""
    text = re.split(r"[，,；;（(]\s*(?:如|例如|不填|填写)", description, maxsplit=1)[0].strip()
    return text or description


def label_of(key: str, inputs: dict[str, str] | None = None) -> str | None:
    """The Chinese label of a result field, or None when citizens should not see it."""
    entry = field_table().get(key)
    if entry is not None:
        return None if entry.get("hidden") else entry.get("label")
    if inputs and key in inputs:
        return inputs[key]
    if not _ASCII_NAME.match(key):
        return key  # already Chinese (a grade, a reading's name, a document title)
    return None


def is_known(key: str, inputs: dict[str, str] | None = None) -> bool:
    """Labelled or deliberately hidden (the test's notion of 'covered')."""
    return key in field_table() or bool(inputs and key in inputs) or not _ASCII_NAME.match(key)


def _format_of(key: str) -> str:
    return str(field_table().get(key, {}).get("format", ""))


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except (InvalidOperation, ValueError):
            return None
    return None


def _plain_number(n: Decimal) -> str:
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return format(n.normalize(), "f")


def scalar_text(value: Any, fmt: str = "") -> str:
    """One value as a citizen reads it: 是/否/不确定, 24,000元, 15%, 2年, 3人, 符合."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return "不确定"
    if fmt == "outcome" and isinstance(value, str):
        return ROUTE_STATUS_ZH.get(value, value)
    n = _number(value)
    if n is not None:
        if fmt == "yuan":
            return f"{_plain_number(n)}元"
        if fmt == "percent":
            return f"{_plain_number(n * 100)}%"
        if fmt == "years":
            return f"{_plain_number(n)}年"
        if fmt == "months":
            return f"{_plain_number(n)}个月"
        if fmt == "people":
            return f"{_plain_number(n)}人"
        return _plain_number(n) if not isinstance(value, str) else value
    return str(value)


def value_text_html(key: str, value: Any, inputs: dict[str, str] | None = None, depth: int = 0) -> str | None:
    """A field's value as escaped HTML, or None when nothing of it is for citizens (hidden or empty)."""
    fmt = _format_of(key)
    if isinstance(value, dict):
        parts = []
        for sub_key, sub_value in value.items():
            label = label_of(str(sub_key), inputs)
            if label is None or depth > 3:
                continue
            inner = value_text_html(str(sub_key), sub_value, inputs, depth + 1) if not fmt else \
                _formatted(sub_value, fmt, inputs, depth + 1)
            if inner is not None:
                parts.append(f"{esc(label)}：{inner}")
        return "；".join(parts) if parts else None
    if isinstance(value, list):
        if not value:
            return "（无）" if key in ("failed_conditions", "failed_thresholds", "gap_to_demo") else None
        if len(value) == 2 and all(_number(v) is not None and not isinstance(v, str) for v in value):
            low, high = value
            if low == high:
                return esc(scalar_text(low, fmt))
            unit = scalar_text(0, fmt)[1:] if fmt in ("yuan", "percent", "years", "months", "people") else ""
            return esc(f"{scalar_text(low, '')}–{scalar_text(high, '')}{unit}")
        if all(isinstance(v, dict) for v in value):
            items = [value_text_html(key + "[]", v, inputs, depth + 1) for v in value]
            items = [i for i in items if i]
            return "<ul class='qa-sublist'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else None
        return esc("、".join(scalar_text(v, fmt) for v in value))
    return esc(scalar_text(value, fmt))


def _formatted(value: Any, fmt: str, inputs: dict[str, str] | None, depth: int) -> str | None:
    if isinstance(value, (dict, list)):
        # nested values inherit the parent's format (award_installments_yuan: {first_year: 560000})
        table = field_table()
        key = next((k for k, v in table.items() if v.get("format") == fmt), "")
        return value_text_html(key, value, inputs, depth)
    return esc(scalar_text(value, fmt))


def value_rows(value: Any, inputs: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(Chinese label, value html) for every field of a result value that a citizen may read."""
    if not isinstance(value, dict):
        return []
    rows = []
    for key, item in value.items():
        label = label_of(str(key), inputs)
        if label is None:
            continue
        text = value_text_html(str(key), item, inputs)
        if text is None or text == "":
            continue
        rows.append((label, text))
    return rows
