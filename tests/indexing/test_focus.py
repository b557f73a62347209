"""`indexing.focus`: a long story is cut to what it asks (issue 14 #15); a short question is left alone."""

from __future__ import annotations

import time

import pytest

from evals.long_questions import QUESTIONS, long_question
from indexing.focus import FOCUS_MAX_CHARS, focus, sentences

pytestmark = pytest.mark.unit

STORY = "孩子今年上幼儿园大班了，明年就要上小学，我们一直在考虑学区的事情。我爱人是乌达区的，她在一所小学当老师，我们两个人的工资加起来还算过得去。" * 10


class TestFocus:
    def test_short_question_is_returned_unchanged(self):
        question = "技能大赛金奖奖金多少？" + "背景" * 50
        assert len(question) <= FOCUS_MAX_CHARS
        assert focus(question) == question

    @pytest.mark.parametrize("question", QUESTIONS)
    @pytest.mark.parametrize("length", [300, 1000, 2000, 5000])
    def test_the_question_at_the_end_of_a_story_is_what_remains(self, question, length):
        assert focus(long_question(question, length)) == question

    def test_a_story_sentence_before_the_question_is_not_kept(self):
        # it names policy terms (乌达区, 小学) and a number, but the question has one sentence
        assert focus(STORY + "技能大赛金奖奖金多少？") == "技能大赛金奖奖金多少？"

    def test_a_fact_lead_in_stays_with_the_question(self):
        text = STORY + "我是大专毕业的，已经工作满3年了。请问能认定助理级职称吗？"
        assert focus(text) == "我是大专毕业的，已经工作满3年了。请问能认定助理级职称吗？"

    def test_a_lead_in_without_a_number_is_not_kept(self):
        text = STORY + "平时工作很忙。请问能认定助理级职称吗？"
        assert focus(text) == "请问能认定助理级职称吗？"

    def test_a_question_of_several_sentences_is_kept_whole(self):
        text = STORY + "特设岗位上的人聘期一般是几年？能不能延长？谢谢！"
        assert focus(text) == "特设岗位上的人聘期一般是几年？能不能延长？谢谢！"

    def test_a_traditional_question_is_found_before_normalisation(self):
        assert focus(STORY + "我想了解一下。技能大賽金獎獎金是幾萬元嗎") == "技能大賽金獎獎金是幾萬元嗎"

    def test_without_an_asking_sentence_the_last_sentence_is_kept(self):
        assert focus(STORY + "想了解技能大赛金奖奖金。") == "想了解技能大赛金奖奖金。"

    def test_one_endless_sentence_is_cut_to_its_end(self):
        text = "我" * 3000 + "金奖奖金多少"
        out = focus(text)
        assert len(out) == FOCUS_MAX_CHARS and out.endswith("金奖奖金多少")

    def test_output_is_bounded_and_fast_for_any_length(self):
        for n in (1000, 5000, 50000):
            text = long_question("技能大赛金奖奖金多少？", n)
            started = time.perf_counter()
            out = focus(text)
            assert len(out) <= FOCUS_MAX_CHARS
            assert time.perf_counter() - started < 1.0  # linear regex work; ~5 ms for 5,000 characters

    def test_an_overlong_question_with_a_closing_line_keeps_the_question(self):
        text = STORY + "我" * 300 + "能评职称吗？谢谢！"
        out = focus(text)
        assert out.endswith("能评职称吗？") and len(out) == FOCUS_MAX_CHARS

    def test_sentences_split_after_sentence_ends(self):
        assert sentences("甲。乙？丙！\n丁") == ["甲。", "乙？", "丙！", "丁"]  # a blank piece is dropped
        assert "".join(sentences("甲。乙？丙")) == "甲。乙？丙"

    def test_max_chars_must_be_positive(self):
        with pytest.raises(ValueError, match="max_chars must be > 0"):
            focus("问题", max_chars=0)
