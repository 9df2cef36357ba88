"""Deterministic demo dataset: fictitious activity shaped like the Pass numérique programme (import files)."""
