"""``python -m backprop``: see :mod:`backprop.cli`."""

import sys

from .cli import main

sys.exit(main())
