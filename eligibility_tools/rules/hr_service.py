"""人力资源服务机构扶持政策: 《乌海市关于加快人力资源服务业发展的实施意见》附件1 政策扶持清单（一、就业创业类）."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import (
    COUNT_MAX,
    MONTHS_MAX,
    PEOPLE_MAX,
    PERSON_TIMES_MAX,
    PERSONS_LIST_MAX,
    PROJECTS_MAX,
    SUBSIDY_MONTHS_MAX,
    WAGE_MAX,
    YEARS_MAX,
)
from eligibility_tools.registry import register
from eligibility_tools.rules.common import PERCENT, Checks, ceil_int, finish, hr_list_notes, money, pct

TOOL_ORDER = 50  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "人力资源服务业扶持"


class HRItem(StrEnum):
    social_insurance = "社会保险补贴"
    internship = "就业见习补贴"
    talent_reserve = "人才储备生活补贴"
    loan_org = "创业担保贷款（机构）"
    loan_person = "创业担保贷款（个人）"
    one_time_startup = "一次性创业补贴"
    public_welfare_post = "公益性岗位补贴"
    project_construction = "项目建设补贴"
    apprenticeship = "新型学徒制培训补贴"
    project_library = "创业项目库建设补贴"
    startup_service = "创业服务补贴"
    labour_survey = "劳动力资源调查统计补助"
    hard_to_employ = "就业困难人员援助补助"


class FounderGroup(StrEnum):
    graduate = "离校2年内未就业高校毕业生"
    hard_to_employ = "就业困难人员"
    other = "其他人员"


class ProjectLevel(StrEnum):
    national_base = "国家级高技能人才培训基地"
    regional_base = "自治区级高技能人才培训基地"
    national_studio = "国家级技能大师工作室"
    regional_studio = "自治区级技能大师工作室"


class HRServiceInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: HRItem = Field(description="政策扶持清单中的事项")
    operating_agency: bool | None = Field(default=None, description="是否为经营性人力资源服务机构")
    persons: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="人数",
                                description="涉及人数（见习、储备、公益性岗位、学徒、援助推荐成功人数等）")
    months: int | None = Field(default=None, ge=0, le=SUBSIDY_MONTHS_MAX, title="补贴月数", description="补贴月数（见习、储备、公益性岗位）")
    months_per_person: list[Annotated[int, Field(ge=0, le=SUBSIDY_MONTHS_MAX)]] | None = Field(
        default=None, max_length=PERSONS_LIST_MAX, title="各人月数", description="各人月数不同时逐人填写（见习、储备），如 [18, 30]；填写后不必再填人数和月数")
    years: int | None = Field(default=None, ge=1, le=YEARS_MAX, title="学徒培养年数", description="学徒培养年数（新型学徒制）")
    region1_min_wage: Decimal | None = Field(default=None, ge=0, le=WAGE_MAX, title="月最低工资标准", description="自治区一类地区月最低工资标准（元/月，"
                                                                                        "就业见习补贴用）")
    city_min_wage: Decimal | None = Field(default=None, ge=0, le=WAGE_MAX, title="月最低工资标准", description="乌海市月最低工资标准（元/月，公益性岗位补贴用）")
    hires_qualified: bool | None = Field(
        default=None, description="所招用/储备人员是否符合条件（就业困难人员、离校两年内未就业高校毕业生等）并签订一年以上劳动合同、"
                                  "缴纳社会保险")
    small_micro: bool | None = Field(default=None, description="是否为小微型机构（创业担保贷款）")
    current_staff: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="在职职工人数", description="现有在职职工人数（创业担保贷款）")
    new_hires: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="新招用人数",
                                  description="当年新招用符合创业担保贷款申请条件并签订一年以上劳动合同的人数")
    meets_loan_conditions: bool | None = Field(default=None, description="本人是否符合创业担保贷款申请条件（个人）")
    founder_group: FounderGroup | None = Field(default=None, description="创办人身份（一次性创业补贴）")
    first_business: bool | None = Field(default=None, description="是否首次创办（一次性创业补贴）")
    months_operating: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="正常运营月数", description="自工商登记注册之日起正常运营的月数")
    project_level: ProjectLevel | None = Field(default=None, description="项目级别（项目建设补贴）")
    listed_projects: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="入库项目数", description="本年度征集入库的创业项目数")
    recommended_projects: int | None = Field(
        default=None, ge=0, le=PROJECTS_MAX, title="推介成功项目数", description="其中推介成功被创业者复制使用并稳定经营半年以上的项目数")
    prev_year_listed: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, description="上年度入库项目数")
    prev_year_recommended: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="上年度推介成功项目数", description="上年度入库项目中推介成功的项目数")
    prev_year_success_rate: Decimal | None = Field(default=None, ge=0, le=PERCENT, title="上年度推介成功率",
                                                   description="上年度入库项目推介成功率（%，已知比例时直接填写）")
    entities: int | None = Field(default=None, ge=0, le=COUNT_MAX, title="稳定经营的实体数", description="经服务后工商注册登记并稳定经营的实体数（创业服务补贴）")
    first_registrations: int | None = Field(default=None, ge=0, le=PERSON_TIMES_MAX, title="首次登记人次", description="劳动力资源信息首次登记人次")
    updated_person_years: int | None = Field(default=None, ge=0, le=PERSON_TIMES_MAX, title="更新完善人·年数", description="劳动力资源信息更新完善的人·年数")


@register("hr_service_support", "人力资源服务机构扶持政策测算", HRServiceInput, category=CATEGORY)
def hr_service_support(inp: HRServiceInput, as_of: date) -> ToolResult:
    """测算《乌海市关于加快人力资源服务业发展的实施意见》附件1政策扶持清单各项补贴（见习、储备、创业担保贷款、创业补贴、项目建设、学徒、"
      "项目库、调查统计等）。"""
    t = Trace(as_of)
    c = Checks()
    value: dict = {"item": inp.item.value, "amount_yuan": None}
    hr_list_notes(t)
    handler = _HANDLERS[inp.item]
    return handler(inp, t, c, value)


def _need_operating(inp: HRServiceInput, c: Checks, what: str) -> None:
    c.check(inp.operating_agency, "经营性人力资源服务机构", f"{what}只适用于经营性人力资源服务机构", "operating_agency",
            "贵单位是经营性人力资源服务机构吗？", f"{what}的对象是经营性人力资源服务机构")


def _need_int(inp: HRServiceInput, c: Checks, field: str, question: str, why: str) -> int | None:
    v = getattr(inp, field)
    if v is None:
        c.ask(field, question, why)
    return v


# Facts about who the applicant or the people are: they decide whether an item is paid, not how much. When only they
# are open the amount is computed and stated as resting on them (and they are still asked) — never silently assumed.
_PREMISES = {"operating_agency": "贵单位为经营性人力资源服务机构",
             "hires_qualified": "所涉人员符合清单规定的条件（如离校未就业高校毕业生、就业困难人员，签订一年以上劳动合同并缴纳社保）"}


def _done(t: Trace, c: Checks, value: dict, amount: Decimal | None, yes: str, outcome: Outcome = Outcome.eligible) -> ToolResult:
    if amount is not None and not c.failed and not c.unknown:
        value["amount_yuan"] = money(amount)
    open_facts = [fact for fact, _, _ in c.unknown]
    if amount is not None and yes and not c.failed and open_facts and set(open_facts) <= set(_PREMISES):
        value["amount_yuan"] = money(amount)
        premise = "；".join(_PREMISES[f] for f in dict.fromkeys(open_facts))
        value["premise"] = premise
        c.flush(t)
        t.warn(f"以上金额的前提是{premise}，请核实。")
        return t.result(Outcome.computed, value, f"{yes.rstrip('。')}（按符合条件测算）。")
    return finish(t, c, value, yes, "不符合条件", "还需补充信息才能判断。", yes_outcome=outcome)


def _social_insurance(inp, t, c, value):
    p = t.param("hr_social_insurance_subsidy")
    _need_operating(inp, c, "社会保险补贴")
    c.check(inp.hires_qualified, "招用就业困难人员或离校两年内未就业高校毕业生并签订一年以上劳动合同、缴纳社保",
            "招用人员不符合条件或未签订一年以上劳动合同、缴纳社保", "hires_qualified",
            "招用的是就业困难人员或离校两年内未就业高校毕业生，并签订了一年以上劳动合同、缴纳社会保险吗？", "社会保险补贴的条件")
    t.step("social_insurance", "清单第1项：招用就业困难人员和离校两年内未就业高校毕业生，签订一年以上劳动合同并缴纳社会保险费的，"
                               "按政策规定给予社会保险补贴"
           "（补贴标准汇编未载明）。", {"hires_qualified": inp.hires_qualified}, [p])
    return _done(t, c, value, None, "可按政策规定申请社会保险补贴，具体标准汇编未载明，请咨询人社部门。")


def _internship(inp, t, c, value):
    p = t.param("hr_internship_wage_share")
    wage_src = t.params.get("min_wage_source")
    _need_operating(inp, c, "就业见习补贴")
    each = list(inp.months_per_person or [])
    persons = len(each) if each else _need_int(inp, c, "persons", "有多少名见习人员？", "补贴按人按月计算")
    months = sum(each) if each else _need_int(inp, c, "months", "见习多少个月？", "补贴按人按月计算")
    if each:
        persons = 1  # person-months: months is the sum of each intern's months
    if inp.region1_min_wage is None:
        c.ask("region1_min_wage", "现行自治区一类地区月最低工资标准是多少元？",
              "见习补贴为一类地区最低工资标准的50%—60%（汇编未载明该标准）")
    t.step("internship", f"清单第2项：就业见习补贴每人每月按自治区一类地区最低工资标准的{pct(p['min'])}—{pct(p['max'])}。",
           {"region1_min_wage": inp.region1_min_wage, "persons": persons, "months": months}, [p, wage_src])
    if None in (persons, months, inp.region1_min_wage) or c.failed:
        return _done(t, c, value, None, "")
    low = money(inp.region1_min_wage * p["min"] * persons * months)
    high = money(inp.region1_min_wage * p["max"] * persons * months)
    value.update(amount_range_yuan=[low, high], monthly_per_person_range_yuan=[money(inp.region1_min_wage * p["min"]),
                                                                               money(inp.region1_min_wage * p["max"])])
    lo_month, hi_month = value["monthly_per_person_range_yuan"]
    span = f"共{months}人·月" if each else f"{persons}人×{months}月"
    t.step("internship_total",
           f"{inp.region1_min_wage}元×{pct(p['min'])}—{pct(p['max'])}＝每人每月{yuan(lo_month)}—{yuan(hi_month)}；"
           f"×{span}＝{yuan(low)}—{yuan(high)}。")
    return _done(t, c, value, low, f"就业见习补贴每人每月{yuan(lo_month)}—{yuan(hi_month)}，{span}合计{yuan(low)}—{yuan(high)}"
                 "（按最低工资标准50%—60%，具体比例由人社部门确定）。", Outcome.computed)


def _talent_reserve(inp, t, c, value):
    p = t.param("hr_talent_reserve_allowance")
    after = t.param("hr_talent_reserve_insurance")
    _need_operating(inp, c, "人才储备生活补贴")
    c.check(inp.hires_qualified, "储备、吸纳符合条件的高校毕业生", "储备、吸纳的不是符合条件的高校毕业生", "hires_qualified",
            "储备、吸纳的是符合条件的高校毕业生吗？", "人才储备生活补贴的对象是符合条件的高校毕业生")
    each = list(inp.months_per_person or [])
    persons = len(each) if each else _need_int(inp, c, "persons", "储备了多少名高校毕业生？", "补贴按人按月计算")
    months = None if each else _need_int(inp, c, "months", "储备多少个月？", "补贴按人按月计算，最长不超过两年")
    t.step("talent_reserve", f"清单第2项：储备、吸纳符合条件的高校毕业生，每人每月{yuan(p['monthly'])}生活补贴，最长不超过两年；"
           "期满后留用并签订1年以上劳动合同、足额缴纳社保的，可再给予最长1年的社会保险补贴。",
           {"persons": persons, "months": months, "months_per_person": each or None}, [p, after])
    if not each:
        if None in (persons, months):
            return _done(t, c, value, None, "")
        each = [months] * persons
    if not each:  # no graduate reserved: nothing to count, nothing to pay
        t.step("talent_reserve_total", "未储备、吸纳高校毕业生，无人才储备生活补贴。")
        return _done(t, c, value, Decimal(0), "未储备、吸纳高校毕业生，无人才储备生活补贴。", Outcome.computed)
    cap = p["max_months"]
    counted = [min(m, cap) for m in each]
    if any(m > cap for m in each):
        t.warn(f"人才储备生活补贴最长不超过两年（{cap}个月），超出部分不予补贴。")
    amounts = [p["monthly"] * m for m in counted]
    amount = sum(amounts)
    value.update(months_counted=counted if len(set(counted)) > 1 else counted[0], per_person_yuan=[money(a) for a in amounts])
    if len(set(each)) > 1:
        parts = "；".join(f"第{i}人{m}个月" + (f"（超过{cap}个月，按{cap}个月）" if m > cap else "") + f"：{yuan(p['monthly'])}×{c_}＝"
                         f"{yuan(money(a))}" for i, (m, c_, a) in enumerate(zip(each, counted, amounts, strict=True), 1))
        t.step("talent_reserve_total", f"每人最长{cap}个月，逐人计算：{parts}；合计{yuan(money(amount))}。")
        shown = "、".join(yuan(money(a)) for a in amounts)
        return _done(t, c, value, amount, f"人才储备生活补贴合计{yuan(money(amount))}（每人最长{cap}个月：{shown}）。", Outcome.computed)
    capped = f"（{each[0]}个月超过两年，按{cap}个月）" if each[0] > cap else ""
    t.step("talent_reserve_total", f"{yuan(p['monthly'])}×{persons}人×{counted[0]}月＝{yuan(money(amount))}{capped}。")
    return _done(t, c, value, amount, f"人才储备生活补贴{yuan(money(amount))}{capped}。", Outcome.computed)


def _loan_org(inp, t, c, value):
    p = t.param("hr_guaranteed_loan_org")
    _need_operating(inp, c, "机构创业担保贷款")
    c.check(inp.small_micro, "小微型机构", "不是小微型机构", "small_micro", "贵机构是小微型企业吗？",
            "机构创业担保贷款限小微型经营性人力资源服务机构")
    staff = _need_int(inp, c, "current_staff", "现有在职职工多少人？", "新招用人数须达到在职职工的15%（超过100人的达到8%）")
    hires = _need_int(inp, c, "new_hires", "当年新招用符合创业担保贷款申请条件、"
                                           "签订一年以上劳动合同的有多少人？", "新招用人数须达到规定比例")
    required = None
    if staff is not None:
        share = p["large_share"] if staff > p["large_threshold"] else p["share"]
        required = ceil_int(staff * share)
        value.update(required_new_hires=required, required_share=share)
        t.step("loan_org_share", f"清单第3项：在职职工{staff}人，"
                                 f"{'超过' if staff > p['large_threshold'] else '不超过'}{p['large_threshold']}人，"
               f"当年新招用人数须达到{pct(share)}，即至少{required}人（按人数向上取整）。", {"current_staff": staff}, [p])
        if hires is not None:
            if hires >= required:
                c.met.append(f"新招用{hires}人，达到{required}人")
            else:
                c.failed.append(f"新招用{hires}人，未达到在职职工{pct(share)}（{required}人）")
    else:
        t.step("loan_org_share", "清单第3项：当年新招用人数须达到在职职工人数15%（超过100人的企业达到8%）。", params=[p])
    value["loan_max_yuan"] = p["max_loan"]
    if required is not None and hires is None and not c.failed:
        # "要新招用多少人才能贷款": the number to hire is the answer, not a fact to ask for
        c.unknown = [u for u in c.unknown if u[0] != "new_hires"]
        c.flush(t)
        return t.result(Outcome.computed, value, f"在职职工{staff}人，当年须新招用至少{required}人（{pct(value['required_share'])}，向上取整）"
                        f"并签订一年以上劳动合同，可申请最高不超过{yuan(p['max_loan'])}的创业担保贷款。")
    status = _done(t, c, value, None, f"可申请最高不超过{yuan(p['max_loan'])}的创业担保贷款，财政按规定贴息。")
    return status


def _loan_person(inp, t, c, value):
    p = t.param("hr_guaranteed_loan_person")
    c.check(inp.meets_loan_conditions, "符合创业担保贷款申请条件", "不符合创业担保贷款申请条件", "meets_loan_conditions",
            "您是否符合创业担保贷款申请条件（重点就业群体等，具体条件见财金〔2020〕21号）？", "个人创业担保贷款的前提")
    t.step("loan_person", f"清单第3项：符合创业担保贷款申请条件的人员自主创业的，可申请最高不超过{yuan(p.value)}的创业担保贷款，"
                          f"财政按规定贴息。",
           {"meets_loan_conditions": inp.meets_loan_conditions}, [p])
    value["loan_max_yuan"] = p.value
    return _done(t, c, value, None, f"可申请最高不超过{yuan(p.value)}的个人创业担保贷款。")


def _one_time_startup(inp, t, c, value):
    p = t.param("hr_one_time_startup_subsidy")
    if inp.founder_group is None:
        c.ask("founder_group", "创办人是离校2年内未就业高校毕业生、就业困难人员，还是其他人员？", "一次性创业补贴限这两类人员")
    elif inp.founder_group == FounderGroup.other:
        c.failed.append("创办人不是离校2年内未就业高校毕业生或就业困难人员")
    else:
        c.met.append(inp.founder_group.value)
    c.check(inp.first_business, "首次创办", "不是首次创办", "first_business", "这是首次创办经营性人力资源服务机构吗？",
            "一次性创业补贴限首次创办")
    _need_operating(inp, c, "一次性创业补贴")
    if inp.months_operating is None:
        c.ask("months_operating", "自工商登记注册之日起已正常运营多少个月？", "须正常运营1年以上")
    elif inp.months_operating >= p["min_operating_months"]:
        c.met.append(f"正常运营{inp.months_operating}个月")
    else:
        c.failed.append(f"正常运营仅{inp.months_operating}个月，未满1年")
    t.step("one_time_startup", f"清单第4项：离校2年内未就业高校毕业生、就业困难人员首次创办经营性人力资源服务机构，正常运营1年以上的，"
           f"给予{yuan(p['amount'])}一次性创业补贴。",
           {"founder_group": inp.founder_group, "first_business": inp.first_business, "months_operating": inp.months_operating}, [p])
    return _done(t, c, value, p["amount"], f"可享受一次性创业补贴{yuan(p['amount'])}。")


def _public_welfare_post(inp, t, c, value):
    p = t.param("hr_public_welfare_post")
    wage_src = t.params.get("min_wage_source")
    _need_operating(inp, c, "公益性岗位补贴")
    c.check(inp.hires_qualified, "按政策规定招录用就业困难人员", "招录用的不是就业困难人员", "hires_qualified",
            "公益性岗位招录用的是就业困难人员吗？", "公益性岗位补贴的对象是就业困难人员")
    persons = _need_int(inp, c, "persons", "公益性岗位安置了多少人？", "岗位补贴按人按月计算")
    months = _need_int(inp, c, "months", "补贴多少个月？", "岗位补贴按人按月计算")
    if inp.city_min_wage is None:
        c.ask("city_min_wage", "现行乌海市月最低工资标准是多少元？", "岗位补贴按我市最低工资标准（汇编未载明该标准）")
    t.step("public_welfare_post", "清单第6项：按政策规定招录用就业困难人员的，"
                                  "可按我市最低工资标准给予岗位补贴及社会保险补贴（社保补贴标准汇编未载明）。",
           {"persons": persons, "months": months, "city_min_wage": inp.city_min_wage}, [p, wage_src])
    if None in (persons, months, inp.city_min_wage):
        return _done(t, c, value, None, "")
    amount = inp.city_min_wage * persons * months
    t.step("public_welfare_total", f"岗位补贴{inp.city_min_wage}元×{persons}人×{months}月＝{yuan(money(amount))}（另有社会保险补贴）。")
    return _done(t, c, value, amount, f"公益性岗位补贴{yuan(money(amount))}（另按规定给予社会保险补贴）。", Outcome.computed)


def _project_construction(inp, t, c, value):
    p = t.param("hr_project_construction_subsidy")
    if inp.project_level is None:
        c.ask("project_level", "是哪一级别的高技能人才培训基地或技能大师工作室项目？", "补助金额按项目级别确定")
        t.step("project_construction", "清单第7项：国家级、自治区级培训基地分别补助500万元、100万元，技能大师工作室各10万元。", params=[p])
        return _done(t, c, value, None, "")
    amount = p[inp.project_level.value]
    t.step("project_construction", f"清单第7项："
                                   f"{inp.project_level.value}建设项目补助{yuan(amount)}。",
                                                                          {"project_level": inp.project_level.value}, [p])
    return _done(t, c, value, amount, f"{inp.project_level.value}建设项目可获补助{yuan(amount)}。")


def _apprenticeship(inp, t, c, value):
    p = t.param("hr_apprentice_annual_subsidy_floor")
    _need_operating(inp, c, "新型学徒制培训补贴（6000元标准）")
    persons = _need_int(inp, c, "persons", "有多少名学徒？", "补贴按人按年计算")
    years = _need_int(inp, c, "years", "培养几年？", "补贴按人按年计算")
    t.step("apprenticeship", f"清单第9项：经营性人力资源服务机构开展企业新型学徒制培训，每人每年不低于{yuan(p.value)}。"
           "学徒条件、培养期限和预支规则见 apprenticeship_subsidy。", {"persons": persons, "years": years}, [p])
    if None in (persons, years):
        return _done(t, c, value, None, "")
    # 学徒制实施方案三: 培养期限1-2年，特殊情况可延长到3年 — no year beyond that is paid
    limit = t.param("apprentice_training_years")
    counted = min(years, limit["special"])
    capped = ""
    if years > limit["special"]:
        capped = f"（培养{years}年，最长按{limit['special']}年）"
        t.warn(f"学徒培养期限为1-{limit['normal']}年，特殊情况最长可延长到{limit['special']}年，超出部分不予测算。")
    elif years > limit["normal"]:
        t.warn(f"学徒培养期限一般为1-{limit['normal']}年，第{limit['special']}年须属于可延长的特殊情况。")
    amount = p.value * persons * counted
    t.step("apprenticeship_total", f"{yuan(p.value)}×{persons}人×{counted}年＝{yuan(money(amount))}（下限）{capped}。",
           {"years": years}, [limit])
    value.update(amount_is_floor=True, years_counted=counted)
    return _done(t, c, value, amount, f"新型学徒制培训补贴至少{yuan(money(amount))}{capped}。")


def _project_library(inp, t, c, value):
    p = t.param("hr_project_library_subsidy")
    if inp.prev_year_success_rate is not None:
        prev_listed = prev_ok = None
        rate = inp.prev_year_success_rate / PERCENT
        value["prev_year_success_rate"] = money(rate)
        if rate >= p["min_success_rate"]:
            c.met.append(f"上年度推介成功率{pct(rate)}，不低于{pct(p['min_success_rate'])}（含本数）")
        else:
            c.failed.append(f"上年度推介成功率{pct(rate)}，低于{pct(p['min_success_rate'])}")
    else:
        prev_listed = _need_int(inp, c, "prev_year_listed", "上年度有多少个入库项目？", "上年度入库项目推介成功率须不低于10%")
        prev_ok = _need_int(inp, c, "prev_year_recommended", "上年度入库项目中有多少个推介成功？", "上年度入库项目推介成功率须不低于10%")
    listed = _need_int(inp, c, "listed_projects", "本年度征集入库多少个项目？", "每入库一个项目补贴不超过1000元")
    rec = inp.recommended_projects if inp.recommended_projects is not None else 0
    if prev_listed is not None and prev_ok is not None:
        if prev_listed == 0:
            c.failed.append("上年度无入库项目，无法满足推介成功率不低于10%的条件")
        else:
            rate = Decimal(prev_ok) / Decimal(prev_listed)
            value["prev_year_success_rate"] = money(rate)
            if rate >= p["min_success_rate"]:
                c.met.append(f"上年度推介成功率{pct(money(rate))}，不低于{pct(p['min_success_rate'])}")
            else:
                c.failed.append(f"上年度推介成功率{pct(money(rate))}，低于{pct(p['min_success_rate'])}")
    if listed is not None and rec > listed:
        c.failed.append(f"推介成功项目数{rec}不能多于入库项目数{listed}")
    t.step("project_library", f"清单第10项：上年度入库项目推介成功率不低于{pct(p['min_success_rate'])}的，"
                              f"每入库一个项目补贴不超过{yuan(p['listed'])}；"
           f"其中推介成功并稳定经营半年以上的，每个再补贴不超过{yuan(p['recommended'])}。",
           {"listed_projects": listed, "recommended_projects": inp.recommended_projects, "prev_year_listed": prev_listed,
            "prev_year_recommended": prev_ok}, [p])
    if listed is None or c.failed:
        return _done(t, c, value, None, "")
    amount = p["listed"] * listed + p["recommended"] * rec
    value.update(listed_subsidy_yuan=p["listed"] * listed, recommended_subsidy_yuan=p["recommended"] * rec, amount_is_ceiling=True)
    t.step("project_library_total",
           f"入库{listed}个×{yuan(p['listed'])}＋推介成功{rec}个×{yuan(p['recommended'])}＝{yuan(money(amount))}（上限）。")
    gate = f"上年度推介成功率{pct(value['prev_year_success_rate'])}不低于{pct(p['min_success_rate'])}，" if "prev_year_success_rate" in value else ""
    parts = f"入库补贴{yuan(money(p['listed'] * listed))}" + (f"＋推介补贴{yuan(money(p['recommended'] * rec))}" if rec else "")
    return _done(t, c, value, amount, f"{gate}创业项目库建设补贴最高{yuan(money(amount))}（{parts}）。", Outcome.computed)


def _startup_service(inp, t, c, value):
    p = t.param("hr_startup_service_subsidy")
    _need_operating(inp, c, "创业服务补贴")
    entities = _need_int(inp, c, "entities", "经服务后工商注册登记并稳定经营的实体有多少个？", "每个实体补贴不超过2000元")
    t.step("startup_service", f"清单第11项：对经工商注册登记并稳定经营的实体，"
                              f"每个给予不超过{yuan(p.value)}的创业服务补贴。", {"entities": entities}, [p])
    if entities is None:
        return _done(t, c, value, None, "")
    amount = p.value * entities
    value["amount_is_ceiling"] = True
    return _done(t, c, value, amount, f"创业服务补贴最高{yuan(money(amount))}。", Outcome.computed)


def _labour_survey(inp, t, c, value):
    p = t.param("hr_labour_survey_subsidy")
    first = inp.first_registrations
    update = inp.updated_person_years
    if first is None and update is None:
        c.ask("first_registrations", "首次登记了多少人次？（更新完善的人·年数也请一并提供）", "首次登记按2元/人次、更新完善按1元/人/年补贴")
    first, update = first or 0, update or 0
    t.step("labour_survey", f"清单第12项：首次登记按{yuan(p['first'])}/人次、更新完善按{yuan(p['update'])}/人/年补贴。",
           {"first_registrations": inp.first_registrations, "updated_person_years": inp.updated_person_years}, [p])
    amount = p["first"] * first + p["update"] * update
    if not c.unknown:
        t.step("labour_survey_total", f"{first}人次×{yuan(p['first'])}＋{update}人·年×{yuan(p['update'])}＝{yuan(money(amount))}。")
    parts = f"（首次登记{first}人次×{yuan(p['first'])}＝{yuan(money(p['first'] * first))}" + (
        f"，更新完善{update}人·年×{yuan(p['update'])}＝{yuan(money(p['update'] * update))}）" if update else "）")
    return _done(t, c, value, amount, f"劳动力资源调查统计补助{yuan(money(amount))}{parts}。", Outcome.computed)


def _hard_to_employ(inp, t, c, value):
    p = t.param("hr_hard_to_employ_placement")
    persons = _need_int(inp, c, "persons", "成功推荐就业困难人员（零就业家庭成员）就业多少人？", "每成功推荐就业1人补助400元")
    t.step("hard_to_employ", f"清单第13项：为就业困难人员和零就业家庭提供服务，"
                             f"每成功推荐就业1人补助{yuan(p.value)}。", {"persons": persons}, [p])
    if persons is None:
        return _done(t, c, value, None, "")
    amount = p.value * persons
    return _done(t, c, value, amount, f"就业困难人员援助补助{yuan(money(amount))}。", Outcome.computed)


_HANDLERS = {
    HRItem.social_insurance: _social_insurance,
    HRItem.internship: _internship,
    HRItem.talent_reserve: _talent_reserve,
    HRItem.loan_org: _loan_org,
    HRItem.loan_person: _loan_person,
    HRItem.one_time_startup: _one_time_startup,
    HRItem.public_welfare_post: _public_welfare_post,
    HRItem.project_construction: _project_construction,
    HRItem.apprenticeship: _apprenticeship,
    HRItem.project_library: _project_library,
    HRItem.startup_service: _startup_service,
    HRItem.labour_survey: _labour_survey,
    HRItem.hard_to_employ: _hard_to_employ,
}
