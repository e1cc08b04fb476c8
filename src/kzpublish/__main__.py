"""``python -m kzpublish`` runs the same command line as ``kzpublish``."""

import sys

from .cli import main

sys.exit(main())
