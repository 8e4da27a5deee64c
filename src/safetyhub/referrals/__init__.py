"""Referrals domain."""
