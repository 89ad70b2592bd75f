"""Figures of the real app (placeholder until the app exists)."""
