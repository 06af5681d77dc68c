"""trust_list: see README.md for what this package does."""
