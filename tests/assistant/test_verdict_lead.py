"""A focused route that fails says 不能, and 目前还不能 only when what is missing is time (还差N年)."""

from __future__ import annotations

import pytest

from assistant.composer import ToolRun

pytestmark = pytest.mark.unit


def _run(reason: str) -> ToolRun:
    route = {"id": "exceptional_higher", "name_zh": "破格（直接）申报高一级", "status": "not_eligible", "reason": reason}
    return ToolRun(name="title_application_routes", arguments={}, primary=True, focus=["exceptional_higher"],
                   result={"outcome": "not_eligible", "value": {"routes": [], "not_applicable": [route]}})


@pytest.mark.parametrize("reason", ["在乡镇（村）从事专业技术工作需满20年，目前19年，还差1年", "还差两年", "工作还不满5年",
                                    "须累计服务乡镇、村满3年，目前2.5年"])
def test_run_a_gap_in_time_is_not_yet(reason):
    assert _run(reason).summary().startswith("目前还不能。")


@pytest.mark.parametrize("reason", ["自治区科技成果二、三等奖额定获奖人员须在各区及以下地区工作，您在市直工作", "须为事业单位人员"])
def test_run_any_other_failure_is_no(reason):
    assert _run(reason).summary().startswith("不能。")


@pytest.mark.parametrize("question, summary, lead", [
    ("今年继续教育学时还用修满吗？", "可以。城区专业技术人才当年服务乡镇、村达到3个月以上的，可免除当年继续教育学时要求。", "不用。"),
    ("今年继續教育學時還要修滿嗎", "可以。……可免除当年继续教育学时要求。", "不用。"),
    ("还需要考试吗", "不可以。须参加考试，不能免考。", "还需要。"),
    ("能不能评中级", "可以。符合条件。", "能。"),
])
def test_run_a_waived_obligation_is_answered_in_the_questions_words(question, summary, lead):
    from assistant.composer_format import mirror_verdict
    from assistant.normalize import normalize_question

    assert mirror_verdict(normalize_question(question).text, summary).startswith(lead)
