"""`python -m dashboard.cli …`, the same as `passnum …`."""

import sys

from dashboard.cli import main

sys.exit(main())
