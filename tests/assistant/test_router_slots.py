"""Table-driven router and slot tests (cases in cases/*.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from assistant.router import Form, Intent, route
from assistant.slots import extract_slots

CASES = Path(__file__).parent / "cases"
SLOT_CASES = yaml.safe_load((CASES / "slots.yaml").read_text(encoding="utf-8"))
ROUTE_CASES = yaml.safe_load((CASES / "routes.yaml").read_text(encoding="utf-8"))


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@pytest.mark.parametrize("case", SLOT_CASES, ids=[c["name"] for c in SLOT_CASES])
def test_slots(case):
    slots = extract_slots(case["text"])
    for key, expected in case["expected"].items():
        assert _plain(slots.get(key)) == expected, f"{key}: {slots.to_dict()}"


@pytest.mark.parametrize("case", ROUTE_CASES, ids=[c["name"] for c in ROUTE_CASES])
def test_route(case):
    rt = route(case["text"])
    for intent in case["intents"]:
        assert Intent(intent) in rt.intents, rt.to_dict()
    if case["intents"] == ["lookup"]:
        assert rt.intents == [Intent.lookup]
    for form in case.get("forms", []):
        assert Form(form) in rt.forms


def test_every_routed_tool_is_a_registered_tool():
    from assistant.router import intent_specs
    from eligibility_tools.registry import load_tools

    tools = load_tools()
    for spec in intent_specs():
        for name in spec.tools:
            assert name in tools, f"routes.yaml names unknown tool {name}"


def test_every_registered_tool_has_a_builder():
    from assistant.tool_calls import BUILDERS
    from eligibility_tools.registry import load_tools

    missing = set(load_tools()) - set(BUILDERS) - {"team_score", "policy_match", "clause_rule", "document_validity", "sum_amounts"}
    assert not missing, f"tools without an assistant builder: {sorted(missing)}"


class TestIntentsAreData:
    """Intents are names from routes.yaml and from the Triggers tool modules declare: no enum to edit."""

    def test_intent_is_the_plain_name(self):
        assert Intent.contest == "contest" and Intent("contest").value == "contest" and Intent.lookup == "lookup"
        assert {"title_route", "post", "lookup"} <= set(Intent)
        with pytest.raises(ValueError, match="routes.yaml"):
            Intent("no_such_intent")
        with pytest.raises(AttributeError):
            Intent.no_such_intent  # noqa: B018

    def test_a_tool_joins_an_intent_or_creates_one(self):
        from types import SimpleNamespace

        from assistant.router import intent_table
        from eligibility_tools.registry import Triggers

        routes = {"intents": {"contest": {"label": "竞赛", "min_score": 2, "strong": ["竞赛"], "tools": ["skills_contest_award"]},
                              "tax": {"label": "税收", "strong": ["税收"], "tools": ["tax_benefits"]}}}
        tools = {"prize_calendar": SimpleNamespace(name="prize_calendar", title_zh="奖金发放时间",
                                                   triggers=Triggers(intent="contest", strong=("发放时间", "竞赛"))),
                 "new_tool": SimpleNamespace(name="new_tool", title_zh="新工具",
                                             triggers=Triggers(intent="new_topic", keywords=("新词",), min_score=1)),
                 "plain": SimpleNamespace(name="plain", title_zh="无触发词", triggers=None)}
        specs = intent_table(routes, tools)
        assert [s.name for s in specs] == ["contest", "tax", "new_topic"]  # routes.yaml order kept, new ones after
        contest = specs[0]
        assert contest.strong == ("竞赛", "发放时间") and contest.tools == ("skills_contest_award", "prize_calendar")
        assert contest.label == "竞赛" and contest.min_score == 2
        assert (specs[2].label, specs[2].keywords, specs[2].tools) == ("新工具", ("新词",), ("new_tool",))

    def test_routes_yaml_alone_gives_the_bundled_table(self):
        from assistant.router import ROUTES_FILE, intent_specs, intent_table

        assert intent_table(yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))) == intent_specs()


class TestContestKind:
    """技能大赛 is everyone's word for any skills contest: the kind actually named decides, wherever it is said."""

    @pytest.mark.parametrize("question, kind", [
        ("技能大赛拿了个二等奖是行业一类赛的，有奖金没？", "市级行业一类赛"),
        ("行业一类赛二等奖有奖金吗", "市级行业一类赛"),
        ("参加职业技能大赛的专项赛得了第一", "市级专项竞赛"),
        ("全市技能大赛二等奖奖金多少", "全市技能大赛"),
        ("全市技能大赛和行业一类赛都参加了，大赛金奖多少", "全市技能大赛"),  # 全市 said: the grand contest
        ("技能大赛金奖多少钱", "全市技能大赛"),
        ("技能大赛拿了个二等奖是行业赛的，有奖金没？", None),  # class not said: 一类 and 二类 differ
        ("行业比赛三等奖能当技术能手吗", None),
    ])
    def test_run_the_named_kind_wins_over_the_generic_word(self, question, kind):
        assert extract_slots(question).get("contest_kind") == kind

    @pytest.mark.parametrize("question", ["行业一类赛二等奖有奖金吗", "区级竞赛第一名给多少", "专项赛第二名呢，有奖金吗"])
    def test_run_a_named_contest_routes_to_the_contest_tools(self, question):
        assert "contest" in [str(i) for i in route(question).intents]
