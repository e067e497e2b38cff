import sys

from .maint.cli import main

sys.exit(main())
