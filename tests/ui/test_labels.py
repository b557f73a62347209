"""Every field a tool result can hold has one Chinese label (or is deliberately staff-only), and a citizen's
view of any result reads without a field name, clause id or JSON."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from eligibility_tools.registry import get_tool, run_tool
from tests.ui.test_render import CLAUSE_ID, SNAKE, citizen_text
from ui import labels
from ui.render import tool_result_html
from ui.services import Services

CASES_DIR = Path(__file__).resolve().parents[1] / "eligibility_tools" / "cases"


def _cases() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _keys(value, found: set[str]) -> set[str]:
    """Every field name in a result value, except inside staff-only fields (their content is never shown)."""
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(str(key))
            if not labels.field_table().get(str(key), {}).get("hidden"):
                _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


@pytest.mark.parametrize("case", _cases())
def test_run_every_result_field_is_labelled_and_the_citizen_view_is_plain(case):
    try:
        result = run_tool(case["tool"], case.get("input") or {}, date.fromisoformat(str(case.get("as_of", "2026-11-26")))).to_json()
    except Exception:  # a case about rejected input: nothing to render
        pytest.skip("输入被工具拒绝")
    spec = get_tool(case["tool"])
    inputs = labels.input_labels(spec)
    missing = sorted(k for k in _keys(result.get("value"), set()) if not labels.is_known(k, inputs))
    assert missing == [], f"{case['tool']}: 以下结果字段没有中文标签，请加到 ui/result_labels.yaml：{missing}"
    cited = list(result.get("citations") or [])
    html = tool_result_html(result, Services().clause_labels(cited + _clause_ids(result.get("value"))), inputs=inputs,
                            tool_title=spec.title_zh)
    text = citizen_text(html)
    assert not SNAKE.search(text), SNAKE.findall(text)
    assert not CLAUSE_ID.search(text), CLAUSE_ID.findall(text)
    assert "JSON" not in text


def _clause_ids(value) -> list[str]:
    from ui.render import is_match_value, match_citations

    return match_citations(value) if is_match_value(value) else []


class TestFormatting:
    @pytest.mark.parametrize("value, fmt, expected", [
        (24000, "yuan", "24,000元"), ("0.15", "percent", "15%"), (2, "years", "2年"), (3, "people", "3人"),
        (True, "", "是"), (False, "", "否"), (None, "", "不确定"), ("eligible", "outcome", "符合"), (1.5, "", "1.5"),
    ])
    def test_run_scalar_text(self, value, fmt, expected):
        assert labels.scalar_text(value, fmt) == expected

    def test_run_rows_use_labels_and_skip_internal_fields(self):
        rows = dict(labels.value_rows({"amount_yuan": 24000, "advance_max_yuan": [1000, 2000], "clause_id": "x/a1",
                                       "unknown_field": 1, "award_installments_yuan": {"first_year": 560000},
                                       "contest_type": "全市技能大赛"}, {"contest_type": "赛事类别"}))
        assert rows == {"金额": "24,000元", "可预支金额（不超过）": "1,000–2,000元", "以奖代补分期拨付": "第一年：560,000元",
                        "赛事类别": "全市技能大赛"}

    def test_run_input_labels_are_the_short_schema_descriptions(self):
        inputs = labels.input_labels(get_tool("apprenticeship_subsidy"))
        assert inputs["apprentices"] == "参加新型学徒制培训的学徒人数"
        assert "[" not in inputs["cohorts"] and "apprentices" not in inputs["cohorts"]
