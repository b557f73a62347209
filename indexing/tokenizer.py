"""Chinese tokenisation for lexical search: jieba + a domain dictionary + a colloquial synonym map.

`tokenize(text)` is the one function other packages use (the assistant reuses it for keyword
matching). Documents are tokenised with `synonyms=False`; questions with `synonyms=True`, which adds
the policy's own words for colloquial ones (评职称 -> 职称评审, 大专 -> 专科 ...).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DOMAIN_TERMS_FILE = PACKAGE_DIR / "domain_terms.txt"
SYNONYMS_FILE = PACKAGE_DIR / "synonyms.yaml"
STOPWORDS_FILE = PACKAGE_DIR / "stopwords.txt"

_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")
_QUOTED = re.compile(r"[“《「\"]([^”》」\"\n]{2,12})[”》」\"]")
_BOLD = re.compile(r"\*\*([^*\n]{2,24})\*\*")
_lock = threading.Lock()


def _read_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_read_lines(STOPWORDS_FILE))


@lru_cache(maxsize=1)
def synonym_map() -> dict[str, tuple[str, ...]]:
    """The reviewed colloquial -> corpus-term map (synonyms.yaml)."""
    import yaml

    raw = yaml.safe_load(SYNONYMS_FILE.read_text(encoding="utf-8")) or {}
    out: dict[str, tuple[str, ...]] = {}
    for key, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"synonyms.yaml: value of {key!r} must be a list of strings")
        out[str(key)] = tuple(values)
    return out


def _clean_term(term: str) -> str:
    term = re.sub(r"^(给予|实行|建立|完善|加强|推进|推动|开展)", "", term.strip())
    return term.strip("。：:；;，,、 ")


@lru_cache(maxsize=1)
def corpus_terms() -> tuple[str, ...]:
    """Terms generated from the corpus: clause headings, bold titles and quoted words (2-12 characters)."""
    from corpus.loader import load_corpus
    from corpus.parser import PACKAGE_DIR as CORPUS_DIR

    corpus = load_corpus()
    terms: set[str] = set()
    for clause in corpus.clauses.values():
        title = _clean_term(clause.title)
        if 2 <= len(title) <= 12:
            terms.add(title)
        for match in _QUOTED.finditer(clause.text):
            terms.add(match.group(1))
    for raw_file in sorted((CORPUS_DIR / "raw").glob("*.txt")):
        for match in _BOLD.finditer(raw_file.read_text(encoding="utf-8")):
            term = _clean_term(match.group(1))
            if 2 <= len(term) <= 12:
                terms.add(term)
    return tuple(sorted(t for t in terms if not re.search(r"[\s，。；：、,;:“”《》\"]", t)))


def vocabulary_fingerprint() -> str:
    """Changes whenever the dictionary, synonym or stopword files change (part of the index manifest)."""
    digest = hashlib.sha256()
    for path in (DOMAIN_TERMS_FILE, SYNONYMS_FILE, STOPWORDS_FILE):
        digest.update(path.read_bytes())
    digest.update("\n".join(corpus_terms()).encode("utf-8"))
    return digest.hexdigest()[:16]


def _jieba_cache_dir() -> str:
    """jieba pickles its prefix dictionary; keep it in our data dir, or a private temp dir if that is not writable."""
    from indexing.config import IndexSettings

    try:
        cache = IndexSettings().cache_dir
        cache.mkdir(parents=True, exist_ok=True)
        if os.access(cache, os.W_OK):
            return str(cache)
    except (OSError, ValueError):
        pass
    return tempfile.mkdtemp(prefix="policy-qa-jieba-")


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba Tokenizer (the global `jieba.dt` is left alone for other users)."""
    import jieba

    # jieba logs "Building prefix dict ..." to stderr at DEBUG; library code must stay quiet.
    jieba.setLogLevel(logging.CRITICAL)
    tk = jieba.Tokenizer()
    tk.tmp_dir = _jieba_cache_dir()
    tk.initialize()
    words = list(_read_lines(DOMAIN_TERMS_FILE)) + list(corpus_terms()) + list(synonym_map())
    for line in words:
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tk.add_word(parts[0], freq=freq)
    return tk


def warm_up() -> None:
    """Load jieba and the dictionaries now (the first `tokenize` call would otherwise pay for it)."""
    with _lock:
        _jieba()


def _raw_tokens(text: str) -> list[str]:
    tk = _jieba()
    stop = stopwords()
    out: list[str] = []
    for token in tk.cut_for_search(text):
        token = token.strip().lower()
        if not token or token in stop or not _TOKEN_OK.search(token):
            continue
        out.append(token)
    return out


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def char_bigrams(text: str) -> list[str]:
    """Overlapping bigrams of each run of Chinese characters ("转评档案" -> 转评, 评档, 档案)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def lexical_tokens(text: str, synonyms: bool = False) -> list[str]:
    """What BM25 indexes: jieba words plus character bigrams.

    Bigrams catch what segmentation splits differently in question and clause (转评 / 转系列评审,
    拨 / 拨付); jieba words and the domain dictionary keep whole terms (以考代评) strong.
    With `synonyms`, the corpus words for colloquial ones are added before the bigrams are taken.
    """
    words = tokenize(text, synonyms=synonyms)
    if synonyms:
        plain = set(tokenize(text, synonyms=False))
        text = text + " " + " ".join(w for w in words if w not in plain)
    return words + [f"#{b}" for b in char_bigrams(text)]


def tokenize(text: str, synonyms: bool = True) -> list[str]:
    """jieba search-mode tokens without stopwords and punctuation; with `synonyms`, corpus terms for colloquial words are appended."""
    with _lock:
        tokens = _raw_tokens(text)
        if not synonyms:
            return tokens
        table = synonym_map()
        extra: list[str] = []
        seen = set(tokens)
        keys = [k for k in table if k in text]  # phrase keys jieba might split (评职称 -> 评 / 职称)
        for key in dict.fromkeys([t for t in tokens if t in table] + keys):
            for value in table[key]:
                for token in _raw_tokens(value):
                    if token not in seen:
                        seen.add(token)
                        extra.append(token)
        return tokens + extra
