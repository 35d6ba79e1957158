"""Alembic environment: uses the engine handed over by kreis_data.database.migrate."""
from alembic import context

from kreis_data.database import make_engine
from kreis_data.model import Base

config = context.config
engine = config.attributes.get("engine") or make_engine()

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
