"""Builder for the 税收优惠 tool."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder, quantity, value_of

_TAX_ITEMS = [
    (r"退役士兵.{0,10}(个体|自己创业|开店)|(个体|开店).{0,10}退役士兵", "自主就业退役士兵从事个体经营"),
    (r"退役士兵", "招用自主就业退役士兵"),
    (r"(建档立卡|就业创业证|就业失业登记证|重点群体).{0,12}(个体|开店)", "重点群体从事个体经营"),
    (r"建档立卡|就业创业证|就业失业登记证|重点群体", "招用重点群体就业"),
    (r"残疾人", "安置残疾人就业减征城镇土地使用税"),
    (r"随军家属", "随军家属从事个体经营免征个人所得税"),
    (r"小型微利|小微企业.{0,6}所得税", "小型微利企业所得税优惠"),
    (r"小规模纳税人|免征增值税", "小规模纳税人免征增值税"),
    (r"高新技术企业", "高新技术企业减按15%税率"),
]


_MEMBER = re.compile(r"(我|本人|俺)(是|属于)[^，。]{0,6}(自主就业退役士兵|退役士兵|随军家属|建档立卡|持[^，。]{0,4}证)")
_CONTRACT = re.compile(r"(签|签订)[^，。]{0,8}合同[^，。]{0,6}(社保|社会保险)")


def _calendar_years(slots: Slots) -> list[Any]:
    return [x for x in slots.quantities if x.slot == "calendar_year"]


def _tax_year(slots: Slots, q: str) -> int | None:
    """The year the tax is for: "2020年度应纳税所得额", "2023年一年最多能扣减"."""
    for x in _calendar_years(slots):
        if re.search(r"^(年度|年)?[^，。]{0,3}(应纳税|应缴|所得额|[1一]年|全年|度|最多|能扣|可扣|扣减|交多少|缴多少)", x.after):
            return int(x.value)
    years = _calendar_years(slots)
    return int(years[0].value) if len(years) == 1 and re.search(r"(当年|那年|一年)", q) else None


@builder("tax_benefits")
def _tax(slots: Slots, q: str, rt: QuestionRoute) -> list[dict] | dict | None:
    benefits = [item for pattern, item in _TAX_ITEMS if re.search(pattern, q)]
    # one benefit per pattern family: "招用…退役士兵" and "持《就业创业证》人员" in one sentence are two benefits
    benefits = [b for i, b in enumerate(benefits) if not any(_SAME_FAMILY.get(b) == other for other in benefits[:i])]
    if not benefits:
        return None
    hiring = [b for b in benefits if b in ("招用自主就业退役士兵", "招用重点群体就业")]
    if len(hiring) == 2:
        return [_tax_args(b, slots, q) for b in hiring]
    built = _tax_args(benefits[0], slots, q)
    return built


_SAME_FAMILY = {"招用自主就业退役士兵": "自主就业退役士兵从事个体经营", "招用重点群体就业": "重点群体从事个体经营"}


def _segment_count(slots: Slots, noun: str) -> Any:
    """The count stated right before a noun in its own clause segment ("2名自主就业退役士兵和3名持证人员")."""
    for x in slots.quantities:
        if x.unit in ("人", "名", "个") and re.search(noun, x.after):
            return x.value
    return None


def _tax_args(benefit: str, slots: Slots, q: str) -> list[dict] | dict:
    args: dict[str, Any] = {"benefit": benefit, "tax_year": _tax_year(slots, q)}
    if benefit in ("招用自主就业退役士兵", "招用重点群体就业"):
        noun = r"^(自主就业)?退役" if benefit == "招用自主就业退役士兵" else r"^[^，。]{0,3}(持|建档立卡|登记失业|重点群体)"
        args["hires"] = _segment_count(slots, noun) or slots.get("veterans") or slots.get("hires") or slots.get("people")
        years = re.search(r"(\d+|[一二两三四五])\s*年(一共|总共|合计|内|下来)", q)
        if years:
            from assistant.numbers import parse_number

            args["years"] = parse_number(years.group(1))
        if _CONTRACT.search(q) or re.search(r"签了[^，。]{0,6}合同[^，。]{0,8}(交|缴)[^，。]{0,3}社保", q):
            args["contract_and_insurance"] = True
    elif benefit in ("自主就业退役士兵从事个体经营", "重点群体从事个体经营", "随军家属从事个体经营免征个人所得税"):
        if _MEMBER.search(q):
            args["qualifies_as_group"] = True
        registered = next((int(x.value) for x in _calendar_years(slots) if re.search(r"(办|登记|注册|开)", x.after)), None)
        payable, year = [], None
        for x in slots.quantities:  # each amount with the year named last before it ("2023年…9000元，2024年…16000元")
            if x.slot == "calendar_year" and not re.search(r"(办|登记|注册|开)", x.after):
                year = int(x.value)
            elif x.unit == "元" and year is not None and (registered is None or year >= registered):
                payable.append((x, year))
                year = None
        if payable and registered is not None:
            # one run per tax year: each year's payable tax against that year's cap
            return [dict(args, tax_year=year, operating_year=year - registered + 1, tax_payable=x.value) for x, year in payable]
        tax = quantity(slots, ("元",), before=r"(应缴|应纳|税)[^，。\d]{0,12}$")
        args["tax_payable"] = value_of(tax)
        if registered is not None and args["tax_year"] is not None:
            args["operating_year"] = args["tax_year"] - registered + 1
    elif benefit == "安置残疾人就业减征城镇土地使用税":
        # "安置了12个残疾人": a count said with 个 is the 残疾人 it stands before, too
        disabled = slots.get("disabled") if slots.get("disabled") is not None else _segment_count(slots, r"^(名|个|位)?残疾")
        args["disabled_count"] = disabled
        args["total_staff"] = slots.get("staff")
        ratio = slots.get("ratio")
        if args["total_staff"] is None and disabled and ratio:
            # "占职工30%": the staff count the user implies (the tool applies the 25% / 10-person tests itself)
            args["total_staff"] = int((Decimal(disabled) * 100 / Decimal(ratio)).to_integral_value())
        args["land_tax_due"] = slots.get("tax_due")
        staffs = [x.value for x in slots.quantities if x.slot in ("staff", "people")]
        if disabled is None and len(staffs) > 1:  # "职工36人至少安置几名？要是44人呢？": one run per staff size
            return [dict(args, total_staff=n) for n in staffs]
    elif benefit == "小型微利企业所得税优惠":
        args.update(taxable_income=slots.get("taxable_income") or value_of(quantity(slots, ("元",), before=r"所得额[^，。\d]{0,6}$")),
                    employees=slots.get("staff"))
        if re.search(r"(是|属于|符合)[^，。]{0,4}小型微利企业(条件)?|小型微利企业(，|,)?[^，。]{0,2}(年度|20)", q) or \
                re.search(r"我们(是)?小型微利企业", q):
            args["small_micro_confirmed"] = True
    elif benefit == "小规模纳税人免征增值税":
        args.update(small_scale_taxpayer=True if "小规模纳税人" in q else None, monthly_sales=slots.get("monthly_sales"))
    elif benefit == "高新技术企业减按15%税率":
        if re.search(r"(认定|评上|是)[^，。]{0,4}高新技术企业", q):
            args["high_tech_certified"] = True
        args["taxable_income"] = slots.get("taxable_income") or value_of(quantity(slots, ("元",), before=r"所得额[^，。\d]{0,6}$"))
    return args
