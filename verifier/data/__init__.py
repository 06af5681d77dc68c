"""Package data: schemas, value sets and shipped rule sets (see SOURCE.md)."""
