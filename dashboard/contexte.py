"""What pages and callbacks need from the running app: settings, database engine, geometries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard.geometries import Geometries
from dashboard.settings import Settings


@dataclass(frozen=True)
class Contexte:
    settings: Settings
    engine: Engine
    geometries: Geometries
