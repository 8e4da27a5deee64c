"""Alembic migrations, shipped inside the package so an installed SafetyHub can upgrade."""
