"""jieba with the domain dictionary, stopwords and the colloquial synonym map."""

from __future__ import annotations

import pytest

from indexing import tokenizer
from indexing.tokenizer import corpus_terms, synonym_map, tokenize


class TestTokenize:
    @pytest.mark.parametrize("term", ["以考代评", "考评结合", "新型学徒制", "创业担保贷款", "送审经办机构", "专业技术岗位", "副高级"])
    def test_run_keeps_reviewed_terms_whole(self, term):
        assert term in tokenize(f"关于{term}的规定", synonyms=False)

    def test_run_drops_stopwords_and_punctuation(self):
        tokens = tokenize("我能不能申报中级职称吗？", synonyms=False)
        assert "申报" in tokens and "中级" in tokens and "职称" in tokens
        assert not {"我", "能不能", "吗", "？"} & set(tokens)

    @pytest.mark.parametrize(("question", "expected"), [
        ("我大专毕业能评职称吗", {"专科", "职称评审"}),
        ("研究生毕业几年能认定中级", {"硕士"}),
        ("培训有补助吗", {"补贴"}),
        ("比赛拿了金牌有奖金吗", {"奖励", "竞赛"}),
        ("在乡下工作的技术员", {"乡镇"}),
        ("私企员工怎么报职称", {"非公有制"}),
        ("中学老师评副高", {"教师", "副高级"}),
    ])
    def test_run_adds_corpus_words_for_colloquial_ones(self, question, expected):
        assert expected <= set(tokenize(question))
        assert not expected <= set(tokenize(question, synonyms=False))

    def test_run_is_quiet_on_stderr(self, capfd):
        tokenizer._jieba.cache_clear()
        tokenize("企业新型学徒制培训补贴")
        assert capfd.readouterr().err == ""


class TestVocabulary:
    def test_run_corpus_terms_come_from_headings_bold_and_quotes(self):
        terms = set(corpus_terms())
        assert "考核认定" in terms  # heading of post-title/s5/p8
        assert "以奖代补" in terms  # quoted
        assert "一次性创业补贴" in terms  # bold title in the raw text
        assert all(2 <= len(t) <= 12 for t in terms)

    def test_run_synonym_values_are_corpus_words(self):
        """Every expansion must be something the corpus can match, or it only adds noise."""
        from corpus.loader import load_corpus

        corpus = load_corpus()
        text = "".join(c.text for c in corpus.clauses.values())
        missing = {v for values in synonym_map().values() for v in values if v not in text}
        assert missing == set()

    def test_run_vocabulary_fingerprint_is_stable(self):
        assert tokenizer.vocabulary_fingerprint() == tokenizer.vocabulary_fingerprint()
        assert len(tokenizer.vocabulary_fingerprint()) == 16
