"""Window tests of sync: laptops and teams on a real server process (tests/sync)."""

from tests.server.conftest import (  # noqa: F401 (fixtures)
    database_url,
    live_server,
    live_servers,
    pg_database,
    settings,
)
from tests.sync.conftest import laptops, team  # noqa: F401 (fixtures)
