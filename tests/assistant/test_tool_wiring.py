"""The updated tools as the assistant calls them, and how their results lead the answer.

Questions are worded differently from the dev set on purpose: these are the general rules, not dev answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.composer import Candidate, answer_kinds, pick_sentences
from tests.assistant.conftest import AS_OF

pytestmark = pytest.mark.unit


def _tools(result: dict) -> dict[str, dict]:
    return {t["name"]: t for t in result["tool_calls"]}


class TestContestTools:
    def test_run_team_tally_goes_to_team_score(self, assistant):
        result = assistant.ask("我们区在全市技能大赛得了2个金奖、1个银奖和4个优胜奖，团体总分多少？", as_of=AS_OF)
        call = _tools(result)["team_score"]
        assert call["arguments"] == {"gold": 2, "silver": 1, "bronze": 0, "merit": 4, "participation": 0}
        assert "skills_contest_award" not in _tools(result)
        assert result["answer"].startswith("结论：区团体总分为22分")
        assert result["citations"][0]["clause_id"] == "skills-contest/a19"

    @pytest.mark.parametrize("question, rank, money", [
        ("全市技能大赛拿了银奖奖金是多少？", 2, "8000"),
        ("技能大赛铜奖能领多少钱", 3, "5000"),
        ("技能大赛第一名奖金多少？", 1, "10000"),
    ])
    def test_run_rank_only_award(self, assistant, question, rank, money):
        result = assistant.ask(question, as_of=AS_OF)
        call = _tools(result)["skills_contest_award"]
        assert call["arguments"]["rank"] == rank and "participants" not in call["arguments"]
        assert result["status"] == "answered"
        first_line = result["answer"].splitlines()[0]
        assert first_line.startswith("结论：") and money in first_line
        assert result["citations"][0]["clause_id"] == "skills-contest/a18"

    def test_run_participants_only_gives_merit_range(self, assistant):
        result = assistant.ask("一个竞赛项目有30名选手参赛，哪些名次可以拿优胜奖，共几人？", as_of=AS_OF)
        call = _tools(result)["skills_contest_award"]
        assert call["arguments"]["participants"] == 30 and "rank" not in call["arguments"]
        assert call["result"]["value"]["merit_rank_range"] == [4, 15]
        assert "第4—15名" in result["answer"].splitlines()[0] and "12人" in result["answer"].splitlines()[0]
        assert result["citations"][0]["clause_id"] == "skills-contest/a18"

    def test_run_past_award_is_not_an_award_question(self, assistant):
        result = assistant.ask("我往届拿过全市技能大赛金奖，今年还能报名参赛吗？", as_of=AS_OF)
        assert "skills_contest_award" not in _tools(result)


class TestIncubatorPayment:
    def test_run_award_schedule_without_base_type(self, assistant):
        result = assistant.ask("我们孵化基地以奖代补核定60万元，分几次拨付、各拨多少？", as_of=AS_OF)
        call = _tools(result)["incubator_recognition"]
        assert call["arguments"]["question"] == "扶持资金" and call["arguments"]["award_amount"] == 600000
        assert "base_type" not in call["arguments"]
        first = result["answer"].splitlines()[0]
        assert "42万" in first and "18万" in first
        assert result["citations"][0]["clause_id"] == "incubator/a12"


class TestTitleRoutes:
    def test_run_series_change_focus_answers_and_asks_nothing_else(self, assistant):
        result = assistant.ask("我去年底从会计岗调到统计岗，干了5个月，可以转评统计系列同级职称吗？", as_of=AS_OF)
        call = _tools(result)["title_application_routes"]
        assert call["arguments"]["changing_series"] is True and call["arguments"]["months_in_new_post"] == 5
        assert result["status"] == "answered"
        assert result["answer"].startswith("结论：目前还不能")
        assert result["citations"][0]["clause_id"] == "post-title/s5/p7"
        assert result["follow_up_questions"] == []
        assert "另外核对了" in result["answer"]
        assert "非公有制" not in result["answer"]  # warnings about routes outside the question are dropped

    def test_run_relevant_route_threshold_is_quoted(self, assistant):
        result = assistant.ask("我在私企做技术，大专毕业干了9年，能直接申报中级职称吗？", as_of=AS_OF)
        assert "title_application_routes" in _tools(result)
        answer = result["answer"]
        assert "满 8 年" in answer and "2023年通知四、（七）" in answer
        # only the relevant routes are explained; the rest are one counted line
        assert answer.count("：不符合。") <= 1
        ids = [c["clause_id"] for c in result["citations"]]
        assert ids[0] == "title-review-2023/s4/p7"


class TestPolicyMatch:
    def test_run_profile_question_goes_to_policy_match(self, assistant):
        result = assistant.ask("我们企业有职工50人，招了4名自主就业退役士兵并签了劳动合同缴了社保，我们能享受哪些政策？", as_of=AS_OF)
        assert [t["name"] for t in result["tool_calls"]] == ["policy_match"]
        args = result["tool_calls"][0]["arguments"]
        assert args["subject_type"] == "企业" and args["staff"] == 50 and args["veteran_hires"] == 4
        assert args["hires_contract_and_insurance"] is True
        assert result["answer"].startswith("结论：")

    def test_run_ordinary_question_is_not_policy_match(self, assistant):
        result = assistant.ask("招用退役士兵每人每年扣减多少税？", as_of=AS_OF)
        assert "policy_match" not in _tools(result)


class TestComposition:
    def test_run_answer_kinds(self):
        assert "money" in answer_kinds("一次性创业补贴给多少钱？")
        assert "duration" in answer_kinds("孵化期最长多久？")
        assert "contact" in answer_kinds("材料交到哪个单位，找谁？")
        assert "list" in answer_kinds("哪些系列实行考评结合？")

    def test_run_money_question_quotes_the_sentence_with_the_amount(self):
        cand = Candidate(clause_id="x", label="x", document="d",
                         text="经认定的示范性基地可申请以奖代补资金。示范性基地奖励标准为50万—100万。")
        picked = pick_sentences("示范性基地以奖代补给多少钱？", [cand], max_sentences=1)
        assert picked == [("x", "示范性基地奖励标准为50万—100万。")]

    def test_run_contact_question_prefers_the_table_row(self, assistant):
        result = assistant.ask("乌达区的单位报中级职称，材料交给谁，电话多少？", as_of=AS_OF)
        assert result["citations"][0]["clause_id"].startswith("title-review-2023/att2/r")

    def test_run_basis_quotes_are_short(self, assistant):
        result = assistant.ask("人力资源服务产业园建设有什么要求？", as_of=AS_OF)
        lines = result["answer"].splitlines()
        start = lines.index("依据：") + 1
        end = next((i for i in range(start, len(lines)) if not lines[i].startswith("- ")), len(lines))
        basis = lines[start:end]
        assert basis and all(len(line.split("：“", 1)[1]) <= 120 for line in basis)


def test_retrieval_runs_once_per_question(fake_retriever, assistant):
    before = len(fake_retriever.calls)
    assistant.ask("我们区拿了1金2银，另有1个项目只参赛，团体总分多少？", as_of=AS_OF)
    assistant.ask("特设岗位的聘期可以延长吗？", as_of=AS_OF)
    assert len(fake_retriever.calls) - before <= 2


def test_heldout_abstention_file_is_separate():
    data_dir = Path(__file__).resolve().parent / "data"
    held = yaml.safe_load((data_dir / "abstention_heldout.yaml").read_text(encoding="utf-8"))
    calib = yaml.safe_load((data_dir / "abstention_examples.yaml").read_text(encoding="utf-8"))
    dev = Path(__file__).resolve().parents[2] / "evals" / "gold" / "dev.jsonl"
    dev_q = {json.loads(line)["question"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert len(held["should_answer"]) >= 30 and len(held["should_refuse"]) >= 30
    seen = set(calib["should_answer"]) | set(calib["should_refuse"]) | dev_q
    assert not (set(held["should_answer"]) | set(held["should_refuse"])) & seen


# --------------------------------------------------------------------------- class 5: stated facts are never asked

STATED = yaml.safe_load((Path(__file__).parent / "cases" / "stated_facts.yaml").read_text(encoding="utf-8"))
_STATED_CASES = [(tool, fieldname, q) for tool, table in STATED["stated"].items() for fieldname, q in table.items()]
_SELECTORS = {"policy_match", "clause_rule", "document_validity", "sum_amounts"}  # a profile over the other tools' fields / the inventory's own binding / chosen by the named document


def _planned_runs(question: str):
    """Normalise -> slots -> route -> builders -> tools, as the assistant does (no retrieval: fast and exact)."""
    from datetime import date

    from assistant.normalize import normalize_question
    from assistant.router import route
    from assistant.slots import extract_slots
    from assistant.tool_calls import plan_tool_calls
    from eligibility_tools.registry import load_tools, run_tool

    text = normalize_question(question).text
    rt = route(text, extract_slots(text))
    return [(call, run_tool(call.name, call.arguments, date(2026, 11, 26)).to_json())
            for call in plan_tool_calls(rt, text, load_tools())]


class TestStatedFactsAreNeverAsked:
    def test_every_tool_field_is_stated_or_has_a_reason(self):
        from eligibility_tools.registry import load_tools

        missing = []
        for name, spec in load_tools().items():
            if name in _SELECTORS:
                continue
            known = set(STATED["stated"].get(name, {})) | set(STATED["unstated"].get(name) or {})
            missing += [f"{name}.{f}" for f in spec.input_model.model_fields if f not in known]
        assert not missing, f"fields with no question stating them and no reason: {missing}"

    @pytest.mark.parametrize("tool, fieldname, question", _STATED_CASES, ids=[f"{t}.{f}" for t, f, _ in _STATED_CASES])
    def test_run_stated_field_is_bound_and_not_asked(self, tool, fieldname, question):
        runs = [(call, result) for call, result in _planned_runs(question) if call.name == tool]
        assert runs, f"{tool} not called for: {question}"
        bound = [(call, result) for call, result in runs if fieldname in call.arguments]
        assert bound, f"{fieldname} not bound: {[c.arguments for c, _ in runs]}"
        for call, result in bound:
            asked = {m["fact"] for m in result["missing_facts"]}
            assert fieldname not in asked, (call.arguments, result["missing_facts"])

    @pytest.mark.parametrize("question", [
        "我们人力资源公司接收了4名见习人员，每人见习6个月，一类地区最低工资标准2270元，见习补贴多少？",
        "重点产业目录里的工种培训了80课时，没到基本培训课时（120课时），课时补贴标准10元，每人补多少？",
        "我是自主就业退役士兵，2023年1月办了个体户，2024年应缴税费16000元，能扣多少？",
        "小微人力资源公司现有职工40人，要新招多少人才能申请创业担保贷款？",
        "我今年17岁，在乌海上学两年了，能报名全市技能大赛吗？",
    ])
    def test_run_answer_follow_ups_never_ask_a_stated_fact(self, assistant, question):
        """The question each bound field would have been asked with (the tool run without it) is not a follow-up."""
        from datetime import date

        from eligibility_tools.registry import run_tool

        result = assistant.ask(question, as_of=AS_OF)
        would_ask = set()
        for call, _ in _planned_runs(question):
            for fieldname in call.arguments:
                without = {k: v for k, v in call.arguments.items() if k != fieldname}
                try:
                    missing = run_tool(call.name, without, date(2026, 11, 26)).to_json()["missing_facts"]
                except Exception:  # a required field: the tool cannot run without it
                    continue
                would_ask |= {m["question_zh"] for m in missing if m["fact"] == fieldname}
        assert would_ask, "the table must hold questions whose facts the tools would otherwise ask"
        assert not would_ask & set(result["follow_up_questions"]), result["follow_up_questions"]


# --------------------------------------------------------------------------- classes 1-4, 6: facts bind, figures come out

BINDINGS = yaml.safe_load((Path(__file__).parent / "cases" / "tool_bindings.yaml").read_text(encoding="utf-8"))


def _dig(value, dotted: str):
    for part in dotted.split("."):
        value = value[part]
    return value


def _check_run(call, result, want: dict) -> None:
    for key, expected in (want.get("args") or {}).items():
        assert call.arguments.get(key) == expected, f"{key}: {call.arguments}"
    for key in want.get("absent") or []:
        assert key not in call.arguments, call.arguments
    if "outcome" in want:
        assert result["outcome"] == want["outcome"], (result["summary_zh"], result["missing_facts"])
    for text in want.get("summary_contains") or []:
        assert text in result["summary_zh"], result["summary_zh"]
    for key, expected in (want.get("value") or {}).items():
        assert _dig(result["value"], key) == expected, result["value"]


@pytest.mark.parametrize("case", BINDINGS, ids=[c["name"] for c in BINDINGS])
def test_run_question_class_binds_and_states_the_figure(case):
    runs = [(call, result) for call, result in _planned_runs(case["q"]) if call.name == case["tool"]]
    assert runs, f"{case['tool']} not called"
    wanted = case.get("runs") or [case]
    assert len(runs) >= len(wanted), [c.arguments for c, _ in runs]
    for want in wanted:
        errors = []
        for call, result in runs:  # some run of the tool matches each expected run
            try:
                _check_run(call, result, want)
                break
            except AssertionError as err:
                errors.append(str(err))
        else:
            pytest.fail("; ".join(errors))


class TestTotals:
    """Several amounts of one tool for one question are added up by the sum_amounts tool, never for alternatives."""

    def test_run_two_groups_are_totalled(self, assistant):
        result = assistant.ask("我们公司2023年招了2名自主就业退役士兵和3名持就业创业证、登记失业半年以上的人员，都签了3年合同交了社保，"
                               "2023年一共能扣减多少税？", as_of=AS_OF)
        totals = [t for t in result["tool_calls"] if t["name"] == "sum_amounts"]
        assert totals and totals[0]["result"]["value"]["amount_yuan"] == 18000 + 23400
        assert "41400元" in result["answer"].splitlines()[0]

    def test_run_alternatives_are_not_totalled(self, assistant):
        result = assistant.ask("小微人力资源公司现有职工40人，要新招用多少人才能申请创业担保贷款？如果公司有120人呢？", as_of=AS_OF)
        assert not [t for t in result["tool_calls"] if t["name"] == "sum_amounts"]


class TestSchemaArguments:
    """A tool with no hand builder has its fields filled from the slots by name (or the slot its field names)."""

    @staticmethod
    def _model():
        from pydantic import BaseModel, Field

        class ExampleInput(BaseModel):
            age: int | None = None
            graduates: int | None = Field(None, json_schema_extra={"slot": "jobs"})
            note: str | None = None

        return ExampleInput

    def test_fields_are_filled_by_slot_name(self):
        from assistant.slots import Slots
        from assistant.tool_calls import schema_arguments

        slots = Slots(values={"age": 35, "jobs": 3, "education": "本科"})
        assert schema_arguments(self._model(), slots) == {"age": 35, "graduates": 3}
        assert schema_arguments(self._model(), Slots(values={"education": "本科"})) is None

    def test_own_builder_then_hand_builder_then_schema(self):
        from types import SimpleNamespace

        from assistant.slots import Slots
        from assistant.tool_calls import BUILDERS, builder_for

        def own(slots, question, rt):
            return {"age": 1}

        model = self._model()
        assert builder_for("x", SimpleNamespace(builder=own, input_model=model)) is own
        assert builder_for("training_subsidy", SimpleNamespace(builder=None, input_model=model)) is BUILDERS["training_subsidy"]
        default = builder_for("x", SimpleNamespace(builder=None, input_model=model))
        assert default(Slots(values={"jobs": 2}), "", None) == {"graduates": 2}
