"""Article references in tool answers follow the clause the figure is read from on the as-of date (issue 13): after
the 2024 notice amends the 全市技能大赛 prize (the `versions:` entry of docs/MAINTAINING.md), the contest tool names
the notice, not 第十八条 — and before the notice's date it still names 第十八条."""

from __future__ import annotations

from datetime import date

import pytest

from eligibility_tools.base import Trace
from eligibility_tools.params import Params
from eligibility_tools.rules.common import article
from tests.corpus.test_maintaining import AWARD_ARGS, added, versioned_table, workspace  # noqa: F401 (fixtures)

NOTICE_LABEL = "《关于调整全市技能大赛奖金标准的通知》一、调整奖金标准"


@pytest.fixture
def amended(monkeypatch, added, versioned_table):  # noqa: F811
    monkeypatch.setattr("eligibility_tools.params.load_parameter_table", lambda directory=None: versioned_table)
    monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: added)


def test_article_labels(corpus):
    t = Trace(date(2024, 1, 1), Params(date(2024, 1, 1), corpus=corpus))
    assert article(t, "skills-contest/a18", "skills-contest") == "第十八条"
    assert article(t, "incubator/a6/p1", "incubator") == "第六条（一）"
    assert article(t, "skills-contest/a18", "incubator") == "《乌海市职业技能竞赛管理办法（试行）》第十八条"
    assert article(t, "city_skills_contest_prize", "skills-contest") == "第十八条"


def test_prize_summary_names_the_notice_from_its_date(amended):
    from eligibility_tools.registry import run_tool

    after = run_tool("skills_contest_award", AWARD_ARGS, date(2024, 7, 1))
    assert after.value["prize_yuan"] == 15000
    assert NOTICE_LABEL in after.summary_zh and "第十八条" not in after.summary_zh
    before = run_tool("skills_contest_award", AWARD_ARGS, date(2024, 6, 30))
    assert before.value["prize_yuan"] == 10000
    assert "第十八条" in before.summary_zh and "通知" not in before.summary_zh


def test_prize_total_step_quotes_the_amended_figures(amended):
    from eligibility_tools.registry import run_tool

    args = {"contest_type": "全市技能大赛", "mode": "奖金与称号合计", "gold": 1}
    step = next(s for s in run_tool("skills_contest_award", args, date(2024, 7, 1)).steps if s.rule == "prize_total")
    assert step.text_zh.startswith(NOTICE_LABEL) and "15000元" in step.text_zh and "1万元、" not in step.text_zh
