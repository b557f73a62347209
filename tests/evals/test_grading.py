"""Grading rules, table-driven: every rule of evals/README.md has a case on each side."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from evals.grading import (
    evidence_coverage,
    evidence_matches,
    expiry_flagged,
    false_abstain,
    first_hit_rank,
    grade_item,
    hit_at,
    missing_numbers,
    normalize_ws,
    number_in_answer,
    parse_expected,
    parse_numbers,
    percentile,
    reciprocal_rank,
    status_ok,
    strip_quoted,
    summarise,
    unstated_numbers,
    verdict_of,
    verdict_ok,
)


class TestWhitespace:
    @pytest.mark.parametrize("text, expected", [
        ("于次年 2 月底前", "于次年2月底前"),
        ("a\tb\nc\u3000d  e", "abcde"),
        ("", ""),
    ])
    def test_normalize_ws_removes_every_space(self, text, expected):
        assert normalize_ws(text) == expected


class TestEvidence:
    @pytest.mark.parametrize("evidence, text, hit", [
        ("于次年 2 月底前报送", "……于次年2月底前报送同级事业单位……", True),
        ("于次年2月底前报送", "于次年 2 月底 前报送", True),
        ("于次年2月底前报送", "于次年3月底前报送", False),
        ("特设岗位人员聘期一般为3年", "特设岗位人员聘期一般为 3 年，最长不超过5年", True),
        # a table row: every non-empty cell, in any order, anywhere in the cited text
        ("乌达区人力资源和社会保障局\t\t王秀英\t3666221\t310", "乌达区人力资源和社会保障局\t各系列\t王秀英\t3666221\t310", True),
        ("乌达区人力资源和社会保障局\t\t王秀英\t3666221\t310", "310 王秀英 3666221 乌达区人力资源和社会保障局", True),
        ("乌达区人力资源和社会保障局\t\t王秀英\t3666221\t310", "乌达区人力资源和社会保障局\t王秀英\t3666221", False),
        ("  ", "任何文本", False),
        ("\t\t", "任何文本", False),
    ])
    def test_evidence_matches(self, evidence, text, hit):
        assert evidence_matches(evidence, text) is hit

    RANKED = ["无关条款一", "无关条款二", "培训课时不得少于 56 课时", "聘期一般为3年", "无关条款五", "聘期一般为3年（第6条）"]

    @pytest.mark.parametrize("evidence, rank", [
        (["聘期一般为3年"], 4),
        (["培训课时不得少于56课时", "聘期一般为3年"], 3),   # ANY evidence string counts
        (["第6条"], None),                                     # beyond top 5
        (["没有这句话"], None),
    ])
    def test_first_hit_rank(self, evidence, rank):
        assert first_hit_rank(self.RANKED, evidence) == rank

    @pytest.mark.parametrize("rank, k, hit", [(1, 1, True), (2, 1, False), (3, 3, True), (4, 3, False), (5, 5, True), (None, 5, False)])
    def test_hit_at(self, rank, k, hit):
        assert hit_at(rank, k) is hit

    @pytest.mark.parametrize("rank, rr", [(1, 1.0), (2, 0.5), (4, 0.25), (None, 0.0)])
    def test_reciprocal_rank(self, rank, rr):
        assert reciprocal_rank(rank) == rr

    def test_evidence_coverage_counts_each_evidence_string_once(self):
        texts = ["满1年的可认定中级", "其他", "满2年的可认定中级"]
        assert evidence_coverage(texts, ["满1年的可认定中级", "满2年的可认定中级"]) == 1.0
        assert evidence_coverage(texts, ["满1年的可认定中级", "满3年"]) == 0.5
        assert evidence_coverage(texts[:1], ["满2年的可认定中级"]) == 0.0
        assert evidence_coverage(texts, []) is None

    def test_evidence_coverage_only_looks_at_top_5(self):
        texts = ["a", "b", "c", "d", "e", "满2年"]
        assert evidence_coverage(texts, ["满2年"]) == 0.0


class TestNumbers:
    @pytest.mark.parametrize("text, values", [
        ("给予0.8万元奖金", {8000}),
        ("给予8,000元奖金", {8000}),
        ("给予８０００元", {8000}),
        ("拨付56万元", {560000}),
        ("五十六万元", {560000}),
        ("聘期三年", {3}),
        ("满两年", {2}),
        ("十二个人", {12}),
        ("二〇二五年", {2025}),
        ("营业收入2亿元", {200000000}),
        ("奖励30—60万元", {30, 300000, 600000}),   # one multiplier for a range applies to both ends
        ("比例为2.5：4.5：3", {Decimal("2.5"), Decimal("4.5"), 3}),
        ("一般应统一组织，两者不同", set()),       # 一般 / 统一 / 两者 are words, not numbers
        ("一次性创业补贴", set()),
        ("千万不要", set()),
    ])
    def test_parse_numbers_values(self, text, values):
        assert parse_numbers(text).values == {Decimal(v) for v in values}

    @pytest.mark.parametrize("text, percents", [
        ("权重不低于70%", {70}),
        ("不低于70％", {70}),
        ("百分之七十", {70}),
        ("百分之25", {25}),
        ("高于 25%(含 25%)", {25}),
    ])
    def test_parse_numbers_percents(self, text, percents):
        numbers = parse_numbers(text)
        assert numbers.percents == {Decimal(v) for v in percents}
        assert not numbers.values

    @pytest.mark.parametrize("expected, answer", [
        ("0.8万", "银奖奖金8000元"),
        ("0.8万", "银奖奖金8,000元"),
        ("8000", "银奖奖金0.8万元"),
        ("3", "聘期一般为三年"),
        ("3", "聘期一般为3年"),
        ("2", "满两年"),
        ("12", "十二个人"),
        ("70%", "实操权重不低于百分之七十"),
        ("百分之七十", "不低于 70 %"),
        ("500万", "给予 500 万元补助"),
        ("500万", "给予5000000元补助"),
        ("56万", "第一年拨付560000元"),
        ("2亿", "达到2亿元以上"),
        ("23000", "合计2.3万元"),
        ("23000", "合计23,000元"),
        ("2025", "到2025年"),
        ("2月底", "于次年 2 月底前报送"),
        ("2月底", "于次年二月底前报送"),
        ("6月9日", "于 6 月 9 日前完成"),
        ("6月9日", "6月9号前"),
        ("7月14日", "7 月 14 日前"),
    ])
    def test_expected_number_found(self, expected, answer):
        assert number_in_answer(expected, answer)

    @pytest.mark.parametrize("expected, answer", [
        ("0.8万", "奖金0.8元"),
        ("8000", "奖金800元"),
        ("3", "聘期一般为13年"),
        ("3", "比例3%"),                  # a percentage is not the plain number
        ("70%", "操作技能成绩70分"),       # nor a plain number a percentage
        ("500万", "给予500元"),
        ("2月底", "于次年12月底前"),
        ("6月9日", "于6月19日前"),
        ("7月1日", "于7月14日前"),
        ("1", "一般不超过两年"),            # 一般 does not contribute a 1
        ("2", "不满足"),
    ])
    def test_expected_number_not_found(self, expected, answer):
        assert not number_in_answer(expected, answer)

    def test_missing_numbers_lists_only_the_absent(self):
        assert missing_numbers(["30万", "60万", "50万", "100万"], "标准化30万元—60万元；示范性50万—100万") == []
        assert missing_numbers(["3", "5"], "聘期一般为3年") == ["5"]

    @pytest.mark.parametrize("raw, kind, value", [
        ("3", "value", Decimal(3)),
        ("0.8万", "value", Decimal(8000)),
        ("70%", "percent", Decimal(70)),
        ("6月9日", "date", "6月9日"),
        ("2月底", "date", "2月底"),
    ])
    def test_parse_expected(self, raw, kind, value):
        exp = parse_expected(raw)
        assert (exp.kind, exp.value) == (kind, value)

    @pytest.mark.parametrize("raw", ["", "无", "3和5"])
    def test_parse_expected_rejects_non_numbers(self, raw):
        with pytest.raises(ValueError):
            parse_expected(raw)


class TestStatusAndExpiry:
    @pytest.mark.parametrize("category, status, ok, abstain", [
        ("out_of_scope", "out_of_scope", True, None),
        ("out_of_scope", "answered", False, None),
        ("out_of_scope", "needs_more_info", False, None),
        ("lookup", "answered", True, False),
        ("eligibility", "needs_more_info", True, False),
        ("lookup", "out_of_scope", False, True),
        ("calculation", "error", False, True),
        ("lookup", None, False, True),
    ])
    def test_status(self, category, status, ok, abstain):
        assert status_ok(category, status) is ok
        assert false_abstain(category, status) is abstain

    @pytest.mark.parametrize("warnings, flagged", [
        (["该政策执行期限截至2022年12月31日，按当前日期已到期"], True),
        (["该条款已失效"], True),
        (["申报时间已过"], True),
        ([], False),
        (None, False),
        (["请以最新政策为准"], False),
    ])
    def test_expiry_flagged(self, warnings, flagged):
        assert expiry_flagged(warnings) is flagged


class TestExpectedStatus:
    @pytest.mark.parametrize("category, expected, status, ok, abstain", [
        ("eligibility_ask", "needs_more_info", "needs_more_info", True, False),
        ("eligibility_ask", "needs_more_info", "answered", False, False),     # old rule would pass it
        ("eligibility", "answered", "needs_more_info", False, False),
        ("lookup", "answered", "out_of_scope", False, True),
        ("out_of_scope", "out_of_scope", "out_of_scope", True, None),
        ("out_of_scope", "out_of_scope", "needs_more_info", False, None),
        ("multi_turn", "answered", "error", False, True),
    ])
    def test_expected_status_is_an_exact_match(self, category, expected, status, ok, abstain):
        assert status_ok(category, status, expected) is ok
        assert false_abstain(category, status, expected) is abstain


class TestVerdict:
    @pytest.mark.parametrize("answer, verdict", [
        ("结论：可以。按实施意见五、（八），本科毕业工作满1年可认定助理级。", "yes"),
        ("结论：不可以。辅系列最高等级应低于主系列。", "no"),
        ("结论：现在还不行，还差2年。满3年后可以认定。", "not_yet"),
        ("结论：还不能。须在十级岗位工作满2年。", "not_yet"),
        ("结论：按汇编所列途径暂不能申报助理级职称；最接近的是考核认定。", "not_yet"),
        ("结论：目前还不能。", "not_yet"),
        ("结论：再过4个月才满2年。", "not_yet"),
        ("结论：尚未满5年。", "not_yet"),
        ("不行。本年度内同一职称层级原则上只能向一个评委会申请。", "no"),
        ("不中（不允许）。严禁在机构改革期间突击开展职称评审。", "no"),
        ("中（可以报）。基层农区不作论文要求。", "yes"),
        ("一样。非全日制学历与全日制学历享有同等待遇。", "yes"),
        ("够。三项条件都已达到。", "yes"),
        ("能。", "yes"),
        ("结论：不属于岗位晋升。", "no"),
        ("结论：该补贴不适用于在校学生。", "no"),
        ("结论：需要参加考试。", "yes"),
        ("结论：不需要参加考试。", "no"),
        # the first clause decides, a later sentence with the opposite word does not
        ("结论：可以。但不符合条件的不能申报。", "yes"),
        ("结论：不可以；符合条件的可以另行申请。", "no"),
        ("结论：不能。以后满3年就可以了。", "no"),
        ("结论：现在还不行。明年就能申报。", "not_yet"),
        # only the conclusion counts: the 结论 line wins over the first sentence, later lines do not count
        ("根据政策原文：不得重复享受。\n结论：可以申请。", "yes"),
        ("结论：按第十八条，铜奖奖金5000元。\n依据：不得重复享受。", None),
        ("可以。\n不能重复享受。", "yes"),
        # no verdict: an echoed question, compound words holding 能/中/行/可, no conclusion at all
        ("结论：能否申报中级职称还需补充情况：请补充最高学历。", None),
        ("结论：能否申报中级职称还需补充情况：“经考核合格可直接申请认定中级职称，不需要评审”还需确认：专业。", None),
        ("结论：不能授予“全市技术能手”称号。", "no"),
        # a bracketed aside is a caveat, not the verdict
        ("结论：符合第九条报名条件，可以报名参赛（往届一等奖获得者不得再参加同赛项）。", "yes"),
        ("结论：暂不能（还差4个月）。", "not_yet"),
        # 中 / 行 only standing alone: a decline's "…汇编》中没有…" is not a yes
        ("抱歉，《技术技能人才支持政策汇编》（乌海市）中没有关于这个问题的规定，无法据此回答。", None),
        ("中！基层不作论文要求。", "yes"),
        ("结论：行，可以报。", "yes"),
        ("结论：这些材料在申报中使用，按流程执行。", None),
        ("结论：全市技能大赛第3名获铜奖，中级工以上执行此标准。", None),
        ("结论：聘期3年，在一般聘期3年以内。", None),
        ("", None),
    ])
    def test_verdict_of(self, answer, verdict):
        assert verdict_of(answer) == verdict

    def test_verdict_ok_only_for_items_with_a_verdict(self):
        assert verdict_ok("yes", "结论：可以。") is True
        assert verdict_ok("not_yet", "结论：不可以。") is False
        assert verdict_ok(None, "结论：可以。") is None


class TestNumbersStated:
    CLAUSE = "第十八条 对全市技能大赛各竞赛项目前3名的选手，颁发金、银、铜奖，给予1万元、0.8万元、0.5万元的奖金奖励"

    @pytest.mark.parametrize("answer, kept, gone", [
        # the computed figure stays, the pasted quote (>= 12 characters) goes
        ("结论：铜奖奖金5000元。条文原文：给予1万元、0.8万元、0.5万元的奖金奖励", "5000元", "0.5万元"),
        # whitespace does not hide a quote, and a cut never glues the digits on its two sides together
        ("3名：给予 1万元、0.8万元、 0.5万元的奖金奖励 2", "3名", "0.8万元"),
        # a short overlap (< 12 characters) is the answer's own words
        ("银奖0.8万元，即8000元。", "0.8万元", ""),
    ])
    def test_strip_quoted(self, answer, kept, gone):
        out = strip_quoted(answer, [self.CLAUSE])
        assert kept in out
        if gone:
            assert gone not in out

    def test_strip_quoted_keeps_digits_apart(self):
        out = strip_quoted("12给予1万元、0.8万元、0.5万元的奖金奖励34", [self.CLAUSE])
        assert parse_numbers(out).values == {Decimal(12), Decimal(34)}

    def test_strip_quoted_cuts_every_quote_from_every_citation(self):
        other = "学徒每人每年的补贴标准原则上不低于4000元"
        answer = f"依据：“{self.CLAUSE}”；“{other}”。结论：每人每年4000元。"
        out = strip_quoted(answer, [self.CLAUSE, other])
        assert "铜奖" not in out and "不低于" not in out and out.endswith("结论：每人每年4000元。")

    @pytest.mark.parametrize("answer, unstated", [
        ("结论：铜奖5000元。条文：给予1万元、0.8万元、0.5万元的奖金奖励", []),
        ("条文：给予1万元、0.8万元、0.5万元的奖金奖励", ["5000"]),      # only inside the quote
        ("结论：奖金为0.5万元，即5000元。", []),
    ])
    def test_unstated_numbers(self, answer, unstated):
        assert unstated_numbers(["5000"], answer, [self.CLAUSE]) == unstated


class TestLatency:
    def test_percentile_interpolates_like_numpy(self):
        values = [10.0, 20.0, 30.0, 40.0]
        assert percentile(values, 50) == 25.0
        assert percentile(values, 95) == pytest.approx(38.5)
        assert percentile([7.0], 95) == 7.0
        assert percentile([], 50) is None

    def test_percentile_rejects_out_of_range(self):
        with pytest.raises(ValueError, match="q must be in"):
            percentile([1.0], 101)


def _item(id_, category, evidence=(), numbers=()):
    return SimpleNamespace(id=id_, category=category, question=f"问题{id_}", evidence=tuple(evidence),
                           expected_numbers=tuple(numbers), expected_answer="参考答案")


def _cite(text):
    return {"clause_id": "x/a1", "document": "文件", "label": "第一条", "text": text}


class TestGradeItem:
    def test_answer_level_item_passes_all_checks(self):
        item = _item("d1", "time_validity", ["月销售额15万元以下"], ["15万", "2022"])
        response = {"status": "answered", "answer": "月销售额15万元以下免征，执行至2022年12月31日。",
                    "citations": [_cite("对月销售额15万元以下（含本数）的增值税小规模纳税人，免征增值税")],
                    "warnings": ["该政策执行期限截至2022年12月31日，已到期"], "elapsed_ms": 12.5}
        rec = grade_item(item, response, answer_level=True)
        assert (rec["rank"], rec["hit@1"], rec["numbers_ok"], rec["status_ok"], rec["expiry_flagged"]) == (1, True, True, True, True)
        assert rec["passed"] and rec["failures"] == []

    def test_failures_explain_why(self):
        item = _item("d2", "time_validity", ["月销售额15万元以下"], ["15万", "2022"])
        response = {"status": "out_of_scope", "answer": "不在汇编范围内", "citations": [_cite("无关"), _cite("月销售额 15 万元以下")],
                    "warnings": [], "elapsed_ms": 3}
        rec = grade_item(item, response, answer_level=True)
        assert rec["rank"] == 2 and rec["hit@1"] is False and rec["hit@3"] is True
        assert rec["numbers_missing"] == ["15万", "2022"]
        assert rec["false_abstain"] is True and rec["expiry_flagged"] is False
        assert len(rec["failures"]) == 4 and not rec["passed"]

    def test_retrieval_only_has_no_answer_metrics(self):
        item = _item("d3", "lookup", ["聘期一般为3年"], ["3"])
        rec = grade_item(item, {"citations": [_cite("聘期一般为3年")], "elapsed_ms": 1.0}, answer_level=False)
        assert rec["hit@1"] is True
        assert rec["numbers_ok"] is None and rec["status_ok"] is None and rec["false_abstain"] is None

    def test_only_top_5_citations_count(self):
        item = _item("d4", "lookup", ["目标句"])
        rec = grade_item(item, {"citations": [_cite("无关")] * 5 + [_cite("目标句")]}, answer_level=False)
        assert rec["rank"] is None and rec["hit@5"] is False and rec["cite_lens"] == [2] * 5


class TestGradeCitizenItem:
    def item(self, **kw):
        base = {"id": "c1", "category": "eligibility", "question": "本科毕业工作10个月能认定助理级吗？", "evidence": (),
                "expected_numbers": ("1",), "expected_answer": "还不能", "expected_status": "answered", "expected_verdict": "not_yet"}
        return SimpleNamespace(**(base | kw))

    CLAUSE = "大学本科毕业、工作满1年的可认定助理级"

    def test_verdict_status_and_stated_numbers_pass(self):
        response = {"status": "answered", "answer": "结论：现在还不行，须工作满1年。", "citations": [_cite(self.CLAUSE)]}
        rec = grade_item(self.item(), response, answer_level=True)
        assert (rec["status_ok"], rec["verdict"], rec["verdict_ok"], rec["numbers_ok"], rec["numbers_stated"]) == (
            True, "not_yet", True, True, True)
        assert rec["passed"] and rec["expected"]["verdict"] == "not_yet"

    def test_failures_name_verdict_status_and_quoted_numbers(self):
        response = {"status": "needs_more_info", "answer": f"结论：可以。\n条文原文：{self.CLAUSE}", "citations": [_cite(self.CLAUSE)]}
        rec = grade_item(self.item(), response, answer_level=True)
        assert rec["numbers_ok"] is True and rec["numbers_stated"] is False and rec["numbers_only_quoted"] == ["1"]
        assert rec["status_ok"] is False and rec["verdict_ok"] is False
        assert rec["failures"] == ["以下数字只出现在照抄的条文中，回答没有自己写出：1",
                                   "状态应为 answered，实际为 needs_more_info",
                                   "结论应为“暂不能（还差条件）”，实际为“可以”"]

    def test_conversation_question_is_kept_as_turns(self):
        item = self.item(question=("第一问？", "那第二问呢？"), expected_verdict=None, expected_numbers=())
        rec = grade_item(item, {"status": "answered", "answer": "结论：可以。"}, answer_level=True)
        assert rec["question"] == ["第一问？", "那第二问呢？"] and rec["verdict_ok"] is None and rec["verdict"] == "yes"

    def test_contract_conclusion_field_counts_when_the_answer_has_no_conclusion_line(self):
        response = {"status": "answered", "answer": "根据政策原文：……", "conclusion": "还不能，还差2个月。"}
        assert grade_item(self.item(expected_numbers=()), response, answer_level=True)["verdict"] == "not_yet"

    def test_retrieval_only_has_no_verdict_or_stated_numbers(self):
        rec = grade_item(self.item(), {"citations": [_cite(self.CLAUSE)]}, answer_level=False)
        assert rec["verdict_ok"] is None and rec["numbers_stated"] is None and rec["status_ok"] is None


class TestSummarise:
    def records(self):
        items = [_item("a", "lookup", ["甲"], ["3"]), _item("b", "lookup", ["乙"]), _item("c", "out_of_scope"),
                 _item("d", "multi_hop", ["丙", "丁"])]
        responses = [
            {"status": "answered", "answer": "三年", "citations": [_cite("甲")], "elapsed_ms": 10},
            {"status": "answered", "answer": "", "citations": [_cite("x"), _cite("乙乙乙")], "elapsed_ms": 20},
            {"status": "answered", "answer": "", "citations": [], "elapsed_ms": 30},
            {"status": "out_of_scope", "answer": "", "citations": [_cite("丙"), _cite("x"), _cite("x"), _cite("x")], "elapsed_ms": 40},
        ]
        return [grade_item(i, r, answer_level=True) for i, r in zip(items, responses, strict=True)]

    def test_summary_all_and_categories(self):
        summary = summarise(self.records())
        assert list(summary) == ["ALL", "lookup", "multi_hop", "out_of_scope"]
        all_ = summary["ALL"]
        assert all_["n"] == 4
        assert all_["hit@1"] == round(2 / 3, 4)      # a, d hit at rank 1; b at rank 2; c has no evidence
        assert all_["mrr"] == round((1 + 0.5 + 1) / 3, 4)
        assert all_["numbers_ok"] == 1.0
        assert all_["status_ok"] == 0.5             # c answered an out-of-scope item, d declined an in-scope one
        assert all_["false_abstain"] == round(1 / 3, 4)
        assert all_["expiry_flagged"] is None       # no time_validity item
        assert all_["verdict_ok"] is None           # no item with an expected verdict
        assert all_["numbers_stated"] == 1.0        # "三年" is the answer's own words
        assert all_["p50_ms"] == 25.0
        assert all_["cite_len_max"] == 3
        assert summary["multi_hop"]["evidence_coverage"] == 0.5
        assert summary["out_of_scope"]["hit@1"] is None and summary["out_of_scope"]["status_ok"] == 0.0


def test_verdict_ignores_a_nested_bracket_aside():
    from evals.grading import verdict_of

    assert verdict_of("结论：可以申报中级职称（以考代评的系列（专业）除外：会计的中级职称考试合格即取得，不能考核认定）。") == "yes"
