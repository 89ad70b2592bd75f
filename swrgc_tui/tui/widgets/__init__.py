"""Widgets of the swrgc-tui screens."""
