"""Rule functions, one module per policy area; each names the clauses it implements."""
