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
    if not (profile or special) or not has(q, "职称", "评", "认定", "申报", "报中级", "报高级", "报副高", "报正高", "工程师", "助理"):
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
    if has(q, "公务员调", "从公务员", "公务员转", "参公人员调") or _FORMER_CIVIL_SERVANT.search(q):
        args["transferred_from"] = "公务员（含参照公务员法管理人员）"
        args["unit_type"] = None
    elif has(q, "军队转业", "军转", "转业干部"):
        args["transferred_from"] = "军队转业干部"
    if changing:
        args["changing_series"] = True
        months = slots.get("months_in_new_post")
        if months is None and slots.get("years_in_new_post") is not None:
            months = slots.get("years_in_new_post") * 12
        if months is None and _one_duration(slots):
            # "调到图书馆搞图书资料工作十个月了，能转评吗": the only duration a 转评 question states is the time in the new post
            months = slots.get("months_work") if slots.get("months_work") is not None else slots.get("years_work") * 12
        args["months_in_new_post"] = months
        if re.search(r"(转评了|已转评|已经转评|转评上了|取得了新)", q):
            args["transferred_title_obtained"] = True
    if has(q, "老师", "教师", "医生"):
        args["teacher_or_doctor"] = True
        if re.search(r"(没去过|没有去过|没在|从没)[^，。]{0,4}(乡镇|农村|基层|村)", q):
            args["rural_service_years"] = 0
    if _USED_EXCEPTION.search(q):
        args["prior_exceptional_use"] = True  # 破格、绿色通道原则上只享受一次
    elif _NEVER_USED_EXCEPTION.search(q):
        args["prior_exceptional_use"] = False
    if has(q, "首次申报", "第一次申报", "第一次评", "首次评"):
        args["first_application"] = True
    awards = talent_awards(q)
    if awards:
        args["awards"] = awards
    _title_held_since(q, args)
    focus = title_focus(q, args)
    if focus:
        args["_focus"] = focus
    if "urban_township_service_advance" in focus and slots.get("workplace_level") is None and re.search(r"城区|城里", q):
        args["workplace_level_hint"] = "区"
    if "urban_township_service_advance" in focus and years is not None:
        # "取得现职称后累计在乡镇服务了两年半，能提前一年参评吗": the years stated are the years of service in townships
        args["urban_township_service_years"] = float(years)
        args["years_professional_work"] = None
        if args.get("teacher_or_doctor") and "rural_service_years" not in args:
            args["rural_service_years"] = float(years)  # the same service counts as 涉农镇办基层工作服务经历
    levels = slots.get("workplace_levels") or []
    runs = []
    own_level = slots.get("workplace_level") or args.pop("workplace_level_hint", None)
    args.pop("workplace_level_hint", None)
    if "urban_township_service_years" in args and own_level in ("乡镇", "村（嘎查）") and not _WORKS_IN_TOWNSHIP.search(q):
        own_level = None  # "在乡镇服务了两年半": the townships served, not the workplace (the route is for 城区 staff)
    for level in (levels if len(levels) > 1 and has(q, "分别", "一个", "两个", "各自") else [own_level]):
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
# Serving townships (not working there): 累计服务乡镇、在乡镇服务了、下乡服务、到村里服务 — the wording of 2023年通知四、（六）4.
_TOWNSHIP_SERVICE = re.compile(r"服务[^，。]{0,2}(乡镇|乡下|农村|村)|(乡镇|乡下|农村|村里?|基层)[^，。]{0,4}服务|下乡服务|支教|支医|支农")


# The awards, honours and talent programmes the 破格 / 绿色通道 clauses name, as people write them -> TalentAward values.
_LEVEL = r"(一|1|二|2|三|3)层次"
_AWARD_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"全国杰出专业技术人才"), "全国杰出专业技术人才"),
    (re.compile(r"国务院[^，。]{0,4}(特殊津贴|特贴|津贴)"), "享受国务院政府特殊津贴人员"),
    (re.compile(r"百千万人才"), "国家百千万人才工程人选"),
    (re.compile(r"国家(级)?有?突出贡献[^，。]{0,2}专家"), "国家突出贡献专家"),
    (re.compile(r"自治区杰出人才"), "自治区杰出人才奖获得者"),
    (re.compile(r"自治区(级)?有?突出贡献[^，。]{0,2}专家"), "自治区突出贡献专家"),
    (re.compile(r"草原英才[^，。]{0,6}引进|引进[^，。]{0,6}草原英才"), "自治区草原英才工程引进人选"),
    (re.compile(r"青年创新人才奖"), "自治区青年创新人才奖获得者"),
    (re.compile(r"国家级[^，。]{0,6}(科技|科学技术)[^，。]{0,6}奖|国家(科技进步|自然科学|技术发明)奖"), "科技成果国家级奖额定获奖人员"),
    (re.compile(r"(自治区|省部)级?[^，。]{0,8}(科技|科学技术)[^，。]{0,8}一等奖"), "科技成果自治区（省部）级一等奖额定获奖人员"),
    (re.compile(r"自治区级?[^，。]{0,8}(科技|科学技术)[^，。]{0,8}(二|三|2|3)等奖"), "自治区科技成果二、三等奖额定获奖人员"),
    (re.compile(r"(两|2|三|3|几)项[^，。]{0,10}行业一等奖|行业一等奖[^，。]{0,6}(两|2|三|3)项"),
     "自治区行业一等奖（含原盟市科技成果一等奖）两项以上额定获奖人员"),
]
_PROGRAMMES = [("321|新时代专业技术人员选拔培养", {"一": "自治区321人才工程（新时代专业技术人员选拔培养项目）一层次人选",
                                             "二": "自治区321人才工程（新时代专业技术人员选拔培养项目）二层次人选",
                                             "三": "新时代专业技术人员选拔培养项目三层次人选"}),
               ("草原英才[^。]{0,12}青年", {"一": "自治区草原英才工程青年创新创业人才培养计划一层次人选",
                                        "二": "自治区草原英才工程青年创新创业人才培养计划二层次人选"})]


def talent_awards(q: str) -> list[str]:
    """The 破格 / 绿色通道 awards and programmes a question says the person holds (the clause lists, as people write them)."""
    found = [value for pattern, value in _AWARD_WORDS if pattern.search(q)]
    for programme, levels in _PROGRAMMES:
        m = re.search(f"({programme})[^。，]{{0,16}}{_LEVEL}", q)
        if m:
            level = {"1": "一", "2": "二", "3": "三"}.get(m.group(m.lastindex), m.group(m.lastindex))
            if level in levels:
                found.append(levels[level])
    return list(dict.fromkeys(found))


# "取得中级以后 / 评上副高后 / 拿到中级职称之后": the title held now, named as the start of a period
_HELD_SINCE = re.compile(r"(取得|评上|拿到|获得|评了)了?\s*(\S{1,4}?)(职称)?(以后|之后|后)")


def _title_held_since(q: str, args: dict[str, Any]) -> None:
    """A title named as the start of a period ("评上中级后服务了4年") is the current title, not the one applied for."""
    from assistant.slots import lexicon_matches

    if args.get("current_title"):
        return
    m = _HELD_SINCE.search(q)
    if not m:
        return
    hits = [(pos, level) for pos, level, _word in lexicon_matches(q, "title_level") if m.start(2) <= pos < m.end(2)]
    if not hits:
        return
    held = hits[0][1]
    args["current_title"] = held
    if args.get("target_title") == held:
        later = [level for pos, level, _word in lexicon_matches(q, "title_level") if pos >= m.end()]
        args["target_title"] = later[0] if later and later[0] != held else None


# A title already obtained through 破格 / 绿色通道 ("靠破格评上了副高", "走绿色通道拿的中级", "破格评过一次")
_USED_EXCEPTION = re.compile(r"(靠|通过|走|用|按)[^，。]{0,3}(破格|绿色通道)[^，。]{0,6}(评上|取得|拿到|拿的|评的|评了|上的|评过|拿了|晋升)"
                             r"|(破格|绿色通道)[^，。]{0,3}(评上|取得|拿到|评)(过|了)|(破格|绿色通道)[^，。]{0,4}(用过|享受过|走过)"
                             r"|(用过|享受过|走过)[^，。]{0,3}(破格|绿色通道)")
_NEVER_USED_EXCEPTION = re.compile(r"(没|没有|从没|未|从未)[^，。]{0,2}(用过|享受过|走过|破格过)[^，。]{0,3}(破格|绿色通道)?")


# "原来是公务员，三年前调到事业单位" / "以前在机关当公务员，后来调进国企": moved from the civil service to a unit
_FORMER_CIVIL_SERVANT = re.compile(r"(原来|以前|之前|过去|曾经|原先|早先)[^，。]{0,4}(是|当|干|做)[^，。]{0,4}(公务员|参公)"
                                   r"[^。]{0,16}(调|转|安置|去|到|进)"
                                   r"|(公务员|参公)[^。]{0,12}(调|转|安置)(到|入|进|去)[^，。]{0,8}(单位|企业|公司|医院|学校|院|所|中心|站)")


_WORKS_IN_TOWNSHIP = re.compile(r"在(乡镇|村)[^，。]{0,6}(工作|上班|单位|卫生院|学校|站)|(乡镇|村)[^，。]{0,4}(事业单位|卫生院|学校|农技站)")


def _one_duration(slots: Slots) -> bool:
    """Whether the question states exactly one length of time (so it cannot be the time of another period)."""
    durations = [x for x in slots.quantities if x.unit in ("年", "月", "个月")]
    return len(durations) == 1 and (slots.get("months_work") is not None or slots.get("years_work") is not None)


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
    if "提前" in q and (re.search(r"(城区|市直|城里)[^，。]{0,12}(服务|支援|下乡|到乡镇|到村)", q) or _TOWNSHIP_SERVICE.search(q)):
        wanted.add("urban_service")
    return [rid for key, ids in _FOCUS_RULES if key in wanted for rid in ids]
