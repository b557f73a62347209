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
