"""Sanity bounds for tool inputs (what a form field will accept), not policy thresholds.

They live outside `rules/` because rule modules may not contain numeric literals: every amount,
ratio and threshold a rule applies comes from `parameters/*.yaml`.

A bound says what a sensible question can state: 10^40 posts, a training rate of a billion yuan an hour or an
age of 300 are typing errors, and a tool computing a figure from them would show the user a wrong number. Each
bound is generous for real cases (a whole city's workforce, a large company's accounts) and far below the absurd.
The error a user sees names the field in Chinese ("岗位数应为1到100000之间的整数", `eligibility_tools.registry`).
"""

from __future__ import annotations

from decimal import Decimal

# ---------------------------------------------------------------- people, posts, things
AGE_MAX = 120  # 周岁
PEOPLE_MAX = 100_000  # 一个单位、一次申请所涉人数（学徒、招用、职工、培训、参赛人数，名次）
POSTS_MAX = 100_000  # 岗位数（个）
PROJECTS_MAX = 100_000  # 项目数、实体户数、奖项数
PERSON_TIMES_MAX = 10_000_000  # 人次、人·年（全市劳动力资源登记）
COUNT_MAX = PEOPLE_MAX  # a count of anything else a unit or a base has
LIVESTOCK_MAX = 10_000_000  # 禽畜存栏（只）
POST_GRADE_MIN, POST_GRADE_MAX = 1, 13  # 专业技术岗位等级（一级最高，十三级最低）
TIMES_MAX = 100  # 次数（延长聘期等）
AWARDS_MAX = 1000  # 一个单位、一个区获得的奖项数（金、银、铜、优胜奖，参赛项目）

# ---------------------------------------------------------------- time
MONTHS_MAX = 1200  # 月（在乌海工作、居住的时长等）
SUBSIDY_MONTHS_MAX = 120  # 按月发放的补贴的月数（见习、储备、公益性岗位、创业见习）
YEARS_MAX = 100  # 年数
CALENDAR_YEAR_MIN = 2000
CALENDAR_YEAR_MAX = 2100

# ---------------------------------------------------------------- quantities of training and land
HOURS_MAX = 3_000  # 课时（补贴时限最长1年：一年全日制培训也远不到3000课时）
AREA_SQM_MAX = 10_000_000  # 平方米
AREA_MU_MAX = 1_000_000  # 亩

# ---------------------------------------------------------------- money (元)
MONEY_MAX = 100_000_000_000  # 单位的应纳税所得额、资产、税额、销售额，几项金额的合计
WAGE_MAX = 10_000  # 月最低工资标准（元/月）
HOURLY_RATE_MAX = 1_000  # 课时补贴标准（元/课时）
PER_PERSON_MAX = 100_000  # 每人（每年）的补贴标准、鉴定费（元）
AWARD_MAX = 10_000_000  # 第三方评估确定的以奖代补金额（元；条款标准最高100万元）

# ---------------------------------------------------------------- scores and shares
SCORE_MAX = 100  # 百分制成绩、百分比
RATIO_PERCENT_MAX = 1000  # 超比例等可超过100%的百分数

# ---------------------------------------------------------------- text and lists
LABEL_MAX = 80  # characters of a short label in a tool input
NAME_MAX = 40  # characters of a series (专业) or rule id
ITEMS_MIN, ITEMS_MAX = 2, 20  # items of a total (sum_amounts)
LIST_MAX = 20  # items of a list input (cohorts, awards)
PERSONS_LIST_MAX = 1000  # one entry per person (months_per_person)
FACTS_MAX = 30  # facts given to one clause rule

# Bounds of a clause rule's quantity input by its unit (eligibility_tools/inventory): (noun, low, high).
# The noun is what the user reads when a stated quantity is out of range ("人数应为0到1000000之间的数").
UNIT_BOUNDS: dict[str, tuple[str, Decimal, Decimal]] = {
    "人": ("人数", Decimal(0), Decimal(PERSON_TIMES_MAX)),
    "名": ("人数", Decimal(0), Decimal(PERSON_TIMES_MAX)),
    "人次": ("人次", Decimal(0), Decimal(PERSON_TIMES_MAX)),
    "个": ("数量", Decimal(0), Decimal(POSTS_MAX)),
    "户": ("户数", Decimal(0), Decimal(PROJECTS_MAX)),
    "家": ("家数", Decimal(0), Decimal(PROJECTS_MAX)),
    "项": ("项目数", Decimal(0), Decimal(PROJECTS_MAX)),
    "项目": ("项目数", Decimal(0), Decimal(PROJECTS_MAX)),
    "份": ("份数", Decimal(0), Decimal(PROJECTS_MAX)),
    "篇": ("篇数", Decimal(0), Decimal(PROJECTS_MAX)),
    "次": ("次数", Decimal(0), Decimal(PROJECTS_MAX)),
    "名次": ("名次", Decimal(1), Decimal(PEOPLE_MAX)),
    "元": ("金额", Decimal(0), Decimal(MONEY_MAX)),
    "%": ("比例", Decimal(0), Decimal(RATIO_PERCENT_MAX)),
    "年": ("年限", Decimal(0), Decimal(YEARS_MAX)),
    "月": ("月数", Decimal(0), Decimal(MONTHS_MAX)),
    "周": ("周数", Decimal(0), Decimal(MONTHS_MAX * 5)),
    "天": ("天数", Decimal(0), Decimal(MONTHS_MAX * 31)),
    "工作日": ("工作日数", Decimal(0), Decimal(MONTHS_MAX * 31)),
    "年份": ("年份", Decimal(CALENDAR_YEAR_MIN), Decimal(CALENDAR_YEAR_MAX)),
    "岁": ("年龄", Decimal(0), Decimal(AGE_MAX)),
    "课时": ("课时数", Decimal(0), Decimal(HOURS_MAX)),
    "小时": ("小时数", Decimal(0), Decimal(HOURS_MAX)),
    "平方米": ("面积", Decimal(0), Decimal(AREA_SQM_MAX)),
    "亩": ("面积", Decimal(0), Decimal(AREA_MU_MAX)),
    "只": ("存栏量", Decimal(0), Decimal(LIVESTOCK_MAX)),
    "分": ("分数", Decimal(0), Decimal(PROJECTS_MAX)),
    "级": ("等级", Decimal(POST_GRADE_MIN), Decimal(POST_GRADE_MAX)),
}

# Presentation, not policy: a route missed only by a years (or months) shortfall of at most this many
# years is listed among the routes that "nearly apply"; anything further away goes to `not_applicable`.
NEAR_MISS_YEARS = 2
MONTHS_PER_YEAR = 12  # unit conversion for month-based shortfalls
MANY_PENDING = 2  # more open routes than this are summarised as one list of questions, not a sentence each


def unit_bound(unit: str) -> tuple[str, Decimal, Decimal] | None:
    """(noun, low, high) of a quantity in `unit`; None for a unit without a sanity bound (倍, 期 …)."""
    return UNIT_BOUNDS.get(unit)


def shown(value: Decimal | int | float) -> str:
    """A bound as a user reads it: 100000 -> '100000', 10000000 -> '1000万', 100000000000 -> '1000亿'."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        whole = int(number)
        for size, word in ((100_000_000, "亿"), (10_000, "万")):
            if abs(whole) >= size * 100 and whole % size == 0:
                return f"{whole // size}{word}"
        return str(whole)
    return format(number.normalize(), "f")
