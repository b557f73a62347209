"""What a citizen's screen must satisfy, measured in the browser (used by the Playwright tests).

`audit(page)` returns what is wrong on the current screen: developer words (snake_case identifiers,
clause ids, "JSON", other English) in the visible text, English screen-reader labels, tap targets smaller
than 44 px, and horizontal scrolling.
"""

from __future__ import annotations

from urllib.parse import urlparse

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TAP_MIN_PX = 44
# English a citizen may legitimately read: the date format hint.
ALLOWED_ASCII_WORDS = {"YYYY", "MM", "DD"}

AUDIT_JS = r"""
([minPx, allowed]) => {
  const allowedWords = new Set(allowed);
  const visible = (el) => {
    if (!el.isConnected) { return false; }
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) { return false; }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = (typeof el.className === 'string' && el.className) ? '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
    const label = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 24);
    return `${el.tagName.toLowerCase()}${id}${cls} "${label}"`;
  };
  const text = document.body.innerText;
  const snake = [...new Set(text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) || [])];
  const clauseIds = [...new Set(text.match(/\b[a-z][a-z0-9-]*\/(?:[a-z]+\d+)(?:\/[a-z]+\d+)*\b/g) || [])];
  const json = (text.match(/json/gi) || []).length;
  const english = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = (node.textContent.match(/[A-Za-z]{2,}/g) || []).filter((w) => !allowedWords.has(w));
    if (words.length && node.parentElement && text.includes(node.textContent.trim())) {
      const holder = node.parentElement.closest('[id]');
      english.push(`${words.join(' ')} (in ${describe(node.parentElement)}${holder ? ' of #' + holder.id : ''})`);
    }
  }
  const labels = [];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-roledescription]')) {
    if (!visible(el) && !el.closest('[role=status]')) { continue; }
    for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription']) {
      const v = el.getAttribute(a);
      if (v && /[A-Za-z]{2,}/.test(v.replace(/YYYY-MM-DD/g, ''))) { labels.push(`${a}="${v}" on ${describe(el)}`); }
    }
  }
  const announced = [...document.querySelectorAll('[role=status], [aria-live]')]
    .map((el) => el.textContent.trim()).filter((t) => /[A-Za-z]{2,}/.test(t));
  const small = [];
  const targets = 'button, [role=button], a[href], summary, [role=tab], input:not([type=hidden]):not([type=radio]):not([type=checkbox]),'
    + ' textarea, select, label:has(> input[type=radio]), label:has(> input[type=checkbox])';
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el)) { continue; }
    const r = el.getBoundingClientRect();
    if (r.width < minPx - 0.5 || r.height < minPx - 0.5) { small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`); }
  }
  return {snake, clauseIds, json, english, labels, announced, small,
          overflowX: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth};
}
"""

IN_VIEW_JS = r"""
(selector) => {
  const all = document.querySelectorAll(selector);
  const el = all[all.length - 1];
  if (!el) { return null; }
  const r = el.getBoundingClientRect();
  const bar = document.querySelector('#qa-inputbar');
  const barTop = bar ? bar.getBoundingClientRect().top : window.innerHeight;
  const limit = Math.min(window.innerHeight, barTop > 0 ? barTop : window.innerHeight);
  return {top: r.top, bottom: r.bottom, limit: limit, inView: r.top >= 0 && r.bottom <= limit + 1 && r.height > 0};
}
"""


def audit(page) -> dict:
    return page.evaluate(AUDIT_JS, [TAP_MIN_PX, sorted(ALLOWED_ASCII_WORDS)])


def problems(page, where: str) -> list[str]:
    """Human-readable problems of the current screen (empty when the citizen view is clean)."""
    found = audit(page)
    out = []
    if found["snake"]:
        out.append(f"{where}: 可见的 snake_case 标识符 {found['snake'][:8]}")
    if found["clauseIds"]:
        out.append(f"{where}: 可见的条款编号 {found['clauseIds'][:8]}")
    if found["json"]:
        out.append(f"{where}: 可见的 “JSON”")
    if found["english"]:
        out.append(f"{where}: 可见的英文 {found['english'][:12]}")
    if found["labels"]:
        out.append(f"{where}: 英文的读屏/提示文字 {found['labels'][:8]}")
    if found["announced"]:
        out.append(f"{where}: 英文的读屏播报 {found['announced'][:5]}")
    if found["small"]:
        out.append(f"{where}: 小于 {TAP_MIN_PX}px 的点按目标 {found['small'][:10]}")
    if found["overflowX"] > 1:
        out.append(f"{where}: 页面横向滚动 {found['overflowX']}px")
    return out


def in_view(page, selector: str) -> dict | None:
    """Where the last element matching `selector` is: inside the viewport and above the input bar?"""
    return page.evaluate(IN_VIEW_JS, selector)


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname in LOCAL_HOSTS
