"""``python -m harness.cli``: the ``roboverify`` command."""

import sys

from harness.cli import main

sys.exit(main())
