"""Builders for the 职称 tools: the series a question names and the 申报路径 profile."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder, has

_GENERIC_SERIES = ("工程", "卫生", "会计", "经济", "统计", "审计", "教师", "中小学教师", "农牧业", "档案", "畜牧兽医", "医生", "护士", "老师",
                   "律师", "翻译", "新闻", "出版", "图书", "文博", "艺术", "体育", "水利", "林业", "药学")


@lru_cache(maxsize=1)
def series_terms() -> tuple[str, ...]:
    """Series (专业) names from the 送审经办机构 table plus the common series words, longest first."""
    from corpus.loader import load_corpus

    terms: set[str] = set(_GENERIC_SERIES)
    for table in load_corpus().tables:
        for row in table.rows:
            for part in re.split(r"[、，,]", row.get("系列（专业）", "")):
                part = re.sub(r"（.*?）|等$", "", part).strip()
                if 2 <= len(part) <= 10 and "属地" not in part:
                    terms.add(part)
    return tuple(sorted(terms, key=len, reverse=True))


def find_series(q: str, prefer_after: str | None = None) -> str | None:
    """The series a question is about (转评档案系列 -> 档案; 快递工程师 -> 快递工程)."""
    hits = [(q.find(t), t) for t in series_terms() if t in q]
    if not hits:
        return None
    if prefer_after:  # "从卫生系列转到工程岗": the series after the move
        pos = q.find(prefer_after)
        later = [h for h in hits if h[0] > pos >= 0]
        if later:
            return min(later)[1]
    return max(hits, key=lambda h: (len(h[1]), -h[0]))[1]


_CHANGE_SERIES = re.compile(r"转评|转系列|转到[^，。]{0,6}(岗|系列)|调到[^，。]{0,6}(岗|系列)|换系列|转岗")


def _asks_for_timetable(question: str) -> bool:
    from indexing.answer_type import asked_types

    return "date" in asked_types(question)


@builder("title_application_routes")
def _title_routes(slots: Slots, q: str, rt: QuestionRoute) -> list[dict] | dict | None:
    personal = any(slots.get(k) is not None for k in ("education", "years_work", "current_title", "months_in_new_post", "years_in_new_post"))
    if not personal and _asks_for_timetable(q):
        return None  # "中级职称申报几号截止" asks for the timetable, not whether this person may apply
    profile = personal or (slots.get("target_title") is not None and (slots.get("unit_type") or slots.get("workplace_level")))
    special = has(q, "破格", "转评", "转系列", "公务员", "军队转业", "军转", "涉农", "乡镇", "离退休", "退休人员")
    if not (profile or special) or not has(q, "职称", "评", "认定", "申报", "报中级", "报高级", "工程师", "助理"):
        return None
    years = slots.get("years_work")
    changing = bool(_CHANGE_SERIES.search(q))
    args: dict[str, Any] = {
        "target_title": slots.get("target_title"), "current_title": slots.get("current_title"),
        "education": slots.get("education"), "full_time": slots.get("full_time"),
        "years_professional_work": None if changing else years, "unit_type": slots.get("unit_type"),
        "series": find_series(q, prefer_after="转到" if "转到" in q else ("调到" if "调到" in q else None)),
    }
    if "破格" in q and args["target_title"] is None and not args["current_title"]:
        args["target_title"] = None
    if has(q, "公务员调", "从公务员", "公务员转", "参公人员调"):
        args["transferred_from"] = "公务员（含参照公务员法管理人员）"
        args["unit_type"] = None
    elif has(q, "军队转业", "军转", "转业干部"):
        args["transferred_from"] = "军队转业干部"
    if changing:
        args["changing_series"] = True
        months = slots.get("months_in_new_post")
        if months is None and slots.get("years_in_new_post") is not None:
            months = slots.get("years_in_new_post") * 12
        args["months_in_new_post"] = months
        if re.search(r"(转评了|已转评|已经转评|转评上了|取得了新)", q):
            args["transferred_title_obtained"] = True
    if has(q, "老师", "教师", "医生"):
        args["teacher_or_doctor"] = True
        if re.search(r"(没去过|没有去过|没在|从没)[^，。]{0,4}(乡镇|农村|基层|村)", q):
            args["rural_service_years"] = 0
    if has(q, "首次申报", "第一次申报", "第一次评", "首次评"):
        args["first_application"] = True
    focus = title_focus(q, args)
    if focus:
        args["_focus"] = focus
    levels = slots.get("workplace_levels") or []
    runs = []
    for level in (levels if len(levels) > 1 and has(q, "分别", "一个", "两个", "各自") else [slots.get("workplace_level")]):
        a = dict(args, workplace_level=level)
        if level in ("乡镇", "村（嘎查）") and years is not None and not changing:
            a["years_in_township"] = years
        if level in ("区", "乡镇", "村（嘎查）") and years is not None and not changing:
            a["years_in_district_or_below"] = years
        runs.append(a)
    return runs


# Special situations a question names, and the title routes (ids of `title_application_routes`) that answer it.
# When a question is about one of them, the answer leads with those routes and asks only for their missing facts:
# the other routes do not change the answer to what was asked. "*" matches an id prefix.
_FOCUS_RULES: list[tuple[str, list[str]]] = [
    ("series_same", ["series_change_same_level"]),
    ("series_higher", ["series_change_higher_level"]),
    ("transfer", ["civil_servant_transfer"]),
    ("exception", ["long_service_exception", "exceptional_*", "talent_programme_*", "green_channel*"]),
    ("urban_service", ["urban_township_service_advance"]),
]
_HIGHER = re.compile(r"高一级|高级|副高|正高")


def title_focus(q: str, args: dict[str, Any]) -> list[str]:
    """The routes a title question is about (empty: a general "what can I apply for" question)."""
    wanted: set[str] = set()
    if args.get("changing_series"):
        if args.get("transferred_title_obtained"):
            wanted.add("series_higher")  # 已转评同级: the question is the next level
        else:
            wanted.add("series_same")
            if _HIGHER.search(q):
                wanted.add("series_higher")
    if args.get("transferred_from"):
        wanted.add("transfer")
    if "破格" in q or "绿色通道" in q:
        wanted.add("exception")
    if re.search(r"(城区|市直|城里)[^，。]{0,12}(服务|支援|下乡|到乡镇|到村)", q) and "提前" in q:
        wanted.add("urban_service")
    return [rid for key, ids in _FOCUS_RULES if key in wanted for rid in ids]
