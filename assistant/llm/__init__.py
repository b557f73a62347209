"""Optional LLM mode: a LangChain tool-calling chat model over any OpenAI-compatible endpoint.

The LLM improves wording and paraphrase coverage; it is never the source of numbers. Every LLM answer
passes the grounding check (`assistant.grounding`) or is replaced by the deterministic answer, and an
unreachable, slow or malformed endpoint falls back to the deterministic answer with a warning.

The service calls one function: `answer_with_fallback(settings, question, deterministic, as_of, history)`.
"""

from assistant.llm.agent import GROUNDING_WARNING, LLMAnswerer, answer_with_fallback, unavailable_warning

__all__ = ["GROUNDING_WARNING", "LLMAnswerer", "answer_with_fallback", "unavailable_warning"]
