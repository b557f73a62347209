"""The clause tree: real anchors, stable ids, no text lost or duplicated."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.errors import ClauseNotFoundError
from corpus.loader import PACKAGE_DIR, find_clause
from corpus.parser import clean_line, load_errata, load_metadata, nonspace, parse_corpus, parse_document_text


def _raw() -> str:
    return (PACKAGE_DIR / load_metadata()["source_file"]).read_text(encoding="utf-8")


META = load_metadata()  # document lists and counts come from documents.yaml
COMPILATION = [d for d in META["documents"] if d.get("source_file", META["source_file"]) == META["source_file"]]


class TestDocuments:
    def test_documents_in_documents_yaml_order(self, corpus):
        assert [d.slug for d in corpus.documents] == [d["slug"] for d in META["documents"]]

    def test_the_ten_documents_of_the_2023_compilation_come_first_in_compilation_order(self, corpus):
        assert [d.slug for d in corpus.documents][:10] == [
            "post-title", "title-review-2023", "skills-contest", "skills-wuhai", "enterprise-skill-evaluation",
            "training-subsidy-catalog", "apprenticeship", "skills-upgrade-funds", "hr-service", "incubator"]

    def test_sections_of_the_compilation(self, corpus):
        sections = [d.section for d in corpus.documents]
        for section in {d["section"] for d in META["documents"]}:
            assert sections.count(section) == [d["section"] for d in META["documents"]].count(section)
        assert set(sections) <= {"专业技术人才", "技能人才", "其他人才"}

    def test_every_document_has_clauses_with_its_slug(self, corpus):
        for doc in corpus.documents:
            assert len(doc.clause_ids) > 5
            assert all(cid == doc.slug or cid.startswith(doc.slug + "/") for cid in doc.clause_ids)


class TestAnchors:
    def test_skills_contest_has_29_articles_in_7_chapters(self, corpus):
        kinds = [corpus.clauses[i].kind for i in corpus.document("skills-contest").clause_ids]
        assert kinds.count("article") == 29
        assert kinds.count("chapter") == 7

    def test_article_18_states_the_prize_money(self, corpus):
        a18 = corpus.clauses["skills-contest/a18"]
        assert "1万元、0.8万元、0.5万元" in a18.text
        assert a18.label == "《乌海市职业技能竞赛管理办法（试行）》第十八条"
        assert a18.parent_id == "skills-contest/ch4"

    def test_post_title_opinion_has_sections_one_to_eight(self, corpus):
        sections = [corpus.clauses[i] for i in corpus.document("post-title").clause_ids
                    if corpus.clauses[i].kind == "section"]
        assert [s.number for s in sections] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"]

    def test_assessment_recognition_label(self, corpus):
        c = corpus.clauses["post-title/s5/p8"]
        assert c.label == "《乌海市事业单位专业技术岗位设置及职称评聘工作实施意见》五、（八）考核认定"
        assert "硕士研究生毕业、工作满2年的可认定中级" in c.text
        assert c.path == ["岗位设置及职称评聘实施意见", "职称评审"]

    def test_incubator_measures_have_22_articles(self, corpus):
        kinds = [corpus.clauses[i].kind for i in corpus.document("incubator").clause_ids]
        assert kinds.count("article") == 22

    def test_support_list_is_also_a_table_of_28_items(self, corpus):
        table = next(t for t in corpus.tables if t.title == "政策扶持清单")
        assert len(table.rows) == 28
        assert table.rows[3] == {"序号": "4", "类别": "就业创业类", "项目": "给予一次性创业补贴"}
        assert table.row_clause_ids[3] == "hr-service/att1/s1/i4"
        assert table.rows[-1]["类别"] == "税收优惠类"

    def test_submission_office_table_has_22_rows(self, corpus):
        table = next(t for t in corpus.tables if t.title == "乌海市专业技术资格送审经办机构")
        assert table.columns == ["单位", "系列（专业）", "姓名", "办公室电话", "办公室"]
        assert len(table.rows) == 22
        wuda = table.rows[-1]
        assert wuda["单位"] == "乌达区人力资源和社会保障局" and wuda["办公室电话"] == "3666221"
        assert wuda["系列（专业）"] == "按属地管理原则接收各系列材料"  # merged cell filled down
        row_clause = corpus.clauses[table.row_clause_ids[-1]]
        assert row_clause.kind == "table_row" and "王秀英\t3666221\t310" in row_clause.text

    def test_support_list_items_are_numbered_clauses_with_headings(self, corpus):
        item = corpus.clauses["hr-service/att1/s1/i4"]
        assert item.title == "给予一次性创业补贴"
        assert "5000 元" in item.text or "5000元" in item.text

    def test_forms_are_flagged_with_their_fields(self, corpus):
        forms = [c for c in corpus.clauses.values() if c.is_form]
        assert len(forms) >= 8
        apply_form = corpus.clauses["apprenticeship/att1"]
        assert apply_form.is_form and apply_form.form_fields

    def test_data_table_and_materials_list_are_not_forms(self, corpus):
        """Decided by content: the 送审经办机构 table is data (its rows are clauses), the 目录单 a list to read."""
        assert not corpus.clauses["title-review-2023/att2"].is_form
        assert not corpus.clauses["title-review-2023/att1"].is_form
        assert not corpus.clauses["incubator/att2"].is_form  # a sample letter of commitment: sentences, not fields
        row = corpus.clauses["title-review-2023/att2/r1"]
        assert row.citation_text.startswith("单位\t系列（专业）\t姓名\t办公室电话\t办公室\n")

    def test_glossary_terms_are_clauses(self, corpus):
        terms = [c for c in corpus.clauses.values() if c.kind == "term"]
        assert any(t.title == "零工经济" for t in terms)


class TestText:
    def test_page_break_inside_a_word_is_joined(self, corpus):
        assert "中级岗位分 3 个等级，即八至十级" in corpus.clauses["post-title/s4/p1/i2"].text

    def test_html_tags_and_markdown_are_gone(self, corpus):
        for c in corpus.clauses.values():
            assert "<p" not in c.text and "**" not in c.text, c.id
            assert not c.text.startswith("- "), c.id

    def test_errata_are_applied(self, corpus):
        joined = "".join(c.text for c in corpus.clauses.values())
        assert " and " not in joined and "身體" not in joined
        assert "身体条件" in joined

    def test_expiry_dates_are_read_from_the_text(self, corpus):
        from datetime import date

        tax = corpus.clauses["hr-service/att1/s5/i20"]
        assert tax.valid_until == date(2026, 1, 1)
        assert "截至2025年12月31日" in tax.validity_quote


class TestCoverage:
    def test_every_body_character_lands_in_exactly_one_clause(self, corpus):
        """Rebuild the compilation's body from the raw file and compare it, in order, with the clauses' own texts."""
        errata = load_errata()
        lines = [clean_line(t, errata) for t in _raw().splitlines()]
        first_title = COMPILATION[0]["title_line"]
        start = [i for i, t in enumerate(lines) if t.strip() == first_title][0]
        skip = set(META["compilation_lines"])
        body = "".join(nonspace(t) for t in lines[start:] if t.strip() not in skip)
        ordered = sorted((c for c in corpus.clauses.values() if c.source_file == META["source_file"]),
                         key=lambda c: c.source_lines)
        clauses = "".join(nonspace(c.text) for c in ordered)
        assert clauses == body
        assert corpus.coverage["coverage"] >= 0.995

    def test_toc_page_numbers_are_not_in_any_clause(self, corpus):
        assert not any(re.search(r"实施意见\.\.1", c.text) for c in corpus.clauses.values())


class TestIds:
    def test_ids_are_unique_and_stable_across_parses(self, corpus):
        again = parse_corpus(_raw(), load_metadata(), load_errata())
        assert list(again.clauses) == list(corpus.clauses)

    def test_unrelated_edit_keeps_other_ids(self):
        raw = _raw()
        edited = raw.replace("竞赛项目参照全国职业技能大赛项目", "竞赛项目参照全国职业技能大赛的项目")
        again = parse_corpus(edited, load_metadata(), load_errata())
        assert "skills-contest/a3" in again.clauses and "skills-contest/a18" in again.clauses


class TestLookup:
    @pytest.mark.parametrize("key,expected", [
        ("skills-contest/a18", "skills-contest/a18"),
        ("《乌海市职业技能竞赛管理办法（试行）》第十八条", "skills-contest/a18"),
        ("五、（八）考核认定", "post-title/s5/p8"),
    ])
    def test_find_by_id_or_label(self, corpus, key, expected):
        assert find_clause(corpus, key).id == expected

    def test_unknown_key_suggests_close_matches(self, corpus):
        with pytest.raises(ClauseNotFoundError) as err:
            find_clause(corpus, "skills-contest/a81")
        assert "skills-contest/a18" in err.value.suggestions or err.value.suggestions
        assert "未找到条款" in str(err.value)


_META = {"slug": "doc", "title": "测试办法", "short_title": "测试", "style": "sections"}
_LINE = st.one_of(
    st.sampled_from(["一、总则", "（一）范围", "1. 条目内容。", "(2) 小项；", "附件 1", "附件：1. 表", "本办法自公布之日起施行。",
                     "", "第三条 内容", "甲\t乙\t丙", "- (三) 坚持原则。", "**标题。**正文"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=40), st.sampled_from(["sections", "articles"]))
def test_parser_never_crashes_or_loses_text(lines, style):
    text = "标题\n" + "\n".join(lines)
    clauses = parse_document_text(text, {**_META, "style": style})
    got = "".join(nonspace(c.text) for c in sorted(clauses, key=lambda c: c.source_lines))
    want = "".join(nonspace(clean_line(t, [])) for t in text.splitlines())
    assert got == want
    assert len({c.id for c in clauses}) == len(clauses)
