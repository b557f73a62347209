"""From a routed question to tool calls: one builder per tool turns slots into arguments.

A builder returns None when the question does not give what the tool is about (then retrieval answers alone).
Arguments are adapted to the tool's input model as registered (`eligibility_tools.registry`): unknown fields
are dropped and enum values are matched to the allowed ones, so a tool's schema can grow without breaking
the assistant. A tool that rejects its arguments is skipped (logged), never shown to the user as an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from assistant.router import Route
from assistant.slots import Slots, rounded


@dataclass
class ToolCall:
    name: str
    arguments: dict[str, Any]
    primary: bool = True  # False: run for context (its citations rank lower)
    focus: list[str] = field(default_factory=list)  # title routes the question is about (see `title_focus`)


Builder = Callable[[Slots, str, Route], list[dict[str, Any]] | dict[str, Any] | None]
BUILDERS: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def wrap(func: Builder) -> Builder:
        BUILDERS[name] = func
        return func

    return wrap


def _num(value: Any) -> Any:
    """JSON-safe argument values: Decimals become int/float, also inside lists and objects (cohorts, per-person months)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_num(v) for v in value]
    if isinstance(value, dict):
        return {k: _num(v) for k, v in value.items()}
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value):  # a count read by a regex group
        value = Decimal(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _has(text: str, *words: str) -> bool:
    return any(w in text for w in words)


# --------------------------------------------------------------------------- builders

@builder("initial_post_grade")
def _initial_post_grade(slots: Slots, q: str, rt: Route) -> dict | None:
    if not slots.get("education"):
        return None
    if not _has(q, "初聘", "首次聘用", "首次岗位聘用", "聘几级", "几级岗位", "聘到几级", "聘岗", "岗位等级", "公开招聘", "刚入职", "新入职",
                "新参加工作", "试用期满") and not re.search(r"(首次|初次|第一次)[^，。]{0,4}聘[^，。]{0,8}几级", q):
        return None
    args: dict[str, Any] = {"degree": slots.get("education")}
    if slots.get("full_time") is not None:
        args["full_time"] = slots.get("full_time")
    if "公开招聘" in q:
        args["open_recruitment"] = True
    return args


_SCORE = r"(\d+(?:\.\d+)?)\s*分"


@builder("skills_contest_entry")
def _contest_entry(slots: Slots, q: str, rt: Route) -> dict | None:
    judge = _has(q, "裁判")
    if not judge and not _has(q, "报名", "参赛", "参加"):
        return None
    if not judge and slots.get("age") is None and slots.get("months_work") is None and slots.get("years_work") is None:
        return None
    args: dict[str, Any] = {"role": "裁判员" if judge else "参赛选手", "age": slots.get("age")}
    if not judge:
        months = slots.get("months_work")
        if months is None and slots.get("years_work") is not None:
            months = slots.get("years_work") * 12
        args["months_in_wuhai"] = months
        if re.search(r"(拿过|获得过|得过|获过)[^，。]{0,8}(一等奖|金奖)", q):
            args["prior_award"] = "金奖（全市技能大赛）" if "金奖" in q else "一等奖"
        elif re.search(r"(没拿过|没获得过|没得过|从没)[^，。]{0,8}(一等奖|金奖)", q):
            args["prior_award"] = "未获得过一等奖或金奖"
        if re.search(r"(还没|没|未|不到)[^，。]{0,2}(到|达到)?[^，。]{0,2}(法定)?退休年龄|没退休|还没退休", q):
            args["reached_retirement_age"] = False
        elif re.search(r"已经?退休|退休了|已到(法定)?退休年龄|到了退休年龄", q):
            args["reached_retirement_age"] = True
    else:
        args["title_level"] = slots.get("current_title") or slots.get("target_title")
        for level in ("高级技师", "技师", "高级工", "中级工", "初级工"):  # longest first: 高级技师 is not 技师
            if level in q:
                args["skill_level"] = next(v for v in _SKILL_LEVELS if v.startswith(level))
                break
        if re.search(r"(没有|没|无|缺乏)[^，。]{0,2}(执裁|裁判)经验", q):
            args["has_judging_experience"] = False
        elif re.search(r"(有|具有|具备)[^，。]{0,4}(执裁|裁判)经验|(当|做|担任)过[^，。]{0,4}裁判|执裁过", q):
            args["has_judging_experience"] = True
    return args


_SKILL_LEVELS = ("初级工（五级）", "中级工（四级）", "高级工（三级）", "技师（二级）", "高级技师（一级）")


_TEAM = re.compile(r"团体|总分|计分|积分|得几分|多少分")
_PRIZE_SUM = re.compile(r"奖金|多少钱|技术能手")
_AWARD_RANK = {"金奖": 1, "一等奖": 1, "银奖": 2, "二等奖": 2, "铜奖": 3, "三等奖": 3}
_TITLE_ASKED = re.compile(r"技术能手[^，。]{0,8}(吗|不|没|能不能|可不可以|行不行|算不算)|(能|可以|会)[^，。]{0,6}(给|评|授予|当|算)[^，。]{0,8}技术能手")


def _is_team_question(slots: Slots, q: str) -> bool:
    medals = slots.get("medals") or {}
    return bool(medals) and (bool(_TEAM.search(q)) or (len(medals) > 1 and not _PRIZE_SUM.search(q)))


def _is_prize_sum_question(slots: Slots, q: str) -> bool:
    """"拿了两个银奖、三个铜奖，奖金一共多少？能评几个技术能手？": several awards, money or titles added up."""
    medals = {k: v for k, v in (slots.get("medals") or {}).items() if k in ("gold", "silver", "bronze")}
    return bool(medals) and (sum(medals.values()) > 1 or len(medals) > 1) and bool(_PRIZE_SUM.search(q))


@builder("team_score")
def _team_score(slots: Slots, q: str, rt: Route) -> dict | None:
    """第十九条 区团体总分: counts of 金/银/铜/优胜/参赛 projects."""
    if not _is_team_question(slots, q):
        return None
    medals = slots.get("medals") or {}
    return {key: medals.get(key, 0) for key in ("gold", "silver", "bronze", "merit", "participation")}


def _employee(q: str) -> bool | None:
    if re.search(r"在校|学生|院校的?选手", q) and not re.search(r"(不是|并非|非)[^，。]{0,3}(在校|学生)", q):
        return False
    if _has(q, "职工", "工人", "员工", "在职"):
        return True
    return None


@builder("skills_contest_award")
def _contest_award(slots: Slots, q: str, rt: Route) -> dict | None:
    """第十八条: the award and prize of a rank, the 优胜奖 range, several awards added up, or the 技术能手 title."""
    if _is_team_question(slots, q) and not _is_prize_sum_question(slots, q):
        return None
    kind = slots.get("contest_kind")
    if _is_prize_sum_question(slots, q):
        medals = slots.get("medals") or {}
        return {"contest_type": kind or "全市技能大赛", "mode": "奖金与称号合计", "gold": medals.get("gold", 0),
                "silver": medals.get("silver", 0), "bronze": medals.get("bronze", 0),
                "student_winners": slots.get("student_awards") if slots.get("student_awards") is not None else (
                    0 if re.search(r"都是[^，。]{0,4}职工|全是[^，。]{0,4}职工", q) else None)}
    rank = slots.get("rank")
    award = slots.get("award")
    if rank is None and award in _AWARD_RANK:
        rank = _AWARD_RANK[award]
    participants = slots.get("participants")
    if rank is not None and slots.get("rank") is None and re.search(r"(拿过|获得过|得过|获过)", q):
        rank = None  # "往届拿过金奖还能报名吗": a past award is a fact for the entry rule, not the question
    if rank is None and participants is None:
        return None
    if kind is None:
        # 金/银/铜奖 are the 全市技能大赛's award names (一、二、三等奖 belong to the 行业赛: which one is unknown);
        # 优胜奖 by participants is the same rule for every contest, stated first for the 全市技能大赛.
        if award in ("一等奖", "二等奖", "三等奖"):
            return None
        kind = "全市技能大赛"
    mode = "技术能手称号" if _TITLE_ASKED.search(q) and rank is not None else "个人奖项"
    args: dict[str, Any] = {"contest_type": kind, "mode": mode, "rank": rank, "participants": participants,
                            "is_employee": _employee(q)}
    if _has(q, "双人", "团队赛", "组队"):
        args["contest_format"] = "双人及以上赛"
    elif _has(q, "单人"):
        args["contest_format"] = "单人赛"
    return args


@builder("skills_contest_total_score")
def _contest_total(slots: Slots, q: str, rt: Route) -> dict | None:
    practical = re.search(r"(操作|实操|技能操作)[^，。\d]{0,6}" + _SCORE, q)
    if not practical:
        return None
    theory = re.search(r"理论[^，。\d]{0,6}" + _SCORE, q)
    weight = re.search(r"(操作|实操)[^，。\d]{0,6}(权重|占)[^，。\d]{0,4}(\d+(?:\.\d+)?)\s*%", q)
    args = {"practical_score": practical.group(2), "theory_score": theory.group(1) if theory else None,
            "practical_weight": weight.group(3) if weight else None}
    if re.search(r"(没有|没|不|未)[^，。]{0,3}单独(设置|设|考)[^，。]{0,4}理论|理论[^，。]{0,4}融入", q):
        args["separate_theory"] = False
    elif re.search(r"单独(设置|设|考)了?[^，。]{0,4}理论", q):
        args["separate_theory"] = True
    return args


def _quantity(slots: Slots, units: tuple[str, ...], before: str | None = None, after: str | None = None,
              relative: str | None = None) -> Any:
    """The first stated quantity in `units` whose own clause words match (words before it, words after it)."""
    for x in slots.quantities:
        if x.unit not in units or (x.relative or None) != relative:
            continue
        if before is not None and not re.search(before, x.before):
            continue
        if after is not None and not re.search(after, x.after):
            continue
        return x
    return None


def _value(x: Any) -> Any:
    return None if x is None else x.value


_NOT_IN_CATALOG = re.compile(r"(不在|没列入|未列入|没有列入|不属于|没在)[^，。]{0,6}(重点产业|目录)|目录(以)?外")
_HOURLY = r"(课时补贴(标准)?|每课时|每个课时|每小时)[^，。\d]{0,6}$"


def _brand_matches(q: str) -> bool | None:
    """Whether the training is the brand institution's certified specialty (the uplift applies only to it)."""
    if re.search(r"认定的(是|只有|只是)[^，。]{1,12}专业|不是[^，。]{0,4}(被)?认定的?专业|非认定专业", q):
        return False
    if re.search(r"(被|所)?认定的(那个|这个)?专业[^，。]{0,4}(开班|培训|开的)|给[^，。]{0,4}认定的[^，。]{0,6}专业|就是认定的?专业", q):
        return True
    return None


@builder("training_subsidy")
def _training(slots: Slots, q: str, rt: Route) -> dict | None:
    appraisal = "鉴定" in q
    over = _quantity(slots, ("课时",), relative="more")
    base_given = _quantity(slots, ("元",), before=r"基础补贴[是为按]?[^，。\d]{0,3}$")
    if not appraisal and slots.get("hours") is None and over is None and base_given is None:
        return None
    args: dict[str, Any] = {"subsidy_type": "职业技能鉴定补贴" if appraisal else "职业培训补贴"}
    basic = _quantity(slots, ("课时",), before=r"基本(培训)?课时[^，。\d]{0,4}$")
    actual = [x for x in slots.quantities if x.unit == "课时" and not x.relative and x is not basic]
    args["hours"] = actual[0].value if actual else None
    args["basic_hours"] = _value(basic)
    args["hours_over_basic"] = _value(over)
    args["hourly_rate"] = _value(_quantity(slots, ("元",), before=_HOURLY) or _quantity(slots, ("元",), after=r"^/?(每)?(个)?课时"))
    args["base_subsidy"] = _value(_quantity(slots, ("元",), before=r"基准(培训)?补贴[^，。\d]{0,4}$"))
    args["base_per_person"] = _value(base_given)
    if "知名品牌" in q:
        args["brand"] = "知名品牌"
    elif "特色品牌" in q:
        args["brand"] = "特色品牌"
    if args.get("brand"):
        args["brand_specialty_matches"] = _brand_matches(q)
    if re.search(r"重点产业|需求目录|目录(以)?外|目录里|目录内", q):
        args["in_key_industry_catalog"] = not _NOT_IN_CATALOG.search(q)
    if appraisal and _has(q, "第一次", "初次", "首次"):
        args["first_time_pass"] = True
    if appraisal:
        if re.search(r"证书[^，。]{0,6}(还没|还得|尚未|没有|没)[^，。]{0,6}(发|下来|拿到|领)|(还没|尚未)(拿到|领到|取得)[^，。]{0,4}证", q):
            args["certificate"] = "已通过鉴定、证书尚未发放"
        else:
            for cert in ("职业资格证书", "职业技能等级证书", "专项职业能力证书"):
                if re.search(r"(取得|拿到|领到|考到|获得)了?[^，。]{0,6}" + cert, q):
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
def _apprenticeship(slots: Slots, q: str, rt: Route) -> dict | None:
    if "学徒" not in q:
        return None
    simple = _has(q, "简单", "保洁", "易学")
    apprentices = slots.get("apprentices") if slots.get("apprentices") is not None else slots.get("people")
    years = slots.get("train_years")
    cohorts = _cohorts(slots)
    if not simple and apprentices is None and years is None:
        return None
    args: dict[str, Any] = {"provider": "经营性人力资源服务机构" if _has(q, "人力资源") else "企业",
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
def _title_routes(slots: Slots, q: str, rt: Route) -> list[dict] | dict | None:
    personal = any(slots.get(k) is not None for k in ("education", "years_work", "current_title", "months_in_new_post", "years_in_new_post"))
    if not personal and _asks_for_timetable(q):
        return None  # "中级职称申报几号截止" asks for the timetable, not whether this person may apply
    profile = personal or (slots.get("target_title") is not None and (slots.get("unit_type") or slots.get("workplace_level")))
    special = _has(q, "破格", "转评", "转系列", "公务员", "军队转业", "军转", "涉农", "乡镇", "离退休", "退休人员")
    if not (profile or special) or not _has(q, "职称", "评", "认定", "申报", "报中级", "报高级", "工程师", "助理"):
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
    if _has(q, "公务员调", "从公务员", "公务员转", "参公人员调"):
        args["transferred_from"] = "公务员（含参照公务员法管理人员）"
        args["unit_type"] = None
    elif _has(q, "军队转业", "军转", "转业干部"):
        args["transferred_from"] = "军队转业干部"
    if changing:
        args["changing_series"] = True
        months = slots.get("months_in_new_post")
        if months is None and slots.get("years_in_new_post") is not None:
            months = slots.get("years_in_new_post") * 12
        args["months_in_new_post"] = months
        if re.search(r"(转评了|已转评|已经转评|转评上了|取得了新)", q):
            args["transferred_title_obtained"] = True
    if _has(q, "老师", "教师", "医生"):
        args["teacher_or_doctor"] = True
        if re.search(r"(没去过|没有去过|没在|从没)[^，。]{0,4}(乡镇|农村|基层|村)", q):
            args["rural_service_years"] = 0
    if _has(q, "首次申报", "第一次申报", "第一次评", "首次评"):
        args["first_application"] = True
    focus = title_focus(q, args)
    if focus:
        args["_focus"] = focus
    levels = slots.get("workplace_levels") or []
    runs = []
    for level in (levels if len(levels) > 1 and _has(q, "分别", "一个", "两个", "各自") else [slots.get("workplace_level")]):
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


_GRADE_GROUPS = [
    (r"正高|二至四级|二级、三级、四级|二、三、四级", "正高级"),
    (r"副高|五至七级|五级、六级、七级|五、六、七级", "副高级"),
    (r"八至十级|八级、九级、十级|八、九、十级|中级岗位", "中级"),
    (r"十一级|十二级|初级岗位", "初级"),
]


def _count_after(q: str, pattern: str) -> int | None:
    """The first count ("N个/名/人") within a few characters after a cue, in the same clause."""
    from assistant.numbers import parse_number

    m = re.search(pattern + r"[^，。,；;？?\d]{0,10}?(\d+)\s*(?:个|名|人|位)?", q)
    n = parse_number(m.group(1)) if m else None
    return int(n) if n is not None else None


def _jurisdiction(slots: Slots) -> str | None:
    """市本级 or 区: the jurisdiction words, else the workplace level (区属/区直/区里/乡镇 are 区, 市直 is 市本级)."""
    jur = slots.get("jurisdiction")
    if jur:
        return jur
    level = slots.get("workplace_level")
    return {"市直": "市本级", "区": "区", "乡镇": "区", "村（嘎查）": "区"}.get(level or "")


@builder("post_structure_quota")
def _post_quota(slots: Slots, q: str, rt: Route) -> dict | None:
    total = slots.get("posts_total")
    args: dict[str, Any] = {"jurisdiction": _jurisdiction(slots)}
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
        if _has(q, "公益", "事业单位"):
            return args
    if total is None and "unit_total_posts" not in args:
        return None
    kind = f"{slots.get('posts_kind') or ''}"
    if "unit_total_posts" in args:
        pass
    elif "高级岗位" in kind and "正高" not in kind and _has(q, "正高和副高", "正副高", "正高、副高", "正高与副高", "正、副高"):
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
    if _has(q, "人才相对集中", "知识技术密集", "高层次人才集中"):
        args["concentrated_unit"] = True
    return args


@builder("over_quota_replacement")
def _over_quota(slots: Slots, q: str, rt: Route) -> dict | None:
    if not _has(q, "超比例", "超岗", "超结构比例", "以退定补", "退一补一", "退二补一", "超编"):
        return None
    approved = re.search(r"(核定|备案|设置)[^，。\d]{0,8}?(\d+)\s*个", q)
    current = re.search(r"(现聘|现在聘|已聘|实际聘)[^，。\d]{0,8}?(\d+)\s*(人|个|名)", q)
    ratio = re.search(r"超(?:出|过)?(?:比例)?\s*(\d+(?:\.\d+)?)\s*%", q)
    retire = re.search(r"(退休|调出|退出|低聘|离岗)[^，。\d]{0,4}?(\d+)\s*(人|个|名)", q) or re.search(
        r"(\d+)\s*(人|个|名)[^，。\d]{0,3}(退休|调出|退出)", q)
    args = {"approved_posts": approved.group(2) if approved else None, "current_staff": current.group(2) if current else None,
            "over_ratio_percent": ratio.group(1) if ratio else None,
            "retirements": (retire.group(2) if retire.group(1)[0] in "退调低离" else retire.group(1)) if retire else None}
    if "改革" in q:
        args["due_to_reform"] = True
    return args


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


def _months_of(q: Any) -> Decimal | None:
    return q.value * {"年": 12, "月": 1}.get(q.unit, 0) if q.unit in ("年", "月") else None


def _duration(slots: Slots, before: str) -> Decimal | None:
    """Years of the first duration whose own clause words match `before` ("新的聘期3年", "现在干满2年了")."""
    for x in slots.quantities:
        months = _months_of(x)
        if months is not None and not x.relative and re.search(before, x.before):
            return rounded(months / 12, "0.0001").normalize()
    return None


@builder("post_promotion_check")
def _promotion(slots: Slots, q: str, rt: Route) -> dict | None:
    from assistant.numbers import parse_number

    if "工勤" in q and _has(q, "转聘", "转到专技", "专业技术岗", "专技岗"):
        args: dict[str, Any] = {"check": "工勤技能岗位转聘专业技术岗位", "age": slots.get("age"),
                                "retirement_age": slots.get("retirement_age"), "years_to_retirement": slots.get("years_to_retirement")}
        if re.search(r"(考下了?|取得了?|拿到了?|考取了?|有)[^，。]{0,4}专业技术资格", q):
            args["has_professional_qualification"] = True
        return args
    if "双肩挑" in q:
        args = {"check": "“双肩挑”兼聘专业技术岗位",
                "leadership_positions": _count_after(q, r"领导职数"),
                "existing_dual_role": _count_after(q, r"(?:已经有|已有|现有|已经)")}
        total = re.search(r"(一共|总共|共|合计|含拟兼聘[^，。\d]{0,6})\s*(\d+)\s*(个|名|人)[^，。]{0,2}[“\"]?双肩挑", q)
        if total:
            args["dual_role_count"] = total.group(2)
            args.pop("existing_dual_role")
        elif re.search(r"(还能|再)[^，。]{0,4}(兼聘|聘)[^，。]{0,3}(几|多少)", q) is None and args["existing_dual_role"] is not None:
            args["dual_role_count"] = args.pop("existing_dual_role")
        if re.search(r"(上级|组织)?任命[^，。]{0,8}领导|是[^，。]{0,10}(单位|院|馆|站)?领导(人员|班子成员)?", q):
            args["is_unit_leader"] = True
        elif re.search(r"(不是|并非)[^，。]{0,6}领导", q):
            args["is_unit_leader"] = False
        return args
    grades = slots.get("post_grades") or []
    if not grades:
        grades = [parse_number(g) for g in re.findall(_GRADE, q)]
        grades = [int(g) for g in grades if g is not None and 1 <= g <= 13]
    if "备案" in q and grades and _has(q, "聘用", "聘", "招"):
        return {"check": "聘用前备案", "target_grade": grades[-1], "unit_affiliation": _affiliation(q)}
    if "特设岗位" in q and (grades or slots.get("years_work") is not None):
        return {"check": "特设岗位等级与聘期", "special_post_grade": grades[0] if grades else None,
                "jurisdiction": _jurisdiction(slots), "term_years": slots.get("years_work")}
    if _has(q, "晋升", "升到", "升级", "聘到", "竞聘") and grades:
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
                        current_term_years=_duration(slots, r"聘期"),
                        years_in_current_grade=_duration(slots, r"(干满|干了|满|已经|工作了|聘了)[^，。]{0,3}$"))
        return args
    return None


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


_WAGE = r"(最低工资(标准)?|最低工资标准)[^，。\d]{0,6}$"


def _per_person_months(slots: Slots, verb: str) -> list[Any]:
    """"小刘储备了18个月，小陈已经储备了2.5年": one duration per person, each in its own clause segment."""
    out, seen = [], set()
    for x in slots.quantities:
        months = _months_of(x)
        if months is None or x.relative or x.segment in seen or not re.search(verb, x.before):
            continue
        seen.add(x.segment)
        out.append(months)
    return out


@builder("hr_service_support")
def _hr_service(slots: Slots, q: str, rt: Route) -> list[dict] | None:
    items = [item for pattern, item in _HR_ITEMS if re.search(pattern, q)]
    if re.search(r"孵化|创业园|入驻", q) and "人力资源" not in q:  # a base's own loans and 见习 are the incubator tool's
        items = [i for i in items if i not in ("创业担保贷款（机构）", "就业见习补贴")]
    if not items:
        return None
    out = []
    for item in items[:2]:
        args: dict[str, Any] = {"item": item}
        if _has(q, "人力资源公司", "人力资源服务机构", "经营性", "人力资源服务公司"):
            args["operating_agency"] = True
        if item == "创业项目库建设补贴":
            rate = _quantity(slots, ("%",), before=r"(成功率|成功的比例|推介成功)[^，。\d]{0,8}$")
            listed = re.search(r"(入库|征集)[^，。\d]{0,8}?(\d+)\s*个", q)
            rec = re.search(r"其中\s*(\d+)\s*个", q) or re.search(
                r"(\d+)\s*个[^，。\d]{0,10}(推介成功|复制|照着干|干起来|稳定经营)", q)
            args.update(listed_projects=listed.group(2) if listed else None, recommended_projects=rec.group(1) if rec else None,
                        prev_year_success_rate=_value(rate))
        elif item == "创业担保贷款（机构）":
            if _has(q, "个人", "我本人", "自己创业"):
                args["item"] = "创业担保贷款（个人）"
            if "小微" in q:
                args["small_micro"] = True
            staffs = [x.value for x in slots.quantities if x.slot in ("staff", "people")]
            args["new_hires"] = slots.get("hires")
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
            if _has(q, "首次创办", "第一次创办", "创办了", "开了"):
                args["first_business"] = True
        elif item == "项目建设补贴":
            for level in ("国家级高技能人才培训基地", "自治区级高技能人才培训基地", "国家级技能大师工作室", "自治区级技能大师工作室"):
                head, tail = level[:3].rstrip("级"), level[-5:]
                if head in q and tail in q:
                    args["project_level"] = level
                    break
        elif item == "劳动力资源调查统计补助":
            # first registrations (登记/补登 …人) and updates (更新完善 …人), each read in its own clause
            people = [(x, _segment_text(q, x)) for x in slots.quantities if x.unit in ("人", "名", "个", "人次")]
            first = [x.value for x, seg in people if re.search(r"(登记|补登|录入|采集)", seg) and not re.search(r"更新|完善", seg)]
            update = [x.value for x, seg in people if re.search(r"更新|完善", seg)]
            args.update(first_registrations=sum(first) if first else None, updated_person_years=sum(update) if update else None)
        else:
            each = _per_person_months(slots, r"(储备|见习)[了]?[^，。\d]{0,2}$") if item in ("人才储备生活补贴", "就业见习补贴") else []
            if len(each) > 1:
                args["months_per_person"] = each
            else:
                args["persons"] = slots.get("people") or slots.get("hires")
                args["months"] = slots.get("months_work")
            wage = _quantity(slots, ("元",), before=_WAGE)
            if wage is not None:
                args["region1_min_wage" if "一类" in q or "自治区" in q or item == "就业见习补贴" else "city_min_wage"] = wage.value
        out.append(args)
    return out


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


_INCUBATOR_TYPES = {"工业物流": "工业物流类", "商贸": "商贸类", "文化创意": "文化创意类", "高新技术": "高新技术类", "家庭服务": "家庭服务类",
                    "电子商务": "电子商务类", "大学生创业": "大学生创业类", "农业种植": "农业种植类", "农业养殖": "农业养殖类"}


_INCUBATOR_MONEY = re.compile(r"以奖代补|奖补|拨付|怎么拨|分几次|分两年|每年拨|孵化补贴|带动就业补贴|扶持资金|奖励资金")


@builder("incubator_recognition")
def _incubator(slots: Slots, q: str, rt: Route) -> dict | None:
    """认定等级 (needs the base type and its facts) or 扶持资金 (以奖代补 schedule, subsidies: no type needed)."""
    base = _INCUBATOR_TYPES.get(slots.get("incubator_type") or "")
    facts = [slots.get(k) for k in ("area_m2", "area_mu", "livestock", "tenants", "jobs")]
    money = bool(_INCUBATOR_MONEY.search(q))
    award = slots.get("amount") if money else None
    success = re.search(r"孵化成功[^，。\d]{0,4}(\d+)\s*户", q)
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
        interned = _quantity(slots, ("月", "年"), before=r"见习了?[^，。\d]{0,2}$")
        return {"question": "扶持资金", "interns": interns if interns is not None else 1,
                "intern_months": _months_of(interned) if interned is not None else None,
                "months_to_startup": parse_number(started.group(3)) if started else None,
                "region1_min_wage": _value(_quantity(slots, ("元",), before=_WAGE))}
    if money and (award is not None or success or new_jobs is not None):
        return {"question": "扶持资金", "level": slots.get("incubator_level"), "award_amount": award,
                "incubated_success": success.group(1) if success else None, "new_jobs": new_jobs}
    if base is None or not any(f is not None for f in facts):
        return None
    return {"question": "认定等级", "base_type": base, "area_sqm": slots.get("area_m2"), "area_mu": slots.get("area_mu"),
            "livestock": slots.get("livestock"), "entities": slots.get("tenants"), "employed": slots.get("jobs")}


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
def _tax(slots: Slots, q: str, rt: Route) -> list[dict] | dict | None:
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
        tax = _quantity(slots, ("元",), before=r"(应缴|应纳|税)[^，。\d]{0,12}$")
        args["tax_payable"] = _value(tax)
        if registered is not None and args["tax_year"] is not None:
            args["operating_year"] = args["tax_year"] - registered + 1
    elif benefit == "安置残疾人就业减征城镇土地使用税":
        disabled = slots.get("disabled")
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
        args.update(taxable_income=slots.get("taxable_income") or _value(_quantity(slots, ("元",), before=r"所得额[^，。\d]{0,6}$")),
                    employees=slots.get("staff"))
        if re.search(r"(是|属于|符合)[^，。]{0,4}小型微利企业(条件)?|小型微利企业(，|,)?[^，。]{0,2}(年度|20)", q) or \
                re.search(r"我们(是)?小型微利企业", q):
            args["small_micro_confirmed"] = True
    elif benefit == "小规模纳税人免征增值税":
        args.update(small_scale_taxpayer=True if "小规模纳税人" in q else None, monthly_sales=slots.get("monthly_sales"))
    elif benefit == "高新技术企业减按15%税率":
        if re.search(r"(认定|评上|是)[^，。]{0,4}高新技术企业", q):
            args["high_tech_certified"] = True
        args["taxable_income"] = slots.get("taxable_income") or _value(_quantity(slots, ("元",), before=r"所得额[^，。\d]{0,6}$"))
    return args


_AFFILIATION = [("非公有制经济组织", "民营企业、社会团体等非公有制经济组织"), ("社会组织", "民营企业、社会团体等非公有制经济组织"),
                ("自由职业", "自由职业者")]


@builder("submission_office_lookup")
def _office(slots: Slots, q: str, rt: Route) -> dict | None:
    if not re.search(r"送审|经办|联系人|找谁|交到哪|哪个单位收|归哪|谁收|送到哪|电话|交给谁|哪里交|哪儿交|渠道", q):
        return None
    args: dict[str, Any] = {"series": find_series(q), "district": slots.get("district")}
    unit = slots.get("unit_type")
    for key, value in _AFFILIATION:
        if unit == key:
            args["affiliation"] = value
    if "affiliation" not in args:
        level = slots.get("workplace_level")
        if level == "市直":
            args["affiliation"] = "市直单位"
        elif level in ("区", "乡镇", "村（嘎查）") or slots.get("district"):
            args["affiliation"] = "区属单位"
    if args["series"] is None and args.get("district") is None and args.get("affiliation") is None:
        return None
    return args


_POLICY_MATCH = re.compile(r"(能|可以|可|能够)(享受|申请|领|拿)(哪些|什么|啥)(政策|补贴|优惠|扶持|支持)|有(哪些|什么)(政策|补贴|优惠|扶持)(可以|能)?(享受|申请|用)|"
                           r"(哪些|什么)(政策|补贴|优惠)(能|可以)(享受|申请)|符合(哪些|什么)政策")
_SUBJECTS = [(r"人力资源(服务)?(公司|机构)|人力资源服务", "人力资源服务机构"), (r"创业园|孵化基地|孵化园|基地运营", "创业园运营机构"),
             (r"公司|企业|厂|我们单位|本单位", "企业")]


@builder("policy_match")
def _policy_match(slots: Slots, q: str, rt: Route) -> dict | None:
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
        "key_group_hires": slots.get("hires") if subject != "个人" and _has(q, "建档立卡", "重点群体", "就业创业证") else None,
        "disabled_count": slots.get("disabled"), "land_tax_due": slots.get("tax_due"), "taxable_income": slots.get("taxable_income"),
        "monthly_sales": slots.get("monthly_sales"), "apprentices": slots.get("apprentices"), "apprentice_years": slots.get("train_years"),
        "training_hours": slots.get("hours"), "base_type": _INCUBATOR_TYPES.get(slots.get("incubator_type") or ""),
        "area_sqm": slots.get("area_m2"), "area_mu": slots.get("area_mu"), "livestock": slots.get("livestock"),
        "entities": slots.get("tenants"), "employed": slots.get("jobs"), "total_posts": slots.get("posts_total"),
        "jurisdiction": slots.get("jurisdiction"),
    }
    if subject == "个人":
        if "退役士兵" in q:
            args["veteran"] = True
        if "随军家属" in q:
            args["military_spouse"] = True
        if _has(q, "个体户", "个体工商户", "个体经营", "开店"):
            args["self_employed"] = True
        if _has(q, "建档立卡", "就业创业证", "就业失业登记证"):
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


# --------------------------------------------------------------------------- adaptation to the schema

def planned_arguments(rt: Route, question: str, tools: dict[str, Any]) -> list[tuple[str, Any, dict[str, Any]]]:
    """Each tool the question would run with its builder's arguments, before adaptation: (name, spec, arguments)."""
    if "policy_match" in tools:  # "我能享受哪些政策": one profile run over every tool (policy_match runs them itself)
        built = _policy_match(rt.slots, question, rt)
        if built and adapt_arguments(tools["policy_match"].input_model, built) is not None:
            return [("policy_match", tools["policy_match"], built)]
    out: list[tuple[str, Any, dict[str, Any]]] = []
    for name in rt.tools + [n for n in BUILDERS if n not in rt.tools and n in ALWAYS_CONSIDER]:
        build = BUILDERS.get(name)
        spec = tools.get(name)
        if build is None or spec is None:
            continue
        built = build(rt.slots, question, rt)
        if not built:
            continue
        out.extend((name, spec, args) for args in (built if isinstance(built, list) else [built]))
    return out


def plan_tool_calls(rt: Route, question: str, tools: dict[str, Any]) -> list[ToolCall]:
    """The tool calls for a routed question; none when it states a negative or out-of-range quantity
    (`assistant.quantity_check`: the assistant then says which number is wrong, and no tool computes from it)."""
    from assistant.quantity_check import quantity_problem

    planned = planned_arguments(rt, question, tools)
    if quantity_problem(question, rt.slots, planned, tools) is not None:
        return []
    calls: list[ToolCall] = []
    for name, spec, args in planned:
        adapted = adapt_arguments(spec.input_model, args)
        if adapted is not None:
            calls.append(ToolCall(name=name, arguments=adapted, primary=not args.get("_secondary", False),
                                  focus=list(args.get("_focus") or [])))
    return calls


ALWAYS_CONSIDER: set[str] = set()


def normalised_arguments(model: Any, args: dict[str, Any]) -> dict[str, Any]:
    """The fields the model has, JSON-safe, enum values matched to the allowed ones (nothing dropped yet)."""
    fields = getattr(model, "model_fields", {})
    return {key: _coerce(fields[key].annotation, _num(value)) for key, value in args.items()
            if not key.startswith("_") and key in fields and value is not None}


def adapt_arguments(model: Any, args: dict[str, Any]) -> dict[str, Any] | None:
    """Keep the fields the model has, coerce enum values to allowed ones, drop fields that still fail."""
    from pydantic import ValidationError

    out = normalised_arguments(model, args)
    for _ in range(len(out) + 1):
        try:
            model.model_validate(out)
            return out
        except ValidationError as err:
            bad = {str(e["loc"][0]) for e in err.errors() if e.get("loc")}
            missing = [e for e in err.errors() if e["type"] == "missing"]
            if missing:
                return None
            if not bad & set(out):
                return None
            for key in bad:
                out.pop(key, None)
    return None


def _enum_of(annotation: Any) -> type[Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _enum_of(arg)
        if found:
            return found
    return None


def _coerce(annotation: Any, value: Any) -> Any:
    enum = _enum_of(annotation)
    if enum is None or not isinstance(value, str):
        return value
    values = [m.value for m in enum]
    if value in values:
        return value
    for v in values:  # 村 -> 村（嘎查）, 非公有制 -> 非公有制经济组织, 公务员 -> 公务员（含参公人员）
        if isinstance(v, str) and (v.startswith(value) or value.startswith(v) or re.sub(r"（.*?）", "", v) == value):
            return v
    for v in values:
        if isinstance(v, str) and (value in v or v in value):
            return v
    for m in enum:
        if m.name == value:
            return m.value
    return value


def assumption_options(model: Any, facts: list[str], limit_values: int = 5) -> list[dict[str, Any]] | None:
    """Assignments of the missing yes/no or choice facts to try (None when a missing fact is a number or text)."""
    from itertools import product

    fields = getattr(model, "model_fields", {})
    choices: list[list[tuple[str, Any]]] = []
    for fact in facts:
        info = fields.get(fact)
        if info is None:
            return None
        enum = _enum_of(info.annotation)
        annotation_args = getattr(info.annotation, "__args__", ()) or (info.annotation,)
        if enum is not None:
            values = [m.value for m in enum][:limit_values]
        elif bool in annotation_args:
            values = [False, True]
        else:
            return None
        choices.append([(fact, v) for v in values])
    if not choices or len(choices) > 3:
        return None
    return [dict(combo) for combo in product(*choices)]


def describe_assumption(model: Any, assumed: dict[str, Any]) -> str:
    """'所选工种是否为简单易学工种：否；学徒来源：技能岗位新招用人员' from the model's Chinese field descriptions."""
    fields = getattr(model, "model_fields", {})
    parts = []
    for key, value in assumed.items():
        info = fields.get(key)
        label = (info.description if info and info.description else key).split("（")[0]
        shown = "是" if value is True else "否" if value is False else str(value)
        parts.append(f"{label}——{shown}")
    return "；".join(parts)
