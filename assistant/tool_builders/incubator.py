"""Builder for the 创业园/孵化基地 tool."""

from __future__ import annotations

import re

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import WAGE, builder, months_of, quantity, value_of

INCUBATOR_TYPES = {"工业物流": "工业物流类", "商贸": "商贸类", "文化创意": "文化创意类", "高新技术": "高新技术类", "家庭服务": "家庭服务类",
                    "电子商务": "电子商务类", "大学生创业": "大学生创业类", "农业种植": "农业种植类", "农业养殖": "农业养殖类"}


_INCUBATOR_MONEY = re.compile(r"以奖代补|奖补|拨付|怎么拨|分几次|分两年|每年拨|孵化补贴|带动就业补贴|扶持资金|奖励资金")


@builder("incubator_recognition")
def _incubator(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    """认定等级 (needs the base type and its facts) or 扶持资金 (以奖代补 schedule, subsidies: no type needed)."""
    base = INCUBATOR_TYPES.get(slots.get("incubator_type") or "")
    facts = [slots.get(k) for k in ("area_m2", "area_mu", "livestock", "tenants", "jobs")]
    money = bool(_INCUBATOR_MONEY.search(q))
    award = slots.get("amount") if money else None
    success = re.search(r"孵化成功[^，。\d]{0,4}(\d+)\s*户", q) or re.search(
        r"(孵化成功|搬离|搬走|搬出|迁出|出园)[^。？?；;\d]{0,14}?(\d+)\s*户", q)  # "孵化成功、注册登记并搬走了6户"
    awarded = next((int(x.value) for x in slots.quantities if x.slot == "calendar_year"
                    and re.search(r"^[^，。？?]{0,4}(拿|获得|领|批|得到|获)", x.after)), None) if "以奖代补" in q else None
    applying = next((int(x.value) for x in slots.quantities if x.slot == "calendar_year" and awarded is not None
                     and int(x.value) != awarded and re.search(r"(再|重复|又)[^，。？?]{0,4}(申请|申报|报)", x.after)), None)
    new_jobs = slots.get("jobs") if money and re.search(r"新增就业|带动就业补贴", q) else None
    if "贷款" in q and re.search(r"孵化|创业园|入驻", q) and "人力资源" not in q:
        # 第十五条: the loans for those based in a base; who applies is the last one named ("那要是以小微企业名义呢？")
        named = re.findall(r"小微企业|企业名义|个人|自己|本人", q)
        applicant = ("小微企业" if "企业" in named[-1] else "个人") if named else None
        return {"question": "创业担保贷款", "loan_applicant": applicant}
    if "见习" in q and "孵化" in q and re.search(r"创业见习|见习补贴|见习\+孵化", q):
        # 第十三条 创业见习补贴: months of internship, when the business started after it, the wage base the user gives
        from assistant.numbers import parse_number

        # the last statement wins: in a follow-up ("要是结束7个月后才注册呢？") it is the new one
        started = ([None] + list(re.finditer(r"(结束|结业|期满)后?[^，。\d]{0,3}(第)?\s*(\d+|[一二两三四五六七八九十]+)\s*个?月", q)))[-1]
        interns = slots.get("people")
        interned = quantity(slots, ("月", "年"), before=r"见习了?[^，。\d]{0,2}$")
        return {"question": "扶持资金", "interns": interns if interns is not None else 1,
                "intern_months": months_of(interned) if interned is not None else None,
                "months_to_startup": parse_number(started.group(3)) if started else None,
                "region1_min_wage": value_of(quantity(slots, ("元",), before=WAGE))}
    if money and (award is not None or success or new_jobs is not None or awarded is not None):
        return {"question": "扶持资金", "level": slots.get("incubator_level"), "award_amount": award,
                "incubated_success": success.group(success.lastindex) if success else None, "new_jobs": new_jobs,
                "last_award_year": awarded, "apply_year": applying}
    if base is None or not any(f is not None for f in facts):
        return None
    return {"question": "认定等级", "base_type": base, "area_sqm": slots.get("area_m2"), "area_mu": slots.get("area_mu"),
            "livestock": slots.get("livestock"), "entities": slots.get("tenants"), "employed": slots.get("jobs"),
            "target_level": slots.get("incubator_level")}  # "能认定市级示范吗": the level asked about
