"""`eolcare-server` entry point: a plain sentence when the server's packages are absent.

The desktop install (`pip install eolcare`) leaves out the web server; the
server's dependencies come with `pip install "eolcare[server]"`.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

_NEEDED = ("fastapi", "uvicorn", "psycopg")


def main(argv: Sequence[str] | None = None) -> int:
    missing = [name for name in _NEEDED if importlib.util.find_spec(name) is None]
    if missing:
        print("eolcare-server: the sync server's packages are not installed here "
              f"({', '.join(missing)}). Install them with: pip install \"eolcare[server]\"",
              file=sys.stderr)
        return 2
    from eolcare.server.cli import main as server_main

    return server_main(argv)


if __name__ == "__main__":
    sys.exit(main())
