"""The Textual user interface of swrgc-tui."""
