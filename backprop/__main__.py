"""``python -m backprop``: see :mod:`backprop.cli`."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":      # not when a tool merely imports it
    sys.exit(main())
