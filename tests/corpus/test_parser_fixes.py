"""Parser cases met when a new document was added (issue 13), each on a small synthetic text."""

from __future__ import annotations

from datetime import date

import pytest

from corpus.parser import extract_validity, nonspace, parse_document_text

META = {"slug": "doc", "title": "测试通知", "short_title": "测试", "section": "其他人才", "style": "sections"}


def _parse(text: str, **meta) -> dict:
    return {c.id: c for c in parse_document_text(text, {**META, **meta})}


class TestValidityPhrases:
    @pytest.mark.parametrize("text,until", [
        ("本通知有效期至2026年12月31日。", date(2027, 1, 1)),
        ("有效期至 2026 年 12 月 31 日止。", date(2027, 1, 1)),
        ("政策执行期限截至2025年12月31日。", date(2026, 1, 1)),
        ("有效期为2024年1月1日至2025年12月31日。", date(2026, 1, 1)),
    ])
    def test_end_dates_are_recognised(self, text, until):
        _, end, quote = extract_validity(text)
        assert end == until
        assert quote and nonspace(quote) in nonspace(text)

    def test_range_gives_the_start_too(self):
        start, end, _ = extract_validity("自2021年4月1日至2022年12月31日，免征增值税。")
        assert (start, end) == (date(2021, 4, 1), date(2023, 1, 1))

    def test_a_date_without_an_end_word_is_not_an_end(self):
        assert extract_validity("2024年6月1日召开会议。") == (None, None, None)


class TestDatesSectionKeepsItsLines:
    def test_enforcement_line_stays_in_its_numbered_section(self):
        clauses = _parse("测试通知\n一、对象\n在我市工作的人才。\n三、施行时间\n本通知自2024年7月1日起施行。\n")
        assert "doc/closing" not in clauses
        assert clauses["doc/s3"].text == "三、施行时间\n本通知自2024年7月1日起施行。"
        assert clauses["doc/s3"].label == "《测试通知》三、施行时间"

    def test_enforcement_line_after_the_last_section_is_still_a_closing_clause(self):
        clauses = _parse("测试通知\n一、对象\n在我市工作的人才。\n本通知自印发之日起施行。\n")
        assert clauses["doc/closing"].text == "本通知自印发之日起施行。"
        assert clauses["doc/closing"].label == "《测试通知》附则"
        assert clauses["doc/s1"].text == "一、对象\n在我市工作的人才。"

    def test_article_style_chapter_of_supplementary_provisions(self):
        text = "测试办法\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二章 附则\n本办法自2024年7月1日起施行。\n"
        clauses = _parse(text, style="articles", title="测试办法")
        assert "doc/closing" not in clauses
        assert "本办法自2024年7月1日起施行。" in clauses["doc/ch2"].text


class TestSignature:
    TEXT = ("测试通知\n一、对象\n在我市工作的人才。\n二、施行时间\n本通知自印发之日起施行。\n"
            "乌海市人力资源和社会保障局\n乌海市财政局\n2024年6月1日\n")

    def test_signature_and_date_are_their_own_clause_each_on_its_line(self):
        clauses = _parse(self.TEXT)
        sig = clauses["doc/signature"]
        assert sig.kind == "signature" and sig.label == "《测试通知》落款"
        assert sig.text == "乌海市人力资源和社会保障局\n乌海市财政局\n2024年6月1日"
        assert clauses["doc/s2"].text == "二、施行时间\n本通知自印发之日起施行。"

    def test_chinese_numeral_date(self):
        clauses = _parse("测试通知\n一、对象\n人才。\n乌海市人力资源和社会保障局\n二〇二四年六月一日\n")
        assert clauses["doc/signature"].text == "乌海市人力资源和社会保障局\n二〇二四年六月一日"

    def test_date_under_the_title_stays_with_the_title(self):
        clauses = _parse("测试通知\n2024年6月1日\n各有关单位：\n现通知如下。\n一、对象\n人才。\n")
        assert clauses["doc"].text == "测试通知\n2024年6月1日"
        assert clauses["doc/preamble"].text == "各有关单位：\n现通知如下。"
        assert "doc/signature" not in clauses

    def test_blank_date_of_a_form_is_not_a_signature(self):
        clauses = _parse("测试通知\n一、对象\n人才。\n附件\n申请表\n申请单位（盖章）\n年 月 日\n", attachment_titles=["申请表"])
        assert "doc/signature" not in clauses
        assert clauses["doc/att1"].is_form


class TestTablesAndForms:
    TABLE = ("测试通知\n一、标准\n按附件执行。\n附件\n2024年人才奖励标准表\n单位：万元\n"
             "序号\t奖励情形\t金额\t发放方式\n1\t获评国家级人才\t20\t一次性\n3\t年度考核良好\t5\t每年\n")

    def test_data_table_titled_biao_is_not_a_form_and_its_rows_are_clauses(self):
        clauses = _parse(self.TABLE)
        att = clauses["doc/att1"]
        assert att.title == "2024年人才奖励标准表" and not att.is_form and att.form_fields == []
        row = clauses["doc/att1/r2"]
        assert row.kind == "table_row"
        assert row.row == {"序号": "3", "奖励情形": "年度考核良好", "金额": "5", "发放方式": "每年"}
        assert row.title == "年度考核良好"  # the row is named by its first cell that is not a bare number

    def test_table_row_citation_carries_the_header_units(self):
        row = _parse(self.TABLE)["doc/att1/r2"]
        assert row.text == "3\t年度考核良好\t5\t每年"  # the clause's own text stays verbatim
        assert row.citation_text == "单位：万元\n序号\t奖励情形\t金额\t发放方式\n3\t年度考核良好\t5\t每年"

    def test_unit_in_the_column_header_is_carried_as_well(self):
        text = self.TABLE.replace("单位：万元\n", "").replace("\t金额\t", "\t金额（万元）\t")
        row = _parse(text)["doc/att1/r2"]
        assert row.row["金额（万元）"] == "5"
        assert "金额（万元）" in row.citation_text and row.citation_text.endswith("3\t年度考核良好\t5\t每年")

    def test_form_with_blank_cells_is_a_form_whatever_its_title(self):
        text = "测试通知\n一、申报\n填写附件。\n附件\n人才申报材料\n姓名\t\t性别\t\n工作单位\t\t职务\t\n"
        att = _parse(text)["doc/att1"]
        assert att.is_form and att.form_fields == ["姓名", "性别", "工作单位", "职务"]

    def test_header_row_without_rows_is_a_form(self):
        att = _parse("测试通知\n一、申报\n填写附件。\n附件\n申报人员花名册\n序号\t姓名\t单位\n")["doc/att1"]
        assert att.is_form

    def test_declared_table_in_documents_yaml_still_works(self):
        text = "测试通知\n一、标准\n见附件。\n附件\n经办机构\n单位\t电话\n市人社局\t3999999\n市财政局\t3888888\n"
        clauses = _parse(text, data_tables=[{"attachment": "经办机构", "columns": ["单位", "电话"]}])
        assert clauses["doc/att1/r2"].row == {"单位": "市财政局", "电话": "3888888"}
        assert clauses["doc/att1/r2"].table_header == "单位\t电话"
        assert not clauses["doc/att1"].is_form
