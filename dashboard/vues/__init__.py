"""View-models: what each page shows, computed from its state as plain data (frozen dataclasses of
numbers, texts, tables and plotly figure dicts), without Dash. Pages render them with dashboard.components;
tests call them directly. Reads go through dashboard.store, which memoises them.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine

from dashboard.store.geometries import Geometries


class Sources(Protocol):
    """Where a view-model reads from (the running app's context provides both)."""

    engine: Engine
    geometries: Geometries
