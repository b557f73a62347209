"""The maintainer's path of docs/MAINTAINING.md, walked on a copy of documents.yaml in a temporary folder:
add a document in each style (sections with a table, articles), amend a figure from a date with a `versions:`
entry, repeal a document — checking the clause tree, the in-force status and that no tool computes silently
from a repealed clause."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from corpus.check import check_references
from corpus.errors import ClauseNotInForceError, PolicyQAError
from corpus.loader import DOCUMENTS_FILE, load_corpus, read_corpus
from corpus.model import Status
from eligibility_tools.params import PARAMETER_DIR, Params, load_parameter_table

NOTICE = """关于调整全市技能大赛奖金标准的通知
各区人力资源和社会保障局、财政局：
为进一步激励技能人才，经研究，决定调整全市技能大赛奖金标准。现将有关事项通知如下。
一、调整奖金标准
全市技能大赛各竞赛项目第1名的金奖奖金由1万元调整为1.5万元，银奖、铜奖奖金标准不变，具体见附件。
二、施行时间
本通知自2024年7月1日起施行。
乌海市人力资源和社会保障局
乌海市财政局
2024年6月10日
附件
全市技能大赛奖金标准表
单位：万元
名次	奖项	奖金
1	金奖	1.5
2	银奖	0.8
3	铜奖	0.5
"""

MEASURES = """乌海市高技能人才奖励办法
第一章 总则
第一条 为激励高技能人才，制定本办法。
第二条 本办法适用于在我市企业工作的高技能人才。
第二章 奖励标准
第三条 对新获评首席技师的，给予以下奖励：
（一）一次性奖励2万元；
（二）每月津贴500元，最长不超过3年。
第四条 本办法自2024年1月1日起施行，有效期至2026年12月31日。
"""

NEW_DOCUMENTS = [
    {"slug": "contest-prize-2024", "title": "关于调整全市技能大赛奖金标准的通知", "short_title": "技能大赛奖金调整通知",
     "section": "技能人才", "style": "sections", "source_file": "raw/contest_prize_2024.txt",
     "issuer": "乌海市人力资源和社会保障局、乌海市财政局", "doc_number": None, "effective": {"date": None, "quote": None},
     "valid_until": None, "validity_notes": [],
     "amends": [{"clause": "skills-contest/a18", "by": "contest-prize-2024/s1", "from": date(2024, 7, 1),
                 "quote": "给予1万元、0.8万元、0.5万元的奖金奖励"}]},
    {"slug": "high-skill-awards", "title": "乌海市高技能人才奖励办法", "short_title": "高技能人才奖励办法",
     "section": "技能人才", "style": "articles", "source_file": "raw/high_skill_awards.txt", "issuer": None,
     "doc_number": None, "effective": {"date": None, "quote": None}, "valid_until": None, "validity_notes": []},
]
NEW_PRIZE = {"description": "全市技能大赛各竞赛项目前3名奖金", "unit": "CNY", "versions": [
    {"values": {1: 10000, 2: 8000, 3: 5000}, "valid_until": date(2024, 7, 1),
     "source": {"clause_id": "skills-contest/a18", "quote": "给予1万元、0.8万元、0.5万元的奖金奖励"}},
    {"values": {1: 15000, 2: 8000, 3: 5000}, "valid_from": date(2024, 7, 1),
     "source": {"clause_id": "contest-prize-2024/s1", "quote": "金奖奖金由1万元调整为1.5万元"}},
]}
AWARD_ARGS = {"contest_type": "全市技能大赛", "rank": 1, "is_employee": True}
INCUBATOR_ARGS = {"base_type": "商贸类", "area_sqm": 1200, "entities": 12, "employed": 120, "meets_basic_conditions": True}


def _write_documents(folder: Path, change=None) -> Path:
    data = yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8"))
    data["source_file"] = str((DOCUMENTS_FILE.parent / data["source_file"]).resolve())  # the bundled compilation
    data["documents"] += [dict(d) for d in NEW_DOCUMENTS]
    if change:
        change(data)
    path = folder / "documents.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("maintainer")
    (folder / "raw").mkdir()
    (folder / "raw" / "contest_prize_2024.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "raw" / "high_skill_awards.txt").write_text(MEASURES, encoding="utf-8")
    (folder / "errata.yaml").write_text((DOCUMENTS_FILE.parent / "errata.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _write_documents(folder)
    return folder


@pytest.fixture(scope="module")
def added(workspace):
    return read_corpus(workspace / "documents.yaml")


@pytest.fixture(scope="module")
def versioned_table(workspace) -> dict:
    folder = workspace / "parameters"
    folder.mkdir()
    for path in PARAMETER_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "city_skills_contest_prize" in data:
            data["city_skills_contest_prize"] = NEW_PRIZE
        (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_parameter_table(str(folder))


class TestAddDocuments:
    def test_bundled_clauses_keep_their_ids_and_texts(self, added, corpus):
        assert [d.slug for d in added.documents][:len(corpus.documents)] == [d.slug for d in corpus.documents]
        assert all(added.clauses[cid].text == c.text for cid, c in corpus.clauses.items())

    def test_sections_style_tree_with_signature_and_table(self, added):
        doc = added.document("contest-prize-2024")
        assert doc.source_file == "raw/contest_prize_2024.txt"
        kinds = {cid: added.clauses[cid].kind for cid in doc.clause_ids}
        assert kinds == {"contest-prize-2024": "root", "contest-prize-2024/preamble": "preamble",
                         "contest-prize-2024/s1": "section", "contest-prize-2024/s2": "section",
                         "contest-prize-2024/signature": "signature", "contest-prize-2024/att1": "attachment",
                         "contest-prize-2024/att1/r1": "table_row", "contest-prize-2024/att1/r2": "table_row",
                         "contest-prize-2024/att1/r3": "table_row"}
        assert added.clauses["contest-prize-2024/s1"].label == "《关于调整全市技能大赛奖金标准的通知》一、调整奖金标准"
        assert added.clauses["contest-prize-2024/s2"].text == "二、施行时间\n本通知自2024年7月1日起施行。"
        assert doc.signed_on == date(2024, 6, 10)
        row = added.clauses["contest-prize-2024/att1/r1"]
        assert row.row == {"名次": "1", "奖项": "金奖", "奖金": "1.5"}
        assert row.citation_text.startswith("单位：万元\n")
        assert not added.clauses["contest-prize-2024/att1"].is_form
        table = next(t for t in added.tables if t.doc_slug == "contest-prize-2024")
        assert table.row_clause_ids == ["contest-prize-2024/att1/r1", "contest-prize-2024/att1/r2", "contest-prize-2024/att1/r3"]

    def test_articles_style_tree(self, added):
        a3 = added.clauses["high-skill-awards/a3"]
        assert a3.label == "《乌海市高技能人才奖励办法》第三条"
        assert a3.parent_id == "high-skill-awards/ch2"
        assert a3.children == ["high-skill-awards/a3/p1", "high-skill-awards/a3/p2"]
        assert added.clauses["high-skill-awards/a3/p2"].label == "《乌海市高技能人才奖励办法》第三条（二）"

    def test_dates_come_from_the_text_when_documents_yaml_has_none(self, added):
        doc = added.document("high-skill-awards")
        assert (doc.valid_from, doc.valid_until) == (date(2024, 1, 1), date(2027, 1, 1))
        assert added.document("contest-prize-2024").valid_from == date(2024, 7, 1)

    @pytest.mark.parametrize("as_of,status", [
        (date(2023, 12, 31), Status.not_yet), (date(2024, 1, 1), Status.in_force),
        (date(2026, 12, 31), Status.in_force), (date(2027, 1, 1), Status.expired)])
    def test_in_force_status_of_the_articles_document(self, added, as_of, status):
        assert added.in_force("high-skill-awards/a3/p1", as_of).status == status

    def test_corpus_check_knows_the_new_documents(self, added):
        report = check_references(added, "contest-prize-2024", as_of=date(2024, 7, 1))
        assert report.ok
        assert any(r.kind == "文件清单" and r.target == "skills-contest/a18" for r in
                   check_references(added, "skills-contest", as_of=date(2024, 7, 1)).references)


class TestAmendAFigureFromADate:
    def test_new_notice_is_not_yet_in_force_before_its_date(self, added):
        status = added.in_force("contest-prize-2024/s1", date(2024, 6, 30))
        assert status.status == Status.not_yet and "2024年7月1日" in status.reason_zh

    def test_article_18_is_amended_from_the_date_by_the_new_clause(self, added):
        assert added.in_force("skills-contest/a18", date(2024, 6, 30)).in_force
        status = added.in_force("skills-contest/a18", date(2024, 7, 1))
        assert status.status == Status.amended and status.by == "contest-prize-2024/s1"
        assert status.since == date(2024, 7, 1) and status.quote == "给予1万元、0.8万元、0.5万元的奖金奖励"
        assert added.current_version("skills-contest/a18", date(2024, 7, 1)) == "contest-prize-2024/s1"
        assert added.current_version("skills-contest/a18", date(2024, 6, 30)) == "skills-contest/a18"

    def test_without_a_new_version_the_prize_is_not_computed_from_the_amended_text(self, added):
        params = Params(date(2024, 7, 1), load_parameter_table(), corpus=added)
        with pytest.raises(ClauseNotInForceError) as err:
            params.get("city_skills_contest_prize")
        assert "versions" in str(err.value) and err.value.status.by == "contest-prize-2024/s1"
        assert params.get("contest_top_places").clause_id == "skills-contest/a18"  # another passage of 第十八条

    def test_a_version_that_ended_before_the_amendment_is_only_expired(self, added, versioned_table):
        ended = {"city_skills_contest_prize": versioned_table["city_skills_contest_prize"][:1]}
        prize = Params(date(2024, 8, 1), ended, corpus=added).get("city_skills_contest_prize")
        assert prize.expired_on(date(2024, 8, 1))  # the tool warns that it expired; nothing is computed as current

    @pytest.mark.parametrize("as_of,gold,source", [(date(2024, 6, 30), 10000, "skills-contest/a18"),
                                                   (date(2024, 7, 1), 15000, "contest-prize-2024/s1")])
    def test_versions_follow_the_as_of_date(self, added, versioned_table, as_of, gold, source):
        prize = Params(as_of, versioned_table, corpus=added).get("city_skills_contest_prize")
        assert prize.value[1] == gold and prize.clause_id == source

    @pytest.mark.parametrize("as_of,gold,source", [(date(2024, 6, 30), 10000, "skills-contest/a18"),
                                                   (date(2024, 7, 1), 15000, "contest-prize-2024/s1")])
    def test_the_tool_computes_the_version_in_force(self, monkeypatch, added, versioned_table, as_of, gold, source):
        from eligibility_tools.registry import run_tool

        monkeypatch.setattr("eligibility_tools.params.load_parameter_table", lambda directory=None: versioned_table)
        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: added)
        data = run_tool("skills_contest_award", AWARD_ARGS, as_of).to_json()
        assert data["value"]["prize_yuan"] == gold
        assert source in data["citations"]


@pytest.fixture(scope="module")
def repealed(workspace):
    def repeal(data):
        meta = next(d for d in data["documents"] if d["slug"] == "incubator")
        meta["repealed_on"] = date(2025, 1, 1)
        meta["repealed_by"] = "《乌海市创业园和创业孵化基地认定管理办法》（乌人社发〔2024〕20号）"

    folder = workspace / "repealed"
    folder.mkdir()
    shutil.copytree(workspace / "raw", folder / "raw")
    _write_documents(folder, repeal)
    return read_corpus(folder / "documents.yaml")


class TestRepealADocument:
    def test_status_turns_repealed_on_the_day(self, repealed):
        assert repealed.in_force("incubator/a6/p1/i2", date(2024, 12, 31)).in_force
        status = repealed.in_force("incubator/a6/p1/i2", date(2025, 1, 1))
        assert status.status == Status.repealed and "乌人社发〔2024〕20号" in status.reason_zh

    def test_a_parameter_citing_it_no_longer_computes_silently(self, repealed):
        assert Params(date(2024, 12, 31), corpus=repealed).get("incubator_standard_commerce")
        with pytest.raises(ClauseNotInForceError) as err:
            Params(date(2025, 1, 1), corpus=repealed).get("incubator_standard_commerce")
        assert "已废止" in str(err.value) and "incubator/a6/p1/i2" in str(err.value)

    def test_the_tool_refuses_after_the_repeal_and_computes_before(self, monkeypatch, repealed):
        from eligibility_tools.registry import run_tool

        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: repealed)
        assert run_tool("incubator_recognition", INCUBATOR_ARGS, date(2024, 12, 31)).outcome == "eligible"
        with pytest.raises(PolicyQAError, match="已废止"):
            run_tool("incubator_recognition", INCUBATOR_ARGS, date(2025, 1, 1))

    def test_the_cli_prints_a_chinese_error_and_exits_2(self, monkeypatch, capsys, repealed):
        import json
        import sys

        from assistant.cli import main

        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: repealed)
        monkeypatch.setattr(sys, "argv", ["policy-qa", "tool", "run", "incubator_recognition",
                                          "--args", json.dumps(INCUBATOR_ARGS), "--as-of", "2025-01-01"])
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("错误：参数“") and "已废止" in err and "乌人社发〔2024〕20号" in err

    def test_corpus_check_lists_the_references_and_warns(self, repealed):
        report = check_references(repealed, "incubator", as_of=date(2025, 1, 1))
        assert report.ok  # nothing dangles: the text is still there, its status says repealed
        kinds = {r.kind for r in report.references}
        assert {"参数", "条款规则", "工具用例", "金标准", "路由"} <= kinds
        assert any(r.kind == "参数" and "废止" in r.problem for r in report.warnings)

    def test_the_bundled_corpus_is_untouched(self):
        assert load_corpus().in_force("incubator/a6/p1/i2", date(2025, 1, 1)).in_force
