"""Alembic environment: always run programmatically with a connection (see db.migrate)."""

from alembic import context

from eolcare.server.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
