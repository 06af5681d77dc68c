"""Private plumbing of the booking package."""
