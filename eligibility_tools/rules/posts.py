"""岗位设置与聘用 rules: 《乌海市事业单位专业技术岗位设置及职称评聘工作实施意见》四、六、七."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from corpus.numerals import int_to_cn
from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.enums import Education
from eligibility_tools.registry import register

_DEGREE_BAND = {
    Education.zhongzhuan: "专科及以下",
    Education.jigong_zhongji: "专科及以下",
    Education.jigong_gaoji: "专科及以下",
    Education.jigong_yubei_jishi: "专科及以下",
    Education.dazhuan: "专科及以下",
    Education.benke: "本科、研究生班、未获硕士学位的研究生",
    Education.yanjiusheng_ban: "本科、研究生班、未获硕士学位的研究生",
    Education.shuoshi: "硕士",
    Education.boshi: "博士",
}
_DEGREE_RANK = list(Education)
_EXEMPT_WHY = "公开招聘的全日制硕士及以上人员首次聘用可不受岗位结构比例限制"


class InitialPostGradeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    degree: Education = Field(description="最高学历/学位（研究生未获硕士学位的选“研究生班”）")
    full_time: bool | None = Field(default=None, description="是否全日制学历（不清楚可不填）")
    open_recruitment: bool | None = Field(default=None, description="是否通过公开招聘进入本单位（不清楚可不填）")


@register("initial_post_grade", "岗位初聘等级", InitialPostGradeInput, category="岗位与结构比例")
def initial_post_grade(inp: InitialPostGradeInput, as_of: date) -> ToolResult:
    """新参加工作人员试用期满首次聘用专业技术岗位可聘的等级（七、（三）“岗位初聘”）。"""
    t = Trace(as_of)
    grades = t.param("initial_post_grade_by_degree")
    band = _DEGREE_BAND[inp.degree]
    grade = int(grades[band])
    grade_zh = f"{int_to_cn(grade)}级"
    t.step("initial_grade", f"学历为{inp.degree.value}，属“{band}”，首次岗位聘用可聘{grade_zh}专业技术岗位。",
           inputs={"degree": inp.degree.value}, params=[grades])
    value = {"grade": grade, "grade_zh": grade_zh, "exempt_from_structure_ratio": None}
    exempt = t.param("initial_post_exempt_from_ratio")
    threshold = Education(exempt.value)
    if _DEGREE_RANK.index(inp.degree) >= _DEGREE_RANK.index(threshold):
        if inp.full_time is True and inp.open_recruitment is True:
            value["exempt_from_structure_ratio"] = True
            t.step("ratio_exemption", "公开招聘的全日制硕士研究生及以上学历人员，符合岗位聘用条件的，"
                   "首次岗位聘用时可不受岗位结构比例限制。", inputs={"full_time": True, "open_recruitment": True}, params=[exempt])
        elif inp.full_time is False or inp.open_recruitment is False:
            value["exempt_from_structure_ratio"] = False
            t.step("ratio_exemption", "不是公开招聘的全日制硕士及以上学历人员，首次聘用仍受岗位结构比例限制。",
                   inputs={"full_time": inp.full_time, "open_recruitment": inp.open_recruitment}, params=[exempt])
        else:
            if inp.full_time is None:
                t.ask("full_time", "您的硕士/博士学历是全日制的吗？", _EXEMPT_WHY)
            if inp.open_recruitment is None:
                t.ask("open_recruitment", "您是通过公开招聘进入本单位的吗？", _EXEMPT_WHY)
    else:
        value["exempt_from_structure_ratio"] = False
    summary = f"{inp.degree.value}学历首次聘用专业技术岗位可聘{grade_zh}。"
    if value["exempt_from_structure_ratio"]:
        summary += "公开招聘的全日制硕士及以上学历人员首次聘用可不受岗位结构比例限制。"
    return t.result(Outcome.computed, value, summary)
