"""The `title_application_routes` tool: every route judged, the special situation leading."""

from __future__ import annotations

from datetime import date

from eligibility_tools.base import Outcome, ToolResult, Trace
from eligibility_tools.enums import (
    TitleLevel,
)
from eligibility_tools.registry import register
from eligibility_tools.rules.titles.core_routes import (
    route_assessment,
    route_grassroots_recognition,
    route_long_service,
    route_non_public,
    route_township_intermediate,
)
from eligibility_tools.rules.titles.model import (
    FACT_ZH,
    NO,
    NOTICE,
    QUESTIONS,
    UNKNOWN,
    Check,
    TitleRoute,
    TitleRoutesInput,
    _level_rank,
    _matches,
    _next_level,
    _notice_year,
    _rank,
    _route_senior_level,
    education_band,
    employment_signal,
    rural_service_check,
    teacher_or_doctor,
    title_clause_ref,
)
from eligibility_tools.rules.titles.special_routes import (
    route_award_full_senior,
    route_award_one_up,
    route_civil_servant_transfer,
    route_green_channel,
    route_programme_intermediate,
    route_urban_service,
    routes_series_change,
)
from eligibility_tools.rules.titles.summary import (
    _CORE_ROUTES,
    _ORDER,
    _STATUS_ZH,
    Answer,
    _and,
    _gives_zh,
    _not_applicable_reason,
    _profile,
    _route_line,
    _summary,
    _teacher_doctor_requirements,
)


def regular_step(inp: TitleRoutesInput) -> bool:
    """The asker holds the level just below the one asked for: the ordinary step-by-step review applies."""
    return (inp.current_title is not None and inp.target_title is not None and inp.current_title != TitleLevel.none
            and _next_level(inp.current_title) == inp.target_title)


@register("title_application_routes", "职称申报路径", TitleRoutesInput, category="职称评审")
def title_application_routes(inp: TitleRoutesInput, as_of: date) -> ToolResult:
    """按学历、年限、单位性质、工作地、奖项等判断可走的每条职称申报/认定途径（考核认定、基层认定、乡镇直评、非公、破格、绿色通道、转系列等）。"""
    t = Trace(as_of)
    f = education_band(t, inp)
    awards = list(dict.fromkeys(inp.awards or []))

    routes: list[TitleRoute] = [route_assessment(t, f), route_grassroots_recognition(t, f), route_township_intermediate(t, f),
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
        t.step("excluded_applicants", f"公务员（含参公人员）和离退休人员不得申报评审或考核认定职称（{title_clause_ref(f'{NOTICE}/s1/p3')}）；"
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
    elif not special and regular_step(inp):
        # 中级 -> 副高级 by the ordinary review: decided by the region's series conditions, which the compilation
        # does not contain, so no listed route applying is no "不能"
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
    if outcome == Outcome.ambiguous and not unclear and not special and regular_step(inp):
        lead = [f"{NOTICE}/s4/p1/i1"]
        summary = (f"您已有{inp.current_title.value}职称，申报{inp.target_title.value}职称走常规逐级评审，能否申报取决于自治区该系列（专业）"
                   f"评审条件规定的学历、资历年限和业绩（{title_clause_ref(lead[0])}），本汇编未载，请向主管部门或职称评审机构确认；"
                   "汇编所列的认定、直接申报、破格和绿色通道途径对您不适用。")
    t.citations[:] = list(dict.fromkeys(lead + t.citations))  # the clauses that decide the answer come first
    value["lead_clauses"] = list(dict.fromkeys(lead))  # what the summary's first sentence rests on ([] = the routes' own)
    return t.result(outcome, value, summary)
