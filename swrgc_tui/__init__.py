"""swrgc-tui: a terminal browser for the GC history of SWR Enterprise registries."""

__version__ = "0.1.0"
