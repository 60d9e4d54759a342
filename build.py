"""Entry point: `python build.py [build|check|serve] …`; with no command it builds (as Netlify runs it)."""

import sys

from protokollarkiv.cli import main

if __name__ == "__main__":
    sys.exit(main())
