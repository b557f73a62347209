"""Extractive sentence choice: coordinated abbreviations and multi-part questions."""

from __future__ import annotations

import pytest

from assistant.composer import Candidate, expand_coordinated, pick_sentences


@pytest.mark.parametrize("text, expanded", [
    ("中、初级职称", "中级、初级职称"),
    ("高、中、初级岗位", "高级、中级、初级岗位"),
    ("教育、卫生等", "教育、卫生等"),
])
def test_expand_coordinated(text, expanded):
    assert expand_coordinated(text) == expanded


def test_each_part_of_a_two_part_question_gets_its_sentence():
    text = ("1. 高级职称评审于 6 月 9 日前完成申报工作；中、初级职称评审于7月14日前完成申报工作；"
            "中小学教师、中等职业学校教师各级别职称评审于7月31日前完成申报工作。")
    cand = Candidate(clause_id="title-review-2023/s2/p1/i1", label="", document="", text=text)
    picked = " ".join(s for _, s in pick_sentences("中级职称申报几号截止？中小学老师的呢？", [cand]))
    assert "7月14日" in picked and "7月31日" in picked


def test_a_standard_question_quotes_the_sentence_with_the_rate():
    text = ("2. 给予人才储备和就业见习补贴。鼓励有条件的经营性人力资源服务机构开展就业见习和人才储备工作。"
            "对开展就业见习工作的机构，每人每月按自治区一类地区最低工资标准的 50%—60%给予补贴。"
            "对储备、吸纳符合条件的高校毕业生就业的机构，可给予最长不超过两年的每人每月 700 元的生活补贴。")
    cand = Candidate(clause_id="hr-service/att1/s1/i2", label="", document="", text=text)
    picked = " ".join(s for _, s in pick_sentences("就业见习补贴按什么标准？", [cand], max_sentences=1))
    assert "50%—60%" in picked
