"""``python -m backprop``: see :mod:`backprop.cli`."""

from __future__ import annotations

import sys

if __name__ == "__main__":      # not when a tool merely imports it
    try:                        # Ctrl-C while the modules load: one line
        from .cli import main
    except KeyboardInterrupt:
        print("python -m backprop: interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(main())
