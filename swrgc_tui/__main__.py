"""``python -m swrgc_tui``: the same as the ``swrgc-tui`` command."""

import sys

from swrgc_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
