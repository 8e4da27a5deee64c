"""Sharing domain."""
