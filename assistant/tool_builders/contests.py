"""Builders for the 职业技能竞赛 tools: 报名/裁判条件, 奖项与奖金, 区团体总分, 总成绩."""

from __future__ import annotations

import re
from typing import Any

from assistant.router import QuestionRoute
from assistant.slots import Slots
from assistant.tool_builders.common import builder, has

_SCORE = r"(\d+(?:\.\d+)?)\s*分"


@builder("skills_contest_entry")
def _contest_entry(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    judge = has(q, "裁判")
    if not judge and not has(q, "报名", "参赛", "参加"):
        return None
    # "来乌海工作才8个月" is read as time in a new post: for a contest entry it is the time in Wuhai all the same
    months = slots.get("months_work") if slots.get("months_work") is not None else slots.get("months_in_new_post")
    years = slots.get("years_work") if slots.get("years_work") is not None else slots.get("years_in_new_post")
    if not judge and slots.get("age") is None and months is None and years is None:
        return None
    args: dict[str, Any] = {"role": "裁判员" if judge else "参赛选手", "age": slots.get("age")}
    if not judge:
        if months is None and years is not None:
            months = years * 12
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
_TEAM_RANK = re.compile(r"(团体|总分|积分)[^，。,？?]{0,4}第[一二三1-3]")
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
def _team_score(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    """第十九条 区团体总分: counts of 金/银/铜/优胜/参赛 projects."""
    if not _is_team_question(slots, q):
        return None
    medals = slots.get("medals") or {}
    return {key: medals.get(key, 0) for key in ("gold", "silver", "bronze", "merit", "participation")}


def _employee(q: str) -> bool | None:
    if re.search(r"在校|学生|院校的?选手", q) and not re.search(r"(不是|并非|非)[^，。]{0,3}(在校|学生)", q):
        return False
    if has(q, "职工", "工人", "员工", "在职"):
        return True
    return None


@builder("skills_contest_award")
def _contest_award(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
    """第十八条: the award and prize of a rank, the 优胜奖 range, several awards added up, or the 技术能手 title."""
    if _is_team_question(slots, q) and not _is_prize_sum_question(slots, q):
        return None
    if _TEAM_RANK.search(q):
        return None  # "团体第一名的区": a team's place (第十九条), not an individual's award
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
    if has(q, "双人", "团队赛", "组队"):
        args["contest_format"] = "双人及以上赛"
    elif has(q, "单人"):
        args["contest_format"] = "单人赛"
    return args


@builder("skills_contest_total_score")
def _contest_total(slots: Slots, q: str, rt: QuestionRoute) -> dict | None:
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
