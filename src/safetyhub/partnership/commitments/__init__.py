"""Commitments under the Community Safety Agreement, by priority and organisation."""
