"""Alembic environment for the mieruka store, shipped inside the package (see `store.upgrade`)."""
