"""条款浏览 page: documents -> clause tree, clause detail, hybrid search with highlighted matches.

Every clause link is a real `?clause=<id>` URL (it works when opened in a new tab or shared); inside
the page a click is intercepted and opens the clause without reloading, so the chat is not lost.
"""

from __future__ import annotations

import logging
from typing import Any

import gradio as gr

from ui.render import clause_detail_html, clause_tree_html, error_html, search_results_html
from ui.services import Services

log = logging.getLogger(__name__)

CLAUSE_CLICK_JS = """
element.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-clause]');
  if (!a || a.target === '_blank' || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) { return; }
  e.preventDefault();
  try { history.replaceState(null, '', a.getAttribute('href')); } catch (err) { /* ignore */ }
  trigger('click', {clause: a.dataset.clause});
});
"""

SEARCH_TOP_K = 10
# After a clause opens: bring its text into view (on a phone it sits below the results and the tree).
SHOW_DETAIL_JS = """
() => {
  const el = document.querySelector('#browse-detail');
  if (el) {
    const r = el.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.5) { el.scrollIntoView({block: 'start'}); }
  }
  return [];
}
"""


def query_terms(query: str) -> list[str]:
    """Words to highlight: the retriever's own tokenizer (with domain words and synonyms) when present."""
    query = (query or "").strip()
    if not query:
        return []
    try:
        from indexing.tokenizer import tokenize

        tokens = tokenize(query)
    except Exception:  # highlighting is cosmetic; never fail a search over it
        tokens = query.split()
    return [t for t in tokens if len(t) >= 2 or t.isdigit()]


class ClauseBrowser:
    def __init__(self, services: Services):
        self.services = services

    def open_clause(self, key: str, terms: list[str] | None = None) -> tuple[str | None, str, str]:
        """(document slug, tree html, detail html) for a clause id or citation label."""
        from corpus.errors import ClauseNotFoundError
        from corpus.loader import find_clause

        corpus = self.services.corpus
        if len(key) > 200:
            return None, gr.skip(), error_html("条款编号过长，无法打开。请从目录中选择，或使用上方的检索。")
        try:
            clause = find_clause(corpus, key)
        except ClauseNotFoundError as err:
            return None, gr.skip(), error_html(str(err))
        return (clause.doc_slug, clause_tree_html(corpus, clause.doc_slug, selected=clause.id),
                clause_detail_html(corpus, clause.id, terms))

    def search(self, query: str) -> tuple[str, list[str]]:
        query = (query or "").strip()[:200]
        terms = query_terms(query)
        if not query:
            return search_results_html("", [], []), []
        try:
            results = self.services.retriever.retrieve(query, top_k=SEARCH_TOP_K)
        except Exception as err:
            from corpus.errors import PolicyQAError

            if not isinstance(err, PolicyQAError):
                log.exception("search failed")
            message = str(err) if isinstance(err, PolicyQAError) else "检索出错，请稍后重试。"
            return error_html(message), terms
        return search_results_html(query, results, terms), terms


def build_browser(services: Services) -> dict[str, Any]:
    browser = ClauseBrowser(services)
    corpus = services.corpus
    docs = corpus.documents
    first = docs[0].slug
    terms_state = gr.State([])

    # search first (on a phone the long tree would push it off the screen), then the tree and the clause
    with gr.Row(equal_height=True, elem_id="browse-searchbar"):
        query = gr.Textbox(label="检索条款", placeholder="检索条款，例如：技能大赛 奖金", show_label=False, scale=6,
                           min_width=160, elem_id="browse-query", container=False)
        search = gr.Button("检索", variant="primary", scale=1, min_width=72, elem_id="browse-search")
    results = gr.HTML("", elem_id="browse-results", js_on_load=CLAUSE_CLICK_JS, label="检索结果")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=280):
            doc = gr.Dropdown(choices=[(d.short_title, d.slug) for d in docs], value=first, label="政策文件",
                              elem_id="browse-doc", filterable=True)
            tree = gr.HTML(clause_tree_html(corpus, first), elem_id="browse-tree", js_on_load=CLAUSE_CLICK_JS,
                           container=True, padding=True, label="文件目录")
        with gr.Column(scale=3, min_width=280):
            detail = gr.HTML(clause_detail_html(corpus, first), elem_id="browse-detail", js_on_load=CLAUSE_CLICK_JS,
                             container=True, padding=True, label="条文")

    def on_doc(slug: str):
        return clause_tree_html(corpus, slug), clause_detail_html(corpus, slug)

    def on_search(text: str):
        return browser.search(text)

    def on_click(terms: list[str], evt: gr.EventData):
        key = str(getattr(evt, "clause", "") or "")
        slug, tree_html, detail_html = browser.open_clause(key, terms)
        return (slug if slug else gr.skip()), tree_html, detail_html

    private = {"api_visibility": "private", "show_progress": "hidden"}  # gradio's progress text is English
    doc.input(on_doc, doc, [tree, detail], queue=False, **private)
    query.submit(on_search, query, [results, terms_state], **private)
    search.click(on_search, query, [results, terms_state], **private)
    for source in (tree, results, detail):
        source.click(on_click, terms_state, [doc, tree, detail], **private).then(
            None, None, None, js=SHOW_DETAIL_JS, **private)
    return {"browser": browser, "doc": doc, "tree": tree, "detail": detail}
