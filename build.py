"""Entry point: `python build.py [build|check|serve] …`; with no command it builds (as Netlify runs it)."""

from protokollarkiv.cli import run

if __name__ == "__main__":
    run()
