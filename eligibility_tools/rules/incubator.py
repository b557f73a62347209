"""创业园和创业孵化基地: 《乌海市创业园和创业孵化基地认定管理办法（试行）》第五、六、十一至十六条."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import CALENDAR_YEAR_MAX, CALENDAR_YEAR_MIN, COUNT_MAX, MONEY_MAX, MONTHS_MAX
from eligibility_tools.registry import register
from eligibility_tools.rules.common import Checks, cn_date, money, not_started, pct

CATEGORY = "创业载体"


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


_MEASURE_ZH = {"area_sqm": ("面积", "平方米"), "area_mu": ("设施农业面积", "亩"), "livestock": ("禽畜存栏量", "只")}
_MEASURE_Q = {"area_sqm": "基地的生产经营、办公服务（或园区、写字楼）面积是多少平方米？",
              "area_mu": "设施农业面积是多少亩？", "livestock": "禽畜存栏量是多少只？"}


class IncubatorInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_type: IncubatorType = Field(description="基地类型（第六条）")
    area_sqm: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="生产经营、仓储、办公服务或园区/写字楼面积（平方米）")
    area_mu: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="设施农业面积（亩，农业种植类）")
    livestock: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="禽畜存栏量（只，农业养殖类）")
    entities: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="入驻实体（户）")
    employed: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="吸纳就业（人）")
    meets_basic_conditions: bool | None = Field(
        default=None, description="是否符合第五条基本条件（运营机构独立法人、固定场所和管理制度、滚动孵化机制、"
                                  "场地安全消防卫生且产权或租赁明确）")
    award_amount: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="第三方评估确定的“以奖代补”金额（元）")
    last_award_year: int | None = Field(default=None, ge=CALENDAR_YEAR_MIN, le=CALENDAR_YEAR_MAX,
                                        description="上次获得“以奖代补”资金扶持的年份")
    incubated_success: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="实际孵化成功（注册登记并搬离基地）户数")
    incubated_with_one_time_subsidy: int = Field(default=0, ge=0, le=COUNT_MAX, description="其中已享受一次性创业补贴的户数")
    new_jobs: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="在孵企业新增就业人数")
    interns: int | None = Field(default=None, ge=0, le=COUNT_MAX, description="参加“见习+孵化”的青年大学生人数")
    intern_months: int | None = Field(default=None, ge=0, le=MONTHS_MAX, description="创业见习月数")
    started_within_6_months: bool | None = Field(default=None, description="见习学员是否在参加“见习+孵化”后6个月内成功创业")
    region1_min_wage: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="自治区一类地区月最低工资标准（元/月）")


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


@register("incubator_recognition", "创业园/创业孵化基地认定与扶持", IncubatorInput, category=CATEGORY)
def incubator_recognition(inp: IncubatorInput, as_of: date) -> ToolResult:
    """判断创业园和创业孵化基地能否认定为市级标准化或示范性基地（第五、六条），并测算以奖代补、孵化补贴、带动就业补贴、"
      "创业见习补贴（第十一至十六条）。"""
    t = Trace(as_of)
    effective = t.param("incubator_effective_date")
    value: dict = {"base_type": inp.base_type.value, "level": None, "amount_yuan": None}
    if not_started(effective, as_of):
        t.step("effective", f"第二十二条：本办法自{cn_date(effective.valid_from)}起施行，此前适用的乌人社发〔2019〕104号未收入汇编。",
               params=[effective])
        return t.result(Outcome.not_in_force, value, f"本办法自{cn_date(effective.valid_from)}起施行，{as_of.isoformat()}尚未施行。")
    std, std_failed, std_unknown, std_p, std_need = _level_check(inp, t, Level.standard)
    demo, demo_failed, demo_unknown, demo_p, demo_need = _level_check(inp, t, Level.demo)
    value["standard"] = {"meets": std, "failed_thresholds": std_failed}
    value["demo"] = {"meets": demo, "failed_thresholds": demo_failed}
    t.step("standard_thresholds", f"第六条（一）：{inp.base_type.value}市级标准化基地须{std_need}。" + "；".join(std_failed),
           {"area_sqm": inp.area_sqm, "area_mu": inp.area_mu, "livestock": inp.livestock, "entities": inp.entities,
            "employed": inp.employed}, [std_p])
    t.step("demo_thresholds", f"第六条（二）：{inp.base_type.value}市级示范性基地须{demo_need}。" + "；".join(demo_failed), params=[demo_p])
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
    c.check(inp.meets_basic_conditions, "符合第五条基本条件", "不符合第五条基本条件", "meets_basic_conditions",
            "基地运营机构是否具有独立法人资格、固定办公场所和管理制度，有滚动孵化机制，场地符合安全消防卫生条件且产权或租赁明确？",
            "第五条三项基本条件是认定的前提")
    t.step("basic_conditions", f"第五条：运营机构独立法人、管理制度健全，具有滚动孵化功能（孵化周期一般不超过{cycle.value}年），"
                               f"场地安全且产权或租赁明确。",
           {"meets_basic_conditions": inp.meets_basic_conditions}, [basic, cycle])
    if level is not None:
        value["level"] = level.value
        if level == Level.standard:
            value["gap_to_demo"] = demo_failed
        _support(inp, t, c, value, level)
    c.flush(t)
    if c.failed:
        return t.result(Outcome.not_eligible, value, "不符合认定条件：" + "；".join(c.failed) + "。")
    if c.unknown:
        hint = f"按已知数据可达{level.value}标准；" if level else ""
        return t.result(Outcome.needs_info, value, hint + "还需补充信息才能判断认定等级。")
    summary = f"可申请认定为市级{level.value}创业园（创业孵化基地）"
    if level == Level.standard and demo_failed:
        summary += f"；距示范性还差：{'；'.join(demo_failed)}"
    if value["amount_yuan"]:
        summary += f"；可测算的扶持资金合计{yuan(value['amount_yuan'])}"
    return t.result(Outcome.eligible, value, summary + "。")


def _support(inp: IncubatorInput, t: Trace, c: Checks, value: dict, level: Level) -> None:
    award = t.param("incubator_award_range")
    split = t.param("incubator_award_installments")
    rng = award[level.value]
    value["award_range_yuan"] = [rng["min"], rng["max"]]
    amounts: dict[str, Decimal] = {}
    t.step("award_range", f"第十一条：市级{level.value}基地“以奖代补”奖励标准为{yuan(rng['min'])}—{yuan(rng['max'])}，"
                          f"具体金额由第三方评估确定；"
           f"第十二条：第一年拨付{pct(split['first_year'])}，复核通过后第二年拨付剩余{pct(split['second_year'])}。", params=[award, split])
    if inp.award_amount is not None:
        if rng["min"] <= inp.award_amount <= rng["max"]:
            first = money(inp.award_amount * split["first_year"])
            value["award_installments_yuan"] = {"first_year": first, "second_year": money(inp.award_amount - first)}
            amounts["以奖代补"] = money(inp.award_amount)
            t.step("award_split", f"{yuan(money(inp.award_amount))}：第一年{yuan(first)}，第二年{yuan(money(inp.award_amount - first))}。",
                   {"award_amount": inp.award_amount})
        else:
            t.warn(f"所填以奖代补金额{yuan(money(inp.award_amount))}不在{level.value}基地{yuan(rng['min'])}—{yuan(rng['max'])}的范围内，"
                   f"未计入。")
    if inp.last_award_year is not None:
        cycle = t.param("incubator_award_cycle_years")
        next_year = inp.last_award_year + cycle.value
        value["award_next_apply_year"] = next_year
        value["can_apply_award_now"] = t.as_of.year >= next_year
        t.step("award_cycle", f"第十六条：以奖代补每{cycle.value}年为1个周期，自获得资金扶持当年起3年内不得重复申请；"
               f"{inp.last_award_year}年获得的，{next_year}年起方可再次申请。", {"last_award_year": inp.last_award_year}, [cycle])
        if not value["can_apply_award_now"]:
            t.warn(f"{inp.last_award_year}年已获得以奖代补资金，{next_year}年前不得重复申请。")
            amounts.pop("以奖代补", None)
    if inp.incubated_success is not None:
        p = t.param("incubator_incubation_subsidy")
        counted = max(0, inp.incubated_success - inp.incubated_with_one_time_subsidy)
        amounts["创业孵化补贴"] = money(p.value * counted)
        t.step("incubation_subsidy", f"第十四条：孵化成功{inp.incubated_success}户，"
                                     f"扣除已享受一次性创业补贴的{inp.incubated_with_one_time_subsidy}户"
               f"（不得重复享受），{counted}户×不超过{yuan(p.value)}＝{yuan(amounts['创业孵化补贴'])}（上限）。",
               {"incubated_success": inp.incubated_success}, [p])
    if inp.new_jobs is not None:
        p = t.param("incubator_job_creation_subsidy")
        amounts["创业带动就业补贴"] = money(p.value * inp.new_jobs)
        t.step("job_creation", f"第十四条：在孵企业新增就业{inp.new_jobs}人×{yuan(p.value)}＝{yuan(amounts['创业带动就业补贴'])}。",
               {"new_jobs": inp.new_jobs}, [p])
    if inp.interns is not None:
        p = t.param("incubator_internship_subsidy")
        wage_src = t.params.get("min_wage_source")
        t.step("internship_rule", f"第十三条：参加“见习+孵化”后{p['startup_within_months']}个月内成功创业的，按自治区一类地区最低工资标准"
               f"{pct(p['wage_share'])}给予创业见习补贴，见习期限最长不超过{p['max_months']}个月。",
               {"interns": inp.interns, "intern_months": inp.intern_months}, [p, wage_src])
        c.check(inp.started_within_6_months, "见习后6个月内成功创业", "见习后未在6个月内成功创业（创业见习补贴）",
                "started_within_6_months",
                "见习学员是否在参加“见习+孵化”后6个月内成功创业？", "创业见习补贴的条件")
        if inp.region1_min_wage is None:
            c.ask("region1_min_wage", "现行自治区一类地区月最低工资标准是多少元？", "创业见习补贴按该标准的60%（汇编未载明该标准）")
        if inp.intern_months is None:
            c.ask("intern_months", "见习了多少个月？", "创业见习补贴按月计算，最长12个月")
        if inp.started_within_6_months and inp.region1_min_wage is not None and inp.intern_months is not None:
            months = min(inp.intern_months, p["max_months"])
            amounts["创业见习补贴"] = money(inp.region1_min_wage * p["wage_share"] * months * inp.interns)
            t.step("internship",
                   f"{inp.region1_min_wage}元×{pct(p['wage_share'])}×{months}月×{inp.interns}人＝{yuan(amounts['创业见习补贴'])}。")
    loans = t.param("incubator_guaranteed_loans")
    value["guaranteed_loan_max_yuan"] = dict(loans.value)
    t.step("loans", f"第十五条：入驻基地的自主创业人员最高可申请{yuan(loans['个人'])}、"
                    f"小微企业最高{yuan(loans['小微企业'])}创业担保贷款。", params=[loans])
    value["subsidies_yuan"] = amounts
    value["amount_yuan"] = money(sum(amounts.values())) if amounts else None
