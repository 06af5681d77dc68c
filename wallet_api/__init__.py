"""wallet_api: see README.md for what this package does."""
