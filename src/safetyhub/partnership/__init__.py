"""The partnership itself: assemblies, commitments and problem-solving."""
