"""Builder for 政策匹配 ("我能享受哪些政策"): one profile for every tool."""

from __future__ import annotations

import re
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder, has
from assistant.tool_builders.incubator import INCUBATOR_TYPES

_POLICY_MATCH = re.compile(r"(能|可以|可|能够)(享受|申请|领|拿)(哪些|什么|啥)(政策|补贴|优惠|扶持|支持)|有(哪些|什么)(政策|补贴|优惠|扶持)(可以|能)?(享受|申请|用)|"
                           r"(哪些|什么)(政策|补贴|优惠)(能|可以)(享受|申请)|符合(哪些|什么)政策")
_SUBJECTS = [(r"人力资源(服务)?(公司|机构)|人力资源服务", "人力资源服务机构"), (r"创业园|孵化基地|孵化园|基地运营", "创业园运营机构"),
             (r"公司|企业|厂|我们单位|本单位", "企业")]


@builder("policy_match")
def _policy_match(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    """"我/我们单位能享受哪些政策？" with facts: the profile for `policy_match` (it runs every relevant tool itself)."""
    if not _POLICY_MATCH.search(q):
        return None
    subject = next((value for pattern, value in _SUBJECTS if re.search(pattern, q)), "个人")
    if subject == "企业" and slots.get("unit_type") == "事业单位":
        subject = "事业单位"
    years = slots.get("years_work")
    months = slots.get("months_work")
    args: dict[str, Any] = {
        "subject_type": subject, "age": slots.get("age"), "education": slots.get("education"), "full_time": slots.get("full_time"),
        "unit_type": slots.get("unit_type") if subject == "个人" else None, "workplace_level": slots.get("workplace_level"),
        "current_title": slots.get("current_title"), "target_title": slots.get("target_title"),
        "years_professional_work": years if subject == "个人" else None,
        "months_in_wuhai": months if months is not None else (years * 12 if years is not None and subject == "个人" else None),
        "staff": slots.get("staff"), "veteran_hires": slots.get("veterans") if subject != "个人" else None,
        "key_group_hires": slots.get("hires") if subject != "个人" and has(q, "建档立卡", "重点群体", "就业创业证") else None,
        "disabled_count": slots.get("disabled"), "land_tax_due": slots.get("tax_due"), "taxable_income": slots.get("taxable_income"),
        "monthly_sales": slots.get("monthly_sales"), "apprentices": slots.get("apprentices"), "apprentice_years": slots.get("train_years"),
        "training_hours": slots.get("hours"), "base_type": INCUBATOR_TYPES.get(slots.get("incubator_type") or ""),
        "area_sqm": slots.get("area_m2"), "area_mu": slots.get("area_mu"), "livestock": slots.get("livestock"),
        "entities": slots.get("tenants"), "employed": slots.get("jobs"), "total_posts": slots.get("posts_total"),
        "jurisdiction": slots.get("jurisdiction"),
    }
    if subject == "个人":
        if "退役士兵" in q:
            args["veteran"] = True
        if "随军家属" in q:
            args["military_spouse"] = True
        if has(q, "个体户", "个体工商户", "个体经营", "开店"):
            args["self_employed"] = True
        if has(q, "建档立卡", "就业创业证", "就业失业登记证"):
            args["key_group_member"] = True
    if re.search(r"(签|签订)[^，。]{0,8}合同[^，。]{0,6}(社保|社会保险)", q):
        args["apprentice_contract_and_insurance" if "学徒" in q else "hires_contract_and_insurance"] = True
    if "小微" in q:
        args["small_micro"] = True
    if "小规模纳税人" in q:
        args["small_scale_taxpayer"] = True
    if re.search(r"(认定|评上|是)[^，。]{0,4}高新技术企业", q):
        args["high_tech_certified"] = True
    if subject == "人力资源服务机构" and "经营性" in q:
        args["operating_agency"] = True
    return args
