"""岗位设置与聘用 rules: 《乌海市事业单位专业技术岗位设置及职称评聘工作实施意见》四、六、七."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from corpus.errors import ToolInputError
from corpus.numerals import int_to_cn
from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.bounds import (
    AGE_MAX,
    PEOPLE_MAX,
    POST_GRADE_MAX,
    POST_GRADE_MIN,
    POSTS_MAX,
    RATIO_PERCENT_MAX,
    TIMES_MAX,
    YEARS_MAX,
)
from eligibility_tools.enums import Education, Jurisdiction, TitleLevel
from eligibility_tools.registry import register

TOOL_ORDER = 20  # where its tools are listed (CLI, UI forms, LLM tools)

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


# --- 专业技术岗位结构比例（四、（一）） -------------------------------------------------------------

class GradeGroup(StrEnum):
    zhenggao = "正高级"
    fugao = "副高级"
    zhongji = "中级"
    chuji = "初级"
    gaoji = "高级（正高级+副高级）"


class QuotaScope(StrEnum):
    structure = "高中初级结构比例"
    directed = "定向评价、定向使用高级岗位"


class PostStructureInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total_posts: int | None = Field(default=None, ge=1, le=POSTS_MAX, title="岗位数", description="专业技术岗位总量（个）")
    unit_total_posts: int | None = Field(
        default=None, ge=1, le=POSTS_MAX, title="单位岗位总量", description="单位岗位总量（个，含管理、工勤岗位；只知道它时，专业技术岗位按不低于70%的下限测算）")
    jurisdiction: Jurisdiction | None = Field(default=None, description="隶属：市本级 或 区")
    concentrated_unit: bool | None = Field(
        default=None, description="是否教育、卫生、农林牧水等知识技术密集、高层次人才相对集中的事业单位")
    grade_group: GradeGroup | None = Field(default=None, description="只测算某一层级内部的等级分配时，选择该层级")
    group_count: int | None = Field(default=None, ge=0, le=POSTS_MAX, title="该层级的岗位数", description="该层级的岗位数（个），与“层级”一起填写")
    clerk_posts: int | None = Field(default=None, ge=0, le=POSTS_MAX, title="十三级岗位数", description="初级岗位中已确定的十三级（员级）岗位数（个；十一级、十二级分配其余岗位）")
    scope: QuotaScope | None = Field(default=None, description="要测算什么：高中初级结构比例（默认），或各区“定向评价、定向使用”高级岗位上限")
    directed_existing: int | None = Field(default=None, ge=0, le=POSTS_MAX, title="已设置的定向评价、定向使用岗位数", description="本区已设置的“定向评价、定向使用”高级岗位数（个）")


def _split(count: int, shares: dict[str, Decimal]) -> tuple[dict[str, int], int]:
    """Control targets are ceilings: every share is rounded down; what is left over is shown, not assigned."""
    total = sum(Decimal(v) for v in shares.values())
    parts = {k: math.floor(Decimal(count) * Decimal(v) / total) for k, v in shares.items()}
    return parts, count - sum(parts.values())


def _ratio_text(shares: dict) -> str:
    return "：".join(str(v) for v in shares.values())


def _senior_range(t: Trace, senior: int, jur: Jurisdiction) -> dict:
    p = t.params.get("post_senior_split")
    rule = p[jur.value]
    lo = math.ceil(Decimal(senior) * rule["正高"] / (rule["正高"] + rule["副高最多"]))
    hi = math.floor(Decimal(senior) * rule["正高"] / (rule["正高"] + rule["副高最少"]))
    value = {"正高级": [lo, hi], "副高级": [senior - hi, senior - lo]}
    ratio = f"{rule['正高']}：{rule['副高最少']}至{rule['正高']}：{rule['副高最多']}"
    if lo <= hi:
        text = (f"{jur.value}正、副高级岗位比例原则上控制在{ratio}：高级岗位{senior}个中，"
                f"正高级{lo}—{hi}个、副高级{senior - hi}—{senior - lo}个（正高级下限向上取整、上限向下取整，使比例落在区间内）。")
    else:
        value["note"] = "没有恰好落在区间内的整数分配"
        text = (f"{jur.value}正、副高级岗位比例原则上控制在{ratio}：高级岗位{senior}个时没有整数分配恰好落在区间内，"
                f"最接近的是正高级{hi}或{lo}个。")
    t.step("senior_split", text, {"senior_posts": senior, "jurisdiction": jur.value}, [p])
    return value


def _grade_split(t: Trace, group: str, count: int) -> dict:
    p = t.params.get("post_grade_split")
    shares = p[group]
    parts, rest = _split(count, shares)
    detail = "、".join(f"{k}{v}个" for k, v in parts.items())
    text = f"{group}岗位{count}个按{_ratio_text(shares)}分配：{detail}（各等级向下取整"
    text += f"，余{rest}个未分配，可由单位按岗位调剂原则统筹）。" if rest else "，无余数）。"
    cites = ["post-title/s7/p1"] if rest else []
    t.step("grade_split", text, {"group": group, "count": count}, [p], cite=cites)
    return {"grades": parts, "remainder": rest}


@register("post_structure_quota", "专业技术岗位结构比例测算", PostStructureInput, category="岗位与结构比例")
def post_structure_quota(inp: PostStructureInput, as_of: date) -> ToolResult:
    """按岗位总量和市本级/区算高、中、初级岗位上限，正副高区间，各层级内部等级分配（四、（一））。"""
    t = Trace(as_of)
    value: dict = {}
    outcome = Outcome.computed
    summary: list[str] = []

    if inp.grade_group is not None and inp.group_count is None:
        t.ask("group_count", f"{inp.grade_group.value}岗位一共有多少个？", "按层级内部比例分配需要岗位数")
    if inp.group_count is not None and inp.grade_group is None:
        t.ask("grade_group", "这些岗位属于哪个层级？（正高级 / 副高级 / 中级 / 初级 / 高级）", "不同层级内部比例不同")
    if inp.grade_group is not None and inp.group_count is not None:
        if inp.grade_group == GradeGroup.gaoji:
            if inp.jurisdiction is None:
                t.ask("jurisdiction", "单位属于市本级还是区？", "正副高比例：市本级1:3至1:4，各区1:5至1:6")
            else:
                value["senior_split"] = _senior_range(t, inp.group_count, inp.jurisdiction)
                s = value["senior_split"]
                summary.append(f"高级岗位{inp.group_count}个：正高级{s['正高级'][0]}—{s['正高级'][1]}个，"
                               f"副高级{s['副高级'][0]}—{s['副高级'][1]}个。")
        else:
            count, clerk_note = inp.group_count, ""
            if inp.clerk_posts is not None and inp.grade_group == GradeGroup.chuji:
                clerk = t.params.get("post_junior_clerk_grade")
                if inp.clerk_posts > inp.group_count:
                    raise ToolInputError("clerk_posts（十三级岗位数）", f"十三级岗位{inp.clerk_posts}个不能多于初级岗位总数{inp.group_count}个。")
                count = inp.group_count - inp.clerk_posts
                clerk_note = f"（其中{int_to_cn(clerk.value)}级员级岗位{inp.clerk_posts}个，其余{count}个）"
                t.step("clerk_posts", f"初级岗位分十一至十三级，其中十三级是员级岗位：初级岗位{inp.group_count}个，"
                       f"十三级已定{inp.clerk_posts}个，十一级、十二级分配其余{inp.group_count}－{inp.clerk_posts}＝{count}个。",
                       {"group_count": inp.group_count, "clerk_posts": inp.clerk_posts}, [clerk])
            value["grade_split"] = _grade_split(t, inp.grade_group.value, count)
            g = value["grade_split"]
            if clerk_note:
                g["grades"] = {**g["grades"], f"{int_to_cn(t.params.get('post_junior_clerk_grade').value)}级": inp.clerk_posts}
            summary.append(f"{inp.grade_group.value}岗位{inp.group_count}个{clerk_note}：" + "、".join(f"{k}{v}个" for k, v in g["grades"].items())
                           + (f"，余{g['remainder']}个。" if g["remainder"] else "。"))

    total = inp.total_posts
    if total is None and inp.unit_total_posts is not None:
        share = t.params.get("post_professional_min_share")
        total = math.ceil(Decimal(inp.unit_total_posts) * share.value)
        value["professional_posts_min"] = total
        t.step("professional_share", f"主要以专业技术提供社会公益服务的事业单位，专业技术岗位一般不低于单位岗位总量的{share.value:%}："
               f"{inp.unit_total_posts}个×{share.value:%}＝专业技术岗位至少{total}个（下限，向上取整）。",
               {"unit_total_posts": inp.unit_total_posts}, [share])
        summary.append(f"单位岗位总量{inp.unit_total_posts}个，专业技术岗位至少{total}个（不低于{share.value:%}）。")
    if inp.scope == QuotaScope.directed:
        return _directed_only(t, inp, total, value)
    if total is not None:
        if inp.jurisdiction is None:
            t.ask("jurisdiction", "单位属于市本级还是区？", "高中初级比例：市本级2.5:4.5:3，各区1.8:4.2:4")
        else:
            outcome = _total_structure(t, inp, total, value, summary)

    if not value or (set(value) == {"professional_posts_min"} and inp.jurisdiction is None):
        if total is None and inp.grade_group is None and inp.group_count is None:
            t.ask("total_posts", "单位专业技术岗位总量是多少个？（或只测算某一层级：填层级和该层级岗位数）", "测算需要岗位数")
        t.cite("post-title/s4/p1/i3", "post-title/s4/p1/i4")
        return t.result(Outcome.needs_info, value or None, "".join(summary) or "请提供岗位总量和市本级/区，或某一层级的岗位数。")
    return t.result(outcome, value, "".join(summary))


def _directed_only(t: Trace, inp: PostStructureInput, total: int | None, value: dict) -> ToolResult:
    """七、（一）7：各区“定向评价、定向使用”高级岗位不超过本区事业单位专业技术岗位总量的10%（比例单列）。"""
    directed = t.params.get("post_directed_cap")
    if inp.jurisdiction == Jurisdiction.shi:
        t.step("directed_scope", "“定向评价、定向使用”高级岗位是各区的政策，由各区事业单位人事综合管理部门统一调控。", params=[directed])
        return t.result(Outcome.not_eligible, value, "“定向评价、定向使用”高级岗位只在各区设置，市本级不适用。")
    if total is None:
        t.ask("total_posts", "本区事业单位专业技术岗位总量是多少个？", "定向评价、定向使用高级岗位不超过全区专业技术岗位总量的10%")
        t.cite(directed.clause_id)
        return t.result(Outcome.needs_info, value, "请提供本区事业单位专业技术岗位总量。")
    cap = math.floor(Decimal(total) * directed.value)
    value["directed_senior_max"] = cap
    text = (f"各区“定向评价、定向使用”高级岗位控制在本区事业单位专业技术岗位总量的{directed.value:%}以内，比例单列、"
            f"不占高级岗位结构比例：{total}个×{directed.value:%}＝{(Decimal(total) * directed.value).normalize():f}，最多{cap}个（向下取整）")
    summary = f"“定向评价、定向使用”高级岗位最多{cap}个（{total}×{directed.value:%}，向下取整）"
    if inp.directed_existing is not None:
        left = max(cap - inp.directed_existing, 0)
        value["directed_remaining"] = left
        text += f"；已设{inp.directed_existing}个，还能再设{left}个"
        summary += f"；已设{inp.directed_existing}个，还能再设{left}个" if left else f"；已设{inp.directed_existing}个，已无余额"
    t.step("directed", text + "。", {"total_posts": total, "directed_existing": inp.directed_existing}, [directed])
    return t.result(Outcome.computed, value, summary + "。")


def _total_structure(t: Trace, inp: PostStructureInput, total: int, value: dict, summary: list[str]) -> Outcome:
    jur = inp.jurisdiction
    ratio = t.params.get("post_structure_ratio")
    shares = ratio[jur.value]
    parts, rest = _split(total, shares)
    t.step("structure_ratio", f"{jur.value}高、中、初级岗位总体控制目标{_ratio_text(shares)}：岗位总量{total}个，"
           f"高级最多{parts['高级']}个、中级最多{parts['中级']}个、初级最多{parts['初级']}个"
           f"（控制目标是上限，各级向下取整{f'，余{rest}个' if rest else '，无余数'}）。", {"total_posts": total}, [ratio])
    outcome = Outcome.computed
    value["structure"] = {**parts, "remainder": rest}
    cap = t.params.get("post_senior_cap_concentrated")
    capped = math.floor(Decimal(total) * cap.value)
    if inp.concentrated_unit is None:
        t.ask("concentrated_unit", "单位是否属于教育、卫生、农林牧水等高层次人才相对集中的事业单位？",
              "此类单位高级岗位比例最高不超过20%")
    elif inp.concentrated_unit:
        if jur == Jurisdiction.qu:
            parts = {**parts, "高级": capped}
            value["structure"]["高级"] = capped
            t.step("concentrated_cap", f"高层次人才相对集中的事业单位，高级岗位比例最高不超过{cap.value:%}：{total}个×{cap.value:%}，"
                   f"高级最多{capped}个（向下取整；其他层级仍按总体控制目标）。", {"concentrated_unit": True}, [cap])
        else:
            outcome = Outcome.ambiguous
            value["readings"] = {"括号只限定各区": parts["高级"], "括号也适用于市本级": capped}
            t.step("concentrated_cap", f"括号“其中……高级专业技术岗位结构比例最高不超过{cap.value:%}”紧跟在各区目标之后："
                   f"若只限定各区，市本级集中单位高级最多{parts['高级']}个（按{_ratio_text(shares)}）；"
                   f"若也适用于市本级，则最多{capped}个（{cap.value:%}）。", {"concentrated_unit": True}, [cap])
            t.warn(f"市本级高层次人才集中单位的高级岗位上限有两种理解：{parts['高级']}个（按{_ratio_text(shares)}）"
                   f"或{capped}个（{cap.value:%}上限），请向人社部门确认。")
    senior = min(parts["高级"], capped) if outcome == Outcome.ambiguous else parts["高级"]
    value["senior_split"] = _senior_range(t, senior, jur)
    value["intermediate_grades"] = _grade_split(t, "中级", parts["中级"])
    value["junior_grades"] = _grade_split(t, "初级", parts["初级"])
    # the grade splits inside each band are in the steps; the conclusion states the bands (it names the rule it applies)
    summary.append(f"{jur.value}岗位总量{total}个：高级最多{parts['高级']}个、中级最多{parts['中级']}个、初级最多{parts['初级']}个"
                   + (f"，余{rest}个。" if rest else "。"))
    if jur == Jurisdiction.qu:
        directed = t.params.get("post_directed_cap")
        cap_n = math.floor(Decimal(total) * directed.value)
        value["directed_senior_max"] = cap_n
        t.step("directed", f"各区“定向评价、定向使用”高级岗位控制在本区事业单位专业技术岗位总量的{directed.value:%}以内，"
               f"比例单列、不占高级岗位结构比例：{total}个×{directed.value:%}，最多{cap_n}个（向下取整；该上限按全区总量计算）。",
               {"total_posts": total}, [directed])
    return outcome


# --- 以退定补（七、（六）） ----------------------------------------------------------------------------

class OverQuotaInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approved_posts: int | None = Field(default=None, ge=0, le=POSTS_MAX, title="核定岗位数", description="备案核定的该层级岗位数（个）")
    current_staff: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="现聘人数", description="现聘该层级人数（人）")
    over_ratio_percent: Decimal | None = Field(default=None, ge=0, le=RATIO_PERCENT_MAX, title="超比例", description="已知的超比例（%），不填则按核定数和现聘人数计算")
    retirements: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="预计退出人数", description="预计退出（退休、调出、低聘等）人数（人）")
    due_to_reform: bool | None = Field(default=None, description="超岗位聘用是否因事业单位改革造成")


@register("over_quota_replacement", "超岗位聘用以退定补", OverQuotaInput, category="岗位与结构比例")
def over_quota_replacement(inp: OverQuotaInput, as_of: date) -> ToolResult:
    """现聘超结构比例时按超比例判断退一补一或退二补一，并算出可补充人数（七、（六）1）。"""
    t = Trace(as_of)
    rule = t.params.get("post_over_quota_rule")
    hundred = _PERCENT
    if inp.over_ratio_percent is not None:
        ratio = inp.over_ratio_percent / hundred
        if ratio > Decimal(1) * hundred:  # more than 10000 %: a typo, not a staffing situation
            raise ToolInputError("over_ratio_percent（已知的超比例（%））", "数值过大，请填写百分数，例如 12.5。")
        over = None
        t.step("over_ratio", f"超比例{inp.over_ratio_percent}%（按您提供的比例）。", {"over_ratio_percent": str(inp.over_ratio_percent)})
    elif inp.approved_posts is not None and inp.current_staff is not None:
        over = inp.current_staff - inp.approved_posts
        if inp.approved_posts == 0:
            ratio = Decimal(over > 0)
        else:
            ratio = Decimal(over) / Decimal(inp.approved_posts)
        t.step("over_ratio", f"现聘{inp.current_staff}人，核定{inp.approved_posts}个岗位，超出{max(over, 0)}人，"
               f"超比例＝超出人数÷核定岗位数＝{_pct(ratio * hundred)}%。",
               {"approved_posts": inp.approved_posts, "current_staff": inp.current_staff}, cite=["post-title/s7/p6"])
    else:
        for fact, q in (("approved_posts", "该层级备案核定的岗位数是多少？"), ("current_staff", "该层级现聘多少人？")):
            if getattr(inp, fact) is None:
                t.ask(fact, q, "超比例＝（现聘人数－核定岗位数）÷核定岗位数")
        t.cite(rule.clause_id)
        return t.result(Outcome.needs_info, None, "请提供核定岗位数和现聘人数（或直接提供超比例）。")

    value: dict = {"over_count": over if over is None else max(over, 0), "over_ratio_percent": _pct(max(ratio, Decimal(0)) * hundred)}
    if inp.due_to_reform:
        tr = t.params.get("post_reform_transition")
        t.step("reform", "因事业单位改革首次聘用人员可不受岗位结构比例限制，"
               f"出现超岗位聘用的给予{tr['min_years']}—{tr['max_years']}年过渡期逐步消化。", {"due_to_reform": True}, [tr])
        value["transition_years"] = [tr["min_years"], tr["max_years"]]
    if ratio <= 0:
        t.step("not_over", "现聘人数未超过核定岗位数，不需要“以退定补”，可在空岗内按程序聘用。", params=[rule])
        value["rule"] = None
        return t.result(Outcome.not_eligible, value, "未超结构比例，不适用“以退定补”，有空岗可正常聘用。")

    def plan(key: str) -> dict:
        r = rule[key]
        item = {"retire": r["retire"], "hire": r["hire"], "name": f"退{int_to_cn(r['retire'])}补{int_to_cn(r['hire'])}"}
        if inp.retirements is not None:
            item["hires_allowed"] = inp.retirements * r["hire"] // r["retire"]
        return item

    threshold_pct = _pct(rule["threshold"] * hundred)
    if ratio == rule["threshold"]:
        below, above = plan("below"), plan("above")
        value.update({"rule": None, "readings": [below, above]})
        t.step("ambiguous", f"超比例恰好{threshold_pct}%：条文“{threshold_pct}%以下”与“{threshold_pct}%以上”都包含本数，"
               f"可读作“{below['name']}”也可读作“{above['name']}”。", params=[rule])
        t.warn(f"超比例恰好{threshold_pct}%时，“{below['name']}”还是“{above['name']}”条文未明确，请向事业单位人事综合管理部门确认。")
        return t.result(Outcome.ambiguous, value, f"超比例恰好{threshold_pct}%，条文可读作“{below['name']}”或“{above['name']}”。")
    chosen = plan("below" if ratio < rule["threshold"] else "above")
    value["rule"] = chosen
    side = "以下" if ratio < rule["threshold"] else "以上"
    text = (f"超比例{value['over_ratio_percent']}%，在{threshold_pct}%{side}，实行“{chosen['name']}”："
            f"每退出{chosen['retire']}人可补充{chosen['hire']}人")
    if "hires_allowed" in chosen:
        text += f"；退出{inp.retirements}人可补充{chosen['hires_allowed']}人（向下取整）"
    t.step("replacement", text + "。", params=[rule])
    return t.result(Outcome.computed, value, text + "。")


_PERCENT = Decimal("100")  # display unit only: ratios are stored as fractions in YAML


def _years(years) -> str:
    """A number of years with its unit, fractions in months (1.6667 -> '1年8个月')."""
    from eligibility_tools.inventory.units import format_quantity

    return format_quantity(Decimal(str(years)).quantize(Decimal("0.0001")), "年")


def _pct(x: Decimal) -> str:
    return f"{x.quantize(Decimal('0.01')).normalize():f}"


# --- 岗位晋升与聘用规定（六、（三），七、（二）（四），四、（二）） -----------------------------------------

class PromotionCheck(StrEnum):
    grade = "岗位等级晋升"
    worker_to_technical = "工勤技能岗位转聘专业技术岗位"
    dual_role = "“双肩挑”兼聘专业技术岗位"
    special_post = "特设岗位等级与聘期"
    filing = "聘用前备案"


class UnitAffiliation(StrEnum):
    """六、（六）distinguishes three: 市直属, 市属各部门所属 (市直部门下属), 区属 — each with its own filing threshold."""
    city_direct = "市直属事业单位"
    city_department = "市属各部门所属事业单位"
    district = "区属事业单位"


_FILING = {UnitAffiliation.city_direct: ("post_filing_city_direct", "市"), UnitAffiliation.city_department: ("post_filing_city_department", "市"),
           UnitAffiliation.district: ("post_filing_district", "区")}


class PostPromotionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: PromotionCheck = Field(description="要判断的事项")
    current_grade: int | None = Field(default=None, ge=POST_GRADE_MIN, le=POST_GRADE_MAX, title="现聘岗位等级", description="现聘专业技术岗位等级（一级最高，十三级最低）")
    target_grade: int | None = Field(default=None, ge=POST_GRADE_MIN, le=POST_GRADE_MAX, title="拟聘岗位等级", description="拟聘专业技术岗位等级")
    years_in_current_grade: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="在现聘等级工作的年限", description="在现聘等级岗位工作的年限（年）")
    has_required_title: bool | None = Field(default=None, description="跨层级聘用时：是否已取得拟聘层级的职称")
    current_title: TitleLevel | None = Field(default=None, description="跨层级聘用时：现有职称层级（代替上一项，由工具对照拟聘层级）")
    age: int | None = Field(default=None, ge=0, le=AGE_MAX, description="年龄（周岁）")
    retirement_age: int | None = Field(default=None, ge=0, le=AGE_MAX, title="法定退休年龄", description="法定退休年龄（周岁）")
    years_to_retirement: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="距法定退休年龄的年数", description="距法定退休年龄的年数（已知时可直接填）")
    has_professional_qualification: bool | None = Field(default=None, description="转聘：是否已取得专业技术资格")
    is_unit_leader: bool | None = Field(default=None, description="双肩挑：是否按干部管理权限由上级任命（备案）的事业单位领导人员")
    leadership_positions: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="领导职数", description="双肩挑：领导职数（个）")
    dual_role_count: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="“双肩挑”人数", description="双肩挑：含拟兼聘人员在内的“双肩挑”人数")
    existing_dual_role: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="已有的“双肩挑”人数", description="双肩挑：已有的“双肩挑”人数（不含拟兼聘人员，用于算还能兼聘几人）")
    demoted_from_grade: int | None = Field(default=None, ge=POST_GRADE_MIN, le=POST_GRADE_MAX, title="降级前的原聘等级", description="晋升：因聘期考核不合格被降级的，降级前的原聘等级")
    within_new_term: bool | None = Field(default=None, description="晋升：降级后是否仍在新聘岗位的这个聘期内（用户说“新聘期里”“聘期还没满”）")
    current_term_years: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="降级后新聘岗位的聘期", description="晋升：降级后新聘岗位的聘期（年）")
    technical_unit: bool | None = Field(default=None, description="双肩挑：是否高校、科研院所、公立医院等专业技术性较强的单位")
    special_post_grade: int | None = Field(default=None, ge=POST_GRADE_MIN, le=POST_GRADE_MAX, title="特设岗位等级", description="特设岗位：拟设置的专业技术岗位等级")
    jurisdiction: Jurisdiction | None = Field(default=None, description="特设岗位：市本级 或 区")
    term_years: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="特设岗位聘期", description="特设岗位：拟定聘期（年）")
    major_project: bool | None = Field(default=None, description="特设岗位：是否承担市级及以上重大研究项目（课题）")
    extensions: int | None = Field(default=None, ge=0, le=TIMES_MAX, title="延长聘期的次数", description="特设岗位：已经或拟延长聘期的次数")
    unit_affiliation: UnitAffiliation | None = Field(default=None, description="聘用备案：单位是市直属、市属各部门所属还是区属事业单位")


def _band_of(t: Trace, grade: int, field: str) -> str:
    bands = t.params.get("post_grade_bands")
    for name, (lo, hi) in bands.value.items():
        if lo <= grade <= hi:
            return name
    top = max(hi for _, hi in bands.value.values())
    label = f"{field}（{PostPromotionInput.model_fields[field].description}）"
    raise ToolInputError(label, f"岗位等级须在一级至{int_to_cn(top)}级之间（填1—{top}的整数）。")


_TITLE_RANK = ["初级", "中级", "副高级", "正高级"]  # the bands' order (names, not numbers)


def _worst(states: list[Outcome]) -> Outcome:
    for o in (Outcome.not_eligible, Outcome.needs_info, Outcome.ambiguous):
        if o in states:
            return o
    return Outcome.eligible


@register("post_promotion_check", "岗位晋升与聘用条件", PostPromotionInput, category="岗位与结构比例")
def post_promotion_check(inp: PostPromotionInput, as_of: date) -> ToolResult:
    """判断等级晋升满2年、工勤转聘专技距退休满10年、“双肩挑”不超过领导职数60%、特设岗位等级与聘期。"""
    t = Trace(as_of)
    handler = {PromotionCheck.grade: _check_grade, PromotionCheck.worker_to_technical: _check_worker,
               PromotionCheck.dual_role: _check_dual, PromotionCheck.special_post: _check_special,
               PromotionCheck.filing: _check_filing}[inp.check]
    outcome, value, summary = handler(t, inp)
    return t.result(outcome, value, summary)


def _check_grade(t: Trace, inp: PostPromotionInput):
    if inp.current_grade is None or inp.target_grade is None:
        for fact, q in (("current_grade", "您现在聘在专业技术几级岗位？"), ("target_grade", "拟晋升到几级岗位？")):
            if getattr(inp, fact) is None:
                t.ask(fact, q, "晋升条件取决于现聘和拟聘等级")
        t.cite("post-title/s6/p3/i2/n2")
        return Outcome.needs_info, None, "请提供现聘等级和拟聘等级。"
    cur, tgt = inp.current_grade, inp.target_grade
    cur_band, tgt_band = _band_of(t, cur, "current_grade"), _band_of(t, tgt, "target_grade")
    bands = t.params.get("post_grade_bands")
    value = {"current_band": cur_band, "target_band": tgt_band}
    cur_zh, tgt_zh = f"{int_to_cn(cur)}级", f"{int_to_cn(tgt)}级"
    if tgt >= cur:
        t.step("not_promotion", f"拟聘{tgt_zh}不高于现聘{cur_zh}，不是晋升。", params=[bands])
        return Outcome.not_eligible, value, f"{tgt_zh}不高于现聘{cur_zh}，不属于岗位晋升。"
    if inp.demoted_from_grade is not None and tgt <= inp.demoted_from_grade:
        decided = _check_demotion(t, inp, value, tgt_zh)
        if decided is not None:
            return decided
    if cur_band == tgt_band:
        years = t.params.get("post_promotion_min_years")
        if cur - tgt > 1:
            t.step("skip", f"{cur_zh}到{tgt_zh}跨越了中间等级；一般须逐级晋升，越级聘用限获省部级及以上表彰奖励"
                   "或确有真才实学、业绩突出且岗位急需的人才，经主管部门同意、人事综合管理部门审核，并在单位聘用方案中规定。",
                   params=[years], cite=["post-title/s6/p3/i2/n4"])
            return Outcome.not_eligible, value, f"{cur_zh}不能直接晋升{tgt_zh}（越级），除非符合越级聘用条件。"
        if inp.years_in_current_grade is None:
            t.ask("years_in_current_grade", f"您在{cur_zh}岗位工作满几年了？", f"同一层级内晋升须在下一等级岗位工作满{years.value}年")
            t.cite(years.clause_id)
            return Outcome.needs_info, value, f"晋升{tgt_zh}须在{cur_zh}岗位工作满{years.value}年，请提供年限。"
        ok = inp.years_in_current_grade >= years.value
        short = f"还差{_years(years.value - inp.years_in_current_grade)}。"
        t.step("min_years", f"{cur_band}岗位内部晋升须在下一等级岗位工作满{years.value}年以上：已{inp.years_in_current_grade:g}年，"
               + ("符合。" if ok else short), {"years": inp.years_in_current_grade}, [years])
        value["min_years"] = years.value
        if ok:
            return Outcome.eligible, value, f"在{cur_zh}已满{years.value}年，符合晋升{tgt_zh}的年限条件（还须有空缺岗位并经竞聘）。"
        return Outcome.not_eligible, value, (f"现在还不行，还差{_years(years.value - inp.years_in_current_grade)}。晋升{tgt_zh}须在{cur_zh}"
                                             f"工作满{years.value}年，目前{_years(inp.years_in_current_grade)}。")
    lowest = bands[tgt_band][-1]
    if tgt != lowest:
        t.step("first_in_band", f"首次聘用到{tgt_band}岗位的，一般应聘用到该层级最低等级（{int_to_cn(lowest)}级）。", params=[bands],
               cite=["post-title/s6/p3/i2/n3"])
        return Outcome.not_eligible, value, f"首次聘用到{tgt_band}岗位一般应聘{int_to_cn(lowest)}级，不是{tgt_zh}。"
    has_title = inp.has_required_title
    if has_title is None and inp.current_title is not None:
        # 助理级、员级 are 初级 titles; the other levels carry the band's own name
        held = {TitleLevel.zhuli: "初级", TitleLevel.yuanji: "初级"}.get(inp.current_title, inp.current_title.value)
        if inp.current_title == TitleLevel.none:
            has_title = False
        elif held in _TITLE_RANK and tgt_band in _TITLE_RANK:
            has_title = _TITLE_RANK.index(held) >= _TITLE_RANK.index(tgt_band)
    if has_title is None:
        t.ask("has_required_title", f"您已取得{tgt_band}职称了吗？", "跨层级聘用须具有相应职称")
        t.cite("post-title/s6/p3/i2/n3")
        return Outcome.needs_info, value, f"聘用到{tgt_band}{tgt_zh}须具有相应职称。"
    t.step("cross_band", f"聘用到{tgt_band}最低等级{tgt_zh}须已取得相应职称，并有空缺岗位、经竞聘。",
           {"has_required_title": has_title, "current_title": inp.current_title}, [bands], cite=["post-title/s6/p3/i2/n3"])
    if has_title:
        return Outcome.eligible, value, f"已取得{tgt_band}职称，可竞聘{tgt_band}最低等级{tgt_zh}岗位（须有空缺）。"
    return Outcome.not_eligible, value, f"聘用到{tgt_zh}须先取得{tgt_band}职称。"


def _check_filing(t: Trace, inp: PostPromotionInput):
    """六、（六）：哪些等级的聘用须在办理聘用手续前备案，按市直属 / 市属各部门所属 / 区属分别规定。"""
    rules = {aff: t.params.get(name) for aff, (name, _) in _FILING.items()}
    if inp.target_grade is None:
        t.ask("target_grade", "拟聘用的是专业技术几级岗位？", "须事先备案的岗位等级按单位隶属分别规定")
        t.cite(*(p.clause_id for p in rules.values()))
        return Outcome.needs_info, None, "请提供拟聘用的岗位等级。"
    g = inp.target_grade
    _band_of(t, g, "target_grade")
    need = {aff: g <= p.value for aff, p in rules.items()}  # "八级及以上": a smaller number is a higher grade
    grade_zh = f"{int_to_cn(g)}级"
    value = {"needs_prior_filing": None, "by_affiliation": {aff.value: n for aff, n in need.items()}}
    chosen = [inp.unit_affiliation] if inp.unit_affiliation else list(need)
    for aff in chosen:
        p = rules[aff]
        t.step("filing", f"{aff.value}聘用专业技术{int_to_cn(p.value)}级及以上岗位，在办理聘用手续前报{_FILING[aff][1]}事业单位人事综合管理部门备案："
               f"{grade_zh}" + ("在此范围内。" if need[aff] else "不在此范围内。"), {"target_grade": g}, [p])
    if inp.unit_affiliation is None and len(set(need.values())) > 1:
        # the answer differs by affiliation: ask it (and say how it differs)
        t.ask("unit_affiliation", "贵单位是市直属事业单位、市属各部门所属事业单位，还是区属事业单位？", "三类单位须事先备案的岗位等级不同")
        yes = "、".join(a.value for a, n in need.items() if n)
        no = "、".join(a.value for a, n in need.items() if not n)
        return Outcome.needs_info, value, f"聘用{grade_zh}岗位：{yes}须在办理聘用手续前备案，{no}不需要事先备案，需确认单位隶属。"
    answer = need[inp.unit_affiliation] if inp.unit_affiliation else next(iter(need.values()))
    value["needs_prior_filing"] = answer
    who = inp.unit_affiliation.value if inp.unit_affiliation else "各类事业单位"
    where = _FILING[inp.unit_affiliation][1] if inp.unit_affiliation else "市或区"
    if answer:
        return Outcome.computed, value, f"需要。{who}聘用{grade_zh}岗位，须在办理聘用手续前报{where}事业单位人事综合管理部门备案。"
    return Outcome.computed, value, f"不需要事先备案。{who}聘用{grade_zh}岗位不在须事先备案的范围内（聘用完成后按分级备案制度报备）。"


def _check_demotion(t: Trace, inp: PostPromotionInput, value: dict, tgt_zh: str):
    """六、（七）2：降低岗位等级的人员在新聘岗位一个聘期内不得竞聘原聘岗位或更高等级岗位. None: the term has passed."""
    rule = t.params.get("post_demotion_term")
    orig_zh = f"{int_to_cn(inp.demoted_from_grade)}级"
    why = "降低岗位等级的人员在新聘岗位一个聘期内，不得竞聘原聘岗位或更高等级岗位"
    if inp.within_new_term and (inp.current_term_years is None or inp.years_in_current_grade is None):
        t.step("demotion_term", f"由{orig_zh}降级的人员，在新聘岗位一个聘期内不得竞聘原聘岗位或更高等级岗位：仍在新聘期内。",
               {"demoted_from_grade": inp.demoted_from_grade, "within_new_term": True}, [rule])
        return Outcome.not_eligible, value, (f"不可以。{why}；您仍在降级后的新聘期内，不能竞聘原聘{orig_zh}或更高等级岗位，"
                                             f"须等这个聘期届满后才能竞聘{tgt_zh}。")
    if inp.current_term_years is None or inp.years_in_current_grade is None:
        if inp.current_term_years is None:
            t.ask("current_term_years", "降级后新聘岗位的聘期是几年？", why)
        if inp.years_in_current_grade is None:
            t.ask("years_in_current_grade", "降级后在新聘岗位已经干了多长时间？", why)
        t.cite(rule.clause_id)
        return Outcome.needs_info, value, f"降级后须在新聘岗位满一个聘期，才能竞聘原聘{orig_zh}或更高等级岗位。"
    term = inp.current_term_years * rule.value
    value["demotion_term_years"] = term
    ok = inp.years_in_current_grade >= term
    t.step("demotion_term", f"由{orig_zh}降级的人员，在新聘岗位一个聘期（{_years(term)}）内不得竞聘原聘岗位或更高等级岗位："
           f"已{_years(inp.years_in_current_grade)}，" + ("聘期已满。" if ok else f"还差{_years(term - inp.years_in_current_grade)}。"),
           {"demoted_from_grade": inp.demoted_from_grade, "current_term_years": inp.current_term_years,
            "years_in_current_grade": inp.years_in_current_grade}, [rule])
    if ok:
        return None
    return Outcome.not_eligible, value, (f"现在还不行，还差{_years(term - inp.years_in_current_grade)}。降低岗位等级的人员在新聘岗位一个聘期"
                                         f"（{_years(term)}）内不得竞聘原聘{orig_zh}或更高等级岗位，竞聘{tgt_zh}须等聘期届满。")


def _check_worker(t: Trace, inp: PostPromotionInput):
    p = t.params.get("post_worker_to_technical_years")
    left = inp.years_to_retirement
    if left is None and inp.age is not None and inp.retirement_age is not None:
        left = inp.retirement_age - inp.age
    if left is None:
        for fact, q in (("age", "您现在多少周岁？"), ("retirement_age", "您的法定退休年龄是多少周岁？")):
            if getattr(inp, fact) is None:
                t.ask(fact, q, f"工勤转聘专技原则上应距法定退休年龄满{p.value}年")
        t.cite(p.clause_id)
        return Outcome.needs_info, None, f"工勤技能岗位转聘专业技术岗位原则上应距法定退休年龄满{p.value}年，请提供年龄和法定退休年龄。"
    left = max(left, 0)
    value = {"years_to_retirement": left, "min_years": p.value}
    ok = left >= p.value
    t.step("years_to_retirement", f"距法定退休年龄{left:g}年，原则上须满{p.value}年：" + ("符合。" if ok else f"差{p.value - left:g}年。"),
           {"age": inp.age, "retirement_age": inp.retirement_age, "years_to_retirement": inp.years_to_retirement}, [p])
    if inp.has_professional_qualification:
        t.step("lowest_grade", "已取得专业技术资格的，可转聘到相应专业技术岗位的最低等级。", cite=["post-title/s7/p2/i2"])
    if ok:
        return Outcome.eligible, value, f"距法定退休{left:g}年，满{p.value}年，可通过竞聘转聘专业技术岗位（须有空缺并符合聘用条件）。"
    return Outcome.not_eligible, value, f"距法定退休只有{left:g}年，不满{p.value}年，原则上不能由工勤技能岗位转聘专业技术岗位。"


def _check_dual(t: Trace, inp: PostPromotionInput):
    p = t.params.get("post_dual_role_cap")
    if inp.is_unit_leader is False:
        t.step("leader_only", "“双肩挑”仅限按干部管理权限由上级任命（备案）的事业单位领导人员。", params=[p])
        return Outcome.not_eligible, None, "“双肩挑”仅限上级任命（备案）的事业单位领导人员。"
    if inp.leadership_positions is not None and inp.dual_role_count is None and inp.existing_dual_role is not None:
        return _dual_remaining(t, inp, p)
    if inp.leadership_positions is None or inp.dual_role_count is None:
        for fact, q in (("leadership_positions", "单位领导职数是多少？"), ("dual_role_count", "含拟兼聘人员在内“双肩挑”共有几人？")):
            if getattr(inp, fact) is None:
                t.ask(fact, q, "“双肩挑”人数按不超过领导职数的60%掌握")
        if inp.is_unit_leader is None:
            t.ask("is_unit_leader", "兼聘人员是上级任命（备案）的事业单位领导人员吗？", "“双肩挑”仅限事业单位领导人员")
        t.cite(p.clause_id)
        return Outcome.needs_info, None, "请提供领导职数和“双肩挑”人数。"
    cap = math.floor(Decimal(inp.leadership_positions) * p.value)
    value = {"max_dual_role": cap, "dual_role_count": inp.dual_role_count}
    ok = inp.dual_role_count <= cap
    t.step("cap", f"“双肩挑”人数按不超过领导职数的{p.value:%}掌握：{inp.leadership_positions}×{p.value:%}＝最多{cap}人（向下取整），"
           f"现{inp.dual_role_count}人：" + ("未超过。" if ok else "超过。"), {"leadership_positions": inp.leadership_positions}, [p])
    if inp.is_unit_leader is None:
        t.ask("is_unit_leader", "兼聘人员是上级任命（备案）的事业单位领导人员吗？", "“双肩挑”仅限事业单位领导人员")
        return Outcome.needs_info, value, "人数在上限内，还需确认兼聘人员是上级任命（备案）的事业单位领导人员。" if ok else "人数超过上限。"
    if ok:
        return Outcome.eligible, value, f"“双肩挑”{inp.dual_role_count}人，未超过领导职数的{p.value:%}（{cap}人）。"
    if inp.technical_unit:
        value["readings"] = ["按60%上限，不能再兼聘", "高校、科研院所、公立医院等可适当提高兼聘比例，提高多少未规定"]
        t.warn("高校、科研院所、公立医院等专业技术性较强的单位“可适当提高兼聘比例”，但未规定提高到多少，请向主管部门确认。")
        return Outcome.ambiguous, value, f"超过{p.value:%}（{cap}人），但本单位属可适当提高兼聘比例的单位，提高幅度未规定。"
    if inp.technical_unit is None:
        t.ask("technical_unit", "单位是高校、科研院所、公立医院等专业技术性较强的单位吗？", "此类单位可适当提高兼聘比例")
        return Outcome.needs_info, value, f"超过领导职数的{p.value:%}（{cap}人），除非属于可适当提高比例的单位。"
    return Outcome.not_eligible, value, f"“双肩挑”{inp.dual_role_count}人，超过领导职数的{p.value:%}（{cap}人）。"


def _dual_remaining(t: Trace, inp: PostPromotionInput, p):
    """How many more may be appointed: the 60% cap minus those already appointed (who they may be is stated, not asked)."""
    cap = math.floor(Decimal(inp.leadership_positions) * p.value)
    left = max(cap - inp.existing_dual_role, 0)
    value = {"max_dual_role": cap, "existing_dual_role": inp.existing_dual_role, "remaining": left}
    t.step("cap", f"“双肩挑”人数按不超过领导职数的{p.value:%}掌握：{inp.leadership_positions}×{p.value:%}＝"
           f"{(Decimal(inp.leadership_positions) * p.value).normalize():f}，最多{cap}人（向下取整）；已有{inp.existing_dual_role}人，"
           f"还能再兼聘{left}人。", {"leadership_positions": inp.leadership_positions, "existing_dual_role": inp.existing_dual_role}, [p])
    who = "（兼聘人员须为按干部管理权限由上级任命（备案）的事业单位领导人员）"
    if not inp.existing_dual_role:
        return Outcome.computed, value, f"“双肩挑”人数不超过领导职数的{p.value:%}：{inp.leadership_positions}×{p.value:%}，最多{cap}人{who}。"
    if left:
        return Outcome.computed, value, f"“双肩挑”最多{cap}人，已有{inp.existing_dual_role}人，最多还能再兼聘{left}人{who}。"
    return Outcome.computed, value, f"“双肩挑”最多{cap}人，已有{inp.existing_dual_role}人，不能再兼聘{who}。"


def _check_special(t: Trace, inp: PostPromotionInput):
    floor = t.params.get("post_special_post_lowest_grade")
    term = t.params.get("post_special_post_term")
    states: list[Outcome] = []
    notes: list[str] = []
    value: dict = {}
    if inp.special_post_grade is None and inp.term_years is None and inp.extensions is None:
        t.ask("special_post_grade", "特设岗位拟设在专业技术几级？", "特设岗位一般为七级及以上，各区可在八级")
        t.ask("term_years", "拟定聘期几年？", "聘期一般3年，重大研究项目最长5年")
        t.cite(floor.clause_id, term.clause_id)
        return Outcome.needs_info, None, "请提供特设岗位等级或聘期。"
    if inp.special_post_grade is not None:
        g = inp.special_post_grade
        _band_of(t, g, "special_post_grade")
        city, district = floor["市本级"], floor["区"]
        if g <= city:
            states.append(Outcome.eligible)
            notes.append(f"{int_to_cn(g)}级在七级及以上，可设特设岗位")
        elif g <= district:
            if inp.jurisdiction is None:
                states.append(Outcome.needs_info)
                t.ask("jurisdiction", "单位属于市本级还是区？", "各区可在八级设置特设岗位，市本级一般七级及以上")
                notes.append(f"{int_to_cn(g)}级仅各区可设")
            elif inp.jurisdiction == Jurisdiction.qu:
                states.append(Outcome.eligible)
                notes.append(f"各区可根据工作需要在{int_to_cn(g)}级设置特设岗位")
            else:
                states.append(Outcome.not_eligible)
                notes.append(f"市本级特设岗位一般应为七级及以上，{int_to_cn(g)}级仅各区可设")
        else:
            states.append(Outcome.not_eligible)
            notes.append(f"特设岗位一般应为七级及以上（各区可八级），{int_to_cn(g)}级过低")
        value["grade_ok"] = states[-1] == Outcome.eligible if states[-1] != Outcome.needs_info else None
        t.step("special_grade", notes[-1] + "。", {"special_post_grade": g}, [floor])
        if g == bands_top(t):
            t.step("level_two", "特设专业技术二级岗位，需报自治区事业单位人事综合管理部门核准。", cite=["post-title/s4/p2/i7"])
    if inp.term_years is not None:
        y = inp.term_years
        if y <= term["general_years"]:
            states.append(Outcome.eligible)
            notes.append(f"聘期{y:g}年，在一般聘期{term['general_years']}年以内")
        elif y <= term["project_max_years"]:
            if inp.major_project is None:
                states.append(Outcome.needs_info)
                t.ask("major_project", "是否承担市级及以上重大研究项目（课题）？",
                      f"聘期超过{term['general_years']}年须承担市级及以上重大研究项目")
                notes.append(f"聘期{y:g}年超过一般的{term['general_years']}年")
            elif inp.major_project:
                states.append(Outcome.eligible)
                notes.append(f"承担市级及以上重大研究项目，聘期可按任务期限设置，{y:g}年不超过{term['project_max_years']}年")
            else:
                states.append(Outcome.not_eligible)
                notes.append(f"聘期一般为{term['general_years']}年，只有承担市级及以上重大研究项目才可更长")
        else:
            states.append(Outcome.not_eligible)
            notes.append(f"聘期最长不超过{term['project_max_years']}年，{y:g}年超出")
        t.step("special_term", notes[-1] + "。", {"term_years": y, "major_project": inp.major_project}, [term])
    if inp.extensions is not None:
        ok = inp.extensions <= term["max_extensions"]
        states.append(Outcome.eligible if ok else Outcome.not_eligible)
        verdict = f"延长{inp.extensions}次可以" if ok else f"延长{inp.extensions}次超出"
        notes.append(f"工作任务未完成需延长的最多延长{int_to_cn(term['max_extensions'])}个聘期，{verdict}")
        t.step("special_extension", notes[-1] + "。", {"extensions": inp.extensions}, [term])
    outcome = _worst(states)
    return outcome, value, "；".join(notes) + "。"


def bands_top(t: Trace) -> int:
    """The highest grade a 特设岗位 can be set at below 一级 (二级), i.e. the first grade of 正高级 plus one."""
    return t.params.get("post_grade_bands")["正高级"][0] + 1
