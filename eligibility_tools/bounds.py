"""Sanity bounds for tool inputs (what a form field will accept), not policy thresholds.

They live outside `rules/` because rule modules may not contain numeric literals: every amount,
ratio and threshold a rule applies comes from `parameters/*.yaml`.
"""

from __future__ import annotations

AGE_MAX = 120  # 周岁
MONTHS_MAX = 1200  # 月
YEARS_MAX = 100  # 年数
COUNT_MAX = 10_000_000  # 人数、户数、项目数、人次
MONEY_MAX = 100_000_000_000  # 元
SCORE_MAX = 100  # 百分制成绩、百分比
LABEL_MAX = 80  # characters of a short label in a tool input
ITEMS_MIN, ITEMS_MAX = 2, 20  # items of a total (sum_amounts)
CALENDAR_YEAR_MIN = 2000
CALENDAR_YEAR_MAX = 2100

# Presentation, not policy: a route missed only by a years (or months) shortfall of at most this many
# years is listed among the routes that "nearly apply"; anything further away goes to `not_applicable`.
NEAR_MISS_YEARS = 2
MONTHS_PER_YEAR = 12  # unit conversion for month-based shortfalls
MANY_PENDING = 2  # more open routes than this are summarised as one list of questions, not a sentence each
