"""`python -m rinda`: the same as the `rinda` command."""

import sys

from rinda.cli import main

sys.exit(main())
