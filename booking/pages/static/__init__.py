"""Static files of the availability pages (package data)."""
