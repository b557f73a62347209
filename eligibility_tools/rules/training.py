"""职业技能培训补贴、鉴定补贴与企业新型学徒制补贴.

乌人社发〔2019〕56号（training-subsidy-catalog 一至四）；乌人社发〔2020〕25号（skills-upgrade-funds 二（二）2）；
《乌海市全面推行企业新型学徒制工作实施方案》（apprenticeship 二、三、四（二）2、五）；政策扶持清单第9项（hr-service/att1/s1/i9）。
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import HOURLY_RATE_MAX, HOURS_MAX, LIST_MAX, MONTHS_MAX, PEOPLE_MAX, PER_PERSON_MAX, YEARS_MAX
from eligibility_tools.registry import register
from eligibility_tools.rules.common import Checks, ambiguous, finish, hr_list_notes, money, pct

TOOL_ORDER = 40  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "培训与学徒补贴"


class SubsidyType(StrEnum):
    training = "职业培训补贴"
    appraisal = "职业技能鉴定补贴"


class TrainingBrand(StrEnum):
    none = "无"
    famous = "知名品牌"
    featured = "特色品牌"


class Certificate(StrEnum):
    qualification = "职业资格证书"
    skill_level = "职业技能等级证书"
    special_ability = "专项职业能力证书"
    pending = "已通过鉴定、证书尚未发放"
    none = "未取得证书"


class TrainingSubsidyInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subsidy_type: SubsidyType = Field(default=SubsidyType.training, description="补贴类型：职业培训补贴或职业技能鉴定补贴")
    hours: int | None = Field(default=None, ge=0, le=HOURS_MAX, title="培训课时", description="实际培训课时")
    in_key_industry_catalog: bool | None = Field(
        default=None, description="培训职业（工种）是否列入《内蒙古自治区重点产业职业培训需求目录》（含经市审定调整补充的职业）")
    brand: TrainingBrand | None = Field(
        default=None, description="是否为经认定机构开展的自治区级就业技能知名品牌或特色品牌培训（无/知名品牌/特色品牌）")
    brand_specialty_matches: bool | None = Field(
        default=None, description="品牌培训：本次培训的专业是否就是该机构被认定的品牌专业（上浮仅限所认定的专业）")
    hours_over_basic: int | None = Field(default=None, ge=0, le=HOURS_MAX, title="超出基本培训课时的课时数",
                                         description="实际课时超出基本培训课时的课时数（只知道超出多少时填写，重点产业目录职业）")
    base_per_person: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="每人基础补贴",
                                            description="每人基础补贴（元，上浮前；已知时直接填写，不再按课时计算）")
    hourly_rate: Decimal | None = Field(default=None, ge=0, le=HOURLY_RATE_MAX, title="课时补贴标准", description="课时补贴标准（元/课时，按内发改费字〔2015〕1552号）")
    basic_hours: int | None = Field(default=None, ge=1, le=HOURS_MAX, title="基本培训课时", description="该职业（工种）的基本培训课时（重点产业目录职业）")
    reached_basic_hours: bool | None = Field(
        default=None, description="实际课时是否达到该职业（工种）的基本培训课时（不知道基本课时数、只知道够没够时填写）")
    base_subsidy: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="基准培训补贴", description="该职业（工种）的基准培训补贴（元/人，"
                                                                                     "重点产业目录职业）")
    duration_months: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="培训时长（月）", description="申请补贴的培训时长（月）")
    trainees: int = Field(default=1, ge=1, le=PEOPLE_MAX, title="培训人数", description="培训人数（每人补贴相同）")
    first_time_pass: bool | None = Field(default=None, description="是否初次通过职业技能鉴定（鉴定补贴）")
    certificate: Certificate | None = Field(default=None, description="取得的证书类型（鉴定补贴）")
    in_appraisal_catalog: bool | None = Field(
        default=None, description="是否纳入自治区重点产业职业资格和职业技能等级评定指导目录（鉴定补贴）")
    appraisal_fee: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="鉴定费", description="实际缴纳的鉴定费（元/人，据发票，鉴定补贴）")


@register("training_subsidy", "职业技能培训/鉴定补贴测算", TrainingSubsidyInput, category=CATEGORY)
def training_subsidy(inp: TrainingSubsidyInput, as_of: date) -> ToolResult:
    """测算职业技能培训补贴（乌人社发〔2019〕56号一至四：56课时下限、1年时限、重点产业目录上浮20%、"
      "品牌上浮30%/25%不叠加）或职业技能鉴定补贴。"""
    t = Trace(as_of)
    if inp.subsidy_type == SubsidyType.appraisal:
        return _appraisal(inp, t)
    c = Checks()
    value: dict = {"per_person_yuan": None, "amount_yuan": None, "trainees": inp.trainees}
    floor = t.param("training_min_hours")
    limit = t.param("training_max_subsidy_months")
    t.step("min_hours", f"一：享受培训补贴的培训课时不得少于{floor.value}课时，补贴时限最长不超过1年（其他政策另有规定的除外）。",
           {"hours": inp.hours, "duration_months": inp.duration_months}, [floor, limit])
    over_basic = inp.hours_over_basic is not None and inp.hours is None
    if inp.hours is None and inp.base_per_person is None and not over_basic:
        c.ask("hours", "实际培训了多少课时？", "培训课时不得少于56课时，且补贴按课时计算")
    elif inp.hours is None:
        pass  # the base is given (or the hours over the basic hours): the 56-hour floor is met by the basic hours
    elif inp.hours < floor.value:
        c.failed.append(f"培训{inp.hours}课时，少于{floor.value}课时")
    if inp.duration_months is not None and inp.duration_months > limit.value:
        c.failed.append(f"补贴时限{inp.duration_months}个月，超过最长1年（其他政策另有规定的除外）")
    elif inp.duration_months is None:
        t.warn("培训补贴时限最长不超过1年（其他政策另有规定的除外），请确认申请补贴的培训在1年以内。")
    if inp.in_key_industry_catalog is None:
        c.ask("in_key_industry_catalog", "培训的职业（工种）是否列入《重点产业需求目录》？", "目录内职业按基准补贴+超出课时补贴并上浮20%，"
                                                                     "目录外按课时补贴标准")
    branded = inp.brand not in (None, TrainingBrand.none)
    if branded and inp.brand_specialty_matches is None:
        c.ask("brand_specialty_matches", f"本次培训的专业是贵机构被认定的{inp.brand.value}专业吗？",
              "品牌培训上浮30%/25%仅限经认定的培训机构对所认定的专业开展培训，其他专业只按目录上浮20%（或不上浮）")
    if c.failed or (inp.hours is None and inp.base_per_person is None and not over_basic) or inp.in_key_industry_catalog is None:
        return finish(t, c, value, "", "不能享受培训补贴", "还需补充信息才能测算培训补贴。")

    external = t.params.get("training_hourly_rate_source")
    rate_question = ("该职业（工种）的课时补贴标准是多少元/课时？",
                     "按内发改费字〔2015〕1552号规定的课时补贴标准计算（汇编未载明具体标准）")
    base: Decimal | None = None
    at_56_hours = False
    if inp.base_per_person is not None:
        base = inp.base_per_person
        t.step("base_given", f"每人基础补贴{yuan(money(base))}（按您提供的金额）。", {"base_per_person": inp.base_per_person})
    elif over_basic and inp.in_key_industry_catalog:
        full = t.param("training_basic_hours_full")
        if inp.base_subsidy is None:
            c.ask("base_subsidy", "该职业（工种）的基准培训补贴是多少元？", "达到基本培训课时的，补贴为基准培训补贴+超出课时部分补贴")
        if inp.hours_over_basic and inp.hourly_rate is None:
            c.ask("hourly_rate", *rate_question)
        if inp.base_subsidy is not None and (not inp.hours_over_basic or inp.hourly_rate is not None):
            extra = inp.hours_over_basic
            base = inp.base_subsidy + extra * (inp.hourly_rate or 0)
            t.step("catalog_full", f"三（一）：达到基本培训课时，基础补贴＝基准培训补贴{yuan(money(inp.base_subsidy))}"
                   f"＋超出{extra}课时×{inp.hourly_rate or 0}元＝{yuan(money(base))}。",
                   {"hours_over_basic": extra, "base_subsidy": inp.base_subsidy, "hourly_rate": inp.hourly_rate}, [full, external])
    elif over_basic:
        c.ask("hours", "实际培训了多少课时？", "目录外职业按实际课时×课时补贴标准计算")
    elif not inp.in_key_industry_catalog:
        rule = t.param("training_hourly_rate_rule")
        if inp.hourly_rate is None:
            c.ask("hourly_rate", *rate_question)
        else:
            base = inp.hours * inp.hourly_rate
            t.step("outside_catalog", f"二：目录外技能类职业按课时补贴标准：{inp.hours}课时×{inp.hourly_rate}元＝{yuan(money(base))}。",
                   {"hours": inp.hours, "hourly_rate": inp.hourly_rate}, [rule, external])
    else:
        below = inp.basic_hours is None and inp.reached_basic_hours is False  # "没够基本课时": 三（二）, the number not needed
        if inp.basic_hours is None and not below:
            c.ask("basic_hours", "该职业（工种）的基本培训课时是多少？", "达到基本课时按基准补贴+超出课时补贴，未达到按实际课时补贴")
        elif not below and inp.hours >= inp.basic_hours:
            full = t.param("training_basic_hours_full")
            if inp.base_subsidy is None:
                c.ask("base_subsidy", "该职业（工种）的基准培训补贴是多少元？", "达到基本培训课时的，补贴为基准培训补贴+超出课时部分补贴")
            extra = inp.hours - inp.basic_hours
            if extra and inp.hourly_rate is None:
                c.ask("hourly_rate", *rate_question)
            if inp.base_subsidy is not None and (not extra or inp.hourly_rate is not None):
                base = inp.base_subsidy + extra * (inp.hourly_rate or 0)
                t.step("catalog_full", f"三（一）：达到基本培训课时{inp.basic_hours}，基础补贴＝基准培训补贴{yuan(money(inp.base_subsidy))}"
                       f"＋超出{extra}课时×{inp.hourly_rate or 0}元＝{yuan(money(base))}。",
                       {"hours": inp.hours, "basic_hours": inp.basic_hours}, [full, external])
        else:
            partial = t.param("training_basic_hours_partial")
            if inp.hourly_rate is None:
                c.ask("hourly_rate", *rate_question)
            else:
                base = inp.hours * inp.hourly_rate
                at_56_hours = inp.hours == partial.value
                t.step("catalog_partial", f"三（二）：超过{partial.value}课时但未达到基本培训课时{inp.basic_hours or ''}，按实际课时补贴："
                       f"{inp.hours}×{inp.hourly_rate}元＝{yuan(money(base))}。", {"hours": inp.hours, "basic_hours": inp.basic_hours},
                       [partial, external])
    if base is None:
        return finish(t, c, value, "", "不能享受培训补贴", "还需补充信息才能测算培训补贴。")

    uplift = Decimal(0)
    brand_note = ""
    if branded and inp.brand_specialty_matches:
        brand = t.param("training_brand_uplift")
        uplift = brand[inp.brand.value]
        note = "，不与重点产业目录20%叠加" if inp.in_key_industry_catalog else ""
        t.step("brand_uplift", f"四："
                               f"自治区级就业技能{inp.brand.value}培训补贴标准上浮{pct(uplift)}{note}。",
                                                                       {"brand": inp.brand.value}, [brand])
    else:
        if branded:  # 品牌机构开展非认定专业的培训：品牌上浮不适用
            brand = t.param("training_brand_uplift")
            t.step("brand_not_applicable", f"四：品牌培训上浮仅限经认定的培训机构对所认定的专业开展培训，本次培训不是被认定的专业，"
                   f"不按{inp.brand.value}上浮。", {"brand": inp.brand.value, "brand_specialty_matches": False}, [brand])
        elif inp.brand is None:
            brand_note = "（未按品牌培训上浮）"
            t.warn("以上未按品牌培训上浮：经认定的知名品牌、特色品牌培训机构对所认定的专业开展培训的，另按30%、25%上浮（不与20%叠加）。")
        if inp.in_key_industry_catalog:
            key = t.param("training_key_industry_uplift")
            uplift = key.value
            t.step("catalog_uplift", f"三：重点产业目录职业培训补贴按基础补贴统一上浮{pct(uplift)}："
                   f"{yuan(money(base))}×{1 + uplift}＝{yuan(money(base * (1 + uplift)))}。", params=[key])
    per_person = money(base * (1 + uplift))
    value.update(per_person_yuan=per_person, amount_yuan=money(per_person * inp.trainees), uplift=uplift)
    t.step("total", f"每人补贴{yuan(per_person)}×{inp.trainees}人＝{yuan(value['amount_yuan'])}。", {"trainees": inp.trainees})
    if at_56_hours and not c.unknown:
        value["readings"] = {
            "按实际课时补贴": f"第一条允许不少于56课时，恰好56课时按三（二）以实际课时补贴，为每人{yuan(per_person)}。",
            "不在三（二）范围": "三（二）只写“超过56课时”，恰好56课时且未达基本课时的情形未作规定，可能不予按目录标准补贴。",
        }
        t.warn("恰好56课时：第一条“不得少于56课时”允许享受补贴，但第三条（二）只覆盖“超过56课时”，两处表述不一致。")
        return ambiguous(t, value, "恰好56课时的重点产业目录培训如何补贴，条文存在两种理解。")
    how = f"基础补贴{yuan(money(base))}" + (f"上浮{pct(uplift)}" if uplift else "")
    total = f"，{inp.trainees}人共{yuan(value['amount_yuan'])}" if inp.trainees > 1 else ""
    return finish(t, c, value, f"培训补贴每人{yuan(per_person)}（{how}）{total}{brand_note}。", "不能享受培训补贴",
                  "还需补充信息才能测算培训补贴。", yes_outcome=Outcome.computed)


def _appraisal(inp: TrainingSubsidyInput, t: Trace) -> ToolResult:
    c = Checks()
    cond = t.param("appraisal_subsidy_conditions")
    value: dict = {"per_person_yuan": None, "amount_yuan": None, "trainees": inp.trainees}
    c.check(inp.first_time_pass, "初次通过职业技能鉴定", "不是初次通过职业技能鉴定", "first_time_pass",
            "是初次通过职业技能鉴定吗？", "只对初次通过职业技能鉴定的参训人员给予鉴定补贴")
    if inp.certificate is None:
        c.ask("certificate", "取得的是哪种证书（职业资格证书、职业技能等级证书、专项职业能力证书）？", "须取得证书才能申领鉴定补贴")
    elif inp.certificate == Certificate.pending:
        c.failed.append("证书尚未发放：鉴定补贴给予通过鉴定并取得证书的参训人员，须等证书发放后再申请")
    elif inp.certificate == Certificate.none:
        c.failed.append("未取得职业资格证书、职业技能等级证书或专项职业能力证书")
    else:
        c.met.append(f"取得{inp.certificate.value}")
    t.step("appraisal_conditions", "乌人社发〔2020〕25号二（二）2：对初次通过职业技能鉴定并取得证书的参训人员给予职业技能鉴定补贴。",
           {"first_time_pass": inp.first_time_pass, "certificate": inp.certificate}, [cond])
    if inp.certificate == Certificate.pending and c.failed == [c.failed[-1]]:
        c.flush(t)
        return t.result(Outcome.not_eligible, {**value, "failed_conditions": c.failed},
                        "现在还不行：职业技能鉴定补贴给予初次通过鉴定并取得证书的参训人员，证书发放后再向培训所在地人社部门申请。")
    if c.failed or c.unknown:
        return finish(t, c, value, "", "不能享受职业技能鉴定补贴", "还需补充信息才能判断鉴定补贴。")
    actual = t.param("appraisal_subsidy_catalog_actual")
    if inp.in_appraisal_catalog is None:
        c.ask("in_appraisal_catalog", "该职业（工种）是否纳入自治区重点产业职业资格和职业技能等级评定指导目录？", "目录内据实补贴")
    elif inp.in_appraisal_catalog:
        if inp.appraisal_fee is None:
            c.ask("appraisal_fee", "实际缴纳的鉴定费是多少元（以发票为准）？", "目录内职业鉴定补贴据实补贴")
        else:
            per = money(inp.appraisal_fee)
            value.update(per_person_yuan=per, amount_yuan=money(per * inp.trainees))
            t.step("appraisal_actual", f"纳入评定指导目录的据实补贴：每人{yuan(per)}×{inp.trainees}人＝{yuan(value['amount_yuan'])}。",
                   {"appraisal_fee": inp.appraisal_fee}, [actual])
    else:
        t.step("appraisal_standard", "未纳入评定指导目录的，按规定标准补贴；汇编未载明具体标准，"
                                     "金额请咨询所在区人社部门。", params=[actual])
    return finish(t, c, value, "符合职业技能鉴定补贴条件" + (f"，补贴{yuan(value['amount_yuan'])}。" if value["amount_yuan"] is not None
                                                     else "，补贴标准汇编未载明，请咨询所在区人社部门。"),
                  "不能享受职业技能鉴定补贴", "还需补充信息才能测算鉴定补贴。")


# ---------------------------------------------------------------- 企业新型学徒制

class ApprenticeProvider(StrEnum):
    enterprise = "企业"
    hr_agency = "经营性人力资源服务机构"


class ApprenticeSource(StrEnum):
    new_hire = "技能岗位新招用人员"
    transfer = "新转岗人员"
    vocational_student = "职业院校现代学徒制/校企合作/单独招生学生"
    other = "其他在岗人员"


class ApprenticeCohort(BaseModel):
    model_config = ConfigDict(extra="forbid")

    apprentices: int = Field(ge=1, le=PEOPLE_MAX, title="学徒人数", description="该批学徒人数")
    years: Decimal = Field(ge=1, le=YEARS_MAX, title="培养年数", description="该批培养期限（年，可为1.5等，一年半）")


class ApprenticeshipInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cohorts: list[ApprenticeCohort] | None = Field(
        default=None, max_length=LIST_MAX, title="各批学徒", description="分批培养期限不同时，逐批填写人数和年数，如 [{\"apprentices\": 12, \"years\": 1}, "
                                  "{\"apprentices\": 8, \"years\": 2}]（填写后不必再填人数和年限）")
    apprentices: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="学徒人数", description="参加新型学徒制培训的学徒人数")
    years: Decimal | None = Field(default=None, ge=1, le=YEARS_MAX, title="培养年数", description="培养期限（年，可为1.5等，一年半）")
    provider: ApprenticeProvider = Field(default=ApprenticeProvider.enterprise, description="开展培训的主体：企业或经营性人力资源服务机构")
    apprentice_source: ApprenticeSource | None = Field(default=None, description="学徒来源：新招用、新转岗、职业院校学生或其他在岗人员")
    contract_and_insurance: bool | None = Field(default=None, description="学徒是否与企业签订一年以上劳动合同且缴纳社会保险")
    simple_trade: bool | None = Field(default=None, description="所选工种是否为简单易学工种")
    special_circumstances: bool | None = Field(default=None, description="培养期限超过2年是否属于特殊情况（可延长到3年）")
    annual_standard: Decimal | None = Field(default=None, ge=0, le=PER_PERSON_MAX, title="每人每年补贴标准", description="当地实际执行的每人每年补贴标准（元，"
                                                                                        "不填按文件下限测算）")


@register("apprenticeship_subsidy", "企业新型学徒制培训补贴", ApprenticeshipInput, category=CATEGORY)
def apprenticeship_subsidy(inp: ApprenticeshipInput, as_of: date) -> ToolResult:
    """测算企业新型学徒制培训补贴（学徒制实施方案二、三、四（二）2、五：学徒×年数×每人每年不低于4000元，人力资源服务机构不低于6000元，"
      "预支不超过50%）。"""
    t = Trace(as_of)
    c = Checks()
    value: dict = {"amount_yuan": None, "advance_max_yuan": None, "remaining_yuan": None}
    who = t.param("apprentice_eligible_trainees")
    if inp.apprentice_source is None:
        c.ask("apprentice_source", "学徒是技能岗位新招用人员、新转岗人员，"
                                   "还是职业院校学徒制学生？", "培养对象限于新招用、新转岗人员和职业院校学徒制学生")
    elif inp.apprentice_source == ApprenticeSource.other:
        c.failed.append("学徒不是技能岗位新招用人员、新转岗人员或职业院校学徒制学生")
    elif inp.apprentice_source != ApprenticeSource.vocational_student:
        c.check(inp.contract_and_insurance, "签订一年以上劳动合同且缴纳社会保险", "未签订一年以上劳动合同并缴纳社会保险",
                "contract_and_insurance", "学徒是否与企业签订了一年以上劳动合同并缴纳社会保险？",
                "培养对象须签订一年以上劳动合同且缴纳社会保险")
    t.step("trainees", "二（一）：培养对象为签订一年以上劳动合同且缴纳社会保险的技能岗位新招用和新转岗人员，以及职业院校学徒制学生。",
           {"apprentice_source": inp.apprentice_source, "contract_and_insurance": inp.contract_and_insurance}, [who])
    trade = t.param("apprentice_trade_rule")
    c.check(None if inp.simple_trade is None else not inp.simple_trade, "工种为技术含量较高的主体技术工种",
            "企业不得将简单易学工种列入培养计划", "simple_trade", "所选工种是简单易学工种吗？", "简单易学工种不得列入新型学徒制培养计划")
    t.step("trade", "二（三）：所选工种应为技术含量较高且为企业主体技术工种，"
                    "不得将简单易学工种列入培养计划。", {"simple_trade": inp.simple_trade}, [trade])

    years_rule = t.param("apprentice_training_years")
    cohorts = [(co.apprentices, co.years) for co in inp.cohorts or []]
    years = max(y for _, y in cohorts) if cohorts else inp.years
    if years is None:
        c.ask("years", "培养期限是几年？", "补贴按学徒人数×培养年数计算，培养期限为1-2年，特殊情况可延长到3年")
    elif years > years_rule["normal"]:
        if inp.special_circumstances is False:
            t.warn(f"培养期限一般为1-2年，非特殊情况按{years_rule['normal']}年测算。")
            years = years_rule["normal"]
        elif inp.special_circumstances is None:
            c.ask("special_circumstances", "培养期限超过2年是否属于特殊情况？", "培养期限为1-2年，特殊情况可延长到3年")
        if years > years_rule["special"]:
            t.warn(f"培养期限最长可延长到{years_rule['special']}年，超出部分不予测算。")
            years = years_rule["special"]
    t.step("years", "三：培养期限为1-2年，"
                    "特殊情况可延长到3年。", {"years": inp.years, "special_circumstances": inp.special_circumstances}, [years_rule])
    if inp.apprentices is None and not cohorts:
        c.ask("apprentices", "有多少名学徒参加培训？", "补贴按学徒人数计算")

    if inp.provider == ApprenticeProvider.hr_agency:
        floor = t.param("hr_apprentice_annual_subsidy_floor")
        hr_list_notes(t)
    else:
        floor = t.param("apprentice_annual_subsidy_floor")
    standard = floor.value if inp.annual_standard is None else inp.annual_standard
    if inp.annual_standard is not None and inp.annual_standard < floor.value:
        t.warn(f"所填标准{yuan(inp.annual_standard)}低于文件规定的每人每年不低于{yuan(floor.value)}（“原则上”），请核实。")
    t.step("standard", f"每人每年补贴标准{'不低于' if inp.annual_standard is None else '按'}{yuan(standard)}（{inp.provider.value}）。",
           {"annual_standard": inp.annual_standard}, [floor])
    value["annual_standard_yuan"] = money(standard)
    value["standard_is_floor"] = inp.annual_standard is None
    # Who the apprentices are and which trade decide *whether* the subsidy is paid, not how much: with the numbers
    # known the amount is computed and stated as resting on them (they are still asked), never silently assumed.
    conditions = {"apprentice_source": "学徒为签订一年以上劳动合同并缴纳社保的新招用或新转岗人员，或职业院校学徒制学生",
                  "contract_and_insurance": "学徒签订一年以上劳动合同并缴纳社会保险",
                  "simple_trade": "所选工种不是简单易学工种"}
    open_facts = [fact for fact, _, _ in c.unknown]
    if c.failed or not set(open_facts) <= set(conditions):
        return finish(t, c, value, "", "不能享受新型学徒制培训补贴", "还需补充信息才能测算新型学徒制补贴。")
    premise = "；".join(dict.fromkeys(conditions[f] for f in open_facts))
    advance = t.param("apprentice_advance_share")
    if not cohorts:
        cohorts = [(inp.apprentices, years)]
    elif years != max(y for _, y in cohorts):  # a cohort beyond the 1-2 (3) years is counted at the capped years
        cohorts = [(n, min(y, years)) for n, y in cohorts]
    total = money(sum(n * y for n, y in cohorts) * standard)
    advance_max = money(total * advance.value)
    value.update(amount_yuan=total, advance_max_yuan=advance_max, remaining_yuan=money(total - advance_max), years_counted=years)
    groups = "＋".join(f"{n}人×{y}年×{yuan(standard)}" for n, y in cohorts)
    t.step("total", f"{groups}＝{yuan(total)}；列入培训计划并备案后可预支不超过{pct(advance.value)}，"
           f"即{yuan(advance_max)}，培训任务完成后申领剩余{yuan(value['remaining_yuan'])}；未按计划完成的不予补贴并收回预支资金。",
           {"cohorts": [list(co) for co in cohorts]}, [advance])
    floor_word = "至少" if inp.annual_standard is None else ""
    summary = f"新型学徒制补贴{floor_word}{yuan(total)}，可预支不超过{yuan(advance_max)}"
    if len(cohorts) == 1 and cohorts[0][0] and cohorts[0][0] > 1:  # "9人、一年半": what one apprentice brings, too
        per = money(cohorts[0][1] * standard)
        value["per_apprentice_yuan"] = per
        summary = f"新型学徒制补贴{floor_word}{yuan(total)}（每人{yuan(standard)}×{cohorts[0][1]}年＝{yuan(per)}），可预支不超过{yuan(advance_max)}"
    if premise:
        c.flush(t)
        value["premise"] = premise
        t.warn(f"以上金额的前提是{premise}，请核实。")
        return t.result(Outcome.computed, value, f"{summary}（按符合培养条件测算）。")
    return t.result(Outcome.eligible, value, summary + "。")

