"""Builders for the 培训补贴 and 新型学徒制 tools."""

from __future__ import annotations

import re
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder, has, quantity, value_of

_NOT_IN_CATALOG = re.compile(r"(不在|没列入|未列入|没有列入|不属于|没在)[^，。]{0,6}(重点产业|目录)|目录(以)?外")
_BELOW_BASIC = re.compile(r"(没|未|不)(够|到|达到|满|足)[^，。\d]{0,2}基本(培训)?课时|基本(培训)?课时[^，。\d]{0,4}(没|未|不)(够|到|达到|满)|不足基本(培训)?课时")
_HOURLY = r"(课时补贴(标准)?|每课时|每个课时|每小时)[^，。\d]{0,6}$"


def _brand_matches(q: str) -> bool | None:
    """Whether the training is the brand institution's certified specialty (the uplift applies only to it)."""
    if re.search(r"认定的(是|只有|只是)[^，。]{1,12}专业|不是[^，。]{0,4}(被)?认定的?专业|非认定专业", q):
        return False
    if re.search(r"(被|所)?认定的(那个|这个)?专业[^，。]{0,4}(开班|培训|开的)|给[^，。]{0,4}认定的[^，。]{0,6}专业|就是认定的?专业", q):
        return True
    return None


# "要交啥材料", "找哪个科室", "电话多少": how to apply, not whether or how much — the clauses answer it, not the tool
_PROCEDURE = re.compile(r"(啥|什么|哪些)材料|(交|带|准备|提供)(啥|什么|哪些)|手续|流程|步骤|怎么(申请|申领|领|办)|去哪|到哪|找谁|向谁|"
                        r"哪个(部门|科室|单位)|电话|联系")
_AMOUNT_OR_VERDICT = re.compile(r"多少钱|补多少|能(不能)?(领|拿|申请|享受|补)|可以(领|拿|申请|享受)|可不可以|够不够|行不行|吗")


@builder("training_subsidy")
def _training(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    if _PROCEDURE.search(q) and not _AMOUNT_OR_VERDICT.search(q) and not slots.quantities:
        return None
    appraisal = "鉴定" in q
    over = quantity(slots, ("课时",), relative="more")
    base_given = quantity(slots, ("元",), before=r"基础补贴[是为按]?[^，。\d]{0,3}$")
    if not appraisal and slots.get("hours") is None and over is None and base_given is None:
        return None
    args: dict[str, Any] = {"subsidy_type": "职业技能鉴定补贴" if appraisal else "职业培训补贴"}
    basic = quantity(slots, ("课时",), before=r"基本(培训)?课时[^，。\d]{0,4}$")
    # "6元一课时", "8元/课时": the denominator of a rate, never the hours trained
    actual = [x for x in slots.quantities if x.unit == "课时" and not x.relative and x is not basic
              and not re.search(r"元\s*[/每]?$", x.before)]
    args["hours"] = actual[0].value if actual else None
    args["basic_hours"] = value_of(basic)
    args["hours_over_basic"] = value_of(over)
    args["hourly_rate"] = value_of(quantity(slots, ("元",), before=_HOURLY) or quantity(slots, ("元",), after=r"^/?(每)?(个)?课时"))
    args["base_subsidy"] = value_of(quantity(slots, ("元",), before=r"基准(培训)?补贴[^，。\d]{0,4}$"))
    args["base_per_person"] = value_of(base_given)
    if _BELOW_BASIC.search(q):
        args["reached_basic_hours"] = False
    if "知名品牌" in q:
        args["brand"] = "知名品牌"
    elif "特色品牌" in q:
        args["brand"] = "特色品牌"
    if args.get("brand"):
        args["brand_specialty_matches"] = _brand_matches(q)
    if re.search(r"重点产业|需求目录|目录(以)?外|目录里|目录内", q):
        args["in_key_industry_catalog"] = not _NOT_IN_CATALOG.search(q)
    if appraisal and has(q, "第一次", "初次", "首次"):
        args["first_time_pass"] = True
    if appraisal:
        if re.search(r"证书[^，。]{0,6}(还没|还得|尚未|没有|没)[^，。]{0,6}(发|下来|拿到|领)|(还没|尚未)(拿到|领到|取得)[^，。]{0,4}证", q):
            args["certificate"] = "已通过鉴定、证书尚未发放"
        else:
            for cert in ("职业资格证书", "职业技能等级证书", "专项职业能力证书"):
                if re.search(r"(取得|拿到|领到|考到|考下|考出|考取|获得)了?[^，。]{0,6}" + cert, q):
                    args["certificate"] = cert
    trainees = slots.get("trainees") or slots.get("people")
    if trainees is not None:
        args["trainees"] = trainees
    return args


def _cohorts(slots: Slots) -> list[dict[str, Any]]:
    """"12人培养1年、8人培养2年": each count with the training years of its own clause segment."""
    out: list[dict[str, Any]] = []
    count: Any = None
    for x in slots.quantities:  # the count nearest before the years, in the same clause segment
        if x.slot in ("people", "apprentices", "trainees") and x.unit in ("人", "名", "学徒"):
            count = x
        elif x.slot == "train_years" and count is not None and count.segment == x.segment:
            out.append({"apprentices": count.value, "years": x.value})
            count = None
    return out


@builder("apprenticeship_subsidy")
def _apprenticeship(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    if "学徒" not in q:
        return None
    simple = has(q, "简单", "保洁", "易学")
    apprentices = next((slots.get(k) for k in ("apprentices", "people", "trainees", "hires") if slots.get(k) is not None), None)
    years = slots.get("train_years")
    cohorts = _cohorts(slots)
    if not simple and apprentices is None and years is None:
        return None
    args: dict[str, Any] = {"provider": "经营性人力资源服务机构" if has(q, "人力资源") else "企业",
                            "apprentices": apprentices, "years": years}
    if len(cohorts) > 1:
        args.update(cohorts=cohorts, apprentices=None, years=None)
    if simple:
        args["simple_trade"] = not re.search(r"(不是|并非|非)[^，。]{0,4}(简单|易学)", q)
    if re.search(r"新招|招了|招用|新招用", q):
        args["apprentice_source"] = "技能岗位新招用人员"
    elif "转岗" in q:
        args["apprentice_source"] = "新转岗人员"
    elif re.search(r"职业院校|技工院校|校企合作|现代学徒制", q):
        args["apprentice_source"] = "职业院校现代学徒制/校企合作/单独招生学生"
    if re.search(r"(签|签订)[^，。]{0,8}合同[^，。]{0,6}(社保|社会保险)", q):
        args["contract_and_insurance"] = True
    return args
