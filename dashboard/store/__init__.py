"""Persistence: SQLAlchemy 2 schema, engine, migrations, reference loading and aggregate queries."""
