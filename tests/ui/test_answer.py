"""The answer card and the conversation, from answer contracts the real assistant produced (tests/ui/data/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.ui.test_render import CLAUSE_ID, SNAKE, citizen_text
from ui import answer

CONTRACTS = json.loads((Path(__file__).parent / "data" / "contracts.json").read_text(encoding="utf-8"))


def turn_of(name: str, **extra) -> dict:
    contract = CONTRACTS[name]
    return {**answer.new_turn(contract["question"], contract, "2026-11-30", "2026-11-30 10:00"), **extra}


class TestAnswerView:
    def test_run_conclusion_is_the_contract_field_first(self):
        view = answer.answer_view({**CONTRACTS["gold"], "conclusion": "金奖奖金1万元。"})
        assert view.conclusion == "金奖奖金1万元。"

    def test_run_conclusion_falls_back_to_the_conclusion_line(self):
        view = answer.answer_view(CONTRACTS["gold"])
        assert view.conclusion.startswith("按第十八条，全市技能大赛第1名获金奖，奖金10000元（1万元）")
        assert "条文原文" not in view.conclusion and "\n" not in view.conclusion

    def test_run_refusal_conclusion_drops_the_quote_and_keeps_the_advice(self):
        view = answer.answer_view(CONTRACTS["hohhot"])
        assert view.status == "out_of_scope"
        assert view.conclusion == "汇编没有写明“住房/购房补贴、人才公寓”的具体规定。"
        assert any(line.startswith("建议咨询") for line in view.body)
        assert view.sources and view.sources[0]["quote"].startswith("鼓励入园机构引进国家“万人计划”")

    def test_run_at_most_three_sources_the_tool_used_first(self):
        gold = answer.answer_view(CONTRACTS["gold"])
        assert [s["clause_id"] for s in gold.sources] == ["skills-contest/a18"]  # 8 citations, 1 that decided
        assert gold.sources[0]["label"] == "《乌海市职业技能竞赛管理办法（试行）》第十八条"
        assert "1万元、0.8万元、0.5万元" in gold.sources[0]["quote"]
        assert len(gold.other_sources) == 7
        routes = answer.answer_view(CONTRACTS["title_routes"])
        assert 1 <= len(routes.sources) <= answer.MAX_SOURCES

    def test_run_steps_warnings_once_and_follow_ups_split(self):
        view = answer.answer_view(CONTRACTS["title_routes"])
        assert view.steps and all(not s.startswith("- ") for s in view.steps)
        assert len(view.warnings) == 2  # in `warnings` and again under 提示：, shown once
        assert view.asks and not view.suggestions and view.status == "needs_more_info"
        suggest = answer.answer_view({"status": "answered", "answer": "结论：x", "follow_up_questions": ["银奖奖金多少？"]})
        assert suggest.suggestions == ["银奖奖金多少？"] and suggest.asks == []

    def test_run_steps_come_from_the_tool_when_the_text_has_none(self):
        contract = {"status": "answered", "answer": "结论：可聘十一级。",
                    "tool_calls": [{"name": "t", "arguments": {}, "result": {"steps": [{"text_zh": "硕士可聘十一级。"}]}}]}
        assert answer.answer_view(contract).steps == ["硕士可聘十一级。"]

    @pytest.mark.parametrize("contract", [{}, {"status": "error", "answer": ""}, {"status": "answered", "answer": None,
                                                                                  "citations": [None, "x"], "tool_calls": [3]}])
    def test_run_odd_contracts_still_give_a_conclusion(self, contract):
        view = answer.answer_view(contract)
        assert view.conclusion and isinstance(view.sources, list)


class TestCardHtml:
    @pytest.mark.parametrize("name", sorted(CONTRACTS))
    def test_run_citizen_card_has_no_developer_words(self, name):
        html = answer.turn_html(turn_of(name), last=True)
        text = citizen_text(html)
        assert not SNAKE.search(text), SNAKE.findall(text)
        assert not CLAUSE_ID.search(text), CLAUSE_ID.findall(text)
        assert "JSON" not in text and "tool" not in text.lower()

    def test_run_conclusion_comes_first_and_sections_are_collapsed(self):
        html = answer.turn_html(turn_of("gold"), last=True)
        assert html.index("qa-conclusion") < html.index("计算过程") < html.index("依据（1条）") < html.index("qa-feedback")
        assert "<details class=\"qa-sec\"><summary>计算过程</summary>" in html and "<details open" not in html
        assert 'href="?clause=skills-contest/a18"' in html

    def test_run_staff_card_shows_tools_ids_and_json(self):
        html = answer.turn_html(turn_of("gold"), staff=True, tool_titles={"skills_contest_award": "职业技能竞赛奖项与奖金"})
        assert "skills_contest_award" in html and "skills-contest/a19" in html and "qa-staff" in html
        assert "contest_top_places" in html  # parameter names inside the result JSON

    def test_run_question_is_plain_text(self):
        question = '![](http://10.9.9.9/x.png) <img src="http://10.9.9.9/y.png"> **粗体**'
        html = answer.turn_html({**turn_of("gold"), "question": question})
        assert "<img" not in html and "&lt;img src=&quot;http://10.9.9.9/y.png&quot;&gt;" in html
        assert "![](http://10.9.9.9/x.png)" in html and "<strong>粗体" not in html
        assert "<img" not in answer.pending_html(question)

    def test_run_answer_text_is_escaped(self):
        html = answer.turn_html({**turn_of("gold"), "contract": {"status": "answered", "answer": "结论：<script>x</script>",
                                                                  "citations": [{"clause_id": 'a"b', "label": "<b>", "text": "<i>"}]}})
        assert "<script>" not in html and "&lt;script&gt;" in html and "<i>" not in html

    def test_run_chips_only_on_the_last_turn(self):
        suggest = {"status": "answered", "answer": "结论：1万元", "follow_up_questions": ["银奖奖金多少？"]}
        last = answer.turn_html({**turn_of("gold"), "contract": suggest}, last=True)
        earlier = answer.turn_html({**turn_of("gold"), "contract": suggest}, last=False)
        assert 'data-action="ask" data-q="银奖奖金多少？"' in last and "data-action=\"ask\"" not in earlier
        asks = answer.turn_html(turn_of("title_routes"), last=True)
        assert 'data-action="hint"' in asks and "还需要您补充" in asks

    @pytest.mark.parametrize("vote, reason, expected", [
        (None, None, "这个回答有帮助吗？"),
        ("up", None, "已记录：有帮助"),
        ("down", None, 'data-action="reason"'),
        ("down", "数字不对", "已记录：没帮助（数字不对）"),
    ])
    def test_run_feedback_states(self, vote, reason, expected):
        html = answer.turn_html(turn_of("gold", vote=vote, reason=reason), last=True)
        assert expected in html
        assert html.count('data-action="vote"') == 2
        if vote:
            assert f'data-rating="{vote}" aria-pressed="true"' in html
        assert html.count('data-action="reason"') == (len(answer.REASONS) if vote == "down" and not reason else 0)

    def test_run_error_answers_have_no_vote(self):
        html = answer.turn_html({**turn_of("gold"), "contract": {"status": "error", "answer": "问题不能为空"}}, last=True)
        assert "问题不能为空" in html and "qa-feedback" not in html and "无法回答" in html

    def test_run_conversation_marks_the_focus_and_shows_examples_when_empty(self):
        empty = answer.conversation_html([])
        assert "qa-empty" in empty and all(q in empty for q in answer.EXAMPLE_QUESTIONS)
        html = answer.conversation_html([turn_of("gold"), turn_of("hohhot")], focus="f1")
        articles = html.split("<article")[1:]
        assert 'data-focus="f1"' in articles[-1] and "data-focus" not in articles[0]
        pending = answer.conversation_html([turn_of("gold")], pending="那银奖呢？", focus="p1")
        assert "正在查找条款…" in pending and 'class="qa-turn qa-pending" data-focus="p1"' in pending
        assert len(re.findall(r'data-focus="', answer.conversation_html([turn_of("gold")]))) == 0


class TestStoredConversation:
    def test_run_stored_turns_are_compact_and_capped(self):
        turns = [turn_of("title_routes") for _ in range(answer.MAX_TURNS + 5)]
        stored = answer.stored_turns(turns)
        assert len(stored) == answer.MAX_TURNS
        full = len(json.dumps(turns[0], ensure_ascii=False))
        assert len(json.dumps(stored[0], ensure_ascii=False)) < full / 2
        assert answer.answer_view(stored[0]["contract"]).conclusion == answer.answer_view(turns[0]["contract"]).conclusion

    def test_run_restore_keeps_valid_turns_and_drops_garbage(self):
        good = answer.stored_turns([turn_of("gold", vote="down", reason="数字不对")])[0]
        restored = answer.restore_turns([good, "x", {"question": 3}, {**good, "id": "../../etc", "vote": "maybe",
                                                                         "reason": "<b>"}])
        assert len(restored) == 2
        assert restored[0]["id"] == good["id"] and restored[0]["vote"] == "down" and restored[0]["reason"] == "数字不对"
        assert re.fullmatch(r"[0-9a-f]{32}", restored[1]["id"]) and restored[1]["vote"] is None and restored[1]["reason"] is None
        assert answer.restore_turns(None) == [] and answer.restore_turns({"turns": []}) == []

    def test_run_text_record_for_print_and_export(self):
        text = answer.conversation_text([turn_of("gold"), turn_of("hohhot")], "2026-11-30 10:00")
        assert text.startswith("乌海人才政策助手 · 本次问答记录（导出时间 2026-11-30 10:00）")
        assert "【第1问】技能大赛金奖奖金多少？" in text and "【第2问】" in text
        assert "结论：按第十八条" in text and "《乌海市职业技能竞赛管理办法（试行）》第十八条：“" in text
        assert "政策基准日期 2026-11-30" in text and text.rstrip().endswith(answer.DISCLAIMER)
        assert not SNAKE.search(text) and not CLAUSE_ID.search(text)
