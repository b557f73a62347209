"""Rendering of answers, tool results and the clause browser (pure HTML, no server)."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility_tools.dates import parse_as_of
from tests.ui.fakes import A18, FakeAssistant, FakeRetrievedClause
from ui import render
from ui.services import Services


@pytest.fixture(scope="module")
def contract():
    return FakeAssistant().ask("技能大赛金奖奖金多少？", as_of=date(2026, 2, 1))


class TestAnswerMessages:
    def test_run_tool_calls_become_collapsed_metadata_blocks_before_the_answer(self, contract):
        messages = render.answer_messages(contract, {"initial_post_grade": "岗位初聘等级"},
                                          {"initial_post_grade": {"degree": "最高学历/学位"}})
        assert [m["role"] for m in messages] == ["assistant", "assistant"]
        tool, answer = messages
        assert tool["metadata"] == {"title": "工具调用：岗位初聘等级（initial_post_grade）", "status": "done"}
        assert "<td>最高学历/学位</td><td>硕士</td>" in tool["content"] and "十一级" in tool["content"]
        assert "metadata" not in answer
        assert "1万元" in answer["content"]

    def test_run_citation_card_has_label_document_text_and_clause_link(self, contract):
        html = render.answer_markdown(contract)
        assert '<details class="qa-cite" data-clause="skills-contest/a18">' in html
        assert "<b>第十八条</b>" in html and "《乌海市职业技能竞赛管理办法（试行）》" in html
        assert "给予1万元、0.8万元、0.5万元的奖金奖励" in html
        assert 'href="?clause=skills-contest/a18"' in html

    def test_run_warnings_are_styled(self, contract):
        html = render.answer_markdown(contract)
        assert '<div class="qa-warning">' in html and "示例提示" in html

    def test_run_status_note_for_out_of_scope_and_error(self):
        html = render.answer_markdown({"status": "out_of_scope", "answer": "没有"})
        assert "qa-status-out_of_scope" in html and "汇编中没有这项内容" in html
        assert "无法回答" in render.answer_markdown({"status": "error", "answer": "问题不能为空"})

    def test_run_escapes_user_and_corpus_text(self):
        html = render.answer_markdown({"status": "answered", "answer": "<script>alert(1)</script>",
                                       "citations": [{"clause_id": "x\"y", "label": "<b>", "document": "d", "text": "<i>"}]})
        assert "<script>" not in html and "&lt;script&gt;" in html
        assert 'data-clause="x&quot;y"' in html and "&lt;i&gt;" in html

    def test_run_plain_text_for_copy_lists_answer_warnings_and_labels(self, contract):
        text = render.answer_plain_text(contract)
        assert text.startswith("全市技能大赛金奖奖金1万元")
        assert "注意：示例提示" in text
        assert text.endswith("依据：《乌海市职业技能竞赛管理办法（试行）》第十八条")

    def test_run_user_display_names_blank_and_shortens_paste(self):
        assert render.user_display("   ") == "（空白问题）"
        shown = render.user_display("字" * 5000)
        assert len(shown) < 400 and "共 5000 字" in shown

    def test_run_followup_chips_carry_the_question(self):
        html = render.followups_html(["银奖奖金多少？"], "answered")
        assert 'data-q="银奖奖金多少？"' in html and "您可能还想问" in html
        assert "请补充" in render.followups_html(["您的硕士/博士学历是全日制的吗？"], "answered")
        assert render.followups_html([], "answered") == ""

    @pytest.mark.parametrize("question, status, expected", [
        ("银奖奖金多少？", "answered", False),
        ("博士可以聘几级？", "answered", False),
        ("您的硕士/博士学历是全日制的吗？", "answered", True),
        ("请问您的最高学历是？", "answered", True),
        ("最高学历？", "needs_more_info", True),
    ])
    def test_run_followup_asks_user(self, question, status, expected):
        assert render.followup_asks_user(question, status) is expected


class TestToolResultHtml:
    def test_run_shows_outcome_value_steps_and_linked_citations(self):
        from eligibility_tools.registry import run_tool

        result = run_tool("initial_post_grade", {"degree": "硕士"}, date(2025, 6, 1)).to_json()
        labels = Services().clause_labels(result["citations"])
        html = render.tool_result_html(result, labels)
        assert "qa-outcome-computed" in html and "计算结果" in html
        assert "十一级" in html and "岗位等级" in html
        assert "计算/判断过程" in html and "还需要了解" in html
        cid = result["citations"][0]
        assert f'data-clause="{cid}"' in html and labels[cid] in html
        assert "按 2025-06-01 的政策计算" in html

    @pytest.mark.parametrize("value, expected", [
        ({"by_grade": {"一级": 1, "二级": 2}}, [("一级", 1), ("二级", 2)]),
        ({"grades": [{"grade_zh": "十级", "posts": 3}, {"grade_zh": "十一级", "posts": 5}]}, [("十级", 3), ("十一级", 5)]),
        ([{"等级": "高级岗位", "岗位数": 4}], [("高级岗位", 4)]),
        ({"total": 10, "note": "x"}, []),
        (None, []),
    ])
    def test_run_quota_chart_rows_from_generic_shapes(self, value, expected):
        rows = render.quota_chart_rows({"value": value})
        assert [(r["岗位等级"], r["岗位数"]) for r in rows] == expected


    def test_run_quota_chart_rows_from_the_real_tool(self):
        from eligibility_tools.registry import run_tool

        full = run_tool("post_structure_quota", {"total_posts": 100, "jurisdiction": "市本级", "concentrated_unit": False},
                        date(2025, 6, 1)).to_json()
        rows = render.quota_chart_rows(full)
        grades = {r["岗位等级"]: r["岗位数"] for r in rows}
        per_grade = {**full["value"]["intermediate_grades"]["grades"], **full["value"]["junior_grades"]["grades"]}
        assert {k: grades[k] for k in per_grade} == per_grade  # every per-grade count, exactly as the tool gives it
        low, high = full["value"]["senior_split"]["正高级"]
        assert grades[f"正高级（{low}–{high}）" if low != high else "正高级"] == low
        html = render.tool_result_html(full)
        assert "中级岗位各等级" in html and "余数（未分配）" in html

        group = run_tool("post_structure_quota", {"grade_group": "副高级", "group_count": 10}, date(2025, 6, 1)).to_json()
        assert {r["岗位等级"]: r["岗位数"] for r in render.quota_chart_rows(group)} == group["value"]["grade_split"]["grades"]


    def test_run_policy_match_lists_supports_by_section_with_citations(self):
        from eligibility_tools.registry import run_tool

        profile = {"subject_type": "个人", "education": "硕士", "age": 30, "months_in_wuhai": 24, "full_time": True,
                   "open_recruitment": True, "unit_type": "事业单位", "current_title": "助理级", "target_title": "中级"}
        result = run_tool("policy_match", profile, date(2025, 6, 1)).to_json()
        html = render.tool_result_html(result)
        applies = result["value"]["applies"]
        assert applies and "可以享受" in html
        for item in applies:
            assert item["label"] in html
            for cid in item["citations"]:
                assert f'data-clause="{cid}"' in html
        assert set(render.match_citations(result["value"])) >= {c for i in applies for c in i["citations"]}


class TestBrowserHtml:
    def test_run_highlight_marks_longest_terms_and_escapes(self):
        assert render.highlight("技能大赛<奖金>", ["技能", "技能大赛", "奖金"]) == \
            "<mark>技能大赛</mark>&lt;<mark>奖金</mark>&gt;"

    def test_run_tree_links_every_clause_of_the_document(self, corpus):
        html = render.clause_tree_html(corpus, "skills-contest", selected=A18)
        for cid in corpus.descendants("skills-contest"):
            assert f'data-clause="{cid}"' in html
        assert '<li class="qa-selected"><a class="qa-clause-link" href="?clause=skills-contest/a18"' in html

    def test_run_detail_shows_label_text_and_link(self, corpus):
        html = render.clause_detail_html(corpus, A18, ["奖金"])
        assert "《乌海市职业技能竞赛管理办法（试行）》第十八条" in html
        assert "<mark>奖金</mark>" in html and "?clause=skills-contest/a18" in html

    def test_run_detail_of_unknown_clause_is_a_message(self, corpus):
        assert "未找到条款" in render.clause_detail_html(corpus, "nope/a1")

    def test_run_search_results_highlight_and_link(self):
        hit = FakeRetrievedClause(A18, "《办法》第十八条", "办法", "给予1万元的奖金奖励", 1.0)
        html = render.search_results_html("奖金", [hit], ["奖金"])
        assert 'data-clause="skills-contest/a18"' in html and "<mark>奖金</mark>" in html
        assert "没有找到" in render.search_results_html("无关", [], [])


class TestServices:
    @pytest.mark.parametrize("text, expected", [("", None), (None, None), ("2025-12-31", date(2025, 12, 31)),
                                                (" 2026-01-01 00:00:00 ", date(2026, 1, 1))])
    def test_run_parse_as_of(self, text, expected):
        assert parse_as_of(text) == expected

    def test_run_parse_as_of_rejects_with_chinese_message(self):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            parse_as_of("明年")

    def test_run_ask_passes_date_and_session(self):
        fake = FakeAssistant()
        out = Services(assistant=fake).ask("技能大赛金奖奖金多少？", session_id="s1", as_of="2026-02-01")
        assert out["status"] == "answered"
        assert fake.calls == [("技能大赛金奖奖金多少？", date(2026, 2, 1), "s1")]

    def test_run_ask_never_raises(self):
        class Broken:
            def ask(self, question, **kwargs):
                raise RuntimeError("boom")

        out = Services(assistant=Broken()).ask("x")
        assert out["status"] == "error" and "系统内部错误" in out["answer"] and out["citations"] == []
        bad_date = Services(assistant=FakeAssistant()).ask("x", as_of="31/12/2025")
        assert bad_date["status"] == "error" and "YYYY-MM-DD" in bad_date["answer"]
