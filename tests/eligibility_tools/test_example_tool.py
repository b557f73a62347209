"""A new tool is its own module, its parameters YAML and its cases — nothing else (docs/MAINTAINING.md, 添加一个新工具).

The example tool exists only here: it is written to a temporary package, found by the registry's discovery (the same
scan that finds eligibility_tools/rules/), its cases run through the same checker as the bundled cases, and the
assistant routes a question to it by the trigger words the module declares and fills its fields from the question's
facts by the schema (no builder, no routes.yaml, no router or composer edit).
"""

from __future__ import annotations

import sys
import textwrap
from datetime import date

import pytest

from eligibility_tools import registry
from tests.eligibility_tools.test_cases import check_case, load_cases

pytestmark = pytest.mark.unit

PACKAGE = "example_policy_tools"

# --- the tool: one module -------------------------------------------------------------------------------------
TOOL_MODULE = '''
"""高校毕业生生活补贴速算（示例工具，只存在于测试中）。"""

from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.params import Params, load_parameter_table
from eligibility_tools.registry import Triggers, register

PARAMETERS = str(Path(__file__).parent / "parameters")  # this tool's own parameters YAML


class GraduateAllowanceInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    graduates: int | None = Field(None, ge=1, le=10000, description="吸纳的高校毕业生人数（人）",
                                  json_schema_extra={"slot": "jobs"})       # filled from the slot `jobs`
    months_work: int | None = Field(None, ge=1, le=120, description="每人领取生活补贴的月数（月）")  # slot of the same name


TRIGGERS = Triggers(intent="graduate_allowance", label="高校毕业生生活补贴", strong=("吸纳", "高校毕业生"),
                    keywords=("生活补贴",), min_score=2, clauses=("hr-service/att1/s1/i2",))


@register("graduate_allowance", "高校毕业生生活补贴速算", GraduateAllowanceInput, category="示例", triggers=TRIGGERS)
def graduate_allowance(inp: GraduateAllowanceInput, as_of: date) -> ToolResult:
    """按每人每月标准和最长月数测算吸纳高校毕业生的生活补贴（附件1一、2）。"""
    t = Trace(as_of, Params(as_of, load_parameter_table(PARAMETERS)))
    p = t.param("example_graduate_allowance")
    if inp.graduates is None:
        t.ask("graduates", "吸纳了几名高校毕业生？", "补贴按人数计算")
    if inp.months_work is None:
        t.ask("months_work", "每人补贴几个月？", "补贴按月计算")
    if t.missing:
        return t.result(Outcome.needs_info, summary_zh="还需知道人数和月数。")
    months = min(inp.months_work, p["max_months"])
    amount = p["monthly"] * months * inp.graduates
    t.step("graduate_allowance", f"每人每月{p['monthly']}元×{months}个月×{inp.graduates}人", params=[p])
    return t.result(Outcome.computed, {"amount_yuan": amount, "months": months},
                    summary_zh=f"生活补贴合计{yuan(amount)}（每人每月{p['monthly']}元，按{months}个月计）。")
'''

# --- its parameters: dated, cited ---------------------------------------------------------------------------
PARAMETERS_YAML = '''
example_graduate_allowance:
  description: 储备、吸纳高校毕业生的机构，每人每月生活补贴及最长月数
  unit: CNY/人/月
  values: {monthly: 700, max_months: 24}
  source:
    clause_id: hr-service/att1/s1/i2
    quote: 对储备、吸纳符合条件的高校毕业生就业的机构，可给予最长不超过两年的每人每月 700 元的生活补贴
'''

# --- its cases: both sides of the threshold -----------------------------------------------------------------
CASES_YAML = '''
- name: 3人各12个月，未超过两年，按12个月计
  tool: graduate_allowance
  as_of: 2026-11-26
  input: {graduates: 3, months_work: 12}
  expected: {outcome: computed, value: {amount_yuan: 25200, months: 12}, cites: [hr-service/att1/s1/i2]}
- name: 1人30个月，超过两年，按24个月计
  tool: graduate_allowance
  as_of: 2026-11-26
  input: {graduates: 1, months_work: 30}
  expected: {outcome: computed, value: {amount_yuan: 16800, months: 24}}
- name: 不知道人数时追问
  tool: graduate_allowance
  as_of: 2026-11-26
  input: {months_work: 12}
  expected: {outcome: needs_info, missing: [graduates]}
'''


@pytest.fixture()
def example_tool(tmp_path, monkeypatch):
    """Write the package, register it through discovery; afterwards the registry and router are as before."""
    from assistant.router import reload_intents

    package = tmp_path / PACKAGE
    (package / "parameters").mkdir(parents=True)
    (package / "cases").mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "graduate_allowance.py").write_text(textwrap.dedent(TOOL_MODULE), encoding="utf-8")
    (package / "parameters" / "graduates.yaml").write_text(PARAMETERS_YAML, encoding="utf-8")
    (package / "cases" / "graduate_allowance.yaml").write_text(CASES_YAML, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "TOOLS", dict(registry.load_tools()))
    reload_intents()
    registry.discover(PACKAGE)
    reload_intents()
    yield package
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    monkeypatch.undo()
    reload_intents()


def test_discovery_registers_it_with_its_triggers(example_tool):
    spec = registry.get_tool("graduate_allowance")
    assert spec.triggers.intent == "graduate_allowance" and spec.module == f"{PACKAGE}.graduate_allowance"
    assert list(registry.TOOLS)[-1] == "graduate_allowance"  # no TOOL_ORDER: listed after the bundled tools


def test_its_cases_pass(example_tool):
    cases = load_cases(example_tool / "cases")
    assert len(cases) == 3
    for param in cases:
        check_case(*param.values)


def test_it_runs_from_the_registry_on_its_own_parameters(example_tool):
    from corpus.loader import load_corpus

    assert load_corpus().in_force("hr-service/att1/s1/i2", date(2026, 11, 26)).in_force
    result = registry.run_tool("graduate_allowance", {"graduates": 1, "months_work": 1}, date(2026, 11, 26))
    assert result.value["amount_yuan"] == 700


def test_the_router_and_the_schema_builder_find_it(example_tool):
    from assistant.router import Intent, route
    from assistant.tool_calls import plan_tool_calls

    question = "我们公司吸纳了3名高校毕业生，每人12个月，生活补贴一共多少？"
    rt = route(question)
    assert rt.intents[0] == Intent.graduate_allowance and rt.tools == ["graduate_allowance"]
    calls = plan_tool_calls(rt, question, registry.load_tools())
    assert [(c.name, c.arguments) for c in calls] == [("graduate_allowance", {"graduates": 3, "months_work": 12})]


def test_the_assistant_answers_with_it(example_tool):
    from assistant.config import AssistantSettings
    from assistant.service import Assistant
    from tests.assistant.fakes import shared_fake_retriever

    assistant = Assistant(AssistantSettings(), retriever=shared_fake_retriever())
    answer = assistant.ask("我们公司吸纳了3名高校毕业生，每人12个月，生活补贴一共多少？", as_of=date(2026, 11, 26))
    calls = [c for c in answer["tool_calls"] if c["name"] == "graduate_allowance"]
    assert calls and calls[0]["arguments"] == {"graduates": 3, "months_work": 12}
    assert calls[0]["result"]["value"]["amount_yuan"] == 25200
    assert answer["status"] == "answered" and "25200" in answer["answer"]
    assert "hr-service/att1/s1/i2" in [c["clause_id"] for c in answer["citations"]]


def test_without_it_nothing_is_left_behind():
    from assistant.router import route

    assert "graduate_allowance" not in registry.load_tools()
    assert route("我们公司吸纳了3名高校毕业生，每人12个月，生活补贴一共多少？").tools == []
