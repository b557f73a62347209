"""Rendering of tool results and the clause browser (pure HTML, no server); the answer card is in test_answer.py."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eligibility_tools.dates import parse_as_of
from tests.ui.fakes import A18, FakeAssistant, FakeRetrievedClause
from ui import render
from ui.services import Services

SNAKE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
CLAUSE_ID = re.compile(r"(?<![A-Za-z0-9_/-])[a-z][a-z0-9-]*/(?:[a-z]+\d+)(?:/[a-z]+\d+)*(?![A-Za-z0-9_])")


VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "col"}


def citizen_text(html: str) -> str:
    """The words a citizen reads: staff-only blocks removed, then every tag (attributes are not read)."""
    depth, out, pos = 0, [], 0
    for m in re.finditer(r"<(/?)(\w+)([^>]*)>", html):
        if depth == 0:
            out.append(html[pos:m.start()])
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if depth:
            if not closing and not attrs.rstrip().endswith("/") and tag.lower() not in VOID_TAGS:
                depth += 1
            elif closing:
                depth -= 1
        elif not closing and "qa-staff" in attrs:
            depth = 1
        pos = m.end()
    if depth == 0:
        out.append(html[pos:])
    return "".join(out)


class TestToolResultHtml:
    def test_run_shows_outcome_value_steps_and_linked_citations(self):
        from eligibility_tools.registry import run_tool

        result = run_tool("initial_post_grade", {"degree": "硕士"}, date(2025, 6, 1)).to_json()
        labels = Services().clause_labels(result["citations"])
        html = render.tool_result_html(result, labels, tool_title="岗位初聘等级")
        assert "qa-outcome-computed" in html and "计算结果" in html
        assert "十一级" in html and "<th scope='row'>岗位等级</th>" in html
        assert "计算/判断过程" in html and "还需要了解" in html
        cid = result["citations"][0]
        assert f'data-clause="{cid}"' in html and labels[cid] in html
        assert "按 2025-06-01 的政策计算" in html
        text = citizen_text(html)
        assert not SNAKE.search(text) and not CLAUSE_ID.search(text) and "JSON" not in text, text
        assert "initial_post_grade_by_degree" in html and "initial_post_grade" in html  # for 工作人员模式
        assert '&quot;grade_zh&quot;: &quot;十一级&quot;' in html  # the raw result (escaped), staff only

    def test_run_partial_amount_is_computed_with_chinese_labels(self):
        from eligibility_tools.registry import get_tool, run_tool
        from ui.labels import input_labels

        result = run_tool("apprenticeship_subsidy", {"apprentices": 3, "years": 2, "contract_and_insurance": True},
                          date(2026, 6, 1)).to_json()
        html = render.tool_result_html(result, Services().clause_labels(result["citations"]),
                                       inputs=input_labels(get_tool("apprenticeship_subsidy")))
        text = citizen_text(html)
        assert result["outcome"] == "computed" and "24000元" in text and "3人×2年×4000元" in text
        assert "可预支金额（不超过）" in text and "12,000元" in text and "按文件规定的最低标准测算" in text
        assert not SNAKE.search(text) and "standard_is_floor" in html  # the key only in the staff JSON

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
        html = render.tool_result_html(result, Services().clause_labels(render.match_citations(result["value"])))
        applies = result["value"]["applies"]
        assert applies and "可以享受" in html
        for item in applies:
            assert item["label"] in html
            for cid in item["citations"]:
                assert f'data-clause="{cid}"' in html
        assert set(render.match_citations(result["value"])) >= {c for i in applies for c in i["citations"]}
        text = citizen_text(html)
        assert not SNAKE.search(text) and not CLAUSE_ID.search(text), text

    def test_run_clause_without_a_label_is_not_shown_by_its_id(self):
        html = render.tool_result_html({"outcome": "eligible", "summary_zh": "可以", "citations": ["x/a1"], "steps": []}, {})
        assert "x/a1" not in citizen_text(html)


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
        assert A18 not in citizen_text(html)  # the id line is for 工作人员模式

    def test_run_document_detail_lists_its_parts_not_the_whole_text(self, corpus):
        html = render.clause_detail_html(corpus, "skills-contest")
        root = corpus.clauses["skills-contest"]
        assert all(f'data-clause="{c}"' in html for c in root.children)
        assert len(html) < 10_000 and not CLAUSE_ID.search(citizen_text(html))

    def test_run_detail_of_unknown_clause_is_a_message(self, corpus):
        assert "未找到条款" in render.clause_detail_html(corpus, "nope/a1")
        assert len(render.clause_detail_html(corpus, "x" * 10_000)) < 400

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

    @pytest.mark.parametrize("session_id, refused", [("s" * 64, False), ("s" * 65, True), ("x" * 1_000_000, True),
                                                    ("a\nb", True), ("", False), (None, False)])
    def test_run_session_id_is_at_most_64_characters(self, session_id, refused):
        fake = FakeAssistant()
        out = Services(assistant=fake).ask("技能大赛金奖奖金多少？", session_id=session_id)
        assert (out["status"] == "error") is refused
        if refused:
            assert re.search(r"会话编号", out["answer"]) and fake.calls == []
            assert len(out["question"]) <= 200
        else:
            assert fake.calls[0][2] == (session_id or None)

    def test_run_feedback_failure_is_a_chinese_message_not_a_crash(self, tmp_path):
        blocker = tmp_path / "file"
        blocker.write_text("x")
        services = Services(assistant=FakeAssistant(), feedback_path=blocker / "feedback.sqlite3")  # parent is a file
        message = services.record_feedback(rating="up", answer_id="a" * 32, question="q",
                                           contract={"status": "answered", "answer": "x"}, as_of="2026-01-01")
        assert message == "反馈暂时无法保存，请稍后再试。"
