"""Private plumbing of trust_list (wire encodings); not a public API."""
