"""A follow-up that changes one value asks the previous question again with it (assistant.follow_up)."""

from __future__ import annotations

import pytest

from assistant.follow_up import resolve

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("prev, turn, query", [
    ("企业招了3个学徒，培养两年，能补多少", "如果是5个人呢", "企业招了5个学徒，培养两年，能补多少"),
    ("企业招了3个学徒，培养两年，能补多少", "那8名呢", "企业招了8个学徒，培养两年，能补多少"),
    ("企业招了3个学徒，培养两年，能补多少", "要是五个呢", "企业招了五个学徒，培养两年，能补多少"),
    ("单位有3名专技人员", "要是5个人呢", "单位有5名专技人员"),
    ("企业招了3个学徒，培养1年，能补多少", "要是培养两年呢", "企业招了3个学徒，培养两年，能补多少"),
])
def test_run_a_bare_count_keeps_the_noun_it_replaces(prev, turn, query):
    assert resolve(prev, turn).query == query


@pytest.mark.parametrize("prev, turn, query", [
    ("金奖多少？", "那银奖和铜奖呢？", "银奖和铜奖多少？"),
    ("全市技能大赛金奖奖金多少", "那银奖、铜奖呢", "全市技能大赛银奖、铜奖奖金多少"),
    ("行业一类赛一等奖有什么奖励", "二等奖和三等奖呢", "行业一类赛二等奖和三等奖有什么奖励"),
])
def test_run_a_list_of_items_of_one_head_replaces_the_item_asked_before(prev, turn, query):
    assert resolve(prev, turn).query == query
