"""创业园和创业孵化基地: 《乌海市创业园和创业孵化基地认定管理办法（试行）》第五、六、十一至十六条."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import (
    AREA_MU_MAX,
    AREA_SQM_MAX,
    AWARD_MAX,
    CALENDAR_YEAR_MAX,
    CALENDAR_YEAR_MIN,
    LIVESTOCK_MAX,
    MONTHS_MAX,
    PEOPLE_MAX,
    PROJECTS_MAX,
    SUBSIDY_MONTHS_MAX,
    WAGE_MAX,
)
from eligibility_tools.params import Parameter
from eligibility_tools.registry import register
from eligibility_tools.rules.common import Checks, article, cn_date, money, not_started, pct

TOOL_ORDER = 60  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "创业载体"
_DOC = "incubator"  # 《乌海市创业园和创业孵化基地认定管理办法（试行）》: its clauses are named by number ("第六条（一）")


def _art(t: Trace, ref: Parameter | str) -> str:
    """第X条 of the 办法 for a clause key ("a6/p1"), or the clause a parameter's version in force cites (see `article`)."""
    return article(t, ref if isinstance(ref, Parameter) else f"{_DOC}/{ref}", _DOC)


class IncubatorType(StrEnum):
    industry_logistics = "工业物流类"
    commerce = "商贸类"
    culture = "文化创意类"
    hightech = "高新技术类"
    household = "家庭服务类"
    ecommerce = "电子商务类"
    student = "大学生创业类"
    agri_planting = "农业种植类"
    agri_livestock = "农业养殖类"


class Level(StrEnum):
    standard = "标准化"
    demo = "示范性"


class LoanApplicant(StrEnum):
    person = "个人"
    small_micro = "小微企业"


class IncubatorQuestion(StrEnum):
    recognition = "认定等级"
    support = "扶持资金"
    loans = "创业担保贷款"


# Facts that only the recognition (第五、六条) needs, and facts that only the support measures (第十一至十六条) need.
_RECOGNITION_FACTS = ("base_type", "area_sqm", "area_mu", "livestock", "entities", "employed", "meets_basic_conditions")
_SUPPORT_FACTS = ("award_amount", "last_award_year", "incubated_success", "new_jobs", "interns", "level")


_MEASURE_ZH = {"area_sqm": ("面积", "平方米"), "area_mu": ("设施农业面积", "亩"), "livestock": ("禽畜存栏量", "只")}
_MEASURE_Q = {"area_sqm": "基地的生产经营、办公服务（或园区、写字楼）面积是多少平方米？",
              "area_mu": "设施农业面积是多少亩？", "livestock": "禽畜存栏量是多少只？"}


class IncubatorInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: IncubatorQuestion | None = Field(
        default=None, description="要判断什么：认定等级（需要基地类型和面积、入驻实体、吸纳就业）或扶持资金（以奖代补拨付、孵化补贴、"
                                  "带动就业补贴、见习补贴，不需要基地类型）；不填则按所填信息判断")
    base_type: IncubatorType | None = Field(default=None, description="基地类型（第六条；判断认定等级时需要）")
    level: Level | None = Field(default=None, description="基地已认定的等级（标准化/示范性），用于核对以奖代补金额范围；不判断认定时可填")
    target_level: Level | None = Field(default=None, title="要判断的认定等级",
                                       description="问的是能否认定为哪一等级（标准化/示范性）；不填则判断能达到的最高等级")
    area_sqm: Decimal | None = Field(default=None, ge=0, le=AREA_SQM_MAX, title="面积", description="生产经营、仓储、办公服务或园区/写字楼面积（平方米）")
    area_mu: Decimal | None = Field(default=None, ge=0, le=AREA_MU_MAX, title="设施农业面积", description="设施农业面积（亩，农业种植类）")
    livestock: int | None = Field(default=None, ge=0, le=LIVESTOCK_MAX, title="禽畜存栏量", description="禽畜存栏量（只，农业养殖类）")
    entities: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="入驻实体户数", description="入驻实体（户）")
    employed: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="吸纳就业人数", description="吸纳就业（人）")
    meets_basic_conditions: bool | None = Field(
        default=None, description="是否符合第五条基本条件（运营机构独立法人、固定场所和管理制度、滚动孵化机制、"
                                  "场地安全消防卫生且产权或租赁明确）")
    award_amount: Decimal | None = Field(default=None, ge=0, le=AWARD_MAX, title="以奖代补金额", description="第三方评估确定的“以奖代补”金额（元）")
    last_award_year: int | None = Field(default=None, ge=CALENDAR_YEAR_MIN, le=CALENDAR_YEAR_MAX,
                                        title="上次获得以奖代补的年份", description="上次获得“以奖代补”资金扶持的年份")
    apply_year: int | None = Field(default=None, ge=CALENDAR_YEAR_MIN, le=CALENDAR_YEAR_MAX, title="拟再次申请的年份",
                                   description="打算再次申请以奖代补的年份（不填按评估日期所在年份）")
    incubated_success: int | None = Field(default=None, ge=0, le=PROJECTS_MAX, title="孵化成功户数", description="实际孵化成功（注册登记并搬离基地）户数")
    incubated_with_one_time_subsidy: int = Field(default=0, ge=0, le=PROJECTS_MAX, title="已享受一次性创业补贴的户数", description="其中已享受一次性创业补贴的户数")
    new_jobs: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="新增就业人数", description="在孵企业新增就业人数")
    interns: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="见习人数", description="参加“见习+孵化”的青年大学生人数")
    intern_months: int | None = Field(default=None, ge=0, le=SUBSIDY_MONTHS_MAX, title="见习月数", description="创业见习月数")
    started_within_6_months: bool | None = Field(default=None, description="见习学员是否在参加“见习+孵化”后6个月内成功创业")
    months_to_startup: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="见习结束到创业的月数",
                                          description="“见习+孵化”结束后第几个月成功创业（注册）（已知月数时填写，代替上一项）")
    region1_min_wage: Decimal | None = Field(default=None, ge=0, le=WAGE_MAX, title="月最低工资标准", description="自治区一类地区月最低工资标准（元/月）")
    loan_applicant: LoanApplicant | None = Field(default=None, description="创业担保贷款：以个人还是以小微企业名义申请（不填则两者都说明）")


def _level_check(inp: IncubatorInput, t: Trace, level: Level) -> tuple[bool | None, list[str], list[tuple[str, str, str]], object, str]:
    key = "standard" if level == Level.standard else "demo"
    p = t.param(f"incubator_{key}_{inp.base_type.name}")
    measure = p["measure"]
    name, unit = _MEASURE_ZH[measure]
    rows = [(measure, getattr(inp, measure), p["measure_min"], name, unit, _MEASURE_Q[measure]),
            ("entities", inp.entities, p["entities_min"], "入驻实体", "户", "入驻实体有多少户？"),
            ("employed", inp.employed, p["employed_min"], "吸纳就业", "人", "吸纳就业多少人？")]
    failed, unknown = [], []
    for fact, have, need, label, u, question in rows:
        if have is None:
            unknown.append((fact, question, f"{level.value}基地要求{label}{need}{u}以上"))
        elif have < need:
            failed.append(f"{label}{have}{u}，{level.value}要求{need}{u}以上")
    status = False if failed else (None if unknown else True)
    need = "、".join(f"{label}{need}{u}以上" for _, _, need, label, u, _ in rows)
    return status, failed, unknown, p, need


def _asks_recognition(inp: IncubatorInput) -> bool:
    """Recognition is judged when asked for, when a recognition fact is given, or when nothing about support is given."""
    if inp.question is not None:
        return inp.question == IncubatorQuestion.recognition
    return (any(getattr(inp, f) is not None for f in _RECOGNITION_FACTS)
            or not any(getattr(inp, f) is not None for f in _SUPPORT_FACTS))


@register("incubator_recognition", "创业园/创业孵化基地认定与扶持", IncubatorInput, category=CATEGORY)
def incubator_recognition(inp: IncubatorInput, as_of: date) -> ToolResult:
    """判断创业园/孵化基地能否认定为市级标准化或示范性基地（第五、六条，需基地类型），或单独测算以奖代补分期拨付（第一年70%、复核后30%）、孵化补贴、带动就业补贴、见习补贴（第十一至十六条，无需类型）。"""
    t = Trace(as_of)
    # 第二十二条 (施行日期) is cited only when it decides the answer (before the effective date), so the clause
    # that states the rule asked about comes first in the citations.
    effective = t.params.get("incubator_effective_date")
    value: dict = {"base_type": inp.base_type.value if inp.base_type else None, "level": None, "amount_yuan": None}
    if not_started(effective, as_of):
        t.step("effective", f"{_art(t, 'a22')}：本办法自{cn_date(effective.valid_from)}起施行，此前适用的乌人社发〔2019〕104号未收入汇编。",
               params=[effective])
        return t.result(Outcome.not_in_force, value, f"本办法自{cn_date(effective.valid_from)}起施行，{as_of.isoformat()}尚未施行。")
    if inp.question == IncubatorQuestion.loans:
        _loans(t, value)
        loans = value["guaranteed_loan_max_yuan"]
        if inp.loan_applicant is not None:
            who = inp.loan_applicant.value
            other = next(a.value for a in LoanApplicant if a != inp.loan_applicant)
            value["loan_max_yuan"] = loans[who]
            return t.result(Outcome.computed, value, f"入驻基地的{who}最高可申请{yuan(loans[who])}创业担保贷款"
                                                     f"（{other}最高{yuan(loans[other])}；{_art(t, t.params.get('incubator_guaranteed_loans'))}）。")
        return t.result(Outcome.computed, value, f"入驻基地的自主创业人员个人最高可申请{yuan(loans['个人'])}、小微企业最高可申请"
                                                 f"{yuan(loans['小微企业'])}创业担保贷款（{_art(t, t.params.get('incubator_guaranteed_loans'))}）。")
    if not _asks_recognition(inp):
        return _support_only(inp, t, value)
    if inp.base_type is None:
        t.ask("base_type", "基地属于哪一类？（工业物流、商贸、文化创意、高新技术、家庭服务、电子商务、大学生创业、农业种植、农业养殖）",
              f"{_art(t, 'a6')}按基地类型规定不同的面积（或亩数、存栏量）、入驻实体和吸纳就业门槛")
        for fact, question in (("entities", "入驻实体有多少户？"), ("employed", "吸纳就业多少人？")):
            if getattr(inp, fact) is None:
                t.ask(fact, question, f"{_art(t, 'a6')}认定门槛之一")
        basic = t.param("incubator_basic_conditions")
        t.step("thresholds_by_type", f"{_art(t, 'a6')}：市级标准化、示范性基地的认定门槛按基地类型分别规定（面积或亩数、存栏量，入驻实体，吸纳就业），"
               "需先知道基地类型。", {"base_type": None}, [basic], cite=["incubator/a6"])
        return t.result(Outcome.needs_info, value, f"判断能否认定为市级标准化或示范性基地，需要先知道基地类型（{_art(t, 'a6')}按类型规定门槛）。")
    std, std_failed, std_unknown, std_p, std_need = _level_check(inp, t, Level.standard)
    demo, demo_failed, demo_unknown, demo_p, demo_need = _level_check(inp, t, Level.demo)
    value["standard"] = {"meets": std, "failed_thresholds": std_failed}
    value["demo"] = {"meets": demo, "failed_thresholds": demo_failed}
    t.step("standard_thresholds", f"{_art(t, 'a6/p1')}：{inp.base_type.value}市级标准化基地须{std_need}。" + "；".join(std_failed),
           {"area_sqm": inp.area_sqm, "area_mu": inp.area_mu, "livestock": inp.livestock, "entities": inp.entities,
            "employed": inp.employed}, [std_p])
    t.step("demo_thresholds", f"{_art(t, 'a6/p2')}：{inp.base_type.value}市级示范性基地须{demo_need}。" + "；".join(demo_failed), params=[demo_p])
    c = Checks()
    if std is False:
        value["level"] = "不达标"
        c.failed.extend(std_failed)
        return t.result(Outcome.not_eligible, value, f"未达到市级标准化基地条件：{'；'.join(std_failed)}。")
    level: Level | None = Level.demo if demo else (Level.standard if std else None)
    for fact, question, why in std_unknown + [u for u in demo_unknown if u[0] not in {s[0] for s in std_unknown}]:
        c.ask(fact, question, why)
    basic = t.param("incubator_basic_conditions")
    cycle = t.param("incubator_cycle_years")
    c.check(inp.meets_basic_conditions, f"符合{_art(t, 'a5')}基本条件", f"不符合{_art(t, 'a5')}基本条件", "meets_basic_conditions",
            "基地运营机构是否具有独立法人资格、固定办公场所和管理制度，有滚动孵化机制，场地符合安全消防卫生条件且产权或租赁明确？",
            f"{_art(t, 'a5')}三项基本条件是认定的前提")
    t.step("basic_conditions", f"{_art(t, 'a5')}：运营机构独立法人、管理制度健全，具有滚动孵化功能（孵化周期一般不超过{cycle.value}年），"
                               f"场地安全且产权或租赁明确。",
           {"meets_basic_conditions": inp.meets_basic_conditions}, [basic, cycle])
    if level is not None:
        value["level"] = level.value
        if level == Level.standard:
            value["gap_to_demo"] = demo_failed
        _support(inp, t, c, value, level)
        _loans(t, value)
    c.flush(t)
    if c.failed:
        return t.result(Outcome.not_eligible, value, "不符合认定条件：" + "；".join(c.failed) + "。")
    premise = ""
    if c.unknown and level is not None and [u[0] for u in c.unknown] == ["meets_basic_conditions"]:
        # the thresholds decide the level asked about; 第五条's institutional conditions are stated with it (and asked)
        premise = "（另须符合基本条件，见提示）"
        t.warn(f"认定还须符合{_art(t, 'a5')}基本条件：运营机构独立法人、有固定办公场所和管理制度，有滚动孵化机制，场地符合安全消防卫生条件且产权或"
               "租赁明确。")
    elif c.unknown:
        hint = f"按已知数据可达{level.value}标准；" if level else ""
        return t.result(Outcome.needs_info, value, hint + "还需补充信息才能判断认定等级。")
    if inp.target_level == Level.demo and level == Level.standard and demo_failed:
        # 能认定示范性吗: no — what it reaches is said after
        value["failed_conditions"] = list(demo_failed)
        return t.result(Outcome.not_eligible, value, f"不能认定为市级示范性创业园（创业孵化基地）：{'；'.join(demo_failed)}；"
                                                     f"按已知数据可申请认定为市级标准化创业园（创业孵化基地）{premise}。")
    summary = f"面积、入驻实体、吸纳就业均已达到，可申请认定为市级{level.value}创业园（创业孵化基地）{premise}" if premise else (
        f"可申请认定为市级{level.value}创业园（创业孵化基地）")
    if level == Level.standard and demo_failed:
        summary += f"；距示范性还差：{'；'.join(demo_failed)}"
    inst = value.get("award_installments_yuan")
    if inst and "以奖代补" in value["subsidies_yuan"]:
        summary += f"；以奖代补第一年拨付{yuan(inst['first_year'])}，复核通过后第二年拨付{yuan(inst['second_year'])}（{_art(t, 'a12')}）"
    if value["amount_yuan"]:
        summary += f"；可测算的扶持资金合计{yuan(value['amount_yuan'])}"
    return t.result(Outcome.eligible, value, summary + "。")


def _support_only(inp: IncubatorInput, t: Trace, value: dict) -> ToolResult:
    """扶持资金 without recognition: the 70%/30% schedule, 孵化/带动就业/见习补贴 and the 3-year cycle need no base type."""
    c = Checks()
    value["level"] = inp.level.value if inp.level else None
    _support(inp, t, c, value, inp.level)
    c.flush(t)
    parts = []
    inst = value.get("award_installments_yuan")
    if inst:
        parts.append(f"以奖代补{yuan(value['subsidies_yuan'].get('以奖代补', inst['first_year'] + inst['second_year']))}分两次拨付："
                     f"第一年经第三方机构评估、认定后拨付{pct(value['award_split']['first_year'])}即{yuan(inst['first_year'])}，"
                     f"第二年经复核通过后拨付剩余{pct(value['award_split']['second_year'])}即{yuan(inst['second_year'])}（{_art(t, 'a12')}）")
    for name, amount in value["subsidies_yuan"].items():
        if name != "以奖代补":
            cap = "最高" if name in ("创业孵化补贴", "创业见习补贴") else ""  # 第十四条：每户“不超过”；第十三条：最长12个月
            monthly = f"（每月{yuan(value['internship_monthly_yuan'])}）" if name == "创业见习补贴" else ""
            parts.append(f"{name}{cap}{yuan(amount)}{monthly}")
    if "can_apply_award_now" in value:
        parts.append(f"{value['award_next_apply_year']}年起方可再次申请以奖代补（{_art(t, 'a16')}）" if not value["can_apply_award_now"]
                     else f"已过以奖代补周期，可以再次申请（{value['award_next_apply_year']}年起可申请，{_art(t, 'a16')}）")
    if c.failed:
        return t.result(Outcome.not_eligible, value, "；".join(parts + ["不符合：" + "；".join(c.failed)]) + "。")
    if "can_apply_award_now" in value and not value["subsidies_yuan"] and not inst and not c.unknown:
        # only "拿过以奖代补，还能再申请吗" is asked: the 3-year cycle decides it (第十六条)
        when = f"{inp.apply_year}年" if inp.apply_year else "现在"
        cycle = t.param("incubator_award_cycle_years").value
        if value["can_apply_award_now"]:
            return t.result(Outcome.computed, value, f"可以，{inp.last_award_year}年获得的以奖代补已满{cycle}年一个周期，"
                                                     f"{when}可以再次申请（{_art(t, 'a16')}）。")
        return t.result(Outcome.computed, value, f"不可以，以奖代补每{cycle}年为1个周期，自获得资金扶持当年起{cycle}年内不得重复申请："
                                                     f"{inp.last_award_year}年获得的，{value['award_next_apply_year']}年起方可再次申请"
                                                     f"（{_art(t, 'a16')}）。")
    if c.unknown:
        # only the 创业见习补贴 (第十三条) asks for facts in this mode
        return t.result(Outcome.needs_info, value, "；".join(parts + ["创业见习补贴还需补充信息才能测算"]) + "。")
    if not parts and "award_split" in value:
        ranges = value.get("award_ranges_yuan") or {value["level"]: value["award_range_yuan"]}
        listed = "，".join(f"{name}基地{yuan(lo)}—{yuan(hi)}" for name, (lo, hi) in ranges.items())
        parts.append(f"以奖代补奖励标准：{listed}；第一年拨付{pct(value['award_split']['first_year'])}，"
                     f"复核通过后第二年拨付{pct(value['award_split']['second_year'])}（第十一、十二条）")
    if value["amount_yuan"] and len(value["subsidies_yuan"]) > 1:
        parts.append(f"合计{yuan(value['amount_yuan'])}")
    return t.result(Outcome.computed, value, "；".join(parts) + "。")


def _support(inp: IncubatorInput, t: Trace, c: Checks, value: dict, level: Level | None) -> None:
    """第十一至十六条. `level` None: the base's level is not known, so an award is checked against every level's range."""
    amounts: dict[str, Decimal] = {}
    if inp.award_amount is not None or level is not None or not any(
            getattr(inp, f) is not None for f in ("incubated_success", "new_jobs", "interns", "last_award_year")):
        _award(inp, t, value, level, amounts)
    else:
        value["award_range_yuan"] = None
    if inp.last_award_year is not None:
        cycle = t.param("incubator_award_cycle_years")
        next_year = inp.last_award_year + cycle.value
        value["award_next_apply_year"] = next_year
        value["can_apply_award_now"] = (inp.apply_year or t.as_of.year) >= next_year
        t.step("award_cycle", f"{_art(t, 'a16')}：以奖代补每{cycle.value}年为1个周期，自获得资金扶持当年起{cycle.value}年内不得重复申请；"
               f"{inp.last_award_year}年获得的，{next_year}年起方可再次申请。", {"last_award_year": inp.last_award_year}, [cycle])
        if not value["can_apply_award_now"]:
            t.warn(f"{inp.last_award_year}年已获得以奖代补资金，{next_year}年前不得重复申请。")
            amounts.pop("以奖代补", None)
    if inp.incubated_success is not None:
        p = t.param("incubator_incubation_subsidy")
        counted = max(0, inp.incubated_success - inp.incubated_with_one_time_subsidy)
        amounts["创业孵化补贴"] = money(p.value * counted)
        t.step("incubation_subsidy", f"{_art(t, p)}：孵化成功{inp.incubated_success}户，"
                                     f"扣除已享受一次性创业补贴的{inp.incubated_with_one_time_subsidy}户"
               f"（不得重复享受），{counted}户×不超过{yuan(p.value)}＝{yuan(amounts['创业孵化补贴'])}（上限）。",
               {"incubated_success": inp.incubated_success}, [p])
    if inp.new_jobs is not None:
        p = t.param("incubator_job_creation_subsidy")
        amounts["创业带动就业补贴"] = money(p.value * inp.new_jobs)
        t.step("job_creation", f"{_art(t, p)}：在孵企业新增就业{inp.new_jobs}人×{yuan(p.value)}＝{yuan(amounts['创业带动就业补贴'])}。",
               {"new_jobs": inp.new_jobs}, [p])
    if inp.interns is not None:
        p = t.param("incubator_internship_subsidy")
        wage_src = t.params.get("min_wage_source")
        t.step("internship_rule", f"{_art(t, p)}：参加“见习+孵化”后{p['startup_within_months']}个月内成功创业的，按自治区一类地区最低工资标准"
               f"{pct(p['wage_share'])}给予创业见习补贴，见习期限最长不超过{p['max_months']}个月。",
               {"interns": inp.interns, "intern_months": inp.intern_months}, [p, wage_src])
        started = inp.started_within_6_months
        if inp.months_to_startup is not None:
            started = inp.months_to_startup <= p["startup_within_months"]
            t.step("startup_months", f"见习结束后第{inp.months_to_startup}个月成功创业，"
                   + (f"在{p['startup_within_months']}个月内。" if started else f"超过{p['startup_within_months']}个月。"),
                   {"months_to_startup": inp.months_to_startup}, [p])
        c.check(started, "见习后6个月内成功创业", "见习后未在6个月内成功创业（创业见习补贴）",
                "started_within_6_months",
                "见习学员是否在参加“见习+孵化”后6个月内成功创业？", "创业见习补贴的条件")
        if inp.region1_min_wage is None:
            c.ask("region1_min_wage", "现行自治区一类地区月最低工资标准是多少元？", "创业见习补贴按该标准的60%（汇编未载明该标准）")
        if inp.intern_months is None:
            c.ask("intern_months", "见习了多少个月？", "创业见习补贴按月计算，最长12个月")
        if started and inp.region1_min_wage is not None and inp.intern_months is not None:
            months = min(inp.intern_months, p["max_months"])
            monthly = money(inp.region1_min_wage * p["wage_share"])
            amounts["创业见习补贴"] = money(monthly * months * inp.interns)
            value["internship_monthly_yuan"] = monthly
            capped = f"（见习{inp.intern_months}个月，最长按{p['max_months']}个月）" if inp.intern_months > p["max_months"] else ""
            t.step("internship",
                   f"{inp.region1_min_wage}元×{pct(p['wage_share'])}＝每月{yuan(monthly)}；×{months}月{capped}×{inp.interns}人"
                   f"＝{yuan(amounts['创业见习补贴'])}。")
    value["subsidies_yuan"] = amounts
    value["amount_yuan"] = money(sum(amounts.values())) if amounts else None


def _award(inp: IncubatorInput, t: Trace, value: dict, level: Level | None, amounts: dict[str, Decimal]) -> None:
    """第十一条 range (by level) and 第十二条 schedule (the same 70% + 30% for every level and type)."""
    award = t.params.get("incubator_award_range")
    split = t.params.get("incubator_award_installments")
    value["award_split"] = {"first_year": split["first_year"], "second_year": split["second_year"]}
    schedule = f"{_art(t, split)}：第一年经第三方机构评估、认定后拨付{pct(split['first_year'])}，复核通过后第二年拨付剩余{pct(split['second_year'])}。"
    ranges = {name: (rng["min"], rng["max"]) for name, rng in award.value.items()}
    if inp.award_amount is not None:
        t.cite(split.clause_id)  # an amount is given: the question is its 第十二条 payment schedule
    if level is not None:
        lo, hi = ranges[level.value]
        value["award_range_yuan"] = [lo, hi]
        t.step("award_range", f"{_art(t, award)}：市级{level.value}基地“以奖代补”奖励标准为{yuan(lo)}—{yuan(hi)}，具体金额由第三方评估确定；"
               + schedule, params=[award, split])
        fits = [level.value] if lo <= (inp.award_amount or lo) <= hi else []
    else:
        value["award_range_yuan"] = None
        value["award_ranges_yuan"] = {name: [lo, hi] for name, (lo, hi) in ranges.items()}
        listed = "，".join(f"市级{name}基地{yuan(lo)}—{yuan(hi)}" for name, (lo, hi) in ranges.items())
        t.step("award_range", f"{_art(t, award)}：“以奖代补”奖励标准为{listed}，具体金额由第三方评估确定；" + schedule, params=[award, split])
        fits = [name for name, (lo, hi) in ranges.items() if inp.award_amount is not None and lo <= inp.award_amount <= hi]
    if inp.award_amount is None:
        return
    amount = money(inp.award_amount)
    if not fits:
        where = f"{level.value}基地{yuan(ranges[level.value][0])}—{yuan(ranges[level.value][1])}" if level else "任何等级基地"
        t.warn(f"所填以奖代补金额{yuan(amount)}不在{where}的范围内，未计入。")
        return
    if level is None:
        value["award_amount_fits_levels"] = fits
    first = money(amount * split["first_year"])
    value["award_installments_yuan"] = {"first_year": first, "second_year": money(amount - first)}
    amounts["以奖代补"] = amount
    t.step("award_split", f"以奖代补{yuan(amount)}：第一年拨付{pct(split['first_year'])}即{yuan(first)}，"
                          f"复核通过后第二年拨付{pct(split['second_year'])}即{yuan(money(amount - first))}。",
           {"award_amount": inp.award_amount}, [split])


def _loans(t: Trace, value: dict) -> None:
    loans = t.param("incubator_guaranteed_loans")
    value["guaranteed_loan_max_yuan"] = dict(loans.value)
    t.step("loans", f"{_art(t, loans)}：入驻基地的自主创业人员最高可申请{yuan(loans['个人'])}、"
                    f"小微企业最高{yuan(loans['小微企业'])}创业担保贷款。", params=[loans])
