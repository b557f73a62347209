"""Builders for the 岗位设置 tools: 初聘等级, 结构比例, 以退定补, 晋升与聘用条件."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots, rounded
from assistant.tool_builders.common import builder, count_after, duration, has, jurisdiction


@builder("initial_post_grade")
def _initial_post_grade(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    if not slots.get("education"):
        return None
    if not has(q, "初聘", "首次聘用", "首次岗位聘用", "聘几级", "几级岗位", "聘到几级", "聘岗", "岗位等级", "公开招聘", "刚入职", "新入职",
                "新参加工作", "试用期满") and not re.search(r"(首次|初次|第一次)[^，。]{0,4}聘[^，。]{0,8}几级", q):
        return None
    args: dict[str, Any] = {"degree": slots.get("education")}
    if slots.get("full_time") is not None:
        args["full_time"] = slots.get("full_time")
    if "公开招聘" in q:
        args["open_recruitment"] = True
    return args



_GRADE_GROUPS = [
    (r"正高|二至四级|二级、三级、四级|二、三、四级", "正高级"),
    (r"副高|五至七级|五级、六级、七级|五、六、七级", "副高级"),
    (r"八至十级|八级、九级、十级|八、九、十级|中级岗位", "中级"),
    (r"十一级|十二级|初级岗位", "初级"),
]



@builder("post_structure_quota")
def _post_quota(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    total = slots.get("posts_total")
    args: dict[str, Any] = {"jurisdiction": jurisdiction(slots)}
    unit_total = re.search(r"(?:单位)?岗位总量[是为有共]?\s*(\d+)\s*个?", q)
    if "定向评价" in q or "定向使用" in q:
        # "已经核准了80个定向…岗位，全区专技岗位865个": the directed posts already set, and the district total
        args["scope"] = "定向评价、定向使用高级岗位"
        existing = re.search(r"(\d+)\s*个[^，。,；;]{0,4}[“\"]?定向评价", q)
        args["directed_existing"] = existing.group(1) if existing else None
        numbers = [x.value for x in slots.quantities if x.unit in ("个", "岗位") and not (existing and x.start == existing.start(1))]
        args["total_posts"] = total if total is not None and (not existing or total != int(existing.group(1))) else (
            numbers[-1] if numbers else None)
        return args
    if unit_total and re.search(r"70%|最低比例|不低于", q) and re.search(r"专(业)?技(术)?", q):
        # "岗位总量200个，专技岗位按最低比例70%设": the unit's total, professional posts at the 70% floor
        args["unit_total_posts"] = unit_total.group(1)
        if has(q, "公益", "事业单位"):
            return args
    if total is None and "unit_total_posts" not in args:
        return None
    kind = f"{slots.get('posts_kind') or ''}"
    if "unit_total_posts" in args:
        pass
    elif "高级岗位" in kind and "正高" not in kind and has(q, "正高和副高", "正副高", "正高、副高", "正高与副高", "正、副高"):
        args.update(grade_group="高级（正高级+副高级）", group_count=total)
    else:
        for pattern, group in _GRADE_GROUPS:
            if re.search(pattern, kind):
                args.update(grade_group=group, group_count=total)
                break
        else:
            if "高级岗位" in kind:
                args.update(grade_group="高级（正高级+副高级）", group_count=total)
            else:
                args["total_posts"] = total
    if args.get("grade_group") == "初级":
        clerk = re.search(r"十三级[^，。,；;\d]{0,8}?(\d+)\s*个", q)
        if clerk:
            args["clerk_posts"] = clerk.group(1)
    if has(q, "人才相对集中", "知识技术密集", "高层次人才集中"):
        args["concentrated_unit"] = True
    return args


@builder("over_quota_replacement")
def _over_quota(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    if not (has(q, "超岗", "以退定补", "退一补一", "退二补一", "超编") or re.search(r"超(了|出|过)?(岗位)?(结构)?比例", q)):
        return None
    approved = re.search(r"(核定|备案|设置)[^，。\d]{0,8}?(\d+)\s*个", q)
    current = re.search(r"(现聘|现在聘|已聘|实际聘)[^，。\d]{0,8}?(\d+)\s*(人|个|名)", q)
    ratio = re.search(r"超(?:出|过|了)?(?:结构|岗位)?(?:比例)?(?:了)?\s*(\d+(?:\.\d+)?)\s*%", q)
    retire = re.search(r"(退休|调出|退出|低聘|离岗)[^，。\d]{0,4}?(\d+)\s*(人|个|名)", q) or re.search(
        r"(\d+)\s*(人|个|名)[^，。\d]{0,3}(退休|调出|退出)", q)
    args = {"approved_posts": approved.group(2) if approved else None, "current_staff": current.group(2) if current else None,
            "over_ratio_percent": ratio.group(1) if ratio else None,
            "retirements": (retire.group(2) if retire.group(1)[0] in "退调低离" else retire.group(1)) if retire else None}
    if "改革" in q:
        args["due_to_reform"] = True
    return args


# Still inside the new term after a demotion: 新聘期里 / 这个聘期内 / 聘期还没满 / 还在聘期中
_WITHIN_TERM = re.compile(r"(新|这个|本|现在的?)聘期(里|内|中|当中|期间|还没满|未满|没满|没到期)|聘期(还没满|未满|没满|没到期|内)|还在[^，。]{0,3}聘期")

# A question for the ceiling itself: 最多能有几个 / 最多几人 / 上限是多少 / 能设几个
_ASKS_CAP = re.compile(r"最多[^，。]{0,6}(几|多少)|上限|(能|可以)[^，。]{0,4}(有|设|聘|兼聘)[^，。]{0,2}(几|多少)")

_GRADE = r"([一二三四五六七八九十]+|\d+)\s*级"


def _affiliation(q: str) -> str | None:
    """市直属 / 市属各部门所属 / 区属: three jurisdictions where the filing rule tells them apart (市直 alone is either city one)."""
    if re.search(r"市直属|市政府直属", q):
        return "市直属事业单位"
    if re.search(r"(市直|市属)[^，。]{0,4}(部门|局|委|办)[^，。]{0,4}(所属|下属|管)|部门所属|局属|委属", q):
        return "市属各部门所属事业单位"
    if re.search(r"区属|区直|区里|各区|区下属|海勃湾区|海南区|乌达区", q):
        return "区属事业单位"
    return None




@builder("post_promotion_check")
def _promotion(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    from assistant.numbers import parse_number

    if "工勤" in q and has(q, "转聘", "转到专技", "专业技术岗", "专技岗"):
        args: dict[str, Any] = {"check": "工勤技能岗位转聘专业技术岗位", "age": slots.get("age"),
                                "retirement_age": slots.get("retirement_age"), "years_to_retirement": slots.get("years_to_retirement")}
        if re.search(r"(考下了?|取得了?|拿到了?|考取了?|有)[^，。]{0,4}专业技术资格", q):
            args["has_professional_qualification"] = True
        return args
    if "双肩挑" in q:
        args = {"check": "“双肩挑”兼聘专业技术岗位",
                "leadership_positions": count_after(q, r"领导职数"),
                "existing_dual_role": count_after(q, r"(?:已经有|已有|现有|已经)")}
        total = re.search(r"(一共|总共|共|合计|含拟兼聘[^，。\d]{0,6})\s*(\d+)\s*(个|名|人)[^，。]{0,2}[“\"]?双肩挑", q)
        if total:
            args["dual_role_count"] = total.group(2)
            args.pop("existing_dual_role")
        elif re.search(r"(还能|再)[^，。]{0,4}(兼聘|聘)[^，。]{0,3}(几|多少)", q) is None and args["existing_dual_role"] is not None:
            args["dual_role_count"] = args.pop("existing_dual_role")
        if (args["leadership_positions"] is not None and args.get("dual_role_count") is None
                and args.get("existing_dual_role") is None and _ASKS_CAP.search(q)):
            args["existing_dual_role"] = 0  # "领导职数5个，双肩挑最多能有几个": the cap itself, none appointed yet
        if re.search(r"(上级|组织)?任命[^，。]{0,8}领导|是[^，。]{0,10}(单位|院|馆|站)?领导(人员|班子成员)?", q):
            args["is_unit_leader"] = True
        elif re.search(r"(不是|并非)[^，。]{0,6}领导", q):
            args["is_unit_leader"] = False
        return args
    grades = slots.get("post_grades") or []
    if not grades:
        grades = [parse_number(g) for g in re.findall(_GRADE, q)]
        grades = [int(g) for g in grades if g is not None and 1 <= g <= 13]
    if "备案" in q and grades and has(q, "聘用", "聘", "招"):
        return {"check": "聘用前备案", "target_grade": grades[-1], "unit_affiliation": _affiliation(q)}
    if "特设岗位" in q and (grades or slots.get("years_work") is not None):
        return {"check": "特设岗位等级与聘期", "special_post_grade": grades[0] if grades else None,
                "jurisdiction": jurisdiction(slots), "term_years": slots.get("years_work")}
    if has(q, "晋升", "升到", "升级", "聘到", "竞聘") and grades:
        demoted = re.search(r"从\s*([一二三四五六七八九十]+|\d+)\s*级[^，。]{0,4}降(?:到|至|为)了?\s*([一二三四五六七八九十]+|\d+)\s*级", q)
        current = grades[0] if len(grades) > 1 else None
        years = None
        if slots.get("months_work") is not None:
            years = rounded(Decimal(slots.get("months_work")) / 12, "0.0001").normalize()
        args = {"check": "岗位等级晋升", "current_grade": current, "target_grade": grades[-1],
                "years_in_current_grade": years if years is not None else slots.get("years_work"),
                "current_title": slots.get("current_title")}
        if demoted:
            original, now = parse_number(demoted.group(1)), parse_number(demoted.group(2))
            args.update(current_grade=int(now), demoted_from_grade=int(original),
                        current_term_years=duration(slots, r"聘期"),
                        years_in_current_grade=duration(slots, r"(干满|干了|满|已经|工作了|聘了)[^，。]{0,3}$"))
            if _WITHIN_TERM.search(q):
                args["within_new_term"] = True
        return args
    return None
