"""Builder for the 人力资源服务业扶持 tool."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import WAGE, builder, has, months_of, quantity, value_of

_HR_ITEMS = [
    (r"创业项目库|入库|推介", "创业项目库建设补贴"),
    (r"创业担保贷款", "创业担保贷款（机构）"),
    (r"一次性创业补贴", "一次性创业补贴"),
    (r"培训基地|技能大师工作室", "项目建设补贴"),
    (r"就业见习|(?<!创业)见习补贴", "就业见习补贴"),
    (r"人才储备|储备[^，。]{0,8}(高校毕业生|毕业生|大学生)", "人才储备生活补贴"),
    (r"公益性岗位", "公益性岗位补贴"),
    (r"社会保险补贴|社保补贴", "社会保险补贴"),
    (r"创业服务补贴|创业指导", "创业服务补贴"),
    (r"劳动力资源", "劳动力资源调查统计补助"),
    (r"就业困难人员.{0,8}(推荐|援助)|援助补助", "就业困难人员援助补助"),
]




def _per_person_months(slots: Slots, verb: str) -> list[Any]:
    """"小刘储备了18个月，小陈已经储备了2.5年": one duration per person, each in its own clause segment."""
    out, seen = [], set()
    for x in slots.quantities:
        months = months_of(x)
        if months is None or x.relative or x.segment in seen or not re.search(verb, x.before):
            continue
        seen.add(x.segment)
        out.append(months)
    return out


@builder("hr_service_support")
def _hr_service(slots: Slots, q: str, rt: QuestionRoute) -> list[dict] | None:
    items = [item for pattern, item in _HR_ITEMS if re.search(pattern, q)]
    if re.search(r"孵化|创业园|入驻", q) and "人力资源" not in q:  # a base's own loans and 见习 are the incubator tool's
        items = [i for i in items if i not in ("创业担保贷款（机构）", "就业见习补贴")]
    if not items:
        return None
    out = []
    for item in items[:2]:
        args: dict[str, Any] = {"item": item}
        if has(q, "人力资源公司", "人力资源服务机构", "经营性", "人力资源服务公司", "人力资源机构", "人力资源企业", "人力资源服务企业"):
            args["operating_agency"] = True
        if item == "创业项目库建设补贴":
            rate = quantity(slots, ("%",), before=r"(成功率|成功的比例|推介成功)[^，。\d]{0,8}$")
            listed = re.search(r"(入库|征集)[^，。\d]{0,8}?(\d+)\s*个", q)
            rec = re.search(r"其中\s*(\d+)\s*个", q) or re.search(
                r"(\d+)\s*个[^，。\d]{0,10}(推介成功|复制|照着干|干起来|稳定经营)", q)
            args.update(listed_projects=listed.group(2) if listed else None, recommended_projects=rec.group(1) if rec else None,
                        prev_year_success_rate=value_of(rate))
        elif item == "创业担保贷款（机构）":
            if has(q, "个人", "我本人", "自己创业"):
                args["item"] = "创业担保贷款（个人）"
            if "小微" in q:
                args["small_micro"] = True
            staffs = [x.value for x in slots.quantities if x.slot in ("staff", "people")]
            args["new_hires"] = slots.get("hires") if slots.get("hires") is not None else _count_of(
                slots, q, r"^(符合|够|满足|持)", before=r"(新招用?|招用|新招了?|招了|新吸纳了?)$")
            if len(staffs) > 1:
                out.extend(dict(args, current_staff=n) for n in staffs)
                continue
            args["current_staff"] = staffs[0] if staffs else None
        elif item == "一次性创业补贴":
            if "离校" in q or "毕业" in q:
                args["founder_group"] = "离校2年内未就业高校毕业生" if _within_years(slots.get("years_since_graduation"), "离校2年内") else None
            elif "就业困难" in q:
                args["founder_group"] = "就业困难人员"
            if slots.get("years_operating") is not None:
                args["months_operating"] = slots.get("years_operating") * 12
            if has(q, "首次创办", "第一次创办", "创办了", "开了"):
                args["first_business"] = True
        elif item == "项目建设补贴":
            levels = [level for level in ("国家级高技能人才培训基地", "自治区级高技能人才培训基地", "国家级技能大师工作室", "自治区级技能大师工作室")
                      if level[:3].rstrip("级") in q and level[-5:] in q]
            if len(levels) > 1 and not ("培训基地" in q and "工作室" in q):
                # "自治区级的补多少？国家级的呢？": one run per level asked about
                out.extend(dict(args, project_level=level) for level in levels)
                continue
            if levels:
                args["project_level"] = levels[0]
        elif item == "劳动力资源调查统计补助":
            # first registrations (登记/补登 …人) and updates (更新完善 …人), each read in its own clause
            people = [(x, _segment_text(q, x)) for x in slots.quantities if x.unit in ("人", "名", "个", "人次")]
            first = [x.value for x, seg in people if re.search(r"(登记|补登|录入|采集)", seg) and not re.search(r"更新|完善", seg)]
            update = [x.value for x, seg in people if re.search(r"更新|完善", seg)]
            args.update(first_registrations=sum(first) if first else None, updated_person_years=sum(update) if update else None)
        elif item == "创业服务补贴":
            args["entities"] = _count_of(slots, q, _ENTITY, units=("个", "家", "户"))
        else:
            each = _per_person_months(slots, r"(储备|见习)[了]?[^，。\d]{0,2}$") if item in ("人才储备生活补贴", "就业见习补贴") else []
            if len(each) > 1:
                args["months_per_person"] = each
            else:
                args["persons"] = _persons(slots, q, item)
                args["months"] = slots.get("months_work") if slots.get("months_work") is not None else (each[0] if each else None)
            if item == "人才储备生活补贴" and re.search(r"高校毕业生|大学毕业生|大学生", q) and not re.search(
                    r"(不是|不算|并非)[^，。]{0,4}(高校毕业生|大学生)|不符合", q):
                args["hires_qualified"] = True
            wage = quantity(slots, ("元",), before=WAGE)
            if wage is not None:
                args["region1_min_wage" if "一类" in q or "自治区" in q or item == "就业见习补贴" else "city_min_wage"] = wage.value
        out.append(args)
    return out


# the noun a bare count ("5个", "两个") counts, read in the words right after it within its clause
_ENTITY = r"^[^，。？?；;]{0,12}?(实体|企业|公司|个体户|市场主体)"
_GRADUATE = r"^[^，。？?；;]{0,6}?(高校毕业生|大学毕业生|毕业生|大学生)"
_HELPED = r"^[^，。？?；;]{0,6}?(就业困难人员|困难人员|零就业)"


def _count_of(slots: Slots, q: str, after: str, units: tuple[str, ...] = ("人", "名", "个", "位"),
              before: str | None = None) -> Any:
    """The first count whose own words match: the noun right after it ("5个经工商注册的实体", "两个高校毕业生"), or the
    verb right before it ("新招了5个")."""
    for x in slots.quantities:
        if x.unit not in units or x.relative:
            continue
        tail = q[x.end:x.end + 16] if 0 <= x.end <= len(q) else x.after
        if before is not None and re.search(before, x.before):
            return x.value
        if before is None and re.search(after, tail):
            return x.value
    return None


def _persons(slots: Slots, q: str, item: str) -> Any:
    """How many people an item counts: said as such (8人, 招了3名), as those it helped (推荐就业了12个人) or as a bare
    count before the item's own noun (两个高校毕业生)."""
    for name in ("people", "hires"):
        if slots.get(name):
            return slots.get(name)
    if item == "就业困难人员援助补助":
        return slots.get("jobs") or _count_of(slots, q, _HELPED) or _count_of(
            slots, q, "", before=r"(推荐|介绍|安置)[^，。\d]{0,4}(就业|上岗)?了?$")
    if item in ("人才储备生活补贴", "就业见习补贴"):
        return _count_of(slots, q, _GRADUATE) or _count_of(slots, q, r"^[^，。？?；;]{0,4}?(见习人员|见习生|学生)")
    return None


def _segment_text(q: str, x: Any) -> str:
    """The clause segment a quantity stands in (its words decide what the number counts)."""
    from assistant.quantities import segments

    spans = segments(q)
    return q[spans[x.segment][0]:spans[x.segment][1]] if x.segment < len(spans) else x.before + x.after


def _within_years(value: Any, label: str) -> bool | None:
    """Whether a number of years falls within an enum label's bound (离校2年内): the bound is read from the label."""
    m = re.search(r"(\d+)\s*年内", label)
    if value is None or not m:
        return None
    return Decimal(str(value)) <= Decimal(m.group(1))
