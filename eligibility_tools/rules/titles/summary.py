"""How the result reads: the teacher/doctor requirements, each route's line and the one-paragraph summary."""

from __future__ import annotations

from dataclasses import dataclass

from eligibility_tools.base import Outcome, Trace
from eligibility_tools.bounds import MANY_PENDING
from eligibility_tools.enums import (
    TitleLevel,
    WorkplaceLevel,
)
from eligibility_tools.rules.titles.model import (
    _SENIOR_LEVELS,
    AMBIGUOUS,
    FACT_ZH,
    NO,
    NOTICE,
    ONE_UP,
    SENIOR,
    UNKNOWN,
    YES,
    Check,
    Facts,
    TitleRoute,
    TitleRoutesInput,
    _as_level,
    _fmt,
    _level_rank,
    _rank,
    teacher_or_doctor,
    title_clause_ref,
    title_clause_refs,
)


def _teacher_doctor_requirements(t: Trace, inp: TitleRoutesInput, requirement: Check | None,
                                 eligible: list[TitleRoute]) -> list[dict]:
    """2023年通知四、（六）4 (市直: 原则上要有1年以上涉农镇办基层经历) and 实施意见五、（五）5 (城区: 有1年以上的予以优先)."""
    found: list[dict] = []
    if requirement is not None:
        rule = t.params.get("title_city_teacher_doctor_rural_service")
        status = {YES: Outcome.eligible, NO: Outcome.not_eligible}.get(requirement.state, Outcome.needs_info)
        found.append({"id": "city_teacher_doctor_rural_service", "status": status.value, "clauses": [rule.clause_id],
                      "reason": requirement.text, "missing": list(requirement.facts) if requirement.state == UNKNOWN else []})
        t.step("city_teacher_doctor_rural_service", f"{requirement.text}（{title_clause_ref(rule.clause_id)}）：{_STATUS_ZH[status]}。",
               inputs={"rural_service_years": inp.rural_service_years, "workplace_level": inp.workplace_level}, params=[rule])
    senior = inp.target_title in _SENIOR_LEVELS or any(_level_rank(r) >= _rank(TitleLevel.fugao) for r in eligible)
    prio = t.params.get("title_urban_teacher_doctor_priority")
    if (senior and teacher_or_doctor(inp) and inp.workplace_level in (WorkplaceLevel.shizhi, WorkplaceLevel.qu)
            and inp.rural_service_years is not None and inp.rural_service_years >= prio.value):
        reason = f"有{_fmt(inp.rural_service_years)}年涉农镇办基层工作服务经历的城区中小学教师、医生，晋升高级职称时予以优先"
        found.append({"id": "rural_service_priority", "status": Outcome.eligible.value, "clauses": [prio.clause_id],
                      "reason": reason, "missing": []})
        t.step("rural_service_priority", f"{reason}（{title_clause_ref(prio.clause_id)}）。", params=[prio])
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


def _route_line(r: TitleRoute, inp: TitleRoutesInput, profile: str) -> str:
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


def _gives_zh(r: TitleRoute, inp: TitleRoutesInput) -> str:
    """What a route leads to, in words that fit every kind of level (fixed, by degree, 高一级, 高级, 相应)."""
    if r.relative and inp.current_title is not None:
        return f"本途径用于申报高一级职称（您现有{inp.current_title.value}职称，高一级为{r.level}）"
    if _as_level(r.level) is not None:
        return f"取得的是{r.level}"
    if r.level is None and r.possible_levels:
        levels = sorted(r.possible_levels, key=lambda x: _rank(TitleLevel(x)))
        return f"本途径只能认定{'或'.join(levels)}"
    return {ONE_UP: "本途径用于破格申报高一级职称", SENIOR: "本途径用于申报高级职称"}.get(r.level or "", "本途径的层级取决于现有职称")


def _not_applicable_reason(r: TitleRoute, inp: TitleRoutesInput) -> str:
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
    eligible: list[TitleRoute]
    pending: list[TitleRoute]
    unclear: list[TitleRoute]
    routes: list[TitleRoute]
    excluded: bool
    lines: dict[str, str]
    special: list[TitleRoute]  # the special situation the user asked about (its routes decide)
    also: list[TitleRoute]  # core routes that apply besides it
    requirements: list[dict]
    profile: str

    @property
    def want(self) -> str:
        return f"申报{self.inp.target_title.value}职称" if self.inp.target_title else "申报/认定职称"

    def line(self, r: TitleRoute) -> str:
        return self.lines.get(r.id) or _route_line(r, self.inp, self.profile)


def _summary(a: Answer) -> tuple[str, list[str]]:
    """Direct answer first, and the clauses it rests on (cited first): what decides, what applies, what is unclear,
    what still needs a fact."""
    inp, want = a.inp, a.want
    if a.excluded:
        clause = f"{NOTICE}/s1/p3"
        return f"{inp.unit_type.value}不得申报评审或考核认定职称（{title_clause_refs([clause])}）。", [clause]
    rule = next((q for q in a.requirements if q["id"] == "city_teacher_doctor_rural_service"), None)
    prio = next((q for q in a.requirements if q["id"] == "rural_service_priority"), None)
    rule_refs = (rule["clauses"] + ["post-title/s5/p5/i5"]) if rule else []
    if rule and rule["status"] == Outcome.not_eligible.value:
        return (f"原则上不能{want}：{rule['reason']}（{title_clause_refs(rule['clauses'])}）；"
                f"城区中小学教师、医生有此经历的，晋升高级职称时还予以优先（{title_clause_ref(rule_refs[-1])}）。", rule_refs)
    parts: list[str] = []
    lead: list[str] = []
    if rule and rule["status"] == Outcome.needs_info.value:
        parts.append(f"还需确认{_and([FACT_ZH[x] for x in rule['missing']])}：{rule['reason']}（{title_clause_refs(rule['clauses'])}）。")
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
        parts.append(f"{rule['reason']}（{title_clause_refs(rule['clauses'])}）" + (f"，{prio['reason']}（{title_clause_refs(prio['clauses'])}）"
                                                                          if prio else "") + "。")
    if parts:
        return "".join(parts), lead
    near = [r for r in a.routes if r.matches_target is not False and r.near_miss]
    if near:
        return f"按汇编所列途径暂不能{want}；最接近的是{a.line(near[0])}。", []
    return f"按汇编所列的认定、直接申报、破格和绿色通道途径不能{want}；常规逐级评审请查自治区该系列评审条件。", []
