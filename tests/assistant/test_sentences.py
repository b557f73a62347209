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
