"""The covered-topics list of refusals comes from documents.yaml (documents in force on the as-of date), and no
out-of-scope topic of assistant/abstain.yaml shadows a covered document."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from assistant.abstain import Decision, refusal_lines, topic_hit
from corpus.lifecycle import covered_topics
from corpus.loader import DOCUMENTS_FILE
from tests.assistant.test_in_force import amended, repealed  # noqa: F401  (module fixtures: synthetic corpora)
from tests.corpus.test_maintaining import NEW_DOCUMENTS

pytestmark = pytest.mark.unit


def _document_entries() -> list[dict]:
    return yaml.safe_load(DOCUMENTS_FILE.read_text(encoding="utf-8"))["documents"] + NEW_DOCUMENTS


class TestCoveredTopics:
    def test_every_bundled_document_has_a_topic(self, corpus):
        assert all(doc.topic for doc in corpus.documents)

    def test_only_documents_in_force_are_listed_in_documents_yaml_order(self, corpus):
        as_of = date(2026, 11, 30)
        expected = [d.topic for d in corpus.documents if corpus.in_force(d.slug, as_of).in_force]
        assert covered_topics(corpus, as_of) == expected
        assert "技能乌海行动" in covered_topics(corpus, date(2025, 12, 31))  # 2022-2025 plan: listed until it ends
        assert "技能乌海行动" not in expected

    def test_a_repealed_document_leaves_the_list_on_its_repeal_day(self, repealed):  # noqa: F811
        assert "创业园和创业孵化基地认定" in covered_topics(repealed, date(2024, 12, 31))
        assert "创业园和创业孵化基地认定" not in covered_topics(repealed, date(2025, 1, 1))

    def test_a_new_document_is_listed_from_its_effective_date(self, amended):  # noqa: F811
        assert "技能大赛奖金调整通知" not in covered_topics(amended, date(2024, 6, 30))  # no topic: its short title
        assert "技能大赛奖金调整通知" in covered_topics(amended, date(2024, 7, 1))

    def test_the_refusal_lists_them(self, monkeypatch, repealed):  # noqa: F811
        from assistant.service import Assistant
        from tests.assistant.fakes import FakeRetriever

        monkeypatch.setattr("corpus.loader.load_corpus", lambda documents=None: repealed)
        assistant = Assistant(retriever=FakeRetriever(repealed), corpus=repealed)
        for as_of in (date(2024, 12, 31), date(2025, 1, 1)):
            result = assistant.ask("乌海的公积金怎么提取？", as_of=as_of)
            assert result["status"] == "out_of_scope"
            assert result["answer"].splitlines()[-1] == "本汇编涵盖：" + "、".join(covered_topics(repealed, as_of)) + "。"

    def test_refusal_lines_print_the_given_topics(self):
        lines = refusal_lines(Decision(True, reason="topic", topic="公积金"), covered=["甲", "乙"])
        assert lines[-1] == "本汇编涵盖：甲、乙。"


@pytest.mark.parametrize("entry", _document_entries(), ids=lambda e: e["slug"])
def test_no_out_of_scope_topic_shadows_a_document(entry):
    """A question naming a document by its title, short title or topic must not be refused as out of scope: when a
    new document is about 购房补贴, the 购房补贴 pattern of abstain.yaml has to go."""
    for words in (entry["title"], entry["short_title"], entry.get("topic") or ""):
        hit = topic_hit(words) if words else None
        assert hit is None, f"《{entry['title']}》的“{words}”被 abstain.yaml 的拒答主题“{hit['name']}”挡住，请修改该主题的 patterns"


def test_the_shadow_check_can_fail():
    assert topic_hit("乌海市人才购房补贴实施办法") is not None
