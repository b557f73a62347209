"""Calibrate the abstention thresholds on hand-written examples grouped by class.

    .venv/bin/python -m assistant.calibration [EXAMPLES.yaml ...] [--fake] [--dump SIGNALS.jsonl | --load SIGNALS.jsonl]

Examples are `tests/assistant/data/abstention_classes.yaml` (classes: figure not stated, other city's policy, topic
outside the compilation, in-scope colloquial questions, in-scope questions naming another place, questions far
from every clause) and `abstention_examples.yaml` (flat should_answer / should_refuse lists). Prints, per class,
how many examples get the expected decision, then sweeps over `MENTION_MIN`, `STATED_RATIO` and `FIT_RATIO`
(false-answer / false-refusal rates). `--fake` uses the lexical fake retriever of the unit tests (no model, no similarity).
`--dump` writes the collected signals (retrieval and tools are most of the time) and `--load` re-thresholds them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "assistant" / "data"
DEFAULT_EXAMPLES = (DATA_DIR / "abstention_classes.yaml", DATA_DIR / "abstention_examples.yaml")


@dataclass
class Example:
    question: str
    group: str  # the class name (should_answer / should_refuse for the flat file)
    should_refuse: bool
    reason: str | None = None  # the Decision.reason a refusal of this class must give (None: any)
    embedder: bool = False  # decided by the dense similarity floor: needs the real embedder


@dataclass
class Signals:
    """The inputs `abstain.decide` gets for one example, computed once (a sweep only re-thresholds them)."""

    example: Example
    query: str
    retrieved: list[str]
    retrieved_ids: list[str]
    has_intent: bool
    tool_answered: bool
    similarity: float | None = None
    embedder_name: str | None = None
    intents: list[str] = field(default_factory=list)

    @property
    def question(self) -> str:
        return self.example.question

    @property
    def should_refuse(self) -> bool:
        return self.example.should_refuse


def load_examples(data: dict) -> list[Example]:
    """Examples from either format: `classes: {name: {expect, reason, embedder, questions}}` or the flat lists."""
    out = []
    for name, spec in (data.get("classes") or {}).items():
        if spec["expect"] not in ("answer", "refuse"):
            raise ValueError(f"class {name}: expect must be answer or refuse, got {spec['expect']!r}")
        for q in spec["questions"]:
            out.append(Example(q, name, spec["expect"] == "refuse", spec.get("reason"), bool(spec.get("embedder"))))
    for label, refuse in (("should_answer", False), ("should_refuse", True)):
        out.extend(Example(q, label, refuse) for q in data.get(label) or [])
    return out


def collect(assistant, examples: dict | list[Example], as_of: date | None = None) -> list[Signals]:
    """The abstention inputs of every example, the way `Assistant._answer` computes them."""
    from assistant.normalize import normalize_question
    from assistant.router import Intent, route
    from assistant.service import RETRIEVE_K, demote_unsupported
    from assistant.slots import extract_slots

    as_of = as_of or date.today()
    items = load_examples(examples) if isinstance(examples, dict) else examples
    out = []
    for ex in items:
        query = normalize_question(ex.question).text
        slots = extract_slots(query)
        rt = route(query, slots)
        retrieved = assistant.retriever.retrieve(query, top_k=RETRIEVE_K, mode="hybrid")
        runs = assistant._run_tools(rt, query, as_of)
        demote_unsupported(runs, [r.clause_id for r in retrieved])
        with_rules = getattr(assistant, "_with_rule_runs", None)
        if with_rules is not None:
            runs = with_rules(runs, query, slots, rt, retrieved, as_of)
        similarity = next((r.query_similarity for r in retrieved if getattr(r, "query_similarity", None) is not None), None)
        out.append(Signals(ex, query, [r.text for r in retrieved], [r.clause_id for r in retrieved],
                           has_intent=any(i != Intent.lookup for i in rt.intents),
                           tool_answered=any(r.decisive for r in runs if r.primary), similarity=similarity,
                           embedder_name=assistant._embedder_name(), intents=[i.value for i in rt.intents]))
    return out


def decide_signals(s: Signals, **thresholds: float):
    from assistant.abstain import decide

    return decide(s.query, s.retrieved, has_intent=s.has_intent, tool_answered=s.tool_answered, similarity=s.similarity,
                  embedder_name=s.embedder_name, retrieved_ids=s.retrieved_ids, **thresholds)


def by_class(signals: list[Signals], **thresholds: float) -> dict[str, tuple[int, int, list[str]]]:
    """class -> (right, total, what went wrong). A refusal must also give the class's reason."""
    out: dict[str, tuple[int, int, list[str]]] = {}
    for s in signals:
        d = decide_signals(s, **thresholds)
        ok = d.out_of_scope == s.should_refuse and (not s.should_refuse or s.example.reason in (None, d.reason))
        right, total, wrong = out.get(s.example.group, (0, 0, []))
        if not ok:
            what = f"{d.reason or '作答'}（提及 {d.mentioned:.2f}，写明 {d.stated:.2f}）"
            wrong = [*wrong, f"{'该拒' if s.should_refuse else '该答'}却{'拒答' if d.out_of_scope else '作答'}：{s.question} — {what}"]
        out[s.example.group] = (right + ok, total + 1, wrong)
    return out


def rates(signals: list[Signals], **thresholds: float) -> tuple[float, float, list[str]]:
    """(false-answer rate, false-refusal rate, misclassified questions) over all examples."""
    fa = fr = n_refuse = n_answer = 0
    wrong = []
    for s in signals:
        d = decide_signals(s, **thresholds)
        if s.should_refuse:
            n_refuse += 1
            if not d.out_of_scope:
                fa += 1
                wrong.append(f"答了不该答的：{s.question}（提及 {d.mentioned:.2f}，写明 {d.stated:.2f}）")
        else:
            n_answer += 1
            if d.out_of_scope:
                fr += 1
                wrong.append(f"拒了该答的：{s.question}（{d.reason}，提及 {d.mentioned:.2f}，写明 {d.stated:.2f}）")
    return fa / max(n_refuse, 1), fr / max(n_answer, 1), wrong


def dump(signals: list[Signals], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for s in signals:
            fh.write(json.dumps(asdict(s), ensure_ascii=False) + "\n")


def load(path: Path) -> list[Signals]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            out.append(Signals(**{**raw, "example": Example(**raw["example"])}))
    return out


def _option(args: list[str], name: str) -> Path | None:
    if name not in args:
        return None
    i = args.index(name)
    value = Path(args[i + 1])
    del args[i:i + 2]
    return value


def main(argv: list[str] | None = None) -> None:
    from assistant.abstain import FIT_RATIO, MENTION_MIN, STATED_RATIO

    args = list(sys.argv[1:] if argv is None else argv)
    fake = "--fake" in args
    args = [a for a in args if a != "--fake"]
    dump_to, load_from = _option(args, "--dump"), _option(args, "--load")
    if load_from is not None:
        signals = load(load_from)
    else:
        from assistant.service import Assistant

        paths = [Path(a) for a in args] or list(DEFAULT_EXAMPLES)
        examples = [ex for p in paths for ex in load_examples(yaml.safe_load(p.read_text(encoding="utf-8")))]
        retriever = None
        if fake:
            from tests.assistant.fakes import FakeRetriever

            retriever = FakeRetriever()
            examples = [ex for ex in examples if not ex.embedder]
        signals = collect(Assistant(retriever=retriever), examples)
    if dump_to is not None:
        dump(signals, dump_to)
    print(f"examples: {sum(not s.should_refuse for s in signals)} should-answer, {sum(s.should_refuse for s in signals)} should-refuse")
    print(f"current thresholds mention>={MENTION_MIN} stated/mention>={STATED_RATIO} fit>={FIT_RATIO}:")
    for group, (right, total, wrong) in by_class(signals).items():
        print(f"  {group}: {right}/{total}")
        for w in wrong:
            print("    " + w)
    for mention_min in (0.3, 0.4, 0.5):
        print(f"sweep at mention_min={mention_min} (rows stated_ratio, columns fit_ratio): false-answer / false-refusal")
        for stated_ratio in (0.5, 0.6, 0.7, 0.8):
            row = []
            for fit_ratio in (0.5, 0.6, 0.7, 0.8):
                a, r, _ = rates(signals, mention_min=mention_min, stated_ratio=stated_ratio, fit_ratio=fit_ratio)
                row.append(f"{fit_ratio:.1f}: {a:.2f}/{r:.2f}")
            print(f"  {stated_ratio:.1f}  " + "  ".join(row))


if __name__ == "__main__":
    main()
