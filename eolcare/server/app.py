"""The ASGI application: routes, body limits, logs, and the database it serves from."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI

import eolcare
from eolcare.server import errors, gate, logs
from eolcare.server.config import SETTINGS_ENV, Settings
from eolcare.server.db import Database
from eolcare.server.limits import BodyLimit, HeaderLimit
from eolcare.server.logs import AccessLog
from eolcare.server.routes import auth, changes, health, teams
from eolcare.sync import protocol


def create_app(settings: Settings, db: Database | None = None) -> FastAPI:
    """A ready app; the schema must already be migrated (`Database.migrate`)."""
    database = db or Database(settings.database_url, settings.pool_size)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in this thread pool; one database connection each.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.pool_size
        # What start-up made (modules, routes, the schema) lives as long as the process:
        # keep it out of the collector's full passes, which otherwise walk all of it.
        gc.collect()
        gc.freeze()
        yield
        if db is None:
            database.dispose()

    app = FastAPI(
        title="eolcare sync server",
        version=eolcare.__version__,
        summary="Accounts, teams and an append-only log of end-to-end encrypted operations.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = database
    for module in (health, auth, teams, changes):
        app.include_router(module.router)
    errors.install(app, signed_in=lambda request: gate.recheck(request, database))
    # Outermost last: the log sees every reply; header limits come before anything
    # looks at a header; the gate answers 401 before the body limit reads the body.
    app.add_middleware(BodyLimit, max_bytes=protocol.MAX_REQUEST_BYTES)
    app.add_middleware(gate.Authenticate, db=database)
    app.add_middleware(HeaderLimit)
    app.add_middleware(AccessLog)
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes: settings come from the environment."""
    logs.configure()
    return create_app(Settings.from_json(os.environ[SETTINGS_ENV]))
