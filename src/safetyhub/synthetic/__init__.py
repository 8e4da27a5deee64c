"""Synthetic domain."""
