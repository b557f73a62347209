"""One fact changed, the answer must follow: a question and its variant differ in one fact that crosses a rule's
threshold (or switches the rule), so the verdict or the figure must change with it.

Rows are written from the corpus rules (the clause is named in each row), not taken from the gold sets. A verdict
row gives the verdicts each side must reach (`verdict_of` of the answer); a figure row gives the figures each side
must state in its own words (outside text pasted from a cited clause: pasting the clause that lists both cases'
figures does not tell the user which one is theirs).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evals.grading import number_in_answer, strip_quoted, verdict_of
from tests.metamorphic.conftest import AS_OF

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class FactChange:
    id: str          # the test id
    name: str        # the rule and its boundary, in the clause's words
    clause: str      # where the rule is
    question: str
    variant: str     # the same question with one fact changed
    verdicts: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # accepted verdicts: question, variant
    figures: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())   # figures each side must state


ROWS = [
    FactChange("title_master_years", "硕士毕业工作满2年可认定中级；满1年还不能", "实施意见五、（八）",
               "我是全日制硕士研究生毕业，在市直事业单位从事本专业技术工作满2年，能直接认定中级职称吗？",
               "我是全日制硕士研究生毕业，在市直事业单位从事本专业技术工作满1年，能直接认定中级职称吗？",
               verdicts=(("yes",), ("not_yet",))),
    FactChange("title_college_years", "大专毕业工作满3年可认定助理级；满2年还不能", "实施意见五、（八）",
               "我是全日制大专毕业，在市直事业单位从事本专业技术工作满3年，能直接认定助理级职称吗？",
               "我是全日制大专毕业，在市直事业单位从事本专业技术工作满2年，能直接认定助理级职称吗？",
               verdicts=(("yes",), ("not_yet",))),
    FactChange("township_bachelor_years", "乡镇事业单位本科满2年可直接参加中级评审；满1年还不能", "实施意见五、（五）3",
               "本科毕业生在乡镇事业单位专业技术岗位工作满2年，能直接参加中级职称评审吗？",
               "本科毕业生在乡镇事业单位专业技术岗位工作满1年，能直接参加中级职称评审吗？",
               verdicts=(("yes",), ("not_yet",))),
    FactChange("post_promotion_years", "在下一等级岗位工作满2年可晋升；满1年还不能", "实施意见六、（三）2.（2）",
               "我在专业技术九级岗位工作满2年了，单位八级岗位有空缺，能竞聘八级吗？",
               "我在专业技术九级岗位工作满1年了，单位八级岗位有空缺，能竞聘八级吗？",
               verdicts=(("yes",), ("not_yet",))),
    FactChange("contest_age", "年满16周岁可报名参赛；15岁不能", "职业技能竞赛管理办法第九条",
               "我在乌海工作两年了，今年30岁，能报名参加全市职业技能竞赛吗？",
               "我在乌海工作两年了，今年15岁，能报名参加全市职业技能竞赛吗？",
               verdicts=(("yes",), ("no", "not_yet"))),
    FactChange("transfer_series_months", "转系列在新岗位满1年可转评同级；8个月还不能", "实施意见五、（七）",
               "我换了工作岗位，在新岗位工作满1年了，能转评新系列同等级的职称吗？",
               "我换了工作岗位，在新岗位工作8个月了，能转评新系列同等级的职称吗？",
               verdicts=(("yes",), ("not_yet",))),
    FactChange("worker_to_tech_retirement", "工勤转聘专技须距退休满10年：12年可以，6年不可以", "实施意见七、（二）",
               "我在工勤技能岗位，距法定退休年龄还有12年，能转聘到专业技术岗位吗？",
               "我在工勤技能岗位，距法定退休年龄还有6年，能转聘到专业技术岗位吗？",
               verdicts=(("yes",), ("no",))),
    FactChange("incubation_trainee_months", "“见习+孵化”后6个月内创业可领创业见习补贴；第8个月不可以", "创业园和创业孵化基地认定管理办法第十三条",
               "我参加了市级创业孵化基地的“见习+孵化”，结束后第5个月成功创业，能领创业见习补贴吗？",
               "我参加了市级创业孵化基地的“见习+孵化”，结束后第8个月才成功创业，能领创业见习补贴吗？",
               verdicts=(("yes",), ("no",))),
    FactChange("contest_prize_gold_bronze", "全市技能大赛金奖1万元、铜奖0.5万元", "职业技能竞赛管理办法第十八条",
               "全市技能大赛获得金奖，奖金多少？", "全市技能大赛获得铜奖，奖金多少？",
               figures=(("10000",), ("5000",))),
    FactChange("post_quota_city_district", "岗位结构控制目标：市本级2.5：4.5：3，各区1.8：4.2：4", "实施意见四、（一）3",
               "市本级事业单位专业技术岗位共200个，高级、中级、初级岗位各多少个？",
               "区属事业单位专业技术岗位共200个，高级、中级、初级岗位各多少个？",
               figures=(("50", "90", "60"), ("36", "84", "80"))),
    FactChange("apprentice_subsidy_enterprise_agency", "学徒制补贴：企业每人每年不低于4000元，人力资源服务机构不低于6000元",
               "学徒制实施方案四、人力资源服务业政策扶持清单9",
               "企业开展新型学徒制培训，每个学徒每年的补贴标准不低于多少钱？",
               "经营性人力资源服务机构开展企业新型学徒制培训，每人每年的职业培训补贴不低于多少钱？",
               figures=(("4000",), ("6000",))),
    FactChange("brand_training_uplift", "品牌培训补贴上浮：知名品牌30%，特色品牌25%", "职业技能培训补贴目录通知四、",
               "开展自治区级就业技能知名品牌培训，培训补贴标准上浮多少？",
               "开展自治区级就业技能特色品牌培训，培训补贴标准上浮多少？",
               figures=(("30%",), ("25%",))),
]


def test_table_rows_change_the_outcome():
    """The table itself: each row has an outcome on both sides, and the two sides differ."""
    for row in ROWS:
        assert row.question != row.variant, row.name
        assert any(row.verdicts) or any(row.figures), row.name
        if any(row.verdicts):
            assert not set(row.verdicts[0]) & set(row.verdicts[1]), row.name
        if any(row.figures):
            assert set(row.figures[0]) != set(row.figures[1]), row.name


def _own_words(response: dict) -> str:
    return strip_quoted(response.get("answer") or "", [str(c.get("text") or "") for c in response.get("citations") or []])


def side_problems(response: dict, verdicts: tuple[str, ...], figures: tuple[str, ...]) -> list[str]:
    """What is wrong with one side's answer, in Chinese; empty when it reaches its verdict and states its figures."""
    problems = []
    if verdicts:
        got = verdict_of(response.get("answer") or "")
        if got not in verdicts:
            problems.append(f"结论应为 {' / '.join(verdicts)}，实际 {got}（状态 {response.get('status')}）")
    if figures:
        own = _own_words(response)
        missing = [n for n in figures if not number_in_answer(n, own)]
        if missing:
            problems.append("回答没有自己写出 " + "、".join(missing))
    return problems


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_one_fact_changes_the_answer(row, real_assistant):
    report = []
    for side, question in enumerate((row.question, row.variant)):
        response = real_assistant.ask(question, as_of=AS_OF)
        problems = side_problems(response, row.verdicts[side], row.figures[side])
        if problems:
            answer = (response.get("answer") or "").replace("\n", " ")[:160]
            report.append(f"  {'原问' if side == 0 else '改一个事实后'}：{question}\n    " + "；".join(problems) + f"\n    回答：{answer}")
    assert not report, f"{row.name}（{row.clause}）：\n" + "\n".join(report)
