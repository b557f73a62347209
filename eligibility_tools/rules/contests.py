"""职业技能竞赛 rules: 《乌海市职业技能竞赛管理办法（试行）》第九、十、十三、十七、十八、十九、二十条."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from corpus.errors import ToolInputError
from eligibility_tools.base import Outcome, ToolResult, Trace, yuan
from eligibility_tools.bounds import AGE_MAX, AWARDS_MAX, MONTHS_MAX, PEOPLE_MAX, SCORE_MAX
from eligibility_tools.enums import TITLE_ORDER, TitleLevel
from eligibility_tools.params import Parameter
from eligibility_tools.registry import register
from eligibility_tools.rules.common import PERCENT, Checks, ambiguous, article, finish, money, pct

TOOL_ORDER = 30  # where its tools are listed (CLI, UI forms, LLM tools)

CATEGORY = "职业技能竞赛"
_DOC = "skills-contest"  # 《乌海市职业技能竞赛管理办法（试行）》: its clauses are named by number ("第十八条")


def _art(t: Trace, ref: Parameter | str) -> str:
    """第X条 of the 办法 for a clause key ("a18"), or the clause a parameter's version in force cites (see `article`)."""
    return article(t, ref if isinstance(ref, Parameter) else f"{_DOC}/{ref}", _DOC)


class ContestRole(StrEnum):
    contestant = "参赛选手"
    judge = "裁判员"


class PriorAward(StrEnum):
    none = "未获得过一等奖或金奖"
    first = "一等奖"
    gold = "金奖（全市技能大赛）"


class PriorAwardRelation(StrEnum):
    same = "同赛项同等级同组别"
    lower = "同赛项较低等级"
    higher = "同赛项较高等级"
    same_level_other_group = "同赛项同等级但不同组别"
    other = "其他赛项"


class SkillLevel(StrEnum):
    none = "无"
    chuji = "初级工（五级）"
    zhongji = "中级工（四级）"
    gaoji = "高级工（三级）"
    jishi = "技师（二级）"
    gaoji_jishi = "高级技师（一级）"


SKILL_ORDER = list(SkillLevel)


class ContestType(StrEnum):
    city_grand = "全市技能大赛"
    industry_class1 = "市级行业一类赛"
    industry_class2 = "市级行业二类赛"
    special = "市级专项竞赛"
    district = "区级竞赛"


class ContestFormat(StrEnum):
    single = "单人赛"
    team = "双人及以上赛"


class AwardMode(StrEnum):
    individual = "个人奖项"
    team_score = "团体总分"
    prize_total = "奖金与称号合计"
    title = "技术能手称号"


# ---------------------------------------------------------------- 第九条 / 第十七条 报名与裁判员条件

class ContestEntryInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: ContestRole = Field(default=ContestRole.contestant, description="身份：参赛选手或裁判员")
    age: int | None = Field(default=None, ge=0, le=AGE_MAX, description="年龄（周岁）")
    months_in_wuhai: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="在乌海的月数",
                                        description="在乌海市境内工作、学习或居住的时长（月）（参赛选手）")
    reached_retirement_age: bool | None = Field(default=None, description="是否已达到法定退休年龄（参赛选手）")
    prior_award: PriorAward | None = Field(default=None, description="往届市级职业技能竞赛最好成绩：是否获得过一等奖/金奖（参赛选手）")
    prior_award_relation: PriorAwardRelation | None = Field(
        default=None, description="本次报名赛项与往届获一等奖（金奖）赛项的关系（参赛选手）")
    title_level: TitleLevel | None = Field(default=None, description="专业技术职称层级（裁判员）")
    skill_level: SkillLevel | None = Field(default=None, description="职业资格或职业技能等级（裁判员）")
    has_judging_experience: bool | None = Field(default=None, description="是否具有相应项目执裁经验（裁判员）")


@register("skills_contest_entry", "职业技能竞赛报名/裁判员条件", ContestEntryInput, category=CATEGORY)
def skills_contest_entry(inp: ContestEntryInput, as_of: date) -> ToolResult:
    """判断能否报名参加乌海市职业技能竞赛（第九条：居住满1年、16周岁至法定退休年龄、往届一等奖限制）或担任裁判员（第十七条）。"""
    t = Trace(as_of)
    if inp.role == ContestRole.judge:
        return _judge(inp, t)
    c = Checks()
    value: dict = {"role": inp.role.value}
    waiting: list[str] = []  # failed conditions that time alone will meet (residence, age): "现在还不行，还差…"

    residence = t.param("contest_entry_min_residence_months")
    if inp.months_in_wuhai is None:
        c.ask("months_in_wuhai", "您在乌海市境内工作、学习或居住满多长时间了？", f"{_art(t, 'a9')}要求在乌海工作、学习、居住满一年以上")
    elif inp.months_in_wuhai >= residence.value:
        c.met.append(f"在乌海工作、学习、居住{inp.months_in_wuhai}个月，已满一年")
    else:
        c.failed.append(f"在乌海工作、学习、居住仅{inp.months_in_wuhai}个月，未满一年")
        waiting.append(f"{residence.value - inp.months_in_wuhai}个月满一年")
    t.step("residence", f"{_art(t, 'a9')}：须在乌海市境内工作、学习、居住满一年以上（满12个月）。",
           {"months_in_wuhai": inp.months_in_wuhai}, [residence])

    min_age = t.param("contest_entry_min_age")
    floor = t.param("statutory_retirement_age_floor")
    if inp.reached_retirement_age is True:
        c.failed.append("已达到法定退休年龄")
    if inp.age is None:
        if inp.reached_retirement_age is not True:
            c.ask("age", "您现在多少周岁？", f"{_art(t, 'a9')}要求年满16周岁、法定退休年龄以内")
    elif inp.age < min_age.value:
        c.failed.append(f"{inp.age}周岁，未满{min_age.value}周岁")
        waiting.append(f"{min_age.value - inp.age}岁满{min_age.value}周岁")
    elif inp.reached_retirement_age is False or inp.age < floor.value:
        c.met.append(f"{inp.age}周岁，已满{min_age.value}周岁且在法定退休年龄以内")
    elif inp.reached_retirement_age is None:
        c.ask("reached_retirement_age", "您是否已达到法定退休年龄？",
              f"{_art(t, 'a9')}只允许法定退休年龄以内人员报名；{inp.age}周岁可能已到退休年龄（法定退休年龄因性别、岗位而异，汇编未载明）")
    t.step("age", f"{_art(t, 'a9')}：须年满16周岁、在法定退休年龄以内（法定退休年龄汇编未载明，由您确认；"
           f"不满{floor.value}周岁者必然未达法定退休年龄）。",
           {"age": inp.age, "reached_retirement_age": inp.reached_retirement_age}, [min_age, floor])

    gold_ambiguous = False
    exclusion = t.param("contest_entry_first_prize_exclusion")
    excluded_relations = (PriorAwardRelation.same, PriorAwardRelation.lower)
    caveat = ""
    if inp.prior_award is None:
        # an exclusion few people fall under: stated with the answer, not asked (it would not change it for most)
        caveat = "（往届市级竞赛一等奖获得者不得再参加同赛项同等级同组别或低等级赛项）"
    elif inp.prior_award != PriorAward.none:
        if inp.prior_award_relation is None:
            c.ask("prior_award_relation", "本次报名的赛项与您往届获奖的赛项是什么关系（同赛项同等级同组别、较低等级、较高等级、"
                                          "其他赛项）？",
                  "一等奖获得者不得再参加同赛项同等级同组别或低等级赛项")
        elif inp.prior_award_relation in excluded_relations:
            if inp.prior_award == PriorAward.first:
                c.failed.append(f"往届已获一等奖，不得再参加{inp.prior_award_relation.value}的赛项")
            else:
                gold_ambiguous = True
        else:
            c.met.append(f"往届获奖赛项与本次为“{inp.prior_award_relation.value}”，不受一等奖限制")
    t.step("first_prize_exclusion", f"{_art(t, 'a9')}：往届市级职业技能竞赛一等奖获得者，不得再参加同赛项同等级同组别或低等级赛项。",
           {"prior_award": inp.prior_award, "prior_award_relation": inp.prior_award_relation}, [exclusion])

    value["can_register"] = c.status
    value["met_conditions"] = c.met
    if gold_ambiguous and not c.failed and not c.unknown:
        value["can_register"] = None
        value["readings"] = {
            "金奖视同一等奖": f"{_art(t, 'a9')}的“一等奖”包括全市技能大赛金奖（{_art(t, 'a18')}金、银、铜奖即前三名），"
                       "则不得报名同赛项同等级同组别或低等级赛项。",
            "仅限一等奖字面": f"{_art(t, 'a9')}只写“一等奖”，{_art(t, 'a18')}对全市技能大赛颁发的是“金奖”，按字面不受限制，可以报名。",
        }
        t.warn(f"{_art(t, 'a9')}只限制“一等奖”获得者，而全市技能大赛颁发的是金、银、铜奖（{_art(t, 'a18')}），金奖是否视同一等奖条文未明确，"
               "请向主办单位确认。")
        return ambiguous(t, value, "往届全市技能大赛金奖获得者能否再报同赛项，条文存在两种理解。")
    if c.failed and len(waiting) == len(c.failed):
        c.flush(t)
        value.setdefault("failed_conditions", c.failed)
        return t.result(Outcome.not_eligible, value, f"现在还不行，还差{'、'.join(waiting)}，暂不能报名参赛："
                                                     + "；".join(c.failed) + "。")
    return finish(t, c, value, f"符合{_art(t, 'a9')}报名条件，可以按属地管理原则报名参赛" + caveat + "。", "不能报名参赛",
                  "还需补充信息才能判断能否报名参赛。")


def _judge(inp: ContestEntryInput, t: Trace) -> ToolResult:
    c = Checks()
    value: dict = {"role": inp.role.value}
    qual = t.param("contest_judge_qualification")
    min_title = TitleLevel(qual["title"])
    min_skill = next(level for level in SkillLevel if level.value.startswith(qual["skill"]))
    title_ok = None if inp.title_level is None else TITLE_ORDER.index(inp.title_level) >= TITLE_ORDER.index(min_title)
    skill_ok = None if inp.skill_level is None else SKILL_ORDER.index(inp.skill_level) >= SKILL_ORDER.index(min_skill)
    if title_ok or skill_ok:
        c.met.append("具有高级及以上职称或技师及以上职业资格（技能等级）")
    elif title_ok is False and skill_ok is False:
        c.failed.append("既无高级及以上专业技术职称，也无技师及以上职业资格或职业技能等级")
    else:
        why = f"{_art(t, 'a17')}要求高级及以上专业技术职称或技师及以上职业资格（技能等级），二者具备其一即可"
        if inp.title_level is None:
            c.ask("title_level", "您的专业技术职称是什么层级？", why)
        if inp.skill_level is None:
            c.ask("skill_level", "您的职业资格或职业技能等级是什么？", why)
    t.step("judge_qualification", f"{_art(t, 'a17')}：裁判员应具有高级及以上专业技术职称或技师及以上职业资格或职业技能等级。",
           {"title_level": inp.title_level, "skill_level": inp.skill_level}, [qual])

    max_age = t.param("contest_judge_max_age")
    boundary = False
    if inp.age is None:
        c.ask("age", "您现在多少周岁？", f"{_art(t, 'a17')}要求裁判员年龄在65周岁以下")
    elif inp.age < max_age.value:
        c.met.append(f"{inp.age}周岁，在65周岁以下")
    elif inp.age == max_age.value:
        boundary = True
    else:
        c.failed.append(f"{inp.age}周岁，超过65周岁")
    t.step("judge_age", f"{_art(t, 'a17')}：裁判员年龄在65周岁以下。", {"age": inp.age}, [max_age])

    exp = t.param("contest_judge_experience")
    c.check(inp.has_judging_experience, "具有相应项目执裁经验", "不具有相应项目执裁经验", "has_judging_experience",
            "您是否具有相应竞赛项目的执裁经验？", f"{_art(t, 'a17')}规定裁判员在具有相应项目执裁经验的人员中遴选")
    t.step("judge_experience", f"{_art(t, 'a17')}：裁判员在具有相应项目执裁经验的人员中遴选，并须身体健康、遵守竞赛纪律。",
           {"has_judging_experience": inp.has_judging_experience}, [exp])

    value["can_serve"] = c.status
    value["met_conditions"] = c.met
    if boundary and not c.failed and not c.unknown:
        value["can_serve"] = None
        value["readings"] = {
            "含本数": "按《民法典》第一千二百五十九条“以下”包括本数，65周岁可以担任裁判员。",
            "未满65周岁": "按“65周岁以下”理解为未满65周岁，刚满65周岁即不符合。",
        }
        t.warn(f"{_art(t, 'a17')}“65周岁以下”是否包含65周岁本数，条文未明确，请向竞赛组委会确认。")
        return ambiguous(t, value, "恰好65周岁能否担任裁判员，条文存在两种理解。")
    return finish(t, c, value, f"符合{_art(t, 'a17')}裁判员基本条件，可由竞赛组委会审核后择优聘任。", "不符合裁判员条件",
                  "还需补充信息才能判断能否担任裁判员。")


# ---------------------------------------------------------------- 第十八、十九条 奖项与团体总分

class ContestAwardInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contest_type: ContestType = Field(description="赛事类别（第七条）：全市技能大赛、市级行业一类赛、二类赛、市级专项竞赛、区级竞赛")
    mode: AwardMode = Field(default=AwardMode.individual, description="计算个人奖项、区团体总分（第十九条）、多个奖项的奖金合计与"
                                                                      "“全市技术能手”人数，或判断能否获“全市技术能手”称号")
    rank: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="名次", description="个人（或组队）在该竞赛项目中的名次")
    participants: int | None = Field(default=None, ge=1, le=PEOPLE_MAX, title="参赛人数", description="该竞赛项目（同组别）的参赛人数")
    is_employee: bool | None = Field(default=None, description="是否职工选手（非学生选手）")
    contest_format: ContestFormat | None = Field(default=None, description="单人赛还是双人及以上赛")
    gold: int = Field(default=0, ge=0, le=AWARDS_MAX, title="金奖数", description="团体总分：金奖数")
    silver: int = Field(default=0, ge=0, le=AWARDS_MAX, title="银奖数", description="团体总分：银奖数")
    bronze: int = Field(default=0, ge=0, le=AWARDS_MAX, title="铜奖数", description="团体总分：铜奖数")
    merit: int = Field(default=0, ge=0, le=AWARDS_MAX, title="优胜奖数", description="团体总分：优胜奖数")
    participation: int = Field(default=0, ge=0, le=AWARDS_MAX, title="参赛项目数", description="团体总分：未获奖的参赛项目数")
    student_winners: int | None = Field(default=None, ge=0, le=AWARDS_MAX, title="学生选手获奖人数",
                                        description="奖金合计：获奖者中学生选手（非职工）的人数")


@register("skills_contest_award", "职业技能竞赛奖项与奖金", ContestAwardInput, category=CATEGORY)
def skills_contest_award(inp: ContestAwardInput, as_of: date) -> ToolResult:
    """按名次、赛事类别、参赛人数计算竞赛奖项、奖金、“全市技术能手”称号与证书、优胜奖名次范围（第十八条），或区团体总分（第十九条）。"""
    t = Trace(as_of)
    if inp.mode == AwardMode.team_score:
        return _team_score(inp, t)
    if inp.mode == AwardMode.prize_total:
        return _prize_total(inp, t)
    if inp.mode == AwardMode.title:
        return _title(inp, t)
    if inp.rank is not None and inp.participants is not None and inp.rank > inp.participants:
        raise ToolInputError("rank（名次）", f"名次 {inp.rank} 不能大于参赛人数 {inp.participants}。")
    top = t.param("contest_top_places")
    minimum = t.params.get("contest_min_participants")
    if inp.participants is not None and inp.participants < minimum.value:
        t.warn(f"{_art(t, 'a10')}：每个赛项同一竞赛组别的参赛选手原则上不少于{minimum.value}人，本项目仅{inp.participants}人。")
        t.cite(minimum.clause_id)
    value: dict = {"contest_type": inp.contest_type.value, "rank": inp.rank, "award": None, "prize_yuan": None,
                   "amount_yuan": None, "title": None, "certificate": None}
    covered = inp.contest_type in (ContestType.city_grand, ContestType.industry_class1)
    if not covered:
        return _uncovered(inp, t, value)
    if inp.rank is None:
        return _award_table(inp, t, value, top)
    if inp.rank <= top.value:
        return _top_three(inp, t, value, top)
    return _merit(inp, t, value, top)


def _table_rows(inp: ContestAwardInput, t: Trace, top) -> tuple[list[dict], list]:
    """前3名的奖项（及全市技能大赛的奖金）：the part of 第十八条 that does not depend on 参赛人数."""
    if inp.contest_type == ContestType.city_grand:
        names = t.param("city_skills_contest_award_names")
        prize = t.param("city_skills_contest_prize")
        rows = [{"rank": r, "award": names[r], "prize_yuan": Decimal(prize[r])} for r in range(1, top.value + 1)]
        return rows, [top, names, prize]
    names = t.param("industry_class1_award_names")
    local = t.param("contest_local_rewards")
    rows = [{"rank": r, "award": names[r], "prize_yuan": None} for r in range(1, top.value + 1)]
    return rows, [top, names, local]


def _award_basis(inp: ContestAwardInput, t: Trace) -> str:
    """The clause the award table (and its prize money) is read from: for 全市技能大赛 the one the prize cites on `as_of`."""
    if inp.contest_type == ContestType.city_grand:
        return _art(t, t.param("city_skills_contest_prize"))
    return _art(t, "a18")


def _award_table(inp: ContestAwardInput, t: Trace, value: dict, top) -> ToolResult:
    """No rank given: the award table for the event type, and the 优胜奖 range when 参赛人数 is known."""
    rows, used = _table_rows(inp, t, top)
    value["award_table"] = rows
    listed = "；".join(f"第{row['rank']}名{row['award']}" + (f"，奖金{yuan(row['prize_yuan'])}" if row["prize_yuan"] else "")
                      for row in rows)
    money_note = "" if inp.contest_type == ContestType.city_grand else f"；本办法未规定一类赛奖金，由各区、行业主管部门按{_art(t, 'a20')}自定"
    t.step("award_table", f"{_award_basis(inp, t)}：{inp.contest_type.value}各竞赛项目{listed}{money_note}。", {"contest_type": inp.contest_type.value},
           used)
    if inp.contest_type == ContestType.city_grand:
        title_rule = "前3名的职工选手授予“全市技术能手”称号"
        t.step("title_rule", f"{_art(t, 'a18')}：全市技能大赛" + title_rule + "。")
    else:
        places = t.param("industry_class1_title_places")
        title_rule = "职工选手（单人赛前3名，双人及以上赛第1名）授予“全市技术能手”称号"
        t.step("title_rule", f"{_art(t, 'a18')}：市级行业一类赛" + title_rule + "。", params=[places])
    value["title_rule"] = title_rule
    certificate = t.param("contest_certificate_rule")
    value["certificate"] = "优胜奖以上选手可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书），其他参赛选手颁发参赛证书"
    t.step("certificate", f"{_art(t, 'a18')}：优胜奖以上选手可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书）。", params=[certificate])
    summary = f"{inp.contest_type.value}（{_award_basis(inp, t)}）：{listed}；{title_rule}"
    if inp.participants is None:
        share = t.param("contest_merit_award_share")
        t.step("merit_rule", f"{_art(t, 'a18')}：前{top.value}名以外但排名在参赛人数1/2以上的选手颁发优胜奖，其他参赛选手颁发参赛证书。",
               params=[share])
        t.ask("rank", "您在该竞赛项目中获得第几名？", f"奖项按名次确定（{_art(t, 'a18')}）")
        t.ask("participants", "该竞赛项目（同组别）共有多少名参赛选手？", "优胜奖的名次范围取决于参赛人数（1/2以上）")
        return t.result(Outcome.needs_info, value, summary + "；前3名以外、排名在参赛人数1/2以上的颁发优胜奖。请提供名次或参赛人数。")
    line, share = _merit_line(inp, t)
    strict, rounded = _merit_ranges(line, top.value)
    value["merit_rank_range"] = strict
    value["merit_count"] = _count(strict)
    merit_text = _range_text(strict)
    t.step("merit_rule", f"{_art(t, 'a18')}：前{top.value}名以外但排名在参赛人数1/2以上的选手颁发优胜奖。参赛{inp.participants}人，"
           f"1/2为{line.normalize():f}名，{merit_text}。", {"participants": inp.participants}, [top, share])
    if rounded != strict:
        value["readings"] = {
            "严格按一半": f"参赛人数的1/2为{line.normalize():f}，{merit_text}。",
            "一半向上取整": f"参赛人数为奇数时按{math.ceil(line)}名（向上取整）计算“1/2以上”，{_range_text(rounded)}。",
        }
        value["merit_rank_range_rounded_up"] = rounded
        value["merit_count_rounded_up"] = _count(rounded)
        t.warn(f"{_art(t, 'a18')}“排名在参赛人数1/2以上”在参赛人数为奇数时未规定取整方式，请以竞赛组委会公布的获奖名单为准。")
        return ambiguous(t, value, f"{summary}；参赛{inp.participants}人时，严格按一半{merit_text}，"
                                   f"若一半向上取整则{_range_text(rounded)}（条文未规定取整方式）。")
    return t.result(Outcome.computed, value, f"{summary}；参赛{inp.participants}人时{merit_text}，其余选手颁发参赛证书。")


def _merit_ranges(line: Decimal, top: int) -> tuple[list[int], list[int]]:
    """优胜奖名次范围 [first, last] (empty when nobody qualifies): strictly within half, and with half rounded up."""
    def rng(last: int) -> list[int]:
        return [top + 1, last] if last > top else []
    return rng(math.floor(line)), rng(math.ceil(line))


def _count(rng: list[int]) -> int:
    return rng[1] - rng[0] + 1 if rng else 0


def _range_text(rng: list[int]) -> str:
    """The 优胜奖 sentence for a rank range: '优胜奖为第4—20名，共17人'."""
    if not rng:
        return "没有优胜奖名额（参赛人数的1/2以内都是前3名）"
    if rng[0] == rng[1]:
        return f"优胜奖为第{rng[0]}名，共1人"
    return f"优胜奖为第{rng[0]}—{rng[1]}名，共{_count(rng)}人"


def _top_three(inp: ContestAwardInput, t: Trace, value: dict, top) -> ToolResult:
    """前3名: the award (and, for 全市技能大赛, the money) follow from the rank alone; 参赛人数 is not needed.

    Whether the “全市技术能手” title is granted also depends on 职工选手 / 赛制; when those are unknown the
    award is still computed and they are asked as follow-ups (they change the title, not the award).
    """
    rank = inp.rank
    certificate = t.param("contest_certificate_rule")
    rows, used = _table_rows(inp, t, top)
    row = rows[rank - 1]
    value["award"] = row["award"]
    value["prize_yuan"] = value["amount_yuan"] = row["prize_yuan"]
    if inp.contest_type == ContestType.city_grand:
        t.step("top_three", f"{_award_basis(inp, t)}：全市技能大赛各竞赛项目前{top.value}名颁发金、银、铜奖，第{rank}名获{row['award']}，"
               f"奖金{yuan(row['prize_yuan'])}。", {"rank": rank}, used)
        title_places = top.value
        title_rule = "全市技能大赛前3名的职工选手授予“全市技术能手”称号"
    else:
        places = t.param("industry_class1_title_places")
        t.step("top_three", f"{_art(t, 'a18')}：市级行业一类赛各竞赛项目前{top.value}名颁发一、二、三等奖，第{rank}名获{row['award']}；"
               f"本办法未规定一类赛奖金，奖金由各区、行业主管部门按{_art(t, 'a20')}自定。", {"rank": rank}, used)
        title_places = None
        if inp.contest_format is not None:
            title_places = places[inp.contest_format.value]
        elif rank <= min(places.value.values()):
            title_places = min(places.value.values())
        title_rule = "市级行业一类赛职工选手（单人赛前3名，双人及以上赛第1名）授予“全市技术能手”称号"
        t.step("title_rule", title_rule + "。", {"contest_format": inp.contest_format}, [places])
    value["title_rule"] = title_rule
    if inp.is_employee is False or (title_places is not None and rank > title_places):
        value["title"] = False
    else:
        if inp.is_employee is None:
            t.ask("is_employee", "您是职工选手吗（而不是在校学生选手）？", title_rule)
        if title_places is None:
            t.ask("contest_format", "该赛项是单人赛还是双人及以上赛？", title_rule)
        if not t.missing:
            value["title"] = "全市技术能手"
    value["certificate"] = "可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书）"
    t.step("certificate", f"{_art(t, 'a18')}：优胜奖以上选手可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书）。", params=[certificate])
    summary = f"按{_award_basis(inp, t)}，{inp.contest_type.value}第{rank}名获{value['award']}"
    if value["prize_yuan"]:
        summary += f"，奖金{yuan(value['prize_yuan'])}"
    if value["title"]:
        summary += "，授予“全市技术能手”称号"
    if value["title"] is None:
        summary += f"；{title_rule}，需确认" + "、".join(
            {"is_employee": "是否职工选手", "contest_format": "单人赛还是双人及以上赛"}[m.fact] for m in t.missing)
    summary += "。"
    return t.result(Outcome.computed, value, summary)


_MEDALS = ("gold", "silver", "bronze")


def _prize_total(inp: ContestAwardInput, t: Trace) -> ToolResult:
    """第十八条 over several awards: the prize money added up, and how many winners get “全市技术能手” (职工选手 only)."""
    top = t.param("contest_top_places")
    counts = {k: getattr(inp, k) for k in _MEDALS}
    winners = sum(counts.values())
    value: dict = {"contest_type": inp.contest_type.value, "counts": counts, "amount_yuan": None, "title_count": None}
    if inp.contest_type not in (ContestType.city_grand, ContestType.industry_class1):
        return _uncovered(inp, t, value)
    if not winners:
        t.ask("gold", "获得了几个金奖（一等奖）、银奖（二等奖）、铜奖（三等奖）？", "奖金按奖项逐个相加")
        t.cite("skills-contest/a18")
        return t.result(Outcome.needs_info, value, "请提供各奖项的个数。")
    rows, used = _table_rows(inp, t, top)
    names = [row["award"] for row in rows]
    listed = "、".join(f"{names[i]}{counts[k]}个" for i, k in enumerate(_MEDALS) if counts[k])
    summary: list[str] = []
    if inp.contest_type == ContestType.city_grand:
        amounts = {k: rows[i]["prize_yuan"] * counts[k] for i, k in enumerate(_MEDALS)}
        total = money(sum(amounts.values()))
        value["amount_yuan"] = total
        parts = "＋".join(f"{names[i]}{yuan(rows[i]['prize_yuan'])}×{counts[k]}" for i, k in enumerate(_MEDALS) if counts[k])
        prizes = "、".join(yuan(row["prize_yuan"]) for row in rows)
        t.step("prize_total", f"{_award_basis(inp, t)}：全市技能大赛前{top.value}名奖金分别为{prizes}：{parts}＝{yuan(total)}。",
               dict(counts), used)
        summary.append(f"{listed}，奖金合计{yuan(total)}")
    else:
        t.step("prize_total", f"{_art(t, 'a18')}：市级行业一类赛颁发一、二、三等奖，本办法未规定奖金，由各区、行业主管部门按{_art(t, 'a20')}自定。",
               dict(counts), used)
        summary.append(f"{listed}；一类赛奖金本办法未规定，由各区、行业主管部门自定")
    # who gets the title: 全市技能大赛 every top-3 职工选手; 一类赛 单人赛 top 3, 双人及以上赛 only 第1名
    if inp.contest_type == ContestType.city_grand:
        eligible_awards = winners
        rule = "前3名的职工选手授予“全市技术能手”称号"
    else:
        places = t.param("industry_class1_title_places")
        rule = "职工选手（单人赛前3名，双人及以上赛第1名）授予“全市技术能手”称号"
        if inp.contest_format is None:
            eligible_awards = None
            t.ask("contest_format", "该赛项是单人赛还是双人及以上赛？", rule)
        else:
            n = places[inp.contest_format.value]
            eligible_awards = sum(counts[k] for i, k in enumerate(_MEDALS) if i < n)
    students = inp.student_winners
    if students is not None and students > winners:
        raise ToolInputError("student_winners（学生选手人数）", f"学生选手{students}人不能多于获奖人数{winners}人。")
    if eligible_awards is not None and students is not None:
        count = max(eligible_awards - students, 0) if eligible_awards == winners else None
        if count is None:
            t.step("title_count", f"{_art(t, 'a18')}：{rule}；学生选手获奖的奖项不明，无法确定人数。")
        else:
            value["title_count"] = count
            t.step("title_count", f"{_art(t, 'a18')}：{rule}。获奖{winners}人，其中学生选手{students}人，"
                   f"职工选手{count}人可授予“全市技术能手”称号。", {"student_winners": students})
            summary.append(f"职工选手{count}人可授予“全市技术能手”称号（学生选手{students}人不授予）")
    elif eligible_awards is not None:
        t.step("title_count", f"{_art(t, 'a18')}：{rule}。")
        summary.append(f"{rule}（{eligible_awards}名获奖者中的职工选手，学生选手不授予）")
    return t.result(Outcome.computed, value, "；".join(summary) + "。")


def _title(inp: ContestAwardInput, t: Trace) -> ToolResult:
    """第十八条: whether a winner is granted “全市技术能手” — 职工选手 of the top places only."""
    top = t.param("contest_top_places")
    value: dict = {"contest_type": inp.contest_type.value, "rank": inp.rank, "title": None}
    if inp.contest_type not in (ContestType.city_grand, ContestType.industry_class1):
        t.step("title_scope", f"{_art(t, 'a18')}只对全市技能大赛和市级行业一类赛的职工选手授予“全市技术能手”称号。",
               {"contest_type": inp.contest_type.value}, [top], cite=["skills-contest/a18"])
        return t.result(Outcome.not_eligible, value, f"不能。{_art(t, 'a18')}只对全市技能大赛和市级行业一类赛授予“全市技术能手”称号，"
                                                     f"{inp.contest_type.value}不在其列。")
    rows, used = _table_rows(inp, t, top)
    c = Checks()
    if inp.contest_type == ContestType.city_grand:
        places, rule = top.value, "全市技能大赛前3名的职工选手授予“全市技术能手”称号"
    else:
        p = t.param("industry_class1_title_places")
        rule = "市级行业一类赛职工选手（单人赛前3名，双人及以上赛第1名）授予“全市技术能手”称号"
        places = p[inp.contest_format.value] if inp.contest_format is not None else None
        if places is None and (inp.rank is None or inp.rank > min(p.value.values())):
            c.ask("contest_format", "该赛项是单人赛还是双人及以上赛？", rule)
        elif places is None:
            places = min(p.value.values())
    if inp.rank is None:
        c.ask("rank", "您在该竞赛项目中获得第几名？", rule)
    elif places is not None:
        c.check(inp.rank <= places, f"第{inp.rank}名在授予范围内", f"第{inp.rank}名不在授予“全市技术能手”的名次范围内", "rank", "", "")
    c.check(inp.is_employee, "职工选手", "“全市技术能手”称号只授予职工选手，学生选手不授予", "is_employee",
            "您是职工选手吗（而不是在校学生选手）？", rule)
    t.step("title_rule", f"{_art(t, 'a18')}：{rule}。", {"rank": inp.rank, "is_employee": inp.is_employee}, used)
    if inp.rank is not None and inp.rank <= len(rows):
        row = rows[inp.rank - 1]
        prize = f"，奖金{yuan(row['prize_yuan'])}" if row["prize_yuan"] else ""
        value["award"] = row["award"]
        got = f"（第{inp.rank}名获{row['award']}{prize}）"
    else:
        got = ""
    value["title"] = c.status
    if c.failed:
        return t.result(Outcome.not_eligible, value, f"不能授予“全市技术能手”称号：{'；'.join(c.failed)}{got}。")
    c.flush(t)
    if c.unknown:
        return t.result(Outcome.needs_info, value, f"{rule}，还需确认{got}。")
    return t.result(Outcome.eligible, value, f"可以授予“全市技术能手”称号{got}。")


def _merit_line(inp: ContestAwardInput, t: Trace) -> tuple[Decimal, object]:
    share = t.param("contest_merit_award_share")
    return Decimal(inp.participants) * share.value, share


def _merit(inp: ContestAwardInput, t: Trace, value: dict, top) -> ToolResult:
    certificate = t.param("contest_certificate_rule")
    if inp.participants is None:
        t.ask("participants", "该竞赛项目（同组别）共有多少名参赛选手？", f"{_art(t, 'a18')}：前3名以外但排名在参赛人数1/2以上的选手颁发优胜奖")
        t.step("merit_rule", f"{_art(t, 'a18')}：前3名以外但排名在参赛人数1/2以上的选手颁发优胜奖，其他参赛选手颁发参赛证书。",
               params=[t.param("contest_merit_award_share")])
        return t.result(Outcome.needs_info, value, "需要参赛人数才能判断是否获得优胜奖。")
    line, share = _merit_line(inp, t)
    strict, _ = _merit_ranges(line, top.value)
    value["merit_rank_range"] = strict
    value["merit_count"] = _count(strict)
    t.step("merit_rule", f"{_art(t, 'a18')}：前{top.value}名以外但排名在参赛人数1/2以上的选手颁发优胜奖。参赛{inp.participants}人，"
           f"1/2为{line.normalize():f}名，{_range_text(strict)}。",
           {"rank": inp.rank, "participants": inp.participants}, [top, share])
    if inp.rank <= line:
        value["award"] = "优胜奖"
        value["certificate"] = "可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书）"
        t.step("certificate", "优胜奖以上选手可获取相关职业资格证书（或职业技能等级证书、专项职业能力证书）。", params=[certificate])
        return t.result(Outcome.computed, value, f"第{inp.rank}名（参赛{inp.participants}人）获优胜奖，可获取相关职业资格证书。")
    if line != line.to_integral_value() and inp.rank == math.ceil(line):
        value["readings"] = {
            "严格按一半": f"参赛人数的1/2为{line.normalize():f}，第{inp.rank}名排在其后，只颁发参赛证书。",
            "一半向上取整": f"参赛人数为奇数时按{inp.rank}名（向上取整）计算“1/2以上”，第{inp.rank}名获优胜奖。",
        }
        t.warn(f"{_art(t, 'a18')}“排名在参赛人数1/2以上”在参赛人数为奇数时未规定取整方式，请以竞赛组委会公布的获奖名单为准。")
        return ambiguous(t, value, f"参赛{inp.participants}人时第{inp.rank}名是否获优胜奖，条文存在两种理解。")
    value["award"] = "参赛证书"
    value["certificate"] = "参赛证书"
    return t.result(Outcome.computed, value, f"第{inp.rank}名（参赛{inp.participants}人）未进入参赛人数1/2以内，颁发参赛证书。")


def _uncovered(inp: ContestAwardInput, t: Trace, value: dict) -> ToolResult:
    local = t.param("contest_local_rewards")
    share = t.param("contest_merit_award_share")
    t.step("not_in_article_18", f"{_art(t, 'a18')}只对全市技能大赛和市级行业一类赛规定了前3名奖项；{inp.contest_type.value}的奖励办法由各区、"
           f"行业主管部门按{_art(t, 'a20')}自行制定，本办法未规定奖金。", {"contest_type": inp.contest_type.value}, [local, share])
    top = t.param("contest_top_places")
    if inp.rank is None:
        value["award_table"] = None
        summary = (f"本办法{_art(t, 'a18')}只对全市技能大赛和市级行业一类赛规定了奖项；{inp.contest_type.value}的奖项和奖金由各区、"
                   f"行业主管部门按{_art(t, 'a20')}自行制定。")
        if inp.participants is None:
            return t.result(Outcome.computed, value, summary)
        line, _ = _merit_line(inp, t)
        strict, _ = _merit_ranges(line, top.value)
        value["merit_rank_range"] = strict
        value["merit_count"] = _count(strict)
        value["readings"] = {
            f"{_art(t, 'a18')}第三款普遍适用": f"该款未限定赛事类别，参赛{inp.participants}人时{_range_text(strict)}。",
            "仅适用于前两款赛事": f"{inp.contest_type.value}的奖项（含是否设优胜奖）由主办方按{_art(t, 'a20')}自定。",
        }
        t.warn(f"{_art(t, 'a18')}第三款（优胜奖、参赛证书）未写明适用的赛事类别，是否适用于" + inp.contest_type.value + "条文未明确。")
        return ambiguous(t, value, summary + f"{_art(t, 'a18')}第三款的优胜奖是否适用，条文存在两种理解。")
    if inp.rank <= top.value:
        value["award"] = "由主办方按本区域、行业奖励办法确定"
        return t.result(Outcome.computed, value, f"{inp.contest_type.value}前3名的奖项和奖金本办法未作规定，由各区、"
                                                 f"行业主管部门自定（{_art(t, 'a20')}）。")
    if inp.participants is None:
        t.ask("participants", "该竞赛项目共有多少名参赛选手？", f"若{_art(t, 'a18')}第三款适用于本赛事，需按参赛人数判断优胜奖")
        return t.result(Outcome.needs_info, value, "需要参赛人数。")
    line, _ = _merit_line(inp, t)
    would = "优胜奖" if inp.rank <= line else "参赛证书"
    value["readings"] = {
        f"{_art(t, 'a18')}第三款普遍适用": f"该款未限定赛事类别，按参赛人数1/2线（{line.normalize():f}名）第{inp.rank}名可获{would}。",
        "仅适用于前两款赛事": f"{_art(t, 'a18')}只规定全市技能大赛和市级行业一类赛，{inp.contest_type.value}的奖项由主办方按{_art(t, 'a20')}自定。",
    }
    t.warn(f"{_art(t, 'a18')}第三款（优胜奖、参赛证书）未写明适用的赛事类别，是否适用于" + inp.contest_type.value + "条文未明确。")
    return ambiguous(t, value, f"{inp.contest_type.value}第{inp.rank}名能否获优胜奖，条文存在两种理解。")


_TEAM_ZH = {"gold": "金奖", "silver": "银奖", "bronze": "铜奖", "merit": "优胜奖", "participation": "参赛项目"}


def team_score_total(t: Trace, counts: dict[str, int]) -> ToolResult:
    """第十九条 计分: the one implementation behind `team_score` and `skills_contest_award`'s 团体总分 mode."""
    points = t.param("contest_team_points")
    breakdown = {k: counts[k] * points[k] for k in _TEAM_ZH}
    total = sum(breakdown.values())
    parts = "＋".join(f"{_TEAM_ZH[k]}{counts[k]}×{points[k]}" for k in _TEAM_ZH if counts[k])
    t.step("team_score", f"{_art(t, 'a19')}：金奖5分、银奖4分、铜奖3分、优胜奖2分、参赛项目1分。{parts or '0'}＝{total}分；"
           "团体总分第一名的区获“乌海市高技能人才培育突出贡献单位”牌匾。", dict(counts), [points])
    listed = "、".join(f"{_TEAM_ZH[k]}{counts[k]}个" for k in _TEAM_ZH if counts[k]) or "没有获奖或参赛项目"
    return t.result(Outcome.computed, {"team_score": total, "breakdown": breakdown, "counts": dict(counts)},
                    f"区团体总分为{total}分（{listed}；{_art(t, 'a19')}）。")


def _team_score(inp: ContestAwardInput, t: Trace) -> ToolResult:
    if inp.contest_type != ContestType.city_grand:
        points = t.param("contest_team_points")
        t.step("team_score_scope", f"{_art(t, 'a19')}的团体计分只适用于全市技能大赛。", {"contest_type": inp.contest_type.value}, [points])
        return t.result(Outcome.not_eligible, {"team_score": None},
                        f"{_art(t, 'a19')}团体总分只适用于全市技能大赛，{inp.contest_type.value}不按此计分。")
    return team_score_total(t, {k: getattr(inp, k) for k in _TEAM_ZH})


class TeamScoreInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gold: int = Field(default=0, ge=0, le=AWARDS_MAX, title="金奖数", description="本区获金奖的项目数")
    silver: int = Field(default=0, ge=0, le=AWARDS_MAX, title="银奖数", description="本区获银奖的项目数")
    bronze: int = Field(default=0, ge=0, le=AWARDS_MAX, title="铜奖数", description="本区获铜奖的项目数")
    merit: int = Field(default=0, ge=0, le=AWARDS_MAX, title="优胜奖数", description="本区获优胜奖的项目数")
    participation: int = Field(default=0, ge=0, le=AWARDS_MAX, title="参赛项目数", description="本区只参赛未获奖的项目数（参赛项目）")


@register("team_score", "全市技能大赛区团体总分", TeamScoreInput, category=CATEGORY)
def team_score(inp: TeamScoreInput, as_of: date) -> ToolResult:
    """按第十九条计算全市技能大赛区团体总分：金奖5分、银奖4分、铜奖3分、优胜奖2分、参赛项目1分。"""
    return team_score_total(Trace(as_of), inp.model_dump())


# ---------------------------------------------------------------- 第十三条 总成绩

class ContestTotalScoreInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    practical_score: Decimal = Field(ge=0, le=SCORE_MAX, title="操作技能成绩", description="操作技能成绩（百分制）")
    theory_score: Decimal | None = Field(default=None, ge=0, le=SCORE_MAX, title="理论知识成绩", description="理论知识成绩（百分制）；未单独设置理论考试可不填")
    practical_weight: Decimal | None = Field(default=None, ge=0, le=SCORE_MAX, title="操作技能成绩权重", description="操作技能成绩权重（%），如 70 表示70%")
    separate_theory: bool | None = Field(default=None, description="是否单独设置理论知识考试（否则理论融入操作技能考核）")


@register("skills_contest_total_score", "竞赛总成绩（理论+操作加权）", ContestTotalScoreInput, category=CATEGORY)
def skills_contest_total_score(inp: ContestTotalScoreInput, as_of: date) -> ToolResult:
    """按第十三条把理论知识与操作技能成绩加权合成总成绩，并检查操作技能权重不低于70%。"""
    t = Trace(as_of)
    minimum = t.param("contest_min_practical_weight")
    if inp.separate_theory is False:
        optional = t.param("contest_theory_optional")
        t.step("no_theory", f"{_art(t, 'a13')}：可不单独设置理论知识考试，但需将其融入操作技能中考核；总成绩即操作技能成绩。",
               {"practical_score": inp.practical_score}, [optional])
        if inp.theory_score is not None:
            t.warn("未单独设置理论考试时不计理论成绩，已忽略所填理论成绩。")
        total = money(inp.practical_score)
        return t.result(Outcome.computed, {"total_score": total, "practical_weight": None}, f"总成绩为{total}分（仅操作技能）。")
    if inp.theory_score is None:
        t.ask("theory_score", "理论知识成绩是多少分？（若未单独设置理论考试，请说明）", "总成绩由理论知识和操作技能两部分加权合成")
        t.step("weights", f"{_art(t, 'a13')}：总成绩由理论知识和操作技能两部分成绩加权合成。", params=[minimum])
        return t.result(Outcome.needs_info, {"total_score": None}, "请提供理论知识成绩。")
    if inp.practical_weight is None:
        low = _weighted(inp.theory_score, inp.practical_score, minimum.value)
        high = _weighted(inp.theory_score, inp.practical_score, Decimal(1))
        t.ask("practical_weight", "本赛项操作技能成绩的权重是多少（%）？", f"总成绩按权重加权合成，{_art(t, 'a13')}要求操作技能权重原则上不低于70%")
        t.step("weights", f"{_art(t, 'a13')}：操作技能权重原则上不低于{pct(minimum.value)}；"
                          f"在允许的权重范围内总成绩介于{min(low, high)}—{max(low, high)}分。",
               {"theory_score": inp.theory_score, "practical_score": inp.practical_score}, [minimum])
        return t.result(Outcome.needs_info, {"total_score": None, "range_over_allowed_weights": [min(low, high), max(low, high)]},
                        "请提供操作技能成绩权重。")
    weight = inp.practical_weight / PERCENT
    total = _weighted(inp.theory_score, inp.practical_score, weight)
    t.step("weighted_total", f"总成绩＝理论{inp.theory_score}×{pct(1 - weight)}＋操作{inp.practical_score}×{pct(weight)}＝{total}分。",
           {"theory_score": inp.theory_score, "practical_score": inp.practical_score, "practical_weight": inp.practical_weight}, [minimum])
    value = {"total_score": total, "practical_weight": weight, "minimum_practical_weight": minimum.value}
    if weight < minimum.value:
        value["weight_compliant"] = False
        return t.result(Outcome.not_eligible, value,
                        f"操作技能权重{pct(weight)}低于{_art(t, 'a13')}“原则上不低于{pct(minimum.value)}”的要求；按该权重总成绩为{total}分，"
                        "如无特殊理由应调整权重。")
    value["weight_compliant"] = True
    return t.result(Outcome.computed, value, f"总成绩为{total}分（操作技能权重{pct(weight)}）。")


def _weighted(theory: Decimal, practical: Decimal, weight: Decimal) -> Decimal:
    return money(theory * (1 - weight) + practical * weight)
