"""Chinese tokenisation for lexical search: jieba + a domain dictionary + a colloquial synonym map.

`tokenize(text)` is the one function other packages use (the assistant reuses it for keyword
matching). Documents are tokenised with `synonyms=False`; questions with `synonyms=True`, which adds
the policy's own words for colloquial ones (评职称 -> 职称评审, 大专 -> 专科 ...).
"""

from __future__ import annotations

import contextlib
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


JIEBA_CACHE = "jieba.cache"  # the name jieba gives the cache of its default dictionary
_CACHE_SUM = ".sha256"


def _cache_sound(folder: Path) -> bool:
    """Whether `folder` holds a jieba cache whose checksum matches the one written beside it. jieba reads its
    cache with `marshal` and no check of its own, so damaged bytes could load as a wrong dictionary."""
    cache, stamp = folder / JIEBA_CACHE, folder / (JIEBA_CACHE + _CACHE_SUM)
    try:
        return cache.is_file() and stamp.read_text(encoding="ascii").strip() == hashlib.sha256(cache.read_bytes()).hexdigest()
    except (OSError, UnicodeDecodeError):
        return False


def _private_temp_dir() -> Path:
    """One cache dir per user in the temp dir (reused by every process, unlike a fresh mkdtemp per run)."""
    folder = Path(tempfile.gettempdir()) / f"policy-qa-jieba-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        if info.st_uid == os.getuid() and not (info.st_mode & 0o077) and folder.is_dir() and not folder.is_symlink():
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="policy-qa-jieba-"))


def _jieba_cache_dir() -> tuple[Path, bool]:
    """Where jieba keeps its prefix dictionary, and whether its cache there must be (re)written.

    The data dir's cache when it is sound; else the data dir when it can be written (the damaged cache is
    removed, so jieba rebuilds it); else a private temp dir (a read-only data dir).
    """
    from indexing.config import IndexSettings

    candidates: list[Path] = []
    with contextlib.suppress(OSError, ValueError):
        cache = IndexSettings().cache_dir
        with contextlib.suppress(OSError):
            cache.mkdir(parents=True, exist_ok=True)
        candidates.append(cache)
    for folder in candidates:
        if _cache_sound(folder):
            return folder, False
        if folder.is_dir() and os.access(folder, os.W_OK):
            with contextlib.suppress(OSError):
                (folder / JIEBA_CACHE).unlink(missing_ok=True)
                return folder, True
    folder = _private_temp_dir()
    if _cache_sound(folder):
        return folder, False
    with contextlib.suppress(OSError):
        (folder / JIEBA_CACHE).unlink(missing_ok=True)
    return folder, True


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba Tokenizer (the global `jieba.dt` is left alone for other users)."""
    import jieba

    # jieba logs "Building prefix dict ..." to stderr at DEBUG; library code must stay quiet.
    jieba.setLogLevel(logging.CRITICAL)
    tk = jieba.Tokenizer()
    folder, rewrite = _jieba_cache_dir()
    tk.tmp_dir = str(folder)
    tk.initialize()
    if rewrite and (folder / JIEBA_CACHE).is_file():
        with contextlib.suppress(OSError):
            digest = hashlib.sha256((folder / JIEBA_CACHE).read_bytes()).hexdigest()
            (folder / (JIEBA_CACHE + _CACHE_SUM)).write_text(digest + "\n", encoding="ascii")
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
