"""Gradio web UI: chat with citation cards, calculators generated from tool schemas, clause browser.

Nothing in the library packages imports this package; `policy-qa serve` (ui.cli) is its entry point.
"""
