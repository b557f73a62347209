"""No money a tool computes passes a cap its clauses state, and none is negative, NaN, infinite or "-0".

Issue 14, item 3: a training subsidy of 3.8×10^17 元 was computed from rates inside the schema's old ranges. Here every
money-computing tool is driven by Hypothesis over its whole schema (each field from its own ge/le, the extremes
included — `test_properties.py` stops at 10^6), and each result is held to the product of the caps its parameters
state: 每人每月 × 最长月数 × 人数, 每户不超过, 不得叠加上浮, 以当年应纳税额为限 … The ceilings read the same
`parameters/*.yaml` values the rules do, so a changed figure moves both; a rule that forgets a cap fails here.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from corpus.errors import ToolInputError
from eligibility_tools.registry import load_tools, run_tool

AS_OF = date(2026, 11, 26)
CENT = Decimal("0.01")


def _p(name: str, as_of: date = AS_OF):
    from eligibility_tools.params import Params

    return Params(as_of).get(name)


def _cents(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------- inputs over the whole schema

def _bounds(metadata) -> tuple:
    low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    return low, high


def _scalar(kind, metadata):
    """A strategy for one scalar type within its schema bounds, the bounds themselves drawn often."""
    low, high = _bounds(metadata)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return st.sampled_from([m.value for m in kind])
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.one_of(st.sampled_from([low, high]), st.integers(min_value=low, max_value=high))
    if kind in (Decimal, float):
        return st.one_of(st.sampled_from([low, high]),
                         st.decimals(min_value=low, max_value=high, places=2, allow_nan=False, allow_infinity=False)).map(str)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _model_strategy(kind)
    if typing.get_origin(kind) is typing.Annotated:
        inner, *extra = typing.get_args(kind)
        return _scalar(inner, [m for info in extra for m in getattr(info, "metadata", [info])])
    return None


def _field_strategy(info):
    annotation = info.annotation
    options = [a for a in (typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, type(int | None)) else (annotation,))
               if a is not type(None)]
    kind = options[0] if options else annotation
    if typing.get_origin(kind) is list:
        item = _scalar(typing.get_args(kind)[0], [])
        low = next((m.min_length for m in info.metadata if getattr(m, "min_length", None) is not None), 0)
        return None if item is None else st.lists(item, min_size=low, max_size=max(low, 4))
    return _scalar(kind, info.metadata)


def _model_strategy(model: type[BaseModel]):
    """Every numeric, boolean and enum field over its schema range; optional ones sometimes left out."""
    fields = {}
    for name, info in model.model_fields.items():
        strategy = _field_strategy(info)
        if strategy is None:
            if info.is_required():
                fields[name] = st.just("一")  # a label
            continue
        fields[name] = strategy if info.is_required() else st.one_of(st.none(), strategy)
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


# --------------------------------------------------------------------------- what a money figure may be

def _money(value, key: str = "", under_money: bool = False):
    """(key, amount) of every figure in 元 in a tool's value: keys naming yuan, and everything below them."""
    money_here = under_money or "yuan" in key
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _money(v, str(k), money_here)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _money(v, key, money_here)
    elif money_here and value is not None and not isinstance(value, bool | str):
        yield key, value


def _assert_sane_money(tool: str, args: dict, value: dict, shown: dict) -> None:
    """`value`: the tool's own value (Decimal/int); `shown`: its JSON form, as the user and the API see it."""
    for key, amount in _money(value):
        assert isinstance(amount, int | Decimal), (tool, key, amount, "money is Decimal or int, never float")
        number = Decimal(amount)
        assert number.is_finite(), (tool, key, amount, args)
        assert number >= 0 and not number.is_signed(), (tool, key, amount, args)
    text = json.dumps(shown, ensure_ascii=False, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text and '"-0' not in text and ": -0" not in text, (tool, text)


# --------------------------------------------------------------------------- the caps each tool's clauses state

def _training_cap(args: dict, value: dict) -> Decimal | None:
    """乌人社发〔2019〕56号: per person at most the base (given, 基准+超出课时×标准, or 课时×标准) raised by the single
    largest uplift (20% / 30% / 25% 不得重复叠加); none past the 1-year limit; 鉴定补贴据实 (fee × trainees)."""
    trainees = args.get("trainees", 1)
    if args.get("subsidy_type") == "职业技能鉴定补贴":
        return _cents(Decimal(args.get("appraisal_fee", 0)) * trainees)
    if args.get("duration_months") is not None and args["duration_months"] > _p("training_max_subsidy_months").value:
        assert value["amount_yuan"] is None, ("补贴时限最长不超过1年", args, value)
    rate = Decimal(args.get("hourly_rate", 0))
    hours = max(args.get("hours", 0), args.get("hours_over_basic", 0))
    base = max(Decimal(args.get("base_per_person", 0)), Decimal(args.get("base_subsidy", 0)) + hours * rate)
    brand = _p("training_brand_uplift")
    uplift = max(_p("training_key_industry_uplift").value, *(brand[k] for k in ("知名品牌", "特色品牌")))
    per_person = _cents(base * (1 + uplift))
    if value.get("per_person_yuan") is not None:
        assert value["per_person_yuan"] <= per_person, ("每人补贴超过基础补贴×（1+最大单项上浮）", args, value)
    return _cents(per_person * trainees)


def _apprenticeship_cap(args: dict, value: dict) -> Decimal:
    """新型学徒制: 每人每年标准 × 学徒人数 × 培养年限 (1-2 years, 3 at most in special cases)."""
    limit = _p("apprentice_training_years")["special"]
    floor = _p("hr_apprentice_annual_subsidy_floor" if args.get("provider") == "经营性人力资源服务机构" else "apprentice_annual_subsidy_floor")
    standard = max(Decimal(args.get("annual_standard", 0)), floor.value)
    cohorts = [(c["apprentices"], c["years"]) for c in args.get("cohorts") or []] or [(args.get("apprentices", 0), args.get("years", 0))]
    # years may be fractional (一年半) and arrive as text from the schema's JSON form
    cap = standard * sum(Decimal(str(n)) * min(Decimal(str(y)), Decimal(str(limit))) for n, y in cohorts)
    if value.get("advance_max_yuan") is not None:
        assert value["advance_max_yuan"] + value["remaining_yuan"] == value["amount_yuan"], value
    return _cents(cap)


def _hr_cap(args: dict, value: dict) -> Decimal | None:
    """人力资源服务业清单: each item by its own stated standard, months and persons."""
    item = args["item"]
    persons, months = args.get("persons", 0), args.get("months", 0)
    each = args.get("months_per_person") or []
    person_months = sum(each) if each else persons * months
    if item == "就业见习补贴":
        high = Decimal(args.get("region1_min_wage", 0)) * _p("hr_internship_wage_share")["max"] * person_months
        if value.get("amount_range_yuan"):
            assert value["amount_range_yuan"][0] <= value["amount_range_yuan"][1] <= _cents(high), value
        return _cents(high)
    if item == "人才储备生活补贴":
        p = _p("hr_talent_reserve_allowance")
        counted = sum(min(m, p["max_months"]) for m in each) if each else persons * min(months, p["max_months"])
        return _cents(p["monthly"] * counted)
    if item == "公益性岗位补贴":
        return _cents(Decimal(args.get("city_min_wage", 0)) * persons * months)
    if item == "项目建设补贴":
        return max(_p("hr_project_construction_subsidy").value.values())
    if item == "新型学徒制培训补贴":
        return _p("hr_apprentice_annual_subsidy_floor").value * persons * min(args.get("years", 0), _p("apprentice_training_years")["special"])
    if item == "创业项目库建设补贴":
        p = _p("hr_project_library_subsidy")
        listed = args.get("listed_projects", 0)
        return p["listed"] * listed + p["recommended"] * min(args.get("recommended_projects", 0), listed)
    if item == "创业服务补贴":
        return _p("hr_startup_service_subsidy").value * args.get("entities", 0)
    if item == "劳动力资源调查统计补助":
        p = _p("hr_labour_survey_subsidy")
        return p["first"] * args.get("first_registrations", 0) + p["update"] * args.get("updated_person_years", 0)
    if item == "就业困难人员援助补助":
        return _p("hr_hard_to_employ_placement").value * persons
    if item == "创业担保贷款（机构）":
        assert value.get("loan_max_yuan") in (None, _p("hr_guaranteed_loan_org")["max_loan"]), value
    if item == "创业担保贷款（个人）":
        assert value.get("loan_max_yuan") in (None, _p("hr_guaranteed_loan_person").value), value
    return None  # 社会保险补贴, 一次性创业补贴, loans: no amount computed (标准汇编未载明)


def _incubator_cap(args: dict, value: dict) -> Decimal | None:
    """乌海市创业孵化基地管理办法 第十一—十四条: each subsidy to its own cap; the total is their sum."""
    subsidies = value.get("subsidies_yuan") or {}
    caps = {
        "创业见习补贴": _cents(_cents(Decimal(args.get("region1_min_wage", 0)) * _p("incubator_internship_subsidy")["wage_share"])
                          * _p("incubator_internship_subsidy")["max_months"] * args.get("interns", 0)),
        "创业孵化补贴": _p("incubator_incubation_subsidy").value * args.get("incubated_success", 0),
        "创业带动就业补贴": _p("incubator_job_creation_subsidy").value * args.get("new_jobs", 0),
        "以奖代补": max(r["max"] for r in _p("incubator_award_range").value.values()),
    }
    for name, amount in subsidies.items():
        assert name in caps, f"a new subsidy {name}: add its clause cap here"
        assert amount <= caps[name], (name, amount, caps[name], args)
    if value.get("amount_yuan") is not None:
        assert value["amount_yuan"] == sum(subsidies.values()), value
    loans = value.get("guaranteed_loan_max_yuan") or {}
    assert all(v <= max(_p("incubator_guaranteed_loans").value.values()) for v in loans.values()), loans
    return sum(caps[name] for name in subsidies) if subsidies else None


def _tax_cap(args: dict, value: dict) -> Decimal | None:
    """财税〔2019〕22号 / 残疾人城镇土地使用税 / 小微企业所得税: per person (household) per year × at most 3 years, and never
    more than the tax the user says is due."""
    benefit = args["benefit"]
    per_year = {"重点群体从事个体经营": ("tax_key_group_self_employed", "per_household_year"),
                "自主就业退役士兵从事个体经营": ("tax_veteran_self_employed", "per_household_year"),
                "招用重点群体就业": ("tax_key_group_hiring", "per_person_year"),
                "招用自主就业退役士兵": ("tax_veteran_hiring", "per_person_year")}
    cap = None
    if benefit in per_year:
        name, key = per_year[benefit]
        p = _p(name, date(2025, 6, 1))
        heads = args.get("hires", 1) if "招用" in benefit else 1
        years = min(args.get("years", 1), p["max_years"]) if "招用" in benefit else 1
        cap = p[key] * heads * years
        if args.get("tax_payable") is not None:
            cap = min(cap, Decimal(args["tax_payable"]))
    elif benefit == "安置残疾人就业减征城镇土地使用税":
        cap = _p("tax_disabled_land_use_quota").value * args.get("disabled_count", 0)
        if args.get("land_tax_due") is not None:
            cap = min(cap, Decimal(args["land_tax_due"]))
    elif benefit == "小型微利企业所得税优惠":
        cap = _cents(Decimal(args.get("taxable_income", 0)) * _p("tax_small_micro", date(2022, 6, 1))["rate"])
    return cap


def _contest_cap(args: dict, value: dict) -> Decimal | None:
    """全市技能大赛: 前3名奖金1万/0.8万/0.5万元 — one prize at most the first; a unit's total at most its awards × the
    first prize (优胜奖 and 参与 carry no money beyond a share of it)."""
    prize = max(_p("city_skills_contest_prize").value.values())
    if value.get("prize_yuan") is not None:
        assert value["prize_yuan"] <= prize, (value, args)
    awards = sum(args.get(k, 0) for k in ("gold", "silver", "bronze", "merit"))
    return prize * max(awards, 1) if value.get("amount_yuan") is not None else None


def _match_cap(args: dict, value: dict) -> Decimal | None:
    """policy_match adds the amounts of the routes that apply (each held by its own tool's cap above): no more."""
    total = sum((Decimal(a["amount_yuan"]) for a in value.get("applies", []) if a.get("amount_yuan") is not None), Decimal(0))
    return total


def _sum_cap(args: dict, value: dict) -> Decimal:
    return sum((Decimal(str(i["amount_yuan"])) for i in args["items"]), Decimal(0))


# tool -> (the cap function, the arguments that make it compute: drawn around the schema-wide ones)
CAPS: dict[str, Callable[[dict, dict], Decimal | None]] = {
    "training_subsidy": _training_cap,
    "apprenticeship_subsidy": _apprenticeship_cap,
    "hr_service_support": _hr_cap,
    "incubator_recognition": _incubator_cap,
    "tax_benefits": _tax_cap,
    "skills_contest_award": _contest_cap,
    "sum_amounts": _sum_cap,
    "policy_match": _match_cap,
}
# Fields set so the draw reaches the amount more often than "还需补充信息" (the rest is drawn freely).
_COMPUTING = {
    "training_subsidy": {"in_key_industry_catalog": st.booleans(), "hours": st.integers(min_value=56, max_value=3000)},
    "apprenticeship_subsidy": {"contract_and_insurance": st.just(True), "simple_trade": st.just(False),
                               "apprentice_source": st.just("新转岗人员")},
    "hr_service_support": {"operating_agency": st.just(True), "hires_qualified": st.just(True)},
    "incubator_recognition": {"question": st.just("扶持资金"), "started_within_6_months": st.just(True)},
    "skills_contest_award": {"contest_type": st.just("全市技能大赛"), "participants": st.integers(min_value=15, max_value=100_000)},
    "tax_benefits": {"qualifies_as_group": st.just(True), "contract_and_insurance": st.just(True), "operating_year": st.just(1)},
}
EXAMPLES = 150
SLOW = {"policy_match": 30}  # it runs every other tool per draw (~0.5 s); its parts are drawn 150 times each above


def _drawn(tool: str):
    spec = load_tools()[tool]
    forced = st.fixed_dictionaries(_COMPUTING.get(tool, {}))
    return st.tuples(_model_strategy(spec.input_model), forced).map(lambda pair: {**pair[0], **pair[1]})


@pytest.mark.unit
@pytest.mark.parametrize("tool", sorted(CAPS))
def test_property_money_within_every_stated_cap(tool):
    """Any input the schema accepts: each 元 figure finite, ≥ 0, never "-0", and at most the product of the caps."""
    computed = []

    @settings(max_examples=SLOW.get(tool, EXAMPLES), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(_drawn(tool))
    def check(args):
        try:
            result = run_tool(tool, args, AS_OF)
        except ToolInputError:
            return  # a combination the schema refuses (in Chinese: test_input_bounds)
        value = result.value
        _assert_sane_money(tool, args, value, result.to_json())
        cap = CAPS[tool](args, value)
        amount = (value.get("amount_yuan", value.get("total_computable_yuan"))) if isinstance(value, dict) else None
        if amount is not None and cap is not None:
            assert amount <= cap, (tool, amount, cap, args)
            computed.append(amount)

    check()
    if tool != "policy_match":  # its draws rarely meet every condition of a route; its parts are held one by one above
        assert computed, f"{tool}: no drawn input reached an amount; widen _COMPUTING"


@pytest.mark.unit
@pytest.mark.parametrize("tool", sorted(set(load_tools()) - set(CAPS) - {"clause_rule"}))
def test_property_tools_without_a_cap_here_compute_no_money(tool):
    """The list above is complete: a tool not in CAPS never returns a figure in 元 (add its cap when it starts to)."""

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_drawn(tool))
    def check(args):
        try:
            value = run_tool(tool, args, AS_OF).value
        except ToolInputError:
            return
        assert not [a for _, a in _money(value)], (tool, args, value)

    check()


def _exactly(name: str, *keys: str, times=1):
    """A cap read from a parameter (one value, or the product of some of its keys) times a count."""
    def cap():
        p = _p(name)
        value = p.value if not keys else 1
        for key in keys:
            value = value * p[key]
        return value * times
    return cap


@pytest.mark.unit
@pytest.mark.parametrize("tool, args, cap", [
    # the 3.8×10^17 元 class: the largest rates and hours the schema accepts, the largest uplift, one trainee
    ("training_subsidy", {"hours": 3000, "hourly_rate": 1000, "in_key_industry_catalog": False, "brand": "知名品牌",
                          "brand_specialty_matches": True}, lambda: 3000 * 1000 * (1 + _p("training_brand_uplift")["知名品牌"])),
    ("training_subsidy", {"hours": 80, "hourly_rate": 10, "in_key_industry_catalog": False, "duration_months": 13}, lambda: None),
    # found by the property above: 0 graduates reserved raised IndexError (through policy_match's reserve_persons=0)
    ("hr_service_support", {"item": "人才储备生活补贴", "operating_agency": True, "hires_qualified": True, "persons": 0,
                            "months": 0}, lambda: 0),
    ("policy_match", {"subject_type": "人力资源服务机构", "reserve_persons": 0, "reserve_months": 0}, lambda: 0),
    ("hr_service_support", {"item": "人才储备生活补贴", "operating_agency": True, "hires_qualified": True, "persons": 2,
                            "months": 120}, _exactly("hr_talent_reserve_allowance", "monthly", "max_months", times=2)),
    ("incubator_recognition", {"question": "扶持资金", "interns": 1, "intern_months": 120, "started_within_6_months": True,
                               "region1_min_wage": 2000}, _exactly("incubator_internship_subsidy", "wage_share", "max_months", times=2000)),
    ("incubator_recognition", {"question": "扶持资金", "incubated_success": 100000}, _exactly("incubator_incubation_subsidy", times=100000)),
    ("apprenticeship_subsidy", {"apprentices": 1, "years": 100, "special_circumstances": True, "apprentice_source": "新转岗人员",
                                "contract_and_insurance": True, "simple_trade": False},
     lambda: _p("apprentice_annual_subsidy_floor").value * _p("apprentice_training_years")["special"]),
    ("tax_benefits", {"benefit": "招用自主就业退役士兵", "hires": 100000, "years": 100, "contract_and_insurance": True,
                      "tax_payable": 10 ** 11}, lambda: _p("tax_veteran_hiring")["per_person_year"] * 100000 * _p("tax_veteran_hiring")["max_years"]),
])
def test_run_extreme_inputs_stop_at_the_cap(tool, args, cap):
    """The schema's extremes: exactly the clause's cap (人数 × 标准 × 最长期限), or nothing past the 1-year limit."""
    value = run_tool(tool, args, AS_OF).value
    amount = value.get("amount_yuan", value.get("total_computable_yuan"))
    expected = cap()
    assert amount == (None if expected is None else _cents(expected)), (amount, expected)
