"""Private plumbing of the wallet (code formats, keyed hashes); not a public API."""
