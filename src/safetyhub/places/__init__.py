"""Places domain."""
