"""The clause that answers comes first: a list of papers to hand in (or a blank form) names every subsidy it is for,
so words alone rank it first for any question about that subsidy; it leads only when the question asks what to submit."""

from __future__ import annotations

import pytest

from assistant.composer import Candidate, rank_candidates
from assistant.composer_candidates import is_materials_list
from corpus.loader import load_corpus

pytestmark = pytest.mark.unit

MATERIALS = "apprenticeship/s5/p6/i1"  # 关于拨付新型学徒制补贴的请示；经审核的《…申请表》；…复印件…
FORM = "apprenticeship/att1"  # 附件1 …培养补贴经费申请表 with 年 月 日 blanks
STANDARD = "apprenticeship/s4/p2/i2"  # 学徒每人每年的补贴标准原则上不低于 4000 元


def _retrieved(*ids: str) -> list[Candidate]:
    corpus = load_corpus()
    out = []
    for rank, cid in enumerate(ids):
        c = corpus.clauses[cid]
        out.append(Candidate(clause_id=cid, label=c.label, document=c.doc_slug, text=c.text, retrieval_rank=rank,
                             kind=c.kind))
    return out


def test_the_corpus_lists_and_forms_are_recognised_and_the_standard_is_not():
    corpus = load_corpus()
    assert is_materials_list(corpus.clauses[MATERIALS].text)
    assert is_materials_list(corpus.clauses[FORM].text)
    assert not is_materials_list(corpus.clauses[STANDARD].text)
    assert not is_materials_list(corpus.clauses["skills-contest/a18"].text)


@pytest.mark.parametrize("question", ["学徒补贴怎么算", "师傅带学徒有补贴吗", "新型学徒制补贴标准多少", "學徒補貼怎麼算"])
def test_run_a_question_about_the_subsidy_puts_the_clause_stating_it_first(question):
    from assistant.normalize import normalize_question

    q = normalize_question(question).text
    ranked = rank_candidates(q, _retrieved(MATERIALS, FORM, STANDARD), [])
    assert ranked[0].clause_id == STANDARD


@pytest.mark.parametrize("question", ["学徒补贴申请要交什么材料", "申请学徒制补贴需要准备哪些资料", "学徒补贴的申请表在哪"])
def test_run_a_question_about_what_to_submit_keeps_the_list_first(question):
    ranked = rank_candidates(question, _retrieved(MATERIALS, FORM, STANDARD), [])
    assert ranked[0].clause_id in (MATERIALS, FORM)


@pytest.mark.parametrize("question", ["技能大赛报名要什么条件", "參加技能大賽報名要啥條件？", "技能大赛报名条件有哪些"])
def test_run_a_question_asking_for_conditions_puts_the_clause_stating_them_first(question):
    from assistant.composer import answer_kinds
    from assistant.normalize import normalize_question

    q = normalize_question(question).text
    assert "condition" in answer_kinds(q)
    ranked = rank_candidates(q, _retrieved("skills-contest/a12", "skills-contest/a9", "skills-contest/a19"), [])
    assert ranked[0].clause_id == "skills-contest/a9"  # 年满16周岁…均可报名参赛
