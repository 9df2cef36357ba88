"""What pages and callbacks need from the running app: settings, database engine, geometries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard.settings import Settings
from dashboard.store.geometries import Geometries


@dataclass(frozen=True)
class Contexte:
    settings: Settings
    engine: Engine
    geometries: Geometries
