"""The core routes to a title: 考核认定, 基层认定, 乡镇直评中级, 非公有制经济组织, 长期从事专业技术工作."""

from __future__ import annotations

from eligibility_tools.base import Trace
from eligibility_tools.enums import (
    TitleLevel,
    UnitType,
)
from eligibility_tools.rules.titles.model import (
    _EDU_BANDS,
    AMBIGUOUS,
    NO,
    NOTICE,
    ONE_UP,
    UNKNOWN,
    YES,
    Check,
    Facts,
    TitleRoute,
    excluded_check,
    one_up,
    recognition_exam_check,
    review_exam_check,
    scope_check,
    target_level_check,
    title_clause_refs,
    years_check,
)


def route_assessment(t: Trace, f: Facts) -> TitleRoute:
    inp = f.inp
    p = t.params.get("title_assessment_recognition")
    r = TitleRoute("assessment_recognition", "考核认定（实施意见）", None, ["post-title/s5/p8", "post-title/s3"], params=[p],
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
                      f"（{title_clause_refs([f'{NOTICE}/s4/p2/i2'])}）",
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


def route_grassroots_recognition(t: Trace, f: Facts) -> TitleRoute:
    inp = f.inp
    p = t.params.get("title_grassroots_recognition")
    r = TitleRoute("grassroots_recognition", "乡镇、村基层考核认定（2023年通知）", None, [f"{NOTICE}/s4/p6/i1"], params=[p],
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


def route_township_intermediate(t: Trace, f: Facts) -> TitleRoute:
    inp = f.inp
    p = t.params.get("title_township_direct_intermediate")
    level = TitleLevel(p["level"])
    r = TitleRoute("township_direct_intermediate", "乡镇事业单位直接参加中级评审", level.value,
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


def route_non_public(t: Trace, f: Facts, level: TitleLevel) -> TitleRoute:
    inp = f.inp
    p = t.params.get("title_non_public_direct")
    rules = p[level.value]
    rid = "non_public_intermediate" if level == TitleLevel.zhongji else "non_public_senior"
    r = TitleRoute(rid, f"非公有制领域直接申报{level.value}", level.value, [f"{NOTICE}/s4/p7"], params=[p],
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


def route_long_service(t: Trace, f: Facts) -> TitleRoute:
    inp = f.inp
    p = t.params.get("title_long_service_exception")
    r = TitleRoute("long_service_exception", "各区满30年、乡镇满20年破格参加高一级评聘", ONE_UP,
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
