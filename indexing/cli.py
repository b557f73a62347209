"""`policy-qa index build|status` and `policy-qa retrieve`: the index lifecycle and retrieval from the shell.

Only click and the standard library at import time; the index, models and Chroma load inside the commands.
"""

from __future__ import annotations

import json
import sys
import time

import click

MODE_CHOICES = ["hybrid", "bm25", "dense", "naive", "naive_hybrid"]


def _settings():
    from pydantic import ValidationError

    from indexing.config import IndexSettings

    try:
        return IndexSettings()
    except ValidationError as err:
        raise click.UsageError(f"环境变量配置有误：{err}") from err


def _say(message: str) -> None:
    click.echo(message, err=True)


@click.group()
def index() -> None:
    """建立或查看检索索引（条款单元、BM25 分词、向量）。"""


@index.command("build")
@click.option("--if-missing", is_flag=True, help="索引可用时什么也不做（不输出），否则建立")
@click.option("--force", is_flag=True, help="即使索引是最新的也重建（向量仍取自缓存）")
def build(if_missing: bool, force: bool) -> None:
    """建立索引：先在旁边建好，再原子替换；未变化的条款不重新计算向量。"""
    if if_missing and force:
        raise click.UsageError("--if-missing 与 --force 不能同时使用")
    from indexing.index import build_index

    settings = _settings()
    bar = None
    state = {"shown": 0}

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if stage != "embed" or total == 0:  # the bar shows only vectors actually computed (none: no bar)
            return
        if bar is None:
            bar = click.progressbar(length=total, label=f"计算向量（{total} 段文本）", file=sys.stderr)
            bar.__enter__()
        bar.update(done - state["shown"])
        state["shown"] = done

    try:
        manifest = build_index(settings, force=force, on_progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if manifest.get("skipped"):
        if not if_missing:
            click.echo(f"索引已是最新（{manifest['n_units']} 个条款单元，建于 {manifest['built_at']}），未重建；如需重建请加 --force。")
        return
    click.echo(f"索引已建立：{manifest['n_units']} 个条款单元，用时 {manifest['build_seconds']} 秒。")
    click.echo(vector_sources(manifest))
    click.echo(f"位置：{settings.index_dir}")


def vector_sources(manifest: dict) -> str:
    """Where this build's vectors came from, in counts that add up (issue 12: "计算条款向量 … 512 个条款单元 … 新计算向量
    0 个，取自缓存 616 个" said computing when nothing was, and set texts against units)."""
    total = manifest["dense_texts"]
    what = f"向量：{total} 段文本（各条款正文与各级标题，各算一次）"
    computed, cached, seeded = (manifest.get(k, 0) for k in ("embeddings_computed", "embeddings_cached", "embeddings_seeded"))
    if computed == 0:
        if seeded == 0:
            return f"{what}，全部取自缓存，未重新计算。"
        if cached == 0:
            return f"{what}，全部取自随包预计算向量，未重新计算。"
        return f"{what}，全部复用（缓存 {cached} 段，随包预计算 {seeded} 段），未重新计算。"
    parts = [f"新计算 {computed} 段"] + ([f"取自缓存 {cached} 段"] if cached else []) + \
        ([f"取自随包预计算 {seeded} 段"] if seeded else [])
    return f"{what}：{'，'.join(parts)}。"


@index.command("export-seed")
def export_seed_command() -> None:
    """（开发用）把随包政策原文的向量导出为预计算种子，加快新安装的首次建索引。"""
    from corpus.loader import load_corpus
    from indexing.embedders import EmbeddingCache, embed_with_cache, make_embedder, unit_dense_texts
    from indexing.seed import export_seed
    from indexing.units import build_units, naive_chunks

    settings = _settings()
    embedder = make_embedder(settings.embedder)
    corpus = load_corpus()
    texts = unit_dense_texts(build_units(corpus)) + unit_dense_texts(naive_chunks(corpus))
    cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
    try:
        keys = [EmbeddingCache.key(t) for t in texts]
        found = dict(zip(keys, embed_with_cache(embedder, texts, cache), strict=True))  # embeds what the cache lacks
    finally:
        cache.close()
    missing = len(set(keys)) - len(found)
    if missing:
        raise click.ClickException(f"缓存中还缺 {missing} 个向量：请先运行 `policy-qa index build` 和一次 naive 检索。")
    path = export_seed(embedder.name, found)
    _say(f"已导出 {len(found)} 个向量到 {path}")


@index.command("status")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def status(as_json: bool) -> None:
    """显示索引状态：是否可用、嵌入模型、政策原文哈希、条款单元数、建立时间。"""
    from indexing.index import index_status

    info = index_status(_settings())
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    states = {"ok": "可用", "missing": "未建立", "stale": "已过期", "corrupt": "已损坏", "unavailable": "向量库服务无法连接"}
    reason = f"（{info['reason']}）" if info["reason"] else ""
    click.echo(f"状态：{states.get(info['state'], info['state'])}{reason}")
    click.echo(f"位置：{info['index_dir']}")
    manifest = info.get("manifest")
    if manifest:
        ident = manifest["identity"]
        click.echo(f"嵌入模型：{ident.get('embedder')}（{ident.get('dim')} 维）")
        store = ident.get("store")
        click.echo(f"向量库：{'内嵌 Chroma' if store == 'embedded' else store}，集合 {manifest.get('collection')}")
        click.echo(f"政策原文 sha256：{str(ident.get('corpus_sha256'))[:16]}…")
        unit_kinds = manifest.get("unit_kinds") if isinstance(manifest.get("unit_kinds"), dict) else {}
        kinds = "，".join(f"{k} {v}" for k, v in unit_kinds.items())
        click.echo(f"条款单元：{manifest.get('n_units')} 个（{kinds}）")
        click.echo(f"建立时间：{manifest.get('built_at')}，用时 {manifest.get('build_seconds')} 秒")
    if not info.get("writable", True):
        click.echo("数据目录不可写：完好的索引可以正常回答，但无法在此重建。")
    if info["state"] == "unavailable":
        click.echo("请先启动该 Chroma 服务，或检查 POLICY_QA_CHROMA_URL。")
    elif info["state"] != "ok":
        click.echo("运行 `policy-qa index build` 重建索引（无需 --force；问答时也会自动重建）。")


def _citations(found) -> list[dict]:
    return [c.citation() for c in found]


@click.command("retrieve")
@click.argument("question", required=False)
@click.option("--top-k", type=click.IntRange(min=1), default=5, show_default=True, help="返回条款数")
@click.option("--mode", type=click.Choice(MODE_CHOICES), default="hybrid", show_default=True, help="检索方式")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--batch", type=click.File("r", encoding="utf-8"), help='批量：JSONL 文件，每行 {"id", "question"}（- 为标准输入）')
def retrieve(question: str | None, top_k: int, mode: str, as_json: bool, batch) -> None:
    """检索与问题最相关的条款，按相关度排序并给出引用标签。"""
    if (question is None) == (batch is None):
        raise click.UsageError("请给出一个问题，或用 --batch 指定问题文件（二者选一）。")
    from indexing.retriever import get_retriever

    retriever = get_retriever(_settings(), notify=_say)
    if batch is not None:
        for n, line in enumerate(batch, start=1):
            if not line.strip():
                continue
            started = time.perf_counter()
            try:
                item = json.loads(line)
                found = retriever.retrieve(str(item["question"]), top_k=top_k, mode=mode)
                out = {"id": item.get("id"), "citations": _citations(found)}
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as err:
                out = {"id": None, "error": f"第 {n} 行无法解析：{type(err).__name__}: {err}", "citations": []}
            out["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 2)
            click.echo(json.dumps(out, ensure_ascii=False))
            sys.stdout.flush()
        return
    started = time.perf_counter()
    found = retriever.retrieve(question, top_k=top_k, mode=mode)
    elapsed = round((time.perf_counter() - started) * 1000, 2)
    if as_json:
        click.echo(json.dumps({"question": question, "mode": mode, "citations": _citations(found),
                               "ranked": [c.to_dict() for c in found], "elapsed_ms": elapsed}, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("没有找到相关条款。")
        return
    for rank, clause in enumerate(found, start=1):
        sources = "，".join(f"{k} 第{v}" for k, v in clause.rank_sources.items())
        click.echo(f"{rank}. {clause.label}  [{clause.clause_id}]  得分 {clause.score:.4f}（{sources}）")
        click.echo(click.wrap_text(clause.text, width=100, initial_indent="   ", subsequent_indent="   ", preserve_paragraphs=True))
        click.echo("")
    click.echo(f"（{mode}，用时 {elapsed} 毫秒）", err=True)
