"""Retrieval units follow the clause tree, stay short, and cite verbatim text."""

from __future__ import annotations

import re
import statistics

import pytest

from indexing.units import MERGE_MAX_CHARS, SPLIT_OVER_CHARS, _is_heading_only, build_units, naive_chunks, split_sentences


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def units(corpus):
    return build_units(corpus)


class TestBuildUnits:
    def test_run_citations_are_short(self, units):
        lengths = [len(u.text) for u in units]
        assert statistics.median(lengths) <= 300
        assert max(lengths) <= 1200

    def test_run_citation_text_is_verbatim_clause_text(self, corpus, units):
        for unit in units:
            clause = corpus.clauses[unit.clause_id]
            source = corpus.full_text(clause.id) if unit.kind == "subtree" else clause.text
            assert _squash(unit.text) in _squash(source), unit.unit_id
            if unit.kind in ("clause", "table_row"):
                assert unit.text == clause.text.strip()

    def test_run_every_clause_body_is_covered(self, corpus, units):
        covered = _squash("".join(u.text for u in units))
        for clause in corpus.clauses.values():
            if clause.kind != "root" and len(clause.text) > 20 and not (clause.children and _is_heading_only(clause)):
                assert _squash(clause.text)[-20:] in covered, clause.id

    def test_run_unit_ids_are_unique_and_clause_ids_exist(self, corpus, units):
        assert len({u.unit_id for u in units}) == len(units)
        assert all(u.clause_id in corpus.clauses for u in units)

    def test_run_match_text_carries_document_and_heading_path(self, units):
        unit = next(u for u in units if u.clause_id == "post-title/s4/p2/i3")
        assert unit.match_text.startswith("岗位设置及职称评聘实施意见 > 岗位设置 > 特设岗位设置\n")
        assert unit.text.startswith("3. 特设岗位人员聘期一般为3年")

    def test_run_untitled_parent_contributes_its_first_words(self, units):
        unit = next(u for u in units if u.clause_id == "incubator/a6/p2/i6")
        assert "示范性" in unit.match_text.split("\n")[0]

    def test_run_short_list_items_are_merged_into_their_parent(self, units):
        merged = next(u for u in units if u.clause_id == "post-title/s5/p4/i1")
        assert merged.kind == "subtree"
        assert "享受国务院政府特殊津贴人员" in merged.text and len(merged.text) <= MERGE_MAX_CHARS
        assert not any(u.clause_id.startswith("post-title/s5/p4/i1/") for u in units)

    def test_run_heading_only_clause_has_no_unit_of_its_own(self, units):
        assert not any(u.clause_id == "post-title/s4/p2" for u in units)  # "（二）特设岗位设置"

    def test_run_table_rows_repeat_the_header(self, units):
        row = next(u for u in units if u.clause_id == "title-review-2023/att2/r2")
        assert row.kind == "table_row"
        assert "单位：乌海市教育局" in row.match_text and "姓名：张晓娟" in row.match_text
        assert row.text == "乌海市教育局\t中小学教师、中等职业学校教师、基层中小学教师\t张晓娟\t8991949\t405"

    def test_run_long_clauses_are_split_with_the_path_repeated(self, corpus, units):
        parts = [u for u in units if u.kind == "part"]
        assert parts, "the corpus has clauses over the split threshold"
        for part in parts:
            assert len(corpus.clauses[part.clause_id].text) > SPLIT_OVER_CHARS
            assert part.unit_id.startswith(part.clause_id + "#")
            assert part.match_text.split("\n")[0] == part.match_text.split("\n")[0].strip()
        first = [p for p in parts if p.unit_id.endswith("#1")][0]
        second = next(p for p in parts if p.unit_id == first.clause_id + "#2")
        assert first.match_text.split("\n")[0] == second.match_text.split("\n")[0]


class TestSplitSentences:
    def test_run_cuts_only_after_sentence_ends_and_keeps_text(self):
        text = "第一句话很长很长。" * 30 + "最后一句。"
        parts = split_sentences(text, target=50)
        assert "".join(parts) == text
        assert all(p.endswith("。") for p in parts)
        assert all(len(p) <= 54 for p in parts)

    def test_run_short_text_is_one_part(self):
        assert split_sentences("只有一句。") == ["只有一句。"]


class TestNaiveChunks:
    def test_run_chunks_are_at_most_250_chars_and_name_a_document(self, corpus):
        chunks = naive_chunks(corpus)
        assert len(chunks) > 200
        assert max(len(c.text) for c in chunks) <= 250
        assert chunks[0].clause_id == "naive/1"
        titles = {d.title for d in corpus.documents}
        assert all(c.document in titles for c in chunks)
