"""Facts and checks: the input schema, the three-valued `Check`, the `TitleRoute` a user may take, the facts a
question gives (`Facts`) and the checks every route shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from corpus.loader import load_corpus
from eligibility_tools.base import Outcome, Trace
from eligibility_tools.bounds import LIST_MAX, MONTHS_MAX, NAME_MAX, NEAR_MISS_YEARS, YEARS_MAX
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
class TitleRoute:
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
        return title_clause_refs([c for c in self.clauses if c not in _SCOPE_CLAUSES] or self.clauses)

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


_DOC_SHORT = {"post-title": "实施意见"}  # the notice's short name carries its year, see title_clause_ref
_NUMBERING = re.compile(r"^[一二三四五六七八九十]+、(?:（[一二三四五六七八九十]+）)?(?:\d+)?")


def title_clause_ref(clause_id: str) -> str:
    """'post-title/s5/p5/i3' -> '实施意见五、（五）3'; 'title-review-2023/s4/p6/i2' -> '2023年通知四、（六）2'."""
    clause = load_corpus().clauses.get(clause_id)
    if clause is None:
        return clause_id
    doc = _DOC_SHORT.get(clause.doc_slug) or (f"{_notice_year()[0]}年通知" if clause.doc_slug == NOTICE else "")
    label = re.sub(r"^《[^》]*》", "", clause.label or "")
    m = _NUMBERING.match(label)
    number = (m.group(0) if m else label).rstrip("、.")
    return f"{doc}{number}" if doc else (clause.label or clause_id)


def title_clause_refs(clause_ids: list[str]) -> str:
    return "；".join(dict.fromkeys(title_clause_ref(c) for c in clause_ids))


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


def review_exam_check(t: Trace, inp: TitleRoutesInput, route: TitleRoute, level: TitleLevel | None,
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
            plain=f"{_series_zh(inp)}{level.value}职称按国家统一安排实行以考代评（{title_clause_refs(['post-title/s5/p2/i2'])}）",
            confirm=f"是参加{level.value}职称评审还是参加全国统一考试")
    if mode == "考评结合":
        route.notes.append("卫生、经济、会计、审计、统计等系列高级职称实行考评结合" + (
            "；破格申报正高级的，国家没有明确规定的可不参加考试" if senior_exam_waived else "，须先参加考试并达到合格标准"))
    return None


def target_level_check(route: TitleRoute, inp: TitleRoutesInput, level: TitleLevel | None) -> None:
    if level is not None and inp.current_title is not None and _rank(inp.current_title) >= _rank(level):
        route.add(Check(NO, f"您已具有{inp.current_title.value}职称，本途径只能取得{level.value}"))


def one_up(route: TitleRoute, inp: TitleRoutesInput) -> TitleLevel | None:
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


def _route_senior_level(r: TitleRoute, inp: TitleRoutesInput) -> TitleLevel | None:
    """The level a route leads to for the 市直教师医生 rule: its own level, else the target it is asked for."""
    if r.matches_target is False:
        return None
    level = _as_level(r.level)
    if level is None and r.level == SENIOR and inp.target_title is None:
        level = TitleLevel.fugao
    return level or inp.target_title




@lru_cache(maxsize=1)
def _notice_year() -> tuple[int, date | None]:
    doc = load_corpus().document(NOTICE)
    return doc.period["start"].year, doc.valid_until


def _matches(route: TitleRoute, target: TitleLevel | None) -> bool | None:
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


def _level_rank(route: TitleRoute) -> int:
    level = _as_level(route.level)
    return _rank(level) if level is not None else -1
