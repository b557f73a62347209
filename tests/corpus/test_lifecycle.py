"""Clause-level in-force status computed from documents.yaml and the texts' own dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from corpus.errors import ClauseNotFoundError, CorpusError
from corpus.lifecycle import passages_overlap
from corpus.loader import read_corpus
from corpus.model import Status

DOC_A = "甲办法\n第一条 为规范管理，制定本办法。\n第二条 补助标准为每人每年1000元。\n第三条 本办法自2023年1月1日起施行。\n"
DOC_B = "关于调整补助标准的通知\n一、补助标准\n甲办法第二条规定的补助标准调整为每人每年1500元。\n二、施行时间\n本通知自2024年7月1日起施行。\n"


def _corpus(tmp_path: Path, **changes):
    """Two documents in files of their own; `changes` are merged into the entries by slug."""
    (tmp_path / "raw").mkdir(exist_ok=True)
    (tmp_path / "raw" / "a.txt").write_text(DOC_A, encoding="utf-8")
    (tmp_path / "raw" / "b.txt").write_text(DOC_B, encoding="utf-8")
    docs = [{"slug": "a", "title": "甲办法", "short_title": "甲办法", "section": "其他人才", "style": "articles",
             "source_file": "raw/a.txt"},
            {"slug": "b", "title": "关于调整补助标准的通知", "short_title": "调整通知", "section": "其他人才",
             "style": "sections", "source_file": "raw/b.txt"}]
    for doc in docs:
        doc.update(changes.get(doc["slug"], {}))
    (tmp_path / "documents.yaml").write_text(yaml.safe_dump({"documents": docs}, allow_unicode=True), encoding="utf-8")
    return read_corpus(tmp_path / "documents.yaml")


class TestBundledCorpus:
    def test_incubator_measures_start_on_their_date(self, corpus):
        assert corpus.in_force("incubator/a6", date(2022, 10, 14)).status == Status.not_yet
        assert corpus.in_force("incubator/a6", date(2022, 10, 15)).in_force

    def test_dated_tax_item_expires_after_its_last_day(self, corpus):
        assert corpus.in_force("hr-service/att1/s5/i20", date(2025, 12, 31)).in_force
        status = corpus.in_force("hr-service/att1/s5/i20", date(2026, 1, 1))
        assert status.status == Status.expired and status.since == date(2026, 1, 1)
        assert "截至2025年12月31日" in status.quote

    def test_range_item_is_not_yet_before_its_start(self, corpus):
        assert corpus.in_force("hr-service/att1/s5/i27", date(2021, 3, 31)).status == Status.not_yet

    def test_yearly_notice_expires_with_its_year(self, corpus):
        status = corpus.in_force("title-review-2023/s4/p7", date(2024, 1, 1))
        assert status.status == Status.expired and status.decided_by == "title-review-2023"

    def test_undated_clause_is_in_force(self, corpus):
        status = corpus.in_force("skills-contest/a18", date(2026, 11, 26))
        assert status.in_force and status.reason_zh == "现行有效"
        assert corpus.current_version("skills-contest/a18", date(2026, 11, 26)) == "skills-contest/a18"

    def test_documents_by_slug(self, corpus):
        assert corpus.in_force("skills-wuhai", date(2026, 1, 1)).status == Status.expired

    def test_unknown_clause_raises(self, corpus):
        with pytest.raises(ClauseNotFoundError):
            corpus.in_force("incubator/a99", date(2026, 1, 1))


class TestLifecycleData:
    def test_amendment_of_a_clause_from_a_date(self, tmp_path):
        c = _corpus(tmp_path, b={"amends": [{"clause": "a/a2", "by": "b/s1", "from": "2024-07-01", "quote": "每人每年1000元"}]})
        assert c.in_force("a/a2", date(2024, 6, 30)).in_force
        status = c.in_force("a/a2", date(2024, 7, 1))
        assert (status.status, status.by, status.since) == (Status.amended, "b/s1", date(2024, 7, 1))
        assert "《关于调整补助标准的通知》一、补助标准" in status.reason_zh
        assert c.current_version("a/a2", date(2024, 7, 1)) == "b/s1"
        assert c.amendments_of("a/a2")[0].quote == "每人每年1000元"
        assert c.in_force("a/a1", date(2024, 7, 1)).in_force  # the other articles are untouched

    def test_amendment_date_defaults_to_the_amending_documents_start(self, tmp_path):
        c = _corpus(tmp_path, b={"amends": [{"clause": "a/a2", "by": "b/s1"}]})
        assert c.amendments_of("a/a2")[0].from_date == date(2024, 7, 1)

    def test_amendment_by_a_text_outside_the_corpus(self, tmp_path):
        c = _corpus(tmp_path, a={"amended_by": [{"clause": "a/a2", "by": "《关于调整补助标准的通知》（乌人社发〔2024〕9号）",
                                                  "from": "2024-07-01"}]})
        status = c.in_force("a/a2", date(2024, 7, 1))
        assert status.status == Status.amended and "乌人社发〔2024〕9号" in status.reason_zh
        assert c.current_version("a/a2", date(2024, 7, 1)) == "a/a2"  # no text to point to instead

    def test_clause_repealed_alone(self, tmp_path):
        c = _corpus(tmp_path, b={"amends": [{"clause": "a/a2", "by": "b/s1", "from": "2024-07-01", "effect": "repealed"}]})
        assert c.in_force("a/a2", date(2024, 7, 1)).status == Status.repealed
        assert c.in_force("a/a1", date(2024, 7, 1)).in_force

    def test_document_repealed_by_a_clause_of_another(self, tmp_path):
        c = _corpus(tmp_path, a={"repealed_on": "2025-01-01", "repealed_by": "b/s2"})
        status = c.in_force("a/a2", date(2025, 1, 1))
        assert status.status == Status.repealed and status.by == "b/s2"
        assert "《关于调整补助标准的通知》二、施行时间" in status.reason_zh
        assert c.in_force("a/a2", date(2024, 12, 31)).in_force

    def test_start_date_from_the_text_and_not_yet_before_it(self, tmp_path):
        c = _corpus(tmp_path)
        assert c.document("a").valid_from == date(2023, 1, 1)
        assert c.in_force("a/a1", date(2022, 12, 31)).status == Status.not_yet

    def test_documents_yaml_dates_win_over_the_text(self, tmp_path):
        c = _corpus(tmp_path, a={"valid_from": "2023-03-01", "valid_until": "2024-01-01"})
        assert (c.document("a").valid_from, c.document("a").valid_until) == (date(2023, 3, 1), date(2024, 1, 1))
        assert c.in_force("a/a1", date(2024, 1, 1)).status == Status.expired

    @pytest.mark.parametrize("changes,message", [
        ({"b": {"amends": [{"clause": "a/a9", "by": "b/s1"}]}}, "不存在的条款 a/a9"),
        ({"b": {"amends": [{"clause": "a/a2", "by": "b/s9"}]}}, "by 指向不存在的条款 b/s9"),
        ({"b": {"amends": [{"clause": "a/a2", "by": "b/s1", "quote": "每人每年2000元"}]}}, "quote"),
        ({"b": {"amends": [{"clause": "a/a2", "by": "b/s1", "effect": "deleted"}]}}, "effect"),
        ({"a": {"repealed_on": "2025-01-01", "repealed_by": "c/a1"}}, "repealed_by 指向不存在"),
        ({"a": {"amended_by": [{"clause": "b/s1", "by": "《某通知》", "from": "2024-07-01"}]}}, "应是本文件的条款"),
        ({"a": {"amended_by": [{"clause": "a/a2", "by": "《某通知》"}]}}, "缺少 from"),
        ({"a": {"repealed_by": "b/s2"}}, "repealed_on"),
        ({"a": {"valid_from": "2023-13-01"}}, "日期"),
        ({"a": {"source_file": "raw/missing.txt"}}, "无法读取政策原文"),
    ])
    def test_mistakes_in_documents_yaml_fail_loudly(self, tmp_path, changes, message):
        with pytest.raises(CorpusError, match=message):
            _corpus(tmp_path, **changes)

    def test_title_line_not_found_is_reported(self, tmp_path):
        with pytest.raises(CorpusError, match="标题行"):
            _corpus(tmp_path, a={"title_line": "乙办法"})


@pytest.mark.parametrize("a,b,overlap", [
    ("给予1万元、0.8万元、0.5万元的奖金奖励", "颁发金、银、铜奖，给予1万元、0.8万元、0.5万元的奖金奖励", True),
    ("给予1万元、0.8万元、0.5万元的奖金奖励", "对全市技能大赛各竞赛项目前3名的选手", False),
    (None, "任何引文", True),
])
def test_passages_overlap(a, b, overlap):
    assert passages_overlap(a, b) is overlap
