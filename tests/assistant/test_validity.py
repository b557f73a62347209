"""Expiry warnings at the edges of the as-of date."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.validity import validity_warnings


@pytest.fixture(scope="module")
def corpus():
    from corpus.loader import load_corpus

    return load_corpus()


TAX_2025 = "hr-service/att1/s5/i20"  # 政策执行期限截至2025年12月31日


@pytest.mark.parametrize("as_of, warned", [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_dated_clause_warns_only_after_its_last_day(corpus, as_of, warned):
    warnings, sources = validity_warnings(corpus, [TAX_2025], as_of, "招用重点群体能扣多少税？")
    assert bool(warnings) is warned
    if warned:
        assert "2025年12月31日" in warnings[0] and as_of.isoformat() in warnings[0] and "已到期" in warnings[0]
        assert sources == [TAX_2025]


def test_yearly_notice_warns_about_its_timetable(corpus):
    warnings, _ = validity_warnings(corpus, ["title-review-2023/s2/p1/i1"], date(2026, 11, 26), "2026年高级职称几号截止？")
    assert warnings and "2023年" in warnings[0] and "已过期" in warnings[0]


def test_yearly_notice_inside_its_year_does_not_warn(corpus):
    warnings, _ = validity_warnings(corpus, ["title-review-2023/s2/p1/i1"], date(2023, 5, 1), "高级职称几号截止？")
    assert warnings == []


@pytest.mark.parametrize("as_of, warned", [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_multi_year_plan_expires_after_2025(corpus, as_of, warned):
    warnings, _ = validity_warnings(corpus, ["skills-wuhai/s2/p3/i1"], as_of, "新型学徒制培训目标是多少人？")
    assert bool(warnings) is warned
    if warned:
        assert "2022—2025" in warnings[0]


def test_target_year_document(corpus):
    warnings, _ = validity_warnings(corpus, ["hr-service/s1/p3"], date(2026, 11, 26), "营业收入2亿元的目标现在还适用吗？")
    assert warnings and "2025" in warnings[0]


def test_undated_clause_has_no_warning(corpus):
    warnings, _ = validity_warnings(corpus, ["skills-contest/a18"], date(2030, 1, 1), "金奖奖金多少")
    assert warnings == []


def test_answer_keeps_content_and_adds_warning(assistant):
    result = assistant.ask("小规模纳税人月销售额12万元，现在还能免征增值税吗？", as_of=date(2026, 11, 26))
    assert result["status"] in ("answered", "needs_more_info")
    assert "15万元" in result["answer"].replace(" ", "")
    assert any("2022年12月31日" in w for w in result["warnings"])
    assert "2022" in result["answer"]


class TestNamedDocumentValidity:
    """A document named by its own name (the quoted proper name in its title) and asked whether it still holds is
    answered from its dates, whatever else the question says or does not say."""

    @pytest.mark.parametrize("question", ["技能乌海行动现在还有效吗？", "“技能乌海行动”到期了吗", "技能乌海行动到哪年结束",
                                          "技能乌海行动方案还管用吗", "技能乌海行动现在还有效吗"])
    def test_run_the_named_document_is_found_and_its_validity_asked(self, corpus, question):
        from assistant.validity import asks_validity, named_documents

        assert named_documents(corpus, question) == ["skills-wuhai"]
        assert asks_validity(question, names_document=True)

    @pytest.mark.parametrize("question", ["技能乌海怎么样", "技能大赛金奖多少钱", "我的职业资格证书还有效吗"])
    def test_run_no_document_or_no_validity_asked(self, corpus, question):
        from assistant.validity import asks_validity, named_documents

        assert not (named_documents(corpus, question) and asks_validity(question, names_document=True))

    @pytest.mark.parametrize("question", ["技能乌海行动现在还有效吗？", "技能烏海行動現在還有效嗎？", "请问技能乌海行动到哪年结束，谢谢"])
    def test_run_the_answer_states_the_dates_instead_of_refusing(self, assistant, question):
        result = assistant.ask(question, as_of=date(2026, 11, 30))
        assert result["status"] == "answered", result["answer"][:120]
        assert "document_validity" in [t["name"] for t in result["tool_calls"]]
        assert "2025" in result["answer"].splitlines()[0]


@pytest.mark.parametrize("question", ["创业园认定办法什么时候开始实施的，有效期到什么时候？", "技能乌海行动什么时候开始，到哪年结束？"])
def test_run_a_validity_question_is_answered_by_the_documents_dates_only(assistant, question):
    """The clause phrase holding a date ("本办法自2022年10月15日起施行") is no answer to "有效期到什么时候"."""
    first = assistant.ask(question, as_of=date(2026, 11, 30))["answer"].splitlines()[0]
    assert "有效期到：" not in first and "到哪年结束：" not in first
    assert first.count("。") <= 2, first
