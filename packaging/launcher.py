"""Entry point of the PyInstaller bundle: the same as the `pia-app` command."""

import sys

from pia_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
