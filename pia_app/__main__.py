"""`python -m pia_app` is the same as the `pia-app` command."""

import sys

from pia_app.cli import main

sys.exit(main())
