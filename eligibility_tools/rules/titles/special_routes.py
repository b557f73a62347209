"""Routes for the special situations a user names: 奖项与人才项目（破格、绿色通道）, 公务员/军转调入, 转系列, 城区服务乡镇."""

from __future__ import annotations

from eligibility_tools.base import Trace
from eligibility_tools.bounds import MONTHS_PER_YEAR
from eligibility_tools.enums import (
    TalentAward,
    TitleLevel,
    UnitType,
    WorkplaceLevel,
)
from eligibility_tools.rules.titles.model import (
    _EMPLOYERS,
    AMBIGUOUS,
    ANY_LEVEL,
    NO,
    NOTICE,
    ONE_UP,
    UNKNOWN,
    YES,
    Check,
    Facts,
    TitleRoute,
    TitleRoutesInput,
    _as_level,
    _fmt,
    excluded_check,
    once_check,
    one_up,
    review_exam_check,
    scope_check,
    target_level_check,
)


def route_award_full_senior(t: Trace, f: Facts, awards: list[TalentAward]) -> TitleRoute | None:
    inp = f.inp
    p = t.params.get("title_award_full_senior")
    prog = t.params.get("title_talent_programme")
    by_opinion = [a for a in awards if a.value in p.value]
    by_notice = [a for a in awards if a.value in prog[TitleLevel.zhenggao.value]]
    if not by_opinion and not by_notice:
        return None
    clauses = (["post-title/s5/p4/i1", "post-title/s5/p4/i5"] if by_opinion else []) + ([f"{NOTICE}/s4/p5/i6"] if by_notice else [])
    r = TitleRoute("exceptional_full_senior", "破格（直接）申报正高级", TitleLevel.zhenggao.value, clauses,
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


def route_award_one_up(t: Trace, f: Facts, awards: list[TalentAward]) -> TitleRoute | None:
    inp = f.inp
    p = t.params.get("title_award_one_level_up")
    prog = t.params.get("title_talent_programme")
    by_opinion = [a for a in awards if a.value in p["awards"]]
    by_notice = [a for a in awards if a.value in prog[ONE_UP]]
    if not by_opinion and not by_notice:
        return None
    clauses = (["post-title/s5/p4/i2", "post-title/s5/p4/i5"] if by_opinion else []) + ([f"{NOTICE}/s4/p5/i6"] if by_notice else [])
    r = TitleRoute("exceptional_one_level_up", "破格（直接）申报高一级", ONE_UP, clauses,
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


def route_programme_intermediate(t: Trace, f: Facts, awards: list[TalentAward]) -> TitleRoute | None:
    inp = f.inp
    prog = t.params.get("title_talent_programme")
    hits = [a for a in awards if a.value in prog[TitleLevel.zhongji.value]]
    if not hits:
        return None
    level = TitleLevel.zhongji
    r = TitleRoute("talent_programme_intermediate", "人才培养项目人选直接申报中级（绿色通道）", level.value,
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


def route_green_channel(t: Trace, f: Facts, award: TalentAward) -> TitleRoute | None:
    inp = f.inp
    p = t.params.get("title_green_channel")
    item = p.value.get(award.value)
    if item is None:
        return None
    level_text = item["level"]
    r = TitleRoute(f"green_channel:{award.name}", f"绿色通道：{award.value}", level_text, [item["clause"], f"{NOTICE}/s4/p5"], params=[p],
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


def route_civil_servant_transfer(t: Trace, f: Facts) -> TitleRoute | None:
    inp = f.inp
    if inp.transferred_from is None:
        return None
    p = t.params.get("title_transfer_first_application")
    r = TitleRoute("civil_servant_transfer", f"{inp.transferred_from.value}调入企事业单位后初次申报", ANY_LEVEL,
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


def routes_series_change(t: Trace, f: Facts) -> list[TitleRoute]:
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
        same = TitleRoute("series_change_same_level", "转系列（专业）评审同级职称", None, clauses, params=[p],
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
    up = TitleRoute("series_change_higher_level", "转系列后申报新系列高一级", ONE_UP, clauses, params=[p],
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


def route_urban_service(t: Trace, f: Facts) -> TitleRoute | None:
    inp = f.inp
    if inp.urban_township_service_years is None:
        return None
    p = t.params.get("title_urban_township_service")
    r = TitleRoute("urban_township_service_advance", f"城区人员服务乡镇、村满{p['service_years']}年提前{p['advance_years']}年参评高一级",
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
