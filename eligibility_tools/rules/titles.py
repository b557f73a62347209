"""职称申报路径: 《乌海市事业单位专业技术岗位设置及职称评聘工作实施意见》五（职称评审）and
《关于做好2023年全市职称评审工作的通知》一（参评人员范围）、四（申报评审政策）.

Every route is a list of three-valued checks (yes / no / unknown) plus `ambiguous` where the text
can be read two ways. A route with a failing check asks nothing; an unknown is asked only when no
route is already eligible. When the user names a special situation (转系列, 调入, 奖项, 城区服务乡镇),
its routes decide and lead the answer, and the core routes' open facts are not asked. The 市直中小学
教师、医生 rural-service rule (2023年通知四、（六）4) is a condition of every route to a senior title and,
for a teacher or doctor, is reported on its own — leading the answer when it decides it. The ordinary 逐级晋升 seniority rules are in the autonomous region's
series conditions (通知四、（一）1), which the compilation does not contain, so they are not judged here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from corpus.loader import load_corpus
from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.bounds import LIST_MAX, MANY_PENDING, MONTHS_MAX, MONTHS_PER_YEAR, NAME_MAX, NEAR_MISS_YEARS, YEARS_MAX
from eligibility_tools.enums import (
    TITLE_ORDER,
    Education,
    TalentAward,
    TitleLevel,
    TransferOrigin,
    UnitType,
    WorkplaceLevel,
)
from eligibility_tools.params import Parameter
from eligibility_tools.registry import register
from eligibility_tools.series import is_doctor, is_teacher, mentions, normalise

NOTICE = "title-review-2023"
YES, NO, UNKNOWN, AMBIGUOUS = "yes", "no", "unknown", "ambiguous"
ANY_LEVEL = "相应职称"
_SCOPE_CLAUSES = {"post-title/s3"}  # 实施意见三、实施范围: cited, but not named in the one-line answer
SENIOR = "高级"
ONE_UP = "高一级"
_EDU_BANDS = ["中专", "大专", "本科", "硕士", "博士"]
_SENIOR_LEVELS = {TitleLevel.fugao, TitleLevel.zhenggao}
_EMPLOYERS = {UnitType.shiye, UnitType.guoqi, UnitType.feigong}  # 企事业单位
_GRASSROOTS = {WorkplaceLevel.qu, WorkplaceLevel.xiangzhen, WorkplaceLevel.cun}

QUESTIONS = {
    "education": "您的最高学历是？（中专 / 技工院校班次 / 大专 / 本科 / 研究生班 / 硕士 / 博士）",
    "full_time": "您的学历是全日制的吗？",
    "years_professional_work": "您从事专业技术工作满几年了？",
    "years_in_township": "您在乡镇（含村）从事专业技术工作累计几年？",
    "years_in_district_or_below": "您在各区及以下（含乡镇、村）从事专业工作累计几年？",
    "current_title": "您现在的职称是什么层级？（无 / 员级 / 助理级 / 中级 / 副高级 / 正高级）",
    "unit_type": "您所在单位是什么性质？（事业单位 / 国有企业 / 非公有制经济组织 / 社会组织 / 自由职业；公务员和离退休人员不能申报职称）",
    "workplace_level": "您在哪一级单位工作？（市直 / 区 / 乡镇 / 村）",
    "series": "您申报哪个职称系列（专业）？（卫生、经济、会计、审计、统计、出版、通信、计算机、外语翻译等中初级职称实行以考代评）",
    "first_application": "这是您第一次申报职称吗？",
    "years_since_transfer": "您从公务员岗位或部队调入企事业单位有几年了？",
    "prior_exceptional_use": "您以前是否通过破格或绿色通道政策取得过职称？（原则上只能享受一次）",
    "months_in_new_post": "您在新岗位从事新系列（专业）工作满几个月了？",
    "transferred_title_obtained": "您是否已经转评取得新系列（专业）的同级职称？",
    "months_since_transfer_title": "取得新系列（专业）同级职称后又工作了几个月？",
    "changing_series": "您是否因岗位变动需要转系列（专业）评审？",
    "teacher_or_doctor": "您是中小学教师或医生吗？",
    "rural_service_years": "您有几年涉农镇办基层工作服务经历？",
}


# What each fact is, in a few words, for "还需确认：…" in the summary.
FACT_ZH = {
    "education": "最高学历", "full_time": "是否全日制学历", "years_professional_work": "从事专业技术工作的年限",
    "years_in_township": "在乡镇（村）工作的年限", "years_in_district_or_below": "在各区及以下工作的年限",
    "current_title": "现有职称层级", "unit_type": "单位性质", "workplace_level": "工作单位层级（市直/区/乡镇/村）",
    "series": "申报的职称系列（专业）", "first_application": "是否首次申报", "years_since_transfer": "调入企事业单位的年限",
    "prior_exceptional_use": "以前是否享受过破格或绿色通道政策", "months_in_new_post": "在新岗位工作的月数",
    "transferred_title_obtained": "是否已转评取得新系列同级职称", "months_since_transfer_title": "取得新系列同级职称后的月数",
    "changing_series": "是否转系列（专业）评审", "teacher_or_doctor": "是否中小学教师或医生",
    "rural_service_years": "涉农镇办基层工作服务经历年限",
}


class TitleRoutesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target_title: TitleLevel | None = Field(default=None, description="拟申报的职称层级（不填则列出所有可走的路径）")
    current_title: TitleLevel | None = Field(default=None, description="现有职称层级（没有职称选“无”）")
    education: Education | None = Field(default=None, description="最高学历（技工院校班次按中专/大专/本科对待）")
    full_time: bool | None = Field(default=None, description="是否全日制学历")
    years_professional_work: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="专业技术工作年限", description="从事专业技术工作年限（年，可含小数）")
    unit_type: UnitType | None = Field(default=None, description="单位性质")
    workplace_level: WorkplaceLevel | None = Field(default=None, description="工作单位层级：市直 / 区 / 乡镇 / 村")
    years_in_township: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="在乡镇、村工作年限", description="在乡镇（街道）、村从事专业技术工作累计年限（年）")
    years_in_district_or_below: float | None = Field(
        default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="在区及以下工作年限", description="在各区及以下（含乡镇、村）从事专业工作累计年限（年）")
    series: str | None = Field(default=None, max_length=NAME_MAX, description="申报的职称系列（专业），如 工程、卫生、会计、中小学教师、农牧业")
    series_exam_instead_of_review: bool | None = Field(
        default=None, description="该系列（专业）中初级是否实行以考代评（不填时按系列名称判断）")
    awards: list[TalentAward] | None = Field(default=None, max_length=LIST_MAX, title="奖项、荣誉或人才项目", description="获得的奖项、荣誉或入选的人才项目（破格申报、绿色通道）")
    prior_exceptional_use: bool | None = Field(default=None, description="以前是否已通过破格或绿色通道政策取得过职称")
    transferred_from: TransferOrigin | None = Field(default=None, description="是否由公务员或军队转业调入企事业单位（不是则不填）")
    years_since_transfer: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="调入后的年限", description="调入企事业单位后的年限（年）")
    first_application: bool | None = Field(default=None, description="是否首次申报职称")
    changing_series: bool | None = Field(default=None, description="是否因岗位变动需要转系列（专业）评审")
    months_in_new_post: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="在新岗位的月数", description="转系列：在新岗位工作的月数")
    transferred_title_obtained: bool | None = Field(default=None, description="转系列：是否已转评取得新系列（专业）同级职称")
    months_since_transfer_title: int | None = Field(default=None, ge=0, le=MONTHS_MAX, title="取得新系列同级职称后的月数", description="转系列：取得新系列同级职称后的月数")
    urban_township_service_years: float | None = Field(
        default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="服务乡镇、村的年限", description="城区专业技术人才取得现有职称后累计服务乡镇、村的年限（年）")
    teacher_or_doctor: bool | None = Field(default=None, description="是否中小学教师或医生（不填时按系列名称判断）")
    rural_service_years: float | None = Field(default=None, ge=0, le=YEARS_MAX, allow_inf_nan=False, title="涉农镇办基层工作服务年限", description="涉农镇办基层工作服务经历年限（年）")


@dataclass
class Check:
    state: str
    text: str
    facts: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    near: bool = False  # a years threshold not yet reached
    gap_years: float | None = None  # how far from the threshold (near checks)
    aspect: str = ""  # which kind of condition a met check is: 学历 / 单位 / 年限 …
    plain: str = ""  # ambiguous checks: the conflict in plain Chinese ("但……")
    confirm: str = ""  # ambiguous checks: what to confirm with the authority
    clause: str = ""  # a clause outside the route's own that this condition comes from (cited when the route is shown)
    caveat: bool = False  # met for the usual case, with an exception stated instead of asked (以考代评的系列除外)

    @property
    def close(self) -> bool:
        """A failed check that is only a short way from its threshold (listed as nearly applying)."""
        return self.near and (self.gap_years is None or self.gap_years <= NEAR_MISS_YEARS)


@dataclass
class Route:
    id: str
    name_zh: str
    level: str | None
    clauses: list[str]
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    params: list[Parameter] = field(default_factory=list)
    matches_target: bool | None = None
    possible_levels: tuple[str, ...] = ()  # what the route can give while its level is still unknown
    grant_zh: str = ""  # what the route gives, in the policy's words; "{level}" is filled in
    act_zh: str = ""  # what the user is trying to do on this route ("转评"), for "目前不能…"
    relative: bool = False  # the level is "高一级" of the current title, resolved from it

    @property
    def grant(self) -> str:
        text = self.grant_zh or self.name_zh
        if self.level in (None, ANY_LEVEL, ONE_UP, SENIOR):  # level not resolved: say nothing rather than "（相应）"
            return text.replace("（{level}）", "").replace("{level}", "相应")
        return text.replace("{level}", self.level)

    @property
    def refs(self) -> str:
        """The clauses that grant the route, as users cite them (the 实施范围 clause is left out of the sentence)."""
        return clause_refs([c for c in self.clauses if c not in _SCOPE_CLAUSES] or self.clauses)

    @property
    def near_miss(self) -> bool:
        return self.status == Outcome.not_eligible and all(c.close for c in self.checks if c.state == NO)

    @property
    def relevant(self) -> bool:
        """Listed in value["routes"]: it applies, may apply, is unclear, or is missed only narrowly."""
        return self.matches_target is not False and (self.status != Outcome.not_eligible or self.near_miss)

    def add(self, check: Check | None) -> None:
        if check is not None:
            self.checks.append(check)

    @property
    def status(self) -> Outcome:
        states = {c.state for c in self.checks}
        if NO in states:
            return Outcome.not_eligible
        if UNKNOWN in states:
            return Outcome.needs_info
        if AMBIGUOUS in states:
            return Outcome.ambiguous
        return Outcome.eligible

    def _texts(self, state: str) -> list[str]:
        return [c.text for c in self.checks if c.state == state]

    @property
    def missing(self) -> list[str]:
        if self.status != Outcome.needs_info:
            return []
        facts: list[str] = []
        for c in self.checks:
            for f in c.facts if c.state == UNKNOWN else ():
                if f not in facts:
                    facts.append(f)
        return facts

    @property
    def reason(self) -> str:
        state = {Outcome.not_eligible: NO, Outcome.needs_info: UNKNOWN, Outcome.ambiguous: AMBIGUOUS}.get(self.status, YES)
        return "；".join(self._texts(state))

    def to_value(self) -> dict:
        status = self.status
        value = {"id": self.id, "name_zh": self.name_zh, "level": self.level, "status": status.value,
                 "matches_target": self.matches_target, "reason": self.reason, "missing": self.missing,
                 "clauses": self.clauses, "clause_refs": self.refs, "grant_zh": self.grant, "notes": self.notes}
        if status == Outcome.not_eligible:
            value["near_miss"] = self.near_miss
        if status == Outcome.ambiguous:
            value["readings"] = [r for c in self.checks if c.state == AMBIGUOUS for r in c.readings]
        return value


# --- helpers -------------------------------------------------------------------------------------

def _rank(level: TitleLevel) -> int:
    return TITLE_ORDER.index(level)


def _next_level(level: TitleLevel) -> TitleLevel | None:
    i = _rank(level) + 1
    return TITLE_ORDER[i] if i < len(TITLE_ORDER) else None


def _fmt(years: float) -> str:
    """Years as users say them: 2 -> '2', 0.17 (2 months) -> '2个月' is done by `_years`; here only the number."""
    return f"{years:g}"


def _years(years: float) -> str:
    """A number of years with its unit, fractions in months: 1.5 -> '1.5年', 0.1667 -> '2个月', 1.6667 -> '1年8个月'."""
    from decimal import Decimal

    from eligibility_tools.inventory.units import format_quantity

    return format_quantity(Decimal(str(years)).quantize(Decimal("0.0001")), "年")


_DOC_SHORT = {"post-title": "实施意见"}  # the notice's short name carries its year, see clause_ref
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、(?:（[一二三四五六七八九十]+）)?(?:\d+)?")


def clause_ref(clause_id: str) -> str:
    """'post-title/s5/p5/i3' -> '实施意见五、（五）3'; 'title-review-2023/s4/p6/i2' -> '2023年通知四、（六）2'."""
    clause = load_corpus().clauses.get(clause_id)
    if clause is None:
        return clause_id
    doc = _DOC_SHORT.get(clause.doc_slug) or (f"{_notice_year()[0]}年通知" if clause.doc_slug == NOTICE else "")
    label = re.sub(r"^《[^》]*》", "", clause.label or "")
    m = _NUMBERING.match(label)
    number = (m.group(0) if m else label).rstrip("、.")
    return f"{doc}{number}" if doc else (clause.label or clause_id)


def clause_refs(clause_ids: list[str]) -> str:
    return "；".join(dict.fromkeys(clause_ref(c) for c in clause_ids))


def _series_zh(inp: TitleRoutesInput) -> str:
    """'卫生' / '卫生系列' -> '卫生系列'; unknown -> '该系列'."""
    name = normalise(inp.series)
    return f"{name}系列" if name else "该系列"


@dataclass
class Facts:
    """The input plus what follows from it (education band, year bounds, series classification)."""

    inp: TitleRoutesInput
    band: str | None = None
    band_note: str = ""
    via_technical_school: bool = False

    def years_bounds(self, kind: str) -> tuple[float | None, float | None]:
        """(lowest, highest) the years can be: 乡镇 ⊆ 各区及以下 ⊆ 全部专业技术工作."""
        prof, dist, town = (self.inp.years_professional_work, self.inp.years_in_district_or_below, self.inp.years_in_township)
        known = {"prof": prof, "dist": dist, "town": town}
        if known[kind] is not None:
            return known[kind], known[kind]
        inner = {"prof": [dist, town], "dist": [town], "town": []}[kind]
        outer = {"prof": [], "dist": [prof], "town": [dist, prof]}[kind]
        lows = [v for v in inner if v is not None]
        highs = [v for v in outer if v is not None]
        return (max(lows) if lows else None), (min(highs) if highs else None)


_YEAR_FACT = {"prof": "years_professional_work", "dist": "years_in_district_or_below", "town": "years_in_township"}
_YEAR_ZH = {"prof": "从事专业技术工作", "dist": "在各区及以下从事专业工作", "town": "在乡镇（村）从事专业技术工作"}


def years_check(facts: Facts, kind: str, threshold: float) -> Check:
    lo, hi = facts.years_bounds(kind)
    need = f"{_YEAR_ZH[kind]}需满{_fmt(threshold)}年"
    if lo is not None and lo >= threshold:
        return Check(YES, f"{need}（已满{_fmt(lo)}年）", aspect="年限")
    if hi is not None and hi < threshold:
        return Check(NO, f"{need}，目前{_years(hi)}，还差{_years(threshold - hi)}", near=True, gap_years=threshold - hi)
    return Check(UNKNOWN, f"{need}，需要知道具体年限", (_YEAR_FACT[kind],))


def education_band(t: Trace, inp: TitleRoutesInput) -> Facts:
    facts = Facts(inp)
    edu = inp.education
    if edu is None:
        return facts
    equiv = t.params.get("title_technical_school_equivalence")
    if edu.value in equiv.value:
        facts.band = equiv[edu.value]
        facts.via_technical_school = True
        facts.band_note = f"{edu.value}毕业可按{facts.band}学历申报相应系列职称"
        t.step("technical_school", facts.band_note + "（2023年通知四、（二）2）。", inputs={"education": edu.value}, params=[equiv])
    elif edu == Education.yanjiusheng_ban:
        facts.band = "本科"
        facts.band_note = "研究生班（未获硕士学位）按本科毕业对待"
    else:
        facts.band = edu.value
    return facts


def employment_signal(inp: TitleRoutesInput) -> str:
    """What in the user's facts already says they work as a professional in a 企事业单位 ('' when nothing does).

    公务员 and 离退休人员 may not apply (2023年通知一、（三）); a person who names their series, is changing
    series, was transferred into a 企事业单位, or gives a workplace together with years (or a teaching / medical
    post) there is asking as an employee, so the exclusion is stated, not asked.
    """
    years = [inp.years_professional_work, inp.years_in_township, inp.years_in_district_or_below, inp.urban_township_service_years]
    if inp.transferred_from is not None:
        return f"由{inp.transferred_from.value}调入企事业单位"
    if inp.changing_series:
        return "因岗位变动转系列（专业）"
    if inp.series:
        return f"申报{_series_zh(inp)}职称"
    if inp.workplace_level is not None and (any(y is not None for y in years) or inp.teacher_or_doctor):
        return f"在{inp.workplace_level.value}单位从事专业技术工作"
    return ""


def excluded_check(t: Trace, inp: TitleRoutesInput) -> Check:
    p = t.params.get("title_excluded_applicants")
    if inp.unit_type is None:
        if employment_signal(inp):
            return Check(YES, "公务员（含参公人员）和离退休人员不得申报；按您所述视为企事业单位专业技术人员")
        return Check(UNKNOWN, "需确认不是公务员（含参公人员）或离退休人员（二者不得申报职称）", ("unit_type",))
    if inp.unit_type.value in p.value:
        return Check(NO, f"{inp.unit_type.value}不得申报评审或考核认定职称（2023年通知一、（三））")
    return Check(YES, f"单位性质为{inp.unit_type.value}，可以申报职称", aspect="单位")


def scope_check(t: Trace, inp: TitleRoutesInput) -> Check:
    """实施意见三、实施范围: the 实施意见's 职称 rules speak to 事业单位 staff."""
    p = t.params.get("title_institution_scope")
    if inp.unit_type is None:
        return Check(UNKNOWN, "该条款出自事业单位的实施意见，需确认您在事业单位工作", ("unit_type",))
    if inp.unit_type.value == p.value:
        return Check(YES, "在事业单位工作，适用实施意见", aspect="单位")
    return Check(NO, f"实施意见适用于事业单位专业技术人员（三、实施范围），您的单位性质为{inp.unit_type.value}")


def exam_mode(t: Trace, inp: TitleRoutesInput, level: TitleLevel | None) -> str | None:
    """以考代评 / 考评结合 / 评审 for the series at this level; None when the series is unknown."""
    exam = t.params.get("title_exam_instead_of_review")
    combo = t.params.get("title_exam_and_review_senior")
    if level is None:
        return "评审"
    if level.value in exam["levels"]:
        if inp.series_exam_instead_of_review is not None:
            return "以考代评" if inp.series_exam_instead_of_review else "评审"
        if not inp.series:
            return None
        return "以考代评" if mentions(inp.series, list(exam["series"])) else "评审"
    if level.value in combo["levels"] and inp.series and mentions(inp.series, list(combo["series"])):
        return "考评结合"
    return "评审"


def _exam_series_zh(t: Trace) -> str:
    """The series whose 中初级 titles are obtained by exam (以考代评), from the parameter."""
    exam = t.params.get("title_exam_instead_of_review")
    return "、".join(exam["series"])


def recognition_exam_check(t: Trace, inp: TitleRoutesInput, level: TitleLevel) -> Check:
    mode = exam_mode(t, inp, level)
    if mode is None:
        # The series is an exception, not the rule: answer for the usual case and say which series are excepted,
        # rather than asking first (the question "能认定中级吗" is answered either way; only a few series differ).
        return Check(YES, f"以考代评的系列除外：{_exam_series_zh(t)}的{level.value}职称考试合格即取得，不用考核认定", caveat=True)
    if mode == "以考代评":
        return Check(NO, f"{inp.series or '该系列'}{level.value}职称实行以考代评，考试合格即取得，不能考核认定（以考代评专业除外）")
    return Check(YES, f"{inp.series}不属于以考代评系列（专业）")


def review_exam_check(t: Trace, inp: TitleRoutesInput, route: Route, level: TitleLevel | None,
                      senior_exam_waived: bool = False) -> Check | None:
    """A 评审 route at a level the series obtains by exam: the text does not say which rule wins."""
    mode = exam_mode(t, inp, level)
    if level is None:
        return None
    if mode is None:
        return Check(YES, f"若申报的是以考代评的系列（{_exam_series_zh(t)}），其{level.value}职称考试合格即取得、不再评审", caveat=True)
    if mode == "以考代评":
        t.cite("post-title/s5/p2/i2", f"{NOTICE}/s4/p3/i1")
        return Check(AMBIGUOUS, f"{inp.series or '该系列'}{level.value}实行以考代评，而本条没有写“以考代评专业除外”", readings=(
            f"读法一：本条是特别规定，{route.name_zh}不排除以考代评系列，可参加{level.value}评审",
            f"读法二：以考代评系列“不再进行相应的评审或认定”（实施意见五、（二）2；2023年通知四、（三）1），只能参加考试取得{level.value}"),
            plain=f"{_series_zh(inp)}{level.value}职称按国家统一安排实行以考代评（{clause_refs(['post-title/s5/p2/i2'])}）",
            confirm=f"是参加{level.value}职称评审还是参加全国统一考试")
    if mode == "考评结合":
        route.notes.append("卫生、经济、会计、审计、统计等系列高级职称实行考评结合" + (
            "；破格申报正高级的，国家没有明确规定的可不参加考试" if senior_exam_waived else "，须先参加考试并达到合格标准"))
    return None


def target_level_check(route: Route, inp: TitleRoutesInput, level: TitleLevel | None) -> None:
    if level is not None and inp.current_title is not None and _rank(inp.current_title) >= _rank(level):
        route.add(Check(NO, f"您已具有{inp.current_title.value}职称，本途径只能取得{level.value}"))


def one_up(route: Route, inp: TitleRoutesInput) -> TitleLevel | None:
    """高一级: resolved from the current title; asked only if a target is given and it decides."""
    if inp.current_title is None:
        if inp.target_title is not None:
            route.add(Check(UNKNOWN, "“高一级”取决于现有职称", ("current_title",)))
        return None
    level = _next_level(inp.current_title)
    if level is None:
        route.add(Check(NO, "已是正高级职称，没有更高一级"))
    route.level = level.value if level else ONE_UP
    route.relative = level is not None
    return level


def once_check(t: Trace, inp: TitleRoutesInput, clause: str) -> Check:
    if inp.prior_exceptional_use is True:
        return Check(NO, "已通过破格或绿色通道取得过职称，原则上只享受一次政策优惠")
    if inp.prior_exceptional_use is None:
        return Check(UNKNOWN, "破格、绿色通道政策原则上只享受一次", ("prior_exceptional_use",))
    return Check(YES, "此前未享受过破格或绿色通道政策")


def teacher_or_doctor(inp: TitleRoutesInput) -> bool | None:
    """中小学教师或医生: as told, else from the series (卫生 alone may be a nurse or pharmacist: unknown)."""
    if inp.teacher_or_doctor is not None or not inp.series:
        return inp.teacher_or_doctor
    if is_teacher(inp.series) or is_doctor(inp.series):
        return True
    return None if mentions(inp.series, ["卫生"]) else False


def rural_service_check(t: Trace, inp: TitleRoutesInput, level: TitleLevel | None) -> Check | None:
    """2023年通知四、（六）4: 市直中小学教师、医生晋升高级职称原则上要有1年以上涉农镇办基层工作服务经历.

    None when it cannot apply (not a senior level, not a teacher or doctor, not 市直, not a 事业单位).
    """
    p = t.params.get("title_city_teacher_doctor_rural_service")
    if level is None or level.value not in p["levels"]:
        return None
    td = teacher_or_doctor(inp)
    wp = inp.workplace_level
    if td is False or (wp is not None and wp.value not in p["workplaces"]):
        return None
    if inp.unit_type is not None and inp.unit_type != UnitType.shiye:  # 市直中小学、医院 are 事业单位
        return None
    need = f"市直中小学教师、医生晋升高级职称原则上要有{_fmt(p['years'])}年以上涉农镇办基层工作服务经历"
    years = inp.rural_service_years
    if years is not None and years >= p["years"]:
        return Check(YES, f"{need}（已有{_fmt(years)}年）", clause=p.clause_id)
    if td is None:  # ask who they are before asking about rural service
        return Check(UNKNOWN, need, ("teacher_or_doctor",) + (("workplace_level",) if wp is None else ()), clause=p.clause_id)
    unknown = (("workplace_level",) if wp is None else ()) + (("rural_service_years",) if years is None else ())
    if unknown:
        return Check(UNKNOWN, need, unknown, clause=p.clause_id)
    return Check(NO, f"{need}（目前{_years(years)}，还差{_years(p['years'] - years)}）", near=True, gap_years=p["years"] - years,
                 clause=p.clause_id)


def _route_senior_level(r: Route, inp: TitleRoutesInput) -> TitleLevel | None:
    """The level a route leads to for the 市直教师医生 rule: its own level, else the target it is asked for."""
    if r.matches_target is False:
        return None
    level = _as_level(r.level)
    if level is None and r.level == SENIOR and inp.target_title is None:
        level = TitleLevel.fugao
    return level or inp.target_title


# --- routes --------------------------------------------------------------------------------------

def route_assessment(t: Trace, f: Facts) -> Route:
    inp = f.inp
    p = t.params.get("title_assessment_recognition")
    r = Route("assessment_recognition", "考核认定（实施意见）", None, ["post-title/s5/p8", "post-title/s3"], params=[p],
              possible_levels=tuple(sorted({v["level"] for v in p["by_degree"].values()})),
              grant_zh="经考核合格可直接申请认定{level}职称，不需要评审")
    r.add(scope_check(t, inp))
    rule = p["by_degree"].get(f.band) if f.band else None
    if inp.education is None:
        r.add(Check(UNKNOWN, "可认定的层级和年限取决于学历", ("education",)))
    elif rule is None:
        r.add(Check(NO, f"考核认定限全日制高等院校毕业生（大专及以上），{inp.education.value}不在其列"))
    if rule:
        level = TitleLevel(rule["level"])
        r.level = level.value
        if f.via_technical_school:
            r.add(Check(AMBIGUOUS, f"{f.band_note}，但本条限“全日制高等院校毕业生”", readings=(
                f"读法一：2023年通知四、（二）2 让技工院校毕业生按{f.band}学历申报，可考核认定",
                "读法二：技工院校不是高等院校，考核认定只适用于高等院校毕业生"),
                plain=f"本条限“全日制高等院校毕业生”，技工院校是否算作高等院校条文未明确（{f.band_note}）",
                confirm=f"技工院校毕业能否按{f.band}学历考核认定"))
        if inp.full_time is None:
            r.add(Check(UNKNOWN, "实施意见的考核认定限全日制高等院校毕业生", ("full_time",)))
        elif inp.full_time is False:
            t.cite(f"{NOTICE}/s4/p2/i2")
            r.add(Check(AMBIGUOUS, "实施意见的考核认定限全日制毕业生，2023年通知规定非全日制学历在职称评审方面享有同等待遇", readings=(
                "读法一：实施意见明确要求全日制，非全日制不能考核认定",
                "读法二：按2023年通知四、（二）2 非全日制与全日制同等待遇，可以考核认定（该条说的是“职称评审”，考核认定不经评审）"),
                plain="实施意见的考核认定限全日制毕业生，而2023年通知规定非全日制学历在职称评审方面与全日制享有同等待遇"
                      f"（{clause_refs([f'{NOTICE}/s4/p2/i2'])}）",
                confirm="非全日制学历能否考核认定"))
        else:
            r.add(Check(YES, "全日制高等院校毕业", aspect="学历"))
        if rule["years"]:
            r.add(years_check(f, "prof", rule["years"]))
        else:
            r.add(Check(YES, f"{f.band}毕业可直接认定{level.value}", aspect="学历"))
        r.add(recognition_exam_check(t, inp, level))
        target_level_check(r, inp, level)
    r.notes.append("还须从事本专业或相近专业技术工作并经考核合格")
    return r


def route_grassroots_recognition(t: Trace, f: Facts) -> Route:
    inp = f.inp
    p = t.params.get("title_grassroots_recognition")
    r = Route("grassroots_recognition", "乡镇、村基层考核认定（2023年通知）", None, [f"{NOTICE}/s4/p6/i1"], params=[p],
              possible_levels=tuple(sorted({v["level"] for v in p["by_degree"].values()})),
              grant_zh="在乡镇、村基层单位工作，经考核合格可直接申请认定{level}职称")
    r.add(excluded_check(t, inp))
    if inp.workplace_level is None:
        r.add(Check(UNKNOWN, "本条只适用于在乡镇、村基层单位工作的人员", ("workplace_level",)))
    elif inp.workplace_level.value not in p["workplaces"]:
        r.add(Check(NO, f"本条只适用于在乡镇、村基层单位工作的人员，您在{inp.workplace_level.value}工作"))
    else:
        r.add(Check(YES, f"在{inp.workplace_level.value}基层单位工作", aspect="单位"))
    rule = p["by_degree"].get(f.band) if f.band else None
    if inp.education is None:
        r.add(Check(UNKNOWN, "可认定的层级取决于学历", ("education",)))
    elif rule is None:
        r.add(Check(NO, f"基层考核认定限高等院校毕业生（专科及以上），{inp.education.value}不在其列"))
    if rule:
        level = TitleLevel(rule["level"])
        r.level = level.value
        if f.via_technical_school:
            r.add(Check(AMBIGUOUS, f"{f.band_note}，但本条说的是“高等院校毕业生”", readings=(
                f"读法一：按2023年通知四、（二）2 以{f.band}学历对待，可认定{level.value}",
                "读法二：技工院校不是高等院校，不适用考核认定"),
                plain=f"本条说的是“高等院校毕业生”，技工院校是否算作高等院校条文未明确（{f.band_note}）",
                confirm=f"技工院校毕业能否按{f.band}学历在基层考核认定"))
        if rule["years"]:
            r.add(years_check(f, "town", rule["years"]))
        else:
            r.add(Check(YES, f"{f.band}学历在基层工作后即可认定{level.value}", aspect="学历"))
        r.add(recognition_exam_check(t, inp, level))
        target_level_check(r, inp, level)
    r.notes.append("还须从事本专业或相近专业技术工作并经考核合格")
    return r


def route_township_intermediate(t: Trace, f: Facts) -> Route:
    inp = f.inp
    p = t.params.get("title_township_direct_intermediate")
    level = TitleLevel(p["level"])
    r = Route("township_direct_intermediate", "乡镇事业单位直接参加中级评审", level.value,
              ["post-title/s5/p5/i3", f"{NOTICE}/s4/p6/i2"], params=[p], grant_zh="经考核合格可直接参加{level}职称评审")
    if inp.unit_type is None:
        r.add(Check(UNKNOWN, "本条限乡镇事业单位专业技术岗位", ("unit_type",)))
    elif inp.unit_type != UnitType.shiye:
        r.add(Check(NO, f"本条限乡镇事业单位专业技术岗位，您的单位性质为{inp.unit_type.value}"))
    else:
        r.add(Check(YES, "在事业单位专业技术岗位工作", aspect="单位"))
    if inp.workplace_level is None:
        r.add(Check(UNKNOWN, "本条限乡镇事业单位", ("workplace_level",)))
    elif inp.workplace_level.value not in p["workplaces"]:
        r.add(Check(NO, f"本条限乡镇事业单位，您在{inp.workplace_level.value}工作"))
    else:
        r.add(Check(YES, f"单位在{inp.workplace_level.value}", aspect="单位"))
    by_degree = p["by_degree"]
    if inp.education is None:
        r.add(Check(UNKNOWN, "本科满2年、大专满4年，年限取决于学历", ("education",)))
    else:
        key = "本科" if f.band and _EDU_BANDS.index(f.band) >= _EDU_BANDS.index("本科") else f.band
        if key not in by_degree:
            r.add(Check(NO, f"本条适用于本科、大专毕业生，{inp.education.value}不在其列"))
        else:
            if f.band_note:
                r.notes.append(f.band_note)
            r.add(Check(YES, f"{key}毕业（本条适用于本科毕业生满{by_degree['本科']}年、大专毕业生满{by_degree['大专']}年）", aspect="学历"))
            r.add(years_check(f, "town", by_degree[key]))
    r.add(review_exam_check(t, inp, r, level))
    target_level_check(r, inp, level)
    r.notes.append("须经考核合格")
    return r


def route_non_public(t: Trace, f: Facts, level: TitleLevel) -> Route:
    inp = f.inp
    p = t.params.get("title_non_public_direct")
    rules = p[level.value]
    rid = "non_public_intermediate" if level == TitleLevel.zhongji else "non_public_senior"
    r = Route(rid, f"非公有制领域直接申报{level.value}", level.value, [f"{NOTICE}/s4/p7"], params=[p],
              grant_zh="非公有制领域专业技术人才不受逐级申报限制，可直接申报{level}职称")
    if inp.unit_type is None:
        r.add(Check(UNKNOWN, "本条适用于非公有制领域专业技术人才", ("unit_type",)))
    elif inp.unit_type == UnitType.feigong:
        r.add(Check(YES, "在非公有制经济组织工作，可不受逐级申报限制", aspect="单位"))
    elif inp.unit_type in (UnitType.shehui_zuzhi, UnitType.ziyou):
        r.add(Check(AMBIGUOUS, f"{inp.unit_type.value}是否属于“非公有制领域”，条文没有界定", readings=(
            f"读法一：{inp.unit_type.value}不属于公有制单位，可适用非公有制领域倾斜政策",
            "读法二：“非公有制领域”只指民营企业等非公有制经济组织"),
            plain=f"{inp.unit_type.value}是否属于“非公有制领域”，条文没有界定",
            confirm=f"{inp.unit_type.value}能否按非公有制领域政策直接申报"))
    else:
        r.add(Check(NO, f"本条适用于非公有制领域，您的单位性质为{inp.unit_type.value}"))
    if inp.education is None:
        r.add(Check(UNKNOWN, "年限要求取决于学历（本科或专科）", ("education",)))
    else:
        key = "本科" if f.band and _EDU_BANDS.index(f.band) >= _EDU_BANDS.index("本科") else f.band
        if key not in rules:
            need = "、".join(f"{k}毕业满{v}年" for k, v in rules.items())
            r.add(Check(NO, f"直接申报{level.value}须{need}，{inp.education.value}不在其列"))
        else:
            if f.band_note:
                r.notes.append(f.band_note)
            r.add(Check(YES, f"{key}毕业", aspect="学历"))
            r.add(years_check(f, "prof", rules[key]))
    r.add(review_exam_check(t, inp, r, level))
    target_level_check(r, inp, level)
    r.notes.append("须符合相应业绩成果条件")
    ce = t.params.get("title_non_public_continuing_education")
    if ce.in_force_on(t.as_of):
        r.notes.append("从2024年开始，非公有制领域专业技术人才需按要求逐步参加继续教育学习")
    return r


def route_long_service(t: Trace, f: Facts) -> Route:
    inp = f.inp
    p = t.params.get("title_long_service_exception")
    r = Route("long_service_exception", "各区满30年、乡镇满20年破格参加高一级评聘", ONE_UP,
              ["post-title/s5/p5/i2", f"{NOTICE}/s4/p6/i3"], params=[p],
              grant_zh="不受学历、专业限制，破格参加高一级（{level}）职称评聘")
    r.add(excluded_check(t, inp))
    town = years_check(f, "town", p["township_years"])
    dist = years_check(f, "dist", p["district_or_below_years"])
    if YES in (town.state, dist.state):
        r.add(town if town.state == YES else dist)
    elif town.state == NO and dist.state == NO:
        r.add(Check(NO, f"{town.text}；或{dist.text}", near=True, gap_years=min(town.gap_years, dist.gap_years)))
    else:
        facts = tuple(x for c in (town, dist) if c.state == UNKNOWN for x in c.facts)
        r.add(Check(UNKNOWN, f"须在乡镇满{p['township_years']}年或在各区及以下满{p['district_or_below_years']}年", facts))
    level = one_up(r, inp)
    r.add(review_exam_check(t, inp, r, level))
    r.notes.append("不受学历、专业（2023年通知：及单位岗位职数）限制；须业绩成果等其他条件符合，实施意见对满30年者要求为“优秀专业技术人才”")
    return r


def route_award_full_senior(t: Trace, f: Facts, awards: list[TalentAward]) -> Route | None:
    inp = f.inp
    p = t.params.get("title_award_full_senior")
    prog = t.params.get("title_talent_programme")
    by_opinion = [a for a in awards if a.value in p.value]
    by_notice = [a for a in awards if a.value in prog[TitleLevel.zhenggao.value]]
    if not by_opinion and not by_notice:
        return None
    clauses = (["post-title/s5/p4/i1", "post-title/s5/p4/i5"] if by_opinion else []) + ([f"{NOTICE}/s4/p5/i6"] if by_notice else [])
    r = Route("exceptional_full_senior", "破格（直接）申报正高级", TitleLevel.zhenggao.value, clauses,
              params=([p] if by_opinion else []) + ([prog] if by_notice else []), grant_zh="破格（直接）申报正高级职称")
    names = "、".join(a.value for a in by_opinion + by_notice)
    r.add(Check(YES, f"获得/入选：{names}"))
    if not by_notice:
        r.add(scope_check(t, inp))
        r.clauses.append("post-title/s3")
    else:
        r.add(excluded_check(t, inp))
    r.add(once_check(t, inp, "post-title/s5/p4/i5"))
    review_exam_check(t, inp, r, TitleLevel.zhenggao, senior_exam_waived=bool(by_opinion))
    target_level_check(r, inp, TitleLevel.zhenggao)
    r.notes.append("须经单位推荐" if by_opinion else "须在培养期内业绩成果突出")
    return r


def route_award_one_up(t: Trace, f: Facts, awards: list[TalentAward]) -> Route | None:
    inp = f.inp
    p = t.params.get("title_award_one_level_up")
    prog = t.params.get("title_talent_programme")
    by_opinion = [a for a in awards if a.value in p["awards"]]
    by_notice = [a for a in awards if a.value in prog[ONE_UP]]
    if not by_opinion and not by_notice:
        return None
    clauses = (["post-title/s5/p4/i2", "post-title/s5/p4/i5"] if by_opinion else []) + ([f"{NOTICE}/s4/p5/i6"] if by_notice else [])
    r = Route("exceptional_one_level_up", "破格（直接）申报高一级", ONE_UP, clauses,
              params=([p] if by_opinion else []) + ([prog] if by_notice else []), grant_zh="破格（直接）申报高一级（{level}）职称")
    wp = inp.workplace_level
    checks: list[Check] = []
    for a in by_notice:
        checks.append(Check(YES, f"入选{a.value}，可直接申报高一级（2023年通知四、（五）6）"))
    for a in by_opinion:
        if a.value in p["district_or_below_only"]:
            if wp is None:
                checks.append(Check(UNKNOWN, f"{a.value}须在各区及以下地区工作", ("workplace_level",)))
            elif wp.value in p["workplaces"]:
                checks.append(Check(YES, f"在{wp.value}工作，获{a.value}"))
            else:
                checks.append(Check(NO, f"{a.value}须在各区及以下地区工作，您在{wp.value}工作"))
        elif a.value in p["scope_unclear"]:
            if wp is None:
                checks.append(Check(UNKNOWN, f"{a.value}：“在各区及以下地区工作”是否也限定本项，取决于工作地", ("workplace_level",)))
            elif wp.value in p["workplaces"]:
                checks.append(Check(YES, f"在{wp.value}工作，获{a.value}"))
            else:
                checks.append(Check(AMBIGUOUS, f"{a.value}，但在{wp.value}工作", readings=(
                    "读法一：“在各区及以下地区工作”只限定科技成果二、三等奖，行业一等奖两项以上不限工作地，可破格",
                    "读法二：“在各区及以下地区工作”限定整项（1），市直人员不适用"),
                    plain=f"条文中“在各区及以下地区工作”是否也限定{a.value}不明确，而您在{wp.value}工作",
                    confirm=f"在{wp.value}工作能否凭该奖项破格申报"))
        else:
            checks.append(Check(YES, f"获得/入选：{a.value}"))
    # several awards: the best one decides (any yes > ambiguous > unknown > no)
    for state in (YES, AMBIGUOUS, UNKNOWN, NO):
        chosen = [c for c in checks if c.state == state]
        if chosen:
            r.add(chosen[0])
            break
    if by_notice:
        r.add(excluded_check(t, inp))
    else:
        r.add(scope_check(t, inp))
        r.clauses.append("post-title/s3")
    r.add(once_check(t, inp, "post-title/s5/p4/i5"))
    level = one_up(r, inp)
    r.add(review_exam_check(t, inp, r, level))
    r.notes.append("须经单位推荐；考评结合系列须按要求参加考试并达到合格标准")
    return r


def route_programme_intermediate(t: Trace, f: Facts, awards: list[TalentAward]) -> Route | None:
    inp = f.inp
    prog = t.params.get("title_talent_programme")
    hits = [a for a in awards if a.value in prog[TitleLevel.zhongji.value]]
    if not hits:
        return None
    level = TitleLevel.zhongji
    r = Route("talent_programme_intermediate", "人才培养项目人选直接申报中级（绿色通道）", level.value,
              [f"{NOTICE}/s4/p5/i6", f"{NOTICE}/s4/p5"], params=[prog], grant_zh="绿色通道直接申报{level}职称")
    r.add(Check(YES, f"入选{hits[0].value}"))
    wp = inp.workplace_level
    if wp is None:
        r.add(Check(UNKNOWN, "须在三区及以下单位工作", ("workplace_level",)))
    elif wp.value in prog["intermediate_workplaces"]:
        r.add(Check(YES, f"在{wp.value}工作（三区及以下单位）"))
    else:
        r.add(Check(NO, f"须在三区及以下单位工作，您在{wp.value}工作"))
    r.add(excluded_check(t, inp))
    r.add(once_check(t, inp, f"{NOTICE}/s4/p5"))
    r.add(review_exam_check(t, inp, r, level))
    target_level_check(r, inp, level)
    r.notes.append("须在培养期内业绩成果突出")
    return r


def route_green_channel(t: Trace, f: Facts, award: TalentAward) -> Route | None:
    inp = f.inp
    p = t.params.get("title_green_channel")
    item = p.value.get(award.value)
    if item is None:
        return None
    level_text = item["level"]
    r = Route(f"green_channel:{award.name}", f"绿色通道：{award.value}", level_text, [item["clause"], f"{NOTICE}/s4/p5"], params=[p],
              grant_zh=f"绿色通道：{item['text']}")
    r.add(Check(YES, f"{award.value}：{item['text']}"))
    r.add(excluded_check(t, inp))
    if award == TalentAward.yishi_yiyi:
        if inp.workplace_level is None or inp.unit_type is None:
            r.add(Check(UNKNOWN, "限市直事业单位", tuple(x for x, v in (("workplace_level", inp.workplace_level),
                                                                        ("unit_type", inp.unit_type)) if v is None)))
        elif inp.workplace_level != WorkplaceLevel.shizhi or inp.unit_type != UnitType.shiye:
            r.add(Check(NO, "“一事一议”引进人才条款限市直事业单位"))
    if award == TalentAward.haiwai_guiguo:
        r.add(first_application_check(inp))
    if award != TalentAward.shibenji_yinjin:
        r.add(once_check(t, inp, f"{NOTICE}/s4/p5"))
    level = _as_level(level_text)
    if level is not None:
        target_level_check(r, inp, level)
    r.notes.append("考评结合系列须按要求参加考试并达到合格标准")
    return r


def first_application_check(inp: TitleRoutesInput) -> Check:
    first = inp.first_application
    if first is None and inp.current_title == TitleLevel.none:
        first = True
    if first is None:
        return Check(UNKNOWN, "限首次（初次）申报职称", ("first_application",))
    if not first:
        return Check(NO, "限首次（初次）申报职称，您已申报过")
    return Check(YES, "首次申报职称", aspect="首次申报")


def route_civil_servant_transfer(t: Trace, f: Facts) -> Route | None:
    inp = f.inp
    if inp.transferred_from is None:
        return None
    p = t.params.get("title_transfer_first_application")
    r = Route("civil_servant_transfer", f"{inp.transferred_from.value}调入企事业单位后初次申报", ANY_LEVEL,
              ["post-title/s5/p4/i4", f"{NOTICE}/s4/p5/i7", "post-title/s5/p4/i5"], params=[p],
              grant_zh="调入企事业单位后初次申报，不受职称任职资格限制，比照同等条件人员参评相应职称",
              act_zh=f"按{inp.transferred_from.value}调入后初次申报的政策申报")
    if inp.unit_type is None:  # the input itself says "调入企事业单位"
        r.add(Check(YES, f"已由{inp.transferred_from.value}调入企事业单位"))
    elif inp.unit_type not in _EMPLOYERS:
        r.add(Check(NO, f"须已调入企事业单位工作，您的单位性质为{inp.unit_type.value}"))
    r.add(first_application_check(inp))
    years = inp.years_since_transfer
    limit = p.value
    if years is None:
        r.add(Check(UNKNOWN, f"实施意见限调入后{limit}年内初次申报（2023年通知未写年限）", ("years_since_transfer",)))
    elif years <= limit:
        r.add(Check(YES, f"调入{_fmt(years)}年，在{limit}年内"))
    else:
        r.add(Check(AMBIGUOUS, f"调入已{_fmt(years)}年，超过实施意见的{limit}年", readings=(
            f"读法一：实施意见五、（四）4 限调入后{limit}年内初次申报，已超过，不能按此申报",
            "读法二：2023年通知四、（五）7 对公务员、军转人员首次申报没有年限限制，可直接申报相应职称"),
            plain=f"您调入已{_fmt(years)}年，超过实施意见规定的{limit}年，而2023年通知对首次申报没有写年限",
            confirm=f"调入超过{limit}年能否按初次申报政策比照同等条件人员申报"))
    r.add(once_check(t, inp, "post-title/s5/p4/i5"))
    r.notes.append("不受职称任职资格限制，比照同等条件人员参评相应职称；考评结合系列须先考试合格")
    return r


def _months_zh(months: int) -> str:
    """12 -> '1年', 18 -> '18个月' (the text states these periods in years)."""
    return f"{months // MONTHS_PER_YEAR}年" if months and months % MONTHS_PER_YEAR == 0 else f"{months}个月"


def routes_series_change(t: Trace, f: Facts) -> list[Route]:
    """实施意见五、（七）/ 2023年通知四、（十五）: 先转后评 — 新岗位满1年转评同级，转评满1年申报新系列高一级."""
    inp = f.inp
    if inp.changing_series is not True:
        return []
    p = t.params.get("title_series_change")
    clauses = ["post-title/s5/p7", f"{NOTICE}/s4/p15"]
    routes = []
    need_post = p["same_level_min_months"]
    months = inp.months_in_new_post
    # Not a year in the new post yet: the same-level transfer cannot have happened, so "先转后评" already answers.
    obtained = inp.transferred_title_obtained
    if obtained is None and months is not None and months < need_post:
        obtained = False
    if obtained is not True:
        same = Route("series_change_same_level", "转系列（专业）评审同级职称", None, clauses, params=[p],
                     grant_zh="在新岗位工作满1年后转评新系列（专业）同级（{level}）职称", act_zh="转评")
        if inp.current_title == TitleLevel.none:
            same.add(Check(NO, "没有职称，无需转系列，可直接在新系列申报"))
        elif inp.current_title is not None:
            same.level = inp.current_title.value
        need = f"需在新工作岗位工作满{_months_zh(need_post)}以上"
        if months is None:
            same.add(Check(UNKNOWN, need, ("months_in_new_post",)))
        elif months >= need_post:
            same.add(Check(YES, f"{need}（已满{months}个月）", aspect="年限"))
        else:
            same.add(Check(NO, f"{need}（已满{months}个月，还差{need_post - months}个月）", near=True,
                           gap_years=(need_post - months) / MONTHS_PER_YEAR))
        same.add(excluded_check(t, inp))
        same.notes.append("先转后评：须先转评同级，再申报新系列高一级；资历和任职年限连续计算，业绩成果予以认可")
        routes.append(same)
    up = Route("series_change_higher_level", "转系列后申报新系列高一级", ONE_UP, clauses, params=[p],
               grant_zh="转系列满1年后申报新系列高一级（{level}）职称", act_zh="申报新系列高一级职称")
    need_title = p["higher_level_min_months"]
    if obtained is None:
        up.add(Check(UNKNOWN, "先转后评：须先取得新系列同级职称", ("transferred_title_obtained",)))
    elif obtained is False:
        up.add(Check(NO, f"须先转评取得新系列（专业）同级职称（先转后评），转系列满{_months_zh(need_title)}后才能申报新系列高一级"))
    else:
        since = inp.months_since_transfer_title
        if since is None:
            up.add(Check(UNKNOWN, f"取得新系列职称后须满{_months_zh(need_title)}", ("months_since_transfer_title",)))
        elif since >= need_title:
            up.add(Check(YES, f"转系列后已{since}个月，满{_months_zh(need_title)}", aspect="年限"))
        else:
            up.add(Check(NO, f"转系列满{_months_zh(need_title)}后才能申报高一级（已满{since}个月，还差{need_title - since}个月）",
                         near=True, gap_years=(need_title - since) / MONTHS_PER_YEAR))
    up.add(excluded_check(t, inp))
    level = one_up(up, inp)
    up.add(review_exam_check(t, inp, up, level))
    up.notes.append("还须符合新系列高一级的申报条件；过去的资历连续计算")
    routes.append(up)
    return routes


def route_urban_service(t: Trace, f: Facts) -> Route | None:
    inp = f.inp
    if inp.urban_township_service_years is None:
        return None
    p = t.params.get("title_urban_township_service")
    r = Route("urban_township_service_advance", f"城区人员服务乡镇、村满{p['service_years']}年提前{p['advance_years']}年参评高一级",
              ONE_UP, [f"{NOTICE}/s4/p6/i4"], params=[p],
              grant_zh=f"城区专业技术人才服务乡镇、村累计满{p['service_years']}年，可提前{p['advance_years']}年参评高一级（{{level}}）职称")
    wp = inp.workplace_level
    if wp is None:
        r.add(Check(UNKNOWN, "本条适用于城区专业技术人才", ("workplace_level",)))
    elif wp not in (WorkplaceLevel.shizhi, WorkplaceLevel.qu):
        r.add(Check(NO, f"本条适用于城区专业技术人才，您在{wp.value}工作"))
    years = inp.urban_township_service_years
    if years >= p["service_years"]:
        r.add(Check(YES, f"取得现有职称后累计服务乡镇、村{_fmt(years)}年，满{p['service_years']}年"))
    else:
        r.add(Check(NO, f"须累计服务乡镇、村满{p['service_years']}年，目前{_fmt(years)}年", near=True,
                    gap_years=p["service_years"] - years))
    r.add(excluded_check(t, inp))
    level = one_up(r, inp)
    r.add(review_exam_check(t, inp, r, level))
    r.notes.append(f"须作出突出贡献；可比正常任职年限提前{p['advance_years']}年参评（正常年限见自治区评审条件）")
    return r


# --- the tool ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _notice_year() -> tuple[int, date | None]:
    doc = load_corpus().document(NOTICE)
    return doc.period["start"].year, doc.valid_until


def _matches(route: Route, target: TitleLevel | None) -> bool | None:
    if target is None:
        return None
    if route.level == ANY_LEVEL:
        return True
    if route.level == SENIOR:
        return target in _SENIOR_LEVELS
    if route.level is None and route.possible_levels:
        return None if target.value in route.possible_levels else False
    if route.level in (None, ONE_UP):
        return None
    return TitleLevel(route.level) == target


def _as_level(text: str | None) -> TitleLevel | None:
    return next((lv for lv in TitleLevel if lv.value == text), None)


def _level_rank(route: Route) -> int:
    level = _as_level(route.level)
    return _rank(level) if level is not None else -1


@register("title_application_routes", "职称申报路径", TitleRoutesInput, category="职称评审")
def title_application_routes(inp: TitleRoutesInput, as_of: date) -> ToolResult:
    """按学历、年限、单位性质、工作地、奖项等判断可走的每条职称申报/认定途径（考核认定、基层认定、乡镇直评、非公、破格、绿色通道、转系列等）。"""
    t = Trace(as_of)
    f = education_band(t, inp)
    awards = list(dict.fromkeys(inp.awards or []))

    routes: list[Route] = [route_assessment(t, f), route_grassroots_recognition(t, f), route_township_intermediate(t, f),
                           route_non_public(t, f, TitleLevel.zhongji), route_non_public(t, f, TitleLevel.fugao),
                           route_long_service(t, f)]
    optional = [route_award_full_senior(t, f, awards), route_award_one_up(t, f, awards), route_programme_intermediate(t, f, awards),
                *[route_green_channel(t, f, a) for a in awards], route_civil_servant_transfer(t, f), *routes_series_change(t, f),
                route_urban_service(t, f)]
    routes += [r for r in optional if r is not None]

    # Asking to stay at one's own level only makes sense when changing series.
    if (inp.target_title is not None and inp.current_title is not None and inp.target_title == inp.current_title
            and inp.changing_series is None and inp.current_title != TitleLevel.none):
        t.ask("changing_series", QUESTIONS["changing_series"], "申报与现有职称同级的职称，只有转系列（专业）评审一种情形")

    held = inp.current_title
    for r in routes:
        if (inp.target_title is not None and held is not None and _rank(inp.target_title) <= _rank(held)
                and r.id != "series_change_same_level"):
            r.add(Check(NO, f"您已具有{held.value}职称，不需要再申报{inp.target_title.value}"))
        elif (held is not None and r.level is None and r.possible_levels
              and all(_rank(TitleLevel(x)) <= _rank(held) for x in r.possible_levels)):
            r.add(Check(NO, f"您已具有{held.value}职称，{_gives_zh(r, inp)}"))
        r.matches_target = _matches(r, inp.target_title)
        # 市直中小学教师、医生: a condition of every route to a senior title, whatever the route
        r.add(rural_service_check(t, inp, _route_senior_level(r, inp)))

    # A special situation the user named (转系列, 调入, 奖项, 城区服务乡镇) is the question asked: its routes decide and
    # lead the answer; the core routes' open facts are not asked, they would not change that answer.
    special = [r for r in routes if r.id not in _CORE_ROUTES and r.matches_target is not False]
    not_assessed = [r for r in routes if special and r.id in _CORE_ROUTES and r.matches_target is not False
                    and r.status == Outcome.needs_info]

    # Only routes that apply, may apply or are narrowly missed are explained; the rest are listed with a reason.
    shown = sorted([r for r in routes if r.relevant and r not in not_assessed], key=lambda r: _ORDER[r.status])
    hidden = [r for r in routes if not r.relevant]
    profile = _profile(inp, f)
    for r in shown:
        t.step(r.id, f"{r.name_zh}：{_STATUS_ZH[r.status]}。{r.reason}", inputs={"level": r.level}, params=r.params,
               cite=r.clauses + [c.clause for c in r.checks if c.clause])
    if hidden:
        # Routes the user's own facts opened (an award, a transfer, a series change) stay cited even when they fail:
        # the answer has to say why they do not apply.
        asked_for = [c for r in hidden if r.id not in _CORE_ROUTES and r.matches_target is not False for c in r.clauses]
        t.step("other_routes", f"另外核对了{len(hidden)}条途径，与您的情况不符：" + "；".join(
            f"{r.name_zh}（{_not_applicable_reason(r, inp)}）" for r in hidden) + "。", inputs={"checked": len(hidden)},
            cite=asked_for)
    if not_assessed:
        facts = _and([FACT_ZH.get(x, x) for r in not_assessed for x in r.missing])
        t.step("not_assessed", f"本次按您问的“{special[0].name_zh}”作答；" + "、".join(f"“{r.name_zh}”" for r in not_assessed)
               + f"等其他途径还需{facts}才能判断，与本问题无关，未追问。", inputs={"routes": [r.id for r in not_assessed]})
    signal = employment_signal(inp)
    if inp.unit_type is None and signal:
        t.step("excluded_applicants", f"公务员（含参公人员）和离退休人员不得申报评审或考核认定职称（{clause_ref(f'{NOTICE}/s1/p3')}）；"
               f"您{signal}，按企事业单位专业技术人员对待，未再询问单位性质。", inputs={"unit_type": None},
               cite=[f"{NOTICE}/s1/p3"])

    decisive = special or routes
    relevant = [r for r in decisive if r.matches_target is not False]
    eligible = [r for r in relevant if r.status == Outcome.eligible]
    pending = [r for r in relevant if r.status == Outcome.needs_info]
    unclear = [r for r in relevant if r.status == Outcome.ambiguous]
    # Another route that gives the very title asked for still answers "can I apply for it"; without a target it is a side note.
    also = [r for r in routes if special and r.id in _CORE_ROUTES and r.matches_target is not False and r.status == Outcome.eligible]

    requirement = rural_service_check(t, inp, inp.target_title) if teacher_or_doctor(inp) else None
    excluded = inp.unit_type is not None and inp.unit_type.value in t.params.get("title_excluded_applicants").value
    if excluded:
        t.cite(f"{NOTICE}/s1/p3")
        outcome = Outcome.not_eligible
    elif requirement is not None and requirement.state == NO:
        outcome = Outcome.not_eligible
    elif eligible or (also and inp.target_title is not None):
        outcome = Outcome.eligible
    elif pending or t.missing or (requirement is not None and requirement.state == UNKNOWN):
        outcome = Outcome.needs_info
    elif unclear:
        outcome = Outcome.ambiguous
    else:
        outcome = Outcome.not_eligible

    requirements = _teacher_doctor_requirements(t, inp, requirement, eligible + also)
    if outcome == Outcome.needs_info:
        if requirement is not None and requirement.state == UNKNOWN:
            for fact in requirement.facts:
                t.ask(fact, QUESTIONS[fact], "市直中小学教师、医生晋升高级职称原则上要有涉农镇办基层工作服务经历")
        for r in pending:
            for fact in r.missing:
                t.ask(fact, QUESTIONS[fact], f"决定能否走“{r.name_zh}”")
    for r in unclear:
        t.warn(f"“{r.name_zh}”条文有两种理解：" + "；".join(r.to_value().get("readings", [])))

    best = None
    if eligible or also:
        ordered = sorted(eligible, key=_level_rank, reverse=True) if inp.target_title is None else eligible
        best = (ordered + also)[0]

    # the 2023 notice is an annual document
    year, notice_end = _notice_year()
    judged = [r for r in routes if r not in not_assessed and r.status != Outcome.not_eligible]
    if any(c.startswith(NOTICE) for r in judged for c in r.clauses) or excluded:
        if notice_end is not None and as_of >= notice_end:
            t.warn(f"《关于做好{year}年全市职称评审工作的通知》是{year}年度工作安排，其申报时间表（高级6月9日前、中初级7月14日前完成申报）"
                   f"只适用于{year}年；其中的倾斜政策以后年度是否延续，请以当年度职称评审通知为准。")
        else:
            t.warn(f"《关于做好{year}年全市职称评审工作的通知》为{year}年度工作安排：高级职称6月9日前、中初级7月14日前完成申报"
                   "（中小学教师、中职教师及“定向评价”基层高级7月31日前）。")
    if any(r.id.startswith("non_public") for r in judged):
        ce = t.params.get("title_non_public_continuing_education")
        if ce.in_force_on(as_of):
            t.warn("从2024年开始，非公有制领域专业技术人才需按要求逐步参加继续教育学习（2023年通知四、（七））。")
            t.cite(ce.clause_id)

    t.step("regular_review", "按学历、资历逐级晋升的常规评审条件由自治区各系列（专业）评审条件规定（2023年通知四、（一）1），"
           "本汇编未载，本工具只判断汇编中写明的认定、直接申报、破格和绿色通道等途径。", cite=[f"{NOTICE}/s4/p1/i1"])

    lines = {r.id: _route_line(r, inp, profile) for r in shown}
    value = {
        "target_title": inp.target_title.value if inp.target_title else None,
        "routes": [dict(r.to_value(), summary_zh=lines[r.id]) for r in shown],
        "not_applicable": [{"id": r.id, "name_zh": r.name_zh, "level": r.level, "status": r.status.value,
                            "reason": _not_applicable_reason(r, inp), "clauses": r.clauses} for r in hidden],
        "not_assessed": [{"id": r.id, "name_zh": r.name_zh, "missing": r.missing, "clauses": r.clauses} for r in not_assessed],
        "statuses": {r.id: r.status.value for r in routes},
        "best": best.to_value() if best else None,
        "requirements": requirements,
    }
    summary, lead = _summary(Answer(inp, outcome, eligible, pending, unclear, routes, excluded, lines, special, also,
                                    requirements, profile))
    t.citations[:] = list(dict.fromkeys(lead + t.citations))  # the clauses that decide the answer come first
    value["lead_clauses"] = list(dict.fromkeys(lead))  # what the summary's first sentence rests on ([] = the routes' own)
    return t.result(outcome, value, summary)


def _teacher_doctor_requirements(t: Trace, inp: TitleRoutesInput, requirement: Check | None,
                                 eligible: list[Route]) -> list[dict]:
    """2023年通知四、（六）4 (市直: 原则上要有1年以上涉农镇办基层经历) and 实施意见五、（五）5 (城区: 有1年以上的予以优先)."""
    found: list[dict] = []
    if requirement is not None:
        rule = t.params.get("title_city_teacher_doctor_rural_service")
        status = {YES: Outcome.eligible, NO: Outcome.not_eligible}.get(requirement.state, Outcome.needs_info)
        found.append({"id": "city_teacher_doctor_rural_service", "status": status.value, "clauses": [rule.clause_id],
                      "reason": requirement.text, "missing": list(requirement.facts) if requirement.state == UNKNOWN else []})
        t.step("city_teacher_doctor_rural_service", f"{requirement.text}（{clause_ref(rule.clause_id)}）：{_STATUS_ZH[status]}。",
               inputs={"rural_service_years": inp.rural_service_years, "workplace_level": inp.workplace_level}, params=[rule])
    senior = inp.target_title in _SENIOR_LEVELS or any(_level_rank(r) >= _rank(TitleLevel.fugao) for r in eligible)
    prio = t.params.get("title_urban_teacher_doctor_priority")
    if (senior and teacher_or_doctor(inp) and inp.workplace_level in (WorkplaceLevel.shizhi, WorkplaceLevel.qu)
            and inp.rural_service_years is not None and inp.rural_service_years >= prio.value):
        reason = f"有{_fmt(inp.rural_service_years)}年涉农镇办基层工作服务经历的城区中小学教师、医生，晋升高级职称时予以优先"
        found.append({"id": "rural_service_priority", "status": Outcome.eligible.value, "clauses": [prio.clause_id],
                      "reason": reason, "missing": []})
        t.step("rural_service_priority", f"{reason}（{clause_ref(prio.clause_id)}）。", params=[prio])
    return found


_CORE_ROUTES = {"assessment_recognition", "grassroots_recognition", "township_direct_intermediate", "non_public_intermediate",
                "non_public_senior", "long_service_exception"}
_STATUS_ZH = {Outcome.eligible: "符合", Outcome.not_eligible: "不符合", Outcome.needs_info: "还需了解情况",
              Outcome.ambiguous: "条文有两种理解", Outcome.not_in_force: "已不在执行期"}
_ORDER = {o: i for i, o in enumerate([Outcome.eligible, Outcome.needs_info, Outcome.ambiguous, Outcome.not_eligible, Outcome.not_in_force])}


def _profile(inp: TitleRoutesInput, f: Facts) -> str:
    """The user's situation in one phrase: '您为本科学历、在乡镇事业单位工作满2年'."""
    bits = []
    if inp.education is not None:
        mode = {True: "全日制", False: "非全日制"}.get(inp.full_time, "") if inp.full_time is not None else ""
        bits.append(f"{mode}{inp.education.value}学历")
    wp, unit = inp.workplace_level, inp.unit_type
    place = (wp.value if wp else "") + (unit.value if unit else "")
    years = inp.years_in_township if wp in (WorkplaceLevel.xiangzhen, WorkplaceLevel.cun) and inp.years_in_township is not None \
        else inp.years_professional_work
    served = f"满{_fmt(years)}年" if years else ""
    if place:
        bits.append(f"在{place}工作{served}")
    elif served:
        bits.append(f"从事专业技术工作{served}")
    if inp.current_title is not None and inp.current_title != TitleLevel.none:
        bits.append(f"现有{inp.current_title.value}职称")
    return "您为" + "、".join(bits) if bits else "按您提供的情况"


_ASPECT_ORDER = ["学历", "单位", "首次申报", "年限"]


def _and(items: list[str]) -> str:
    items = list(dict.fromkeys(i for i in items if i))
    return "、".join(items[:-1]) + "和" + items[-1] if len(items) > 1 else "".join(items)


def _route_line(r: Route, inp: TitleRoutesInput, profile: str) -> str:
    """One plain-Chinese sentence for a shown route, generated from its checks and clauses."""
    refs = r.refs
    met = _and(sorted({c.aspect for c in r.checks if c.state == YES and c.aspect}, key=_ASPECT_ORDER.index))
    met_text = f"的{met}条件" if met else "的条件"
    status = r.status
    caveats = "；".join(c.text for c in r.checks if c.state == YES and c.caveat)
    if status == Outcome.eligible:
        return f"{profile}，符合“{r.grant}”{met_text}（{refs}）" + (f"（{caveats}）" if caveats else "")
    if status == Outcome.ambiguous:
        odd = [c for c in r.checks if c.state == AMBIGUOUS]
        plain = "；另外".join(c.plain or c.text for c in odd)
        confirm = "，以及".join(c.confirm or "本条是否适用于您的情况" for c in odd)
        return f"{profile}，符合“{r.grant}”{met_text}（{refs}）；但{plain}，请向主管部门确认{confirm}"
    if status == Outcome.needs_info:
        return f"“{r.grant}”（{refs}）还需确认：{_and([FACT_ZH.get(x, x) for x in r.missing])}"
    return f"“{r.name_zh}”（{refs}）：{r.reason}"


def _gives_zh(r: Route, inp: TitleRoutesInput) -> str:
    """What a route leads to, in words that fit every kind of level (fixed, by degree, 高一级, 高级, 相应)."""
    if r.relative and inp.current_title is not None:
        return f"本途径用于申报高一级职称（您现有{inp.current_title.value}职称，高一级为{r.level}）"
    if _as_level(r.level) is not None:
        return f"取得的是{r.level}"
    if r.level is None and r.possible_levels:
        levels = sorted(r.possible_levels, key=lambda x: _rank(TitleLevel(x)))
        return f"本途径只能认定{'或'.join(levels)}"
    return {ONE_UP: "本途径用于破格申报高一级职称", SENIOR: "本途径用于申报高级职称"}.get(r.level or "", "本途径的层级取决于现有职称")


def _not_applicable_reason(r: Route, inp: TitleRoutesInput) -> str:
    if r.matches_target is False and inp.target_title is not None:
        held = "（您符合该途径）" if r.status == Outcome.eligible else ""
        return f"{_gives_zh(r, inp)}，不是拟申报的{inp.target_title.value}{held}"
    failed = [c for c in r.checks if c.state == NO]
    structural = [c for c in failed if not c.near] or failed
    return structural[0].text if structural else r.reason


@dataclass
class Answer:
    """Everything the one-paragraph answer is written from."""

    inp: TitleRoutesInput
    outcome: Outcome
    eligible: list[Route]
    pending: list[Route]
    unclear: list[Route]
    routes: list[Route]
    excluded: bool
    lines: dict[str, str]
    special: list[Route]  # the special situation the user asked about (its routes decide)
    also: list[Route]  # core routes that apply besides it
    requirements: list[dict]
    profile: str

    @property
    def want(self) -> str:
        return f"申报{self.inp.target_title.value}职称" if self.inp.target_title else "申报/认定职称"

    def line(self, r: Route) -> str:
        return self.lines.get(r.id) or _route_line(r, self.inp, self.profile)


def _summary(a: Answer) -> tuple[str, list[str]]:
    """Direct answer first, and the clauses it rests on (cited first): what decides, what applies, what is unclear,
    what still needs a fact."""
    inp, want = a.inp, a.want
    if a.excluded:
        clause = f"{NOTICE}/s1/p3"
        return f"{inp.unit_type.value}不得申报评审或考核认定职称（{clause_refs([clause])}）。", [clause]
    rule = next((q for q in a.requirements if q["id"] == "city_teacher_doctor_rural_service"), None)
    prio = next((q for q in a.requirements if q["id"] == "rural_service_priority"), None)
    rule_refs = (rule["clauses"] + ["post-title/s5/p5/i5"]) if rule else []
    if rule and rule["status"] == Outcome.not_eligible.value:
        return (f"原则上不能{want}：{rule['reason']}（{clause_refs(rule['clauses'])}）；"
                f"城区中小学教师、医生有此经历的，晋升高级职称时还予以优先（{clause_ref(rule_refs[-1])}）。", rule_refs)
    parts: list[str] = []
    lead: list[str] = []
    if rule and rule["status"] == Outcome.needs_info.value:
        parts.append(f"还需确认{_and([FACT_ZH[x] for x in rule['missing']])}：{rule['reason']}（{clause_refs(rule['clauses'])}）。")
        lead += rule_refs
    failed = [r for r in a.special if r.status == Outcome.not_eligible]
    if failed and not (a.eligible or a.unclear):
        first, *rest = failed
        act = first.act_zh or f"走“{first.name_zh}”"
        parts.append(f"目前不能{act}：{first.reason}（{first.refs}）" + "".join(f"；“{r.name_zh}”：{r.reason}" for r in rest) + "。")
        lead += first.clauses
    if a.eligible:
        ordered = sorted(a.eligible, key=_level_rank, reverse=True) if inp.target_title is None else a.eligible
        parts.append(f"可以{want}：" + "；另外也符合：".join(a.line(r) for r in ordered) + "。")
        lead += ordered[0].clauses if a.special else []
    if a.also:
        intro = f"但可以{want}：" if failed and not a.eligible and inp.target_title else "另外，"
        parts.append(intro + "；".join(a.line(r) for r in a.also) + "。")
    parts += [a.line(r) + "。" for r in a.unclear]
    lead += a.unclear[0].clauses if a.special and a.unclear and not a.eligible else []
    if a.pending:
        opener = "还可能适用：" if parts else f"能否{want}还需补充情况："
        if len(a.pending) > MANY_PENDING:  # one question list instead of a sentence per route
            facts = _and([FACT_ZH.get(x, x) for r in a.pending for x in r.missing])
            parts.append(f"{opener}请补充{facts}（涉及{len(a.pending)}条途径：" + "、".join(f"“{r.name_zh}”" for r in a.pending) + "）。")
        else:
            parts.append(opener + "；".join(a.line(r) for r in a.pending) + "。")
        lead += a.pending[0].clauses if a.special and not parts[:-1] else []
    if rule and rule["status"] == Outcome.eligible.value and parts:
        parts.append(f"{rule['reason']}（{clause_refs(rule['clauses'])}）" + (f"，{prio['reason']}（{clause_refs(prio['clauses'])}）"
                                                                          if prio else "") + "。")
    if parts:
        return "".join(parts), lead
    near = [r for r in a.routes if r.matches_target is not False and r.near_miss]
    if near:
        return f"按汇编所列途径暂不能{want}；最接近的是{a.line(near[0])}。", []
    return f"按汇编所列的认定、直接申报、破格和绿色通道途径不能{want}；常规逐级评审请查自治区该系列评审条件。", []
