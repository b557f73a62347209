"""税收优惠: 《乌海市关于加快人力资源服务业发展的实施意见》附件1 政策扶持清单 五、税收优惠类（第20—28项）.

每项只在条文写明的期间内有效；写明截止日期的过期后返回 not_in_force（并给出原本可享受的结果），
未写截止日期的不提示到期，“政策执行期限延续”而无日期的返回 ambiguous。
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from eligibility_tools.base import Outcome, Step, ToolResult, Trace, yuan
from eligibility_tools.bounds import CALENDAR_YEAR_MAX, CALENDAR_YEAR_MIN, MONEY_MAX, PEOPLE_MAX, YEARS_MAX
from eligibility_tools.params import Parameter, Params
from eligibility_tools.registry import register
from eligibility_tools.rules.common import Checks, ambiguous, ceil_int, cn_date, finish, money, not_started, pct

TOOL_ORDER = 70  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "税收优惠"


class TaxBenefit(StrEnum):
    key_group_hiring = "招用重点群体就业"
    veteran_hiring = "招用自主就业退役士兵"
    key_group_self_employed = "重点群体从事个体经营"
    veteran_self_employed = "自主就业退役士兵从事个体经营"
    disabled_land_use = "安置残疾人就业减征城镇土地使用税"
    military_spouse = "随军家属从事个体经营免征个人所得税"
    small_micro = "小型微利企业所得税优惠"
    small_scale_vat = "小规模纳税人免征增值税"
    high_tech = "高新技术企业减按15%税率"


class TaxInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    benefit: TaxBenefit = Field(description="税收优惠项目（政策扶持清单第20—28项）")
    qualifies_as_group: bool | None = Field(
        default=None, description="本人是否属于该政策对象（建档立卡贫困人口或持《就业创业证》《就业失业登记证》人员、自主就业退役士兵、"
                                  "随军家属）")
    hires: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="招用人数", description="实际招用的重点群体或自主就业退役士兵人数")
    years: int | None = Field(default=None, ge=1, le=YEARS_MAX, title="享受年数", description="享受年数（招用人员）")
    contract_and_insurance: bool | None = Field(default=None, description="是否与招用人员签订1年以上期限劳动合同并依法缴纳社会保险费")
    operating_year: int | None = Field(default=None, ge=1, le=YEARS_MAX, title="登记后的第几年", description="目前是办理个体工商户登记后的第几年（第1年填1）")
    tax_payable: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, title="当年实际应缴税费", description="当年实际应缴纳的增值税、"
                                                                                      "附加税费和个人所得税合计（元，个体经营扣减限额用）")
    disabled_count: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, title="安置残疾人人数", description="（月/年）平均实际安置残疾人就业人数")
    total_staff: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="在职职工总数", description="单位在职职工总数")
    land_tax_due: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, title="应纳城镇土地使用税", description="本单位当年应纳城镇土地使用税税额（元）")
    taxable_income: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="年度应纳税所得额（元）")
    employees: int | None = Field(default=None, ge=0, le=PEOPLE_MAX, description="从业人数")
    total_assets: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="资产总额（元）")
    small_scale_taxpayer: bool | None = Field(default=None, description="是否为增值税小规模纳税人")
    monthly_sales: Decimal | None = Field(default=None, ge=0, le=MONEY_MAX, description="月销售额（元）")
    high_tech_certified: bool | None = Field(default=None, description="是否经认定为国家需要重点扶持的高新技术企业")
    small_micro_confirmed: bool | None = Field(
        default=None, description="是否已确认符合小型微利企业条件（从业人数不超过300人、资产总额不超过5000万元等；确认后不再逐项核对）")
    tax_year: int | None = Field(default=None, ge=CALENDAR_YEAR_MIN, le=CALENDAR_YEAR_MAX,
                                 title="税款所属年度", description="税款所属年度（按该年度执行的政策测算，如 2020；不填按评估日期）")


@register("tax_benefits", "税收优惠测算", TaxInput, category=CATEGORY)
def tax_benefits(inp: TaxInput, as_of: date) -> ToolResult:
    """测算政策扶持清单第20—28项税收优惠（重点群体/退役士兵招用与创业扣减、残疾人城镇土地使用税、小微企业所得税、小规模纳税人增值税、"
      "高新技术企业15%），并按各项执行期限判断是否仍有效。"""
    # the last day of the tax year: the rules in force at its end
    when = date(inp.tax_year + 1, 1, 1) - timedelta(days=1) if inp.tax_year is not None else as_of
    t = Trace(when)
    value: dict = {"benefit": inp.benefit.value, "amount_yuan": None}
    if inp.tax_year is not None:
        value["tax_year"] = inp.tax_year
    result = _HANDLERS[inp.benefit](inp, t, value)
    if inp.tax_year is None:
        return result
    # a past tax year is computed under that year's rules; whether they still apply today is a warning, not the answer
    result.as_of = as_of
    result.steps.insert(0, Step(rule="tax_year", text_zh=f"按{inp.tax_year}年度执行的政策测算（税款所属年度{inp.tax_year}年）。",
                                inputs={"tax_year": inp.tax_year}))
    today = Params(as_of)
    for name in dict.fromkeys(u.name for st in result.steps for u in st.parameters_used):
        try:
            p = today.get(name)
        except Exception:  # a rule's helper value that is not a dated parameter
            continue
        if p.expired_on(as_of) and p.expiry_warning(as_of) not in result.warnings:
            result.warnings.append(p.expiry_warning(as_of))
    return result


def _expired(t: Trace, p: Parameter, result: ToolResult) -> ToolResult:
    """The rule's stated period ended before as_of: say so, with what it would have been."""
    if not p.expired_on(t.as_of):
        return result
    value = dict(result.value or {})
    value["would_have_been_outcome"] = result.outcome.value
    value["would_have_been_yuan"] = value.get("amount_yuan")
    value["amount_yuan"] = None
    result.value = value
    was_needing_info = result.outcome == Outcome.needs_info
    result.outcome = Outcome.not_in_force
    ended = f"该政策执行期限截至{cn_date(p.last_day)}，{t.as_of.isoformat()}已不在执行期内"
    if was_needing_info:  # nothing was computed: say what the rule was, not "原本：还需补充信息"
        result.summary_zh = f"{ended}，请以最新政策为准；如需按原政策测算，请提供相应人数、期限等信息。"
    else:
        result.summary_zh = f"{ended}。按原政策本可：{result.summary_zh}"
    result.missing_facts = []
    return result


def _not_yet(t: Trace, p: Parameter, value: dict) -> ToolResult | None:
    if not_started(p, t.as_of):
        t.step("not_started", f"该政策自{cn_date(p.valid_from)}起执行。", params=[p])
        t.cite(p.clause_id)
        return t.result(Outcome.not_in_force, value, f"该政策自{cn_date(p.valid_from)}起执行，{t.as_of.isoformat()}尚未开始。")
    return None


def _hiring(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    name = "tax_key_group_hiring" if inp.benefit == TaxBenefit.key_group_hiring else "tax_veteran_hiring"
    p = t.param(name)
    # the 退役士兵 item states the same contract condition in its own clause: cite that, not the 重点群体 one
    cond = t.param("tax_hiring_conditions") if name == "tax_key_group_hiring" else None
    c = Checks()
    who = "重点群体（建档立卡贫困人口、登记失业半年以上持证人员）" if name == "tax_key_group_hiring" else "自主就业退役士兵"
    c.check(inp.contract_and_insurance, "签订1年以上期限劳动合同并依法缴纳社会保险费", "未签订1年以上期限劳动合同或未依法缴纳社会保险费",
            "contract_and_insurance", "是否与招用人员签订1年以上期限劳动合同并依法缴纳社会保险费？", "享受定额扣减的前提")
    if inp.hires is None:
        c.ask("hires", f"实际招用了多少名{who}？", "按实际招用人数定额扣减")
    end = f"，政策执行期限截至{cn_date(p.last_day)}" if p.valid_until else "（清单未载明截止日期）"
    t.step("hiring_rule", f"招用{who}，签订1年以上劳动合同并缴纳社保的，3年内按实际招用人数每人每年{yuan(p['per_person_year'])}定额依次扣减"
           f"增值税、城市维护建设税、教育费附加、地方教育附加和企业所得税{end}。",
           {"hires": inp.hires, "years": inp.years, "contract_and_insurance": inp.contract_and_insurance},
           [p, cond] if cond is not None else [p])
    if inp.hires is not None:
        per_year = money(p["per_person_year"] * inp.hires)
        value["per_year_yuan"] = per_year
        value["max_total_yuan"] = money(per_year * p["max_years"])
        value["amount_yuan"] = per_year
        text = f"{inp.hires}人×{yuan(p['per_person_year'])}＝每年{yuan(per_year)}，3年最多{yuan(value['max_total_yuan'])}"
        if inp.years is not None:
            counted = min(inp.years, p["max_years"])
            if inp.years > p["max_years"]:
                t.warn(f"定额扣减只在{p['max_years']}年内享受，按{p['max_years']}年计算。")
            value["total_yuan"] = value["amount_yuan"] = money(per_year * counted)
            text += f"；享受{counted}年合计{yuan(value['total_yuan'])}"
        if inp.tax_payable is not None and inp.tax_payable < value["amount_yuan"]:
            # 依次扣减 the taxes the unit actually owes: never more than it owes
            value["amount_yuan"] = money(inp.tax_payable)
            value["capped"] = True
            text += f"；实际应缴税费{yuan(money(inp.tax_payable))}，以此为限可扣减{yuan(value['amount_yuan'])}"
        t.step("hiring_amount", text + "（以实际应纳税额为限依次扣减）。", {"hires": inp.hires, "years": inp.years})
    year = f"{inp.tax_year}年" if inp.tax_year else "每年"
    summary = f"{year}可扣减{yuan(value['per_year_yuan'])}" if "per_year_yuan" in value else ""
    if "total_yuan" in value:
        summary += f"，合计{yuan(value['total_yuan'])}"
    if value.get("capped"):
        summary += f"；以实际应缴税费为限，可扣减{yuan(value['amount_yuan'])}"
    result = finish(t, c, value, summary + "。", "不能享受定额扣减", "还需补充信息才能测算。")
    return _expired(t, p, result)


def _self_employed(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    key = inp.benefit == TaxBenefit.key_group_self_employed
    p = t.param("tax_key_group_self_employed" if key else "tax_veteran_self_employed")
    who = "建档立卡贫困人口或持《就业创业证》（《就业失业登记证》）人员" if key else "自主就业退役士兵"
    c = Checks()
    c.check(inp.qualifies_as_group, who, f"不属于{who}", "qualifies_as_group", f"您是否属于{who}？", "该项扣减的对象")
    _within_years(inp, c, p["max_years"], "自办理个体工商户登记当月起3年内")
    t.step("self_employed_rule", f"{who}从事个体经营的，自办理个体工商户登记当月起3年内，按每户每年{yuan(p['per_household_year'])}为限额"
           "依次扣减当年实际应缴纳的增值税、城市维护建设税、教育费附加、地方教育附加和个人所得税（清单未载明截止日期）。",
           {"qualifies_as_group": inp.qualifies_as_group, "operating_year": inp.operating_year, "tax_payable": inp.tax_payable}, [p])
    cap = p["per_household_year"]
    if inp.tax_payable is None:
        value.update(amount_yuan=money(cap), amount_is_ceiling=True)
        yes = f"每年最多扣减{yuan(cap)}（以当年实际应缴税费为限）。"
    else:
        amount = money(min(cap, inp.tax_payable))
        rest = money(inp.tax_payable - amount)
        value.update(amount_yuan=amount, amount_is_ceiling=False, still_payable_yuan=rest)
        t.step("self_employed_amount", f"当年实际应缴{yuan(money(inp.tax_payable))}，限额{yuan(cap)}，可扣减{yuan(amount)}"
               + (f"，超出限额的{yuan(rest)}仍须缴纳。" if rest else "（低于限额，全部扣减）。"))
        year = f"{inp.tax_year}年" if inp.tax_year else "当年"
        yes = (f"{year}应缴{yuan(money(inp.tax_payable))}，可扣减{yuan(amount)}" +
               (f"（每户每年限额{yuan(cap)}），还需缴纳{yuan(rest)}。" if rest else "（低于每户每年限额，全部扣减）。"))
    return finish(t, c, value, yes, "不能享受个体经营税收扣减", "还需补充信息才能判断。")


def _within_years(inp: TaxInput, c: Checks, max_years: int, label: str) -> None:
    if inp.operating_year is None:
        c.ask("operating_year", "目前是办理个体工商户登记后的第几年？", f"优惠只在{label}享受")
    elif inp.operating_year <= max_years:
        c.met.append(f"登记后第{inp.operating_year}年，在3年内")
    else:
        c.failed.append(f"登记后第{inp.operating_year}年，已超过{label}的期限")


def _military_spouse(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    p = t.param("tax_military_spouse")
    c = Checks()
    c.check(inp.qualifies_as_group, "随军家属", "不是随军家属", "qualifies_as_group", "您是随军家属吗？", "该项免税的对象")
    _within_years(inp, c, p.value, "从事个体经营3年内")
    t.step("military_spouse", "随军家属从事个体经营，3年内免征个人所得税（清单未载明截止日期）。",
           {"qualifies_as_group": inp.qualifies_as_group, "operating_year": inp.operating_year}, [p])
    value["exempt"] = c.status
    return finish(t, c, value, "个体经营所得3年内免征个人所得税。", "不能享受随军家属免税", "还需补充信息才能判断。")


def _disabled_land_use(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    p = t.param("tax_disabled_land_use")
    quota = t.param("tax_disabled_land_use_quota")
    c = Checks()
    n, staff = inp.disabled_count, inp.total_staff
    if n is None and staff is not None:
        # "职工36人，至少安置几名残疾人": the smallest number that passes both tests is the answer
        by_share = ceil_int(Decimal(staff) * p["min_share"])
        need = max(by_share, p["min_count"])
        value.update(required_disabled=need, required_by_share=by_share)
        t.step("disabled_required", f"第21项：比例不低于{pct(p['min_share'])}（含）且人数不少于{p['min_count']}人（含）："
               f"{staff}人×{pct(p['min_share'])}＝{(Decimal(staff) * p['min_share']).normalize():f}，向上取整{by_share}人；"
               f"同时不少于{p['min_count']}人，故至少安置{need}人。", {"total_staff": staff}, [p])
        return t.result(Outcome.computed, value, f"在职职工{staff}人，月平均至少须安置残疾人{need}人（{staff}×{pct(p['min_share'])}"
                        f"＝{(Decimal(staff) * p['min_share']).normalize():f}，向上取整{by_share}人，且不少于{p['min_count']}人）。")
    if n is None:
        c.ask("disabled_count", "平均实际安置残疾人就业多少人？", "须不少于10人且占在职职工总数25%以上")
    elif n < p["min_count"]:
        c.failed.append(f"安置残疾人{n}人，少于{p['min_count']}人")
    if staff is None:
        c.ask("total_staff", "单位在职职工总数是多少？", "安置残疾人须占在职职工总数25%以上（含25%）")
    elif n is not None:
        share = Decimal(n) / Decimal(staff)
        value["disabled_share"] = money(share)
        if share < p["min_share"]:
            c.failed.append(f"残疾人占在职职工{pct(money(share))}，低于{pct(p['min_share'])}")
        else:
            c.met.append(f"残疾人占在职职工{pct(money(share))}，不低于{pct(p['min_share'])}")
    t.step("disabled_test", f"第21项："
                            f"月平均实际安置残疾人占在职职工比例不低于{pct(p['min_share'])}（含）且人数不少于{p['min_count']}人（含）的，"
           "可减征或免征城镇土地使用税（清单未载明截止日期）。", {"disabled_count": n, "total_staff": staff}, [p])
    if n is not None and not c.failed:
        uncapped = money(quota.value * n)
        value["uncapped_yuan"] = uncapped
        if inp.land_tax_due is None:
            c.ask("land_tax_due", "本单位当年应纳城镇土地使用税是多少元？", "减征额以本单位当年应纳城镇土地使用税税额为限")
            t.step("disabled_amount", f"每安置1人每年定额减征{yuan(quota.value)}：{n}人×{yuan(quota.value)}＝{yuan(uncapped)}，"
                                      f"以当年应纳税额为限。",
                   {"disabled_count": n}, [quota])
        else:
            amount = min(uncapped, money(inp.land_tax_due))
            value["amount_yuan"] = amount
            value["capped"] = amount < uncapped
            t.step("disabled_amount", f"每安置1人每年定额减征{yuan(quota.value)}：{n}人×{yuan(quota.value)}＝{yuan(uncapped)}，"
                   f"当年应纳税额{yuan(money(inp.land_tax_due))}，可减征{yuan(amount)}。", {"land_tax_due": inp.land_tax_due}, [quota])
    # only the cap is unknown: the amount before it is the answer, with the cap said
    open_cap = value.get("uncapped_yuan") is not None and value.get("amount_yuan") is None
    unknown = (f"符合条件，最多可减征{yuan(value['uncapped_yuan'])}（{n}人×{yuan(quota.value)}），以本单位当年应纳城镇土地使用税"
               "税额为限。" if open_cap else "还需补充信息才能测算。")
    return finish(t, c, value, f"可减征城镇土地使用税{yuan(value['amount_yuan'] or 0)}。", "不能享受城镇土地使用税减征",
                  unknown)


def _small_micro(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    base = t.params.get("tax_small_micro")
    extension = t.params.get("tax_small_micro_extension")
    halving = t.params.get("tax_small_micro_extra_halving")
    early = _not_yet(t, base, value)
    if early:
        return early
    c = Checks()
    income = inp.taxable_income
    limits = [("taxable_income", income, base["income_max"], "年度应纳税所得额", "元", "年度应纳税所得额是多少元？"),
              ("employees", inp.employees, base["staff_max"], "从业人数", "人", "从业人数是多少？"),
              ("total_assets", inp.total_assets, base["assets_max"], "资产总额", "元", "资产总额是多少元？")]
    for fact, have, cap, label, unit, question in limits:
        if have is None and inp.small_micro_confirmed and fact != "taxable_income":
            continue  # "我们是小型微利企业": the user states the conditions are met
        if have is None:
            c.ask(fact, question, f"小型微利企业须{label}不超过{cap}{unit}")
        elif have > cap:
            c.failed.append(f"{label}{money(have)}{unit}，超过{cap}{unit}")
    t.step("small_micro_conditions", "第26项：小型微利企业须年度应纳税所得额不超过300万元、从业人数不超过300人、资产总额不超过5000万元。",
           {"taxable_income": income, "employees": inp.employees, "total_assets": inp.total_assets}, [base])
    t.cite(base.clause_id)
    halving_now = halving.in_force_on(t.as_of)
    if not c.failed and c.unknown and not (base.in_force_on(t.as_of) or halving_now):
        # "现在还这么执行吗": whether the rule still applies does not depend on the company's figures — say it, ask nothing
        t.step("small_micro_validity", f"第26项所列优惠期限为{cn_date(base.valid_from)}至{cn_date(base.last_day)}，"
               f"清单注明“政策执行期限延续”但未写明延续至何时；再减半政策{cn_date(halving.valid_from)}至{cn_date(halving.last_day)}。",
               params=[base, extension, halving])
        t.warn(halving.expiry_warning(t.as_of))
        value["readings"] = {
            "政策延续": "按“政策执行期限延续”理解为仍在执行（2021—2022年的再减半已到期，不再适用）。",
            "已到期": f"按条文所载期限，优惠已于{cn_date(base.last_day)}到期，不再享受。",
        }
        return ambiguous(t, value, (
            f"第26项所列小型微利企业优惠（不超过{yuan(base['band'])}、超过{yuan(base['band'])}但不超过{yuan(base['income_max'])}的部分"
            f"分别减按{pct(base['band_share'])}、{pct(base['upper_share'])}计入应纳税所得额，按{pct(base['rate'])}税率缴纳）"
            f"所列期限至{cn_date(base.last_day)}，清单注明“政策执行期限延续”但未写明延续至何时；"
            f"不超过{yuan(base['band'])}部分再减半征收的政策已于{cn_date(halving.last_day)}到期，不再适用。现行政策请以税务部门规定为准。"))
    if c.failed or c.unknown:
        return finish(t, c, value, "", "不属于小型微利企业", "还需补充信息才能测算。")

    def compute(with_halving: bool) -> tuple[Decimal, str]:
        band = min(income, base["band"])
        upper = income - band
        band_share = base["band_share"] * (halving.value if with_halving else 1)
        band_tax = money(band * band_share * base["rate"])
        upper_tax = money(upper * base["upper_share"] * base["rate"])
        tax = money(band_tax + upper_tax)
        value.update(band_tax_yuan=band_tax, upper_tax_yuan=upper_tax)
        halved = f"（{pct(base['band_share'])}再减半）" if with_halving else ""
        text = (f"不超过{yuan(base['band'])}的部分：{yuan(money(band))}×{pct(band_share)}{halved}×{pct(base['rate'])}＝{yuan(band_tax)}")
        if upper:
            text += f"；超过部分：{yuan(money(upper))}×{pct(base['upper_share'])}×{pct(base['rate'])}＝{yuan(upper_tax)}"
        text += f"；合计应缴企业所得税{yuan(tax)}"
        return tax, text

    halving_on = halving.in_force_on(t.as_of)
    if base.in_force_on(t.as_of) or halving_on:
        tax, text = compute(halving_on)
        rule = "（2021—2022年不超过100万元部分再减半）" if halving_on else ""
        t.step("small_micro_tax", f"{text}{rule}。", {"taxable_income": income}, [base] + ([halving] if halving_on else []))
        if not base.in_force_on(t.as_of):
            t.step("small_micro_extension", f"原优惠期限至{cn_date(base.last_day)}，清单注明“政策执行期限延续”，"
                   f"且再减半政策（至{cn_date(halving.last_day)}）以其为基础，故按延续计算。", params=[extension])
        value.update(tax_payable_yuan=tax, effective_rate=money(tax / income) if income else Decimal(0), extra_halving=halving_on)
        year = f"{inp.tax_year}年度" if inp.tax_year else ""
        return t.result(Outcome.computed, value, f"{year}{text}。")
    tax, text = compute(False)
    t.step("small_micro_tax", f"若仍执行：{text}。", {"taxable_income": income}, [base, extension, halving])
    t.warn(halving.expiry_warning(t.as_of))
    t.warn(f"第26项小型微利企业优惠原定执行至{cn_date(base.last_day)}，清单注明“政策执行期限延续”但未写明延续至何时，"
           f"请以税务部门现行规定为准。")
    value.update(tax_payable_yuan=None, readings={
        "政策延续": f"按“政策执行期限延续”理解为仍在执行：应缴企业所得税{yuan(tax)}（2021—2022年的再减半已到期，不再适用）。",
        "已到期": f"按条文所载期限，优惠已于{cn_date(base.last_day)}到期，不再享受。",
    }, tax_if_continued_yuan=tax)
    return ambiguous(t, value, "小型微利企业所得税优惠是否仍在执行，条文只写“政策执行期限延续”而无截止日期，存在两种理解。")


def _small_scale_vat(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    p = t.param("tax_small_scale_vat_exemption")
    early = _not_yet(t, p, value)
    if early:
        return early
    c = Checks()
    c.check(inp.small_scale_taxpayer, "增值税小规模纳税人", "不是增值税小规模纳税人", "small_scale_taxpayer", "是增值税小规模纳税人吗？",
            "免税对象")
    if inp.monthly_sales is None:
        c.ask("monthly_sales", "月销售额是多少元？", "月销售额15万元以下（含本数）免征增值税")
    elif inp.monthly_sales > p.value:
        c.failed.append(f"月销售额{money(inp.monthly_sales)}元，超过{p.value}元")
    else:
        c.met.append(f"月销售额{money(inp.monthly_sales)}元，不超过{p.value}元（含本数）")
    t.step("small_scale_vat", f"第27项：{cn_date(p.valid_from)}至{cn_date(p.last_day)}，"
                              f"月销售额15万元以下（含本数）的增值税小规模纳税人免征增值税。",
           {"small_scale_taxpayer": inp.small_scale_taxpayer, "monthly_sales": inp.monthly_sales}, [p])
    value["exempt"] = c.status
    result = finish(t, c, value, f"月销售额{yuan(p.value)}以下（含本数）的增值税小规模纳税人免征增值税（{cn_date(p.valid_from)}至"
                                 f"{cn_date(p.last_day)}）。", "不能享受免征增值税", "还需补充信息才能判断。")
    return _expired(t, p, result)


def _high_tech(inp: TaxInput, t: Trace, value: dict) -> ToolResult:
    p = t.param("tax_high_tech_rate")
    c = Checks()
    c.check(inp.high_tech_certified, "经认定为国家需要重点扶持的高新技术企业", "未被认定为高新技术企业", "high_tech_certified",
            "是否已被认定为国家需要重点扶持的高新技术企业？", "减按15%税率的前提")
    t.step("high_tech", f"第28项：国家需要重点扶持的高新技术企业减按{pct(p.value)}的税率征收企业所得税（清单未载明截止日期）。",
           {"high_tech_certified": inp.high_tech_certified}, [p])
    value["rate"] = p.value
    yes = f"企业所得税减按{pct(p.value)}征收。"
    if inp.taxable_income is not None and inp.high_tech_certified:
        value["tax_payable_yuan"] = money(inp.taxable_income * p.value)
        t.step("high_tech_tax", f"应纳税所得额{yuan(money(inp.taxable_income))}×{pct(p.value)}＝{yuan(value['tax_payable_yuan'])}。")
        yes = f"企业所得税减按{pct(p.value)}征收，应缴{yuan(value['tax_payable_yuan'])}。"
    return finish(t, c, value, yes, "不能享受高新技术企业优惠税率", "还需补充信息才能判断。")


_HANDLERS = {
    TaxBenefit.key_group_hiring: _hiring,
    TaxBenefit.veteran_hiring: _hiring,
    TaxBenefit.key_group_self_employed: _self_employed,
    TaxBenefit.veteran_self_employed: _self_employed,
    TaxBenefit.disabled_land_use: _disabled_land_use,
    TaxBenefit.military_spouse: _military_spouse,
    TaxBenefit.small_micro: _small_micro,
    TaxBenefit.small_scale_vat: _small_scale_vat,
    TaxBenefit.high_tech: _high_tech,
}
