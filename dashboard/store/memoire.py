"""Memoised reads: results are kept per process until the data changes (a new import, a new reference).

Callers get a copy, so no callback can alter what another one will read. Each process keeps its own
memo; with PASSNUM_CACHE_URL, the per-selection results (what is not `partage`: small frames, one per
filter state) are also kept in Redis, so that a worker reads what another one computed
(`cache_partage`). The large frames read once per data version stay in each process: under
`passnum serve` they are read before the workers fork, and shared copy-on-write.
"""

from __future__ import annotations

import contextvars
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.store.cache_partage import ABSENT, CachePartage
from dashboard.store.schema import ImportLot, Metadonnee

TAILLE = 256
_verrou = threading.Lock()
_memoire: OrderedDict[Hashable, object] = OrderedDict()
_second_niveau: CachePartage | None = None


def partager(cache: CachePartage | None) -> None:
    """Use `cache` (shared between processes) behind this process's memo; None: this process only."""
    global _second_niveau
    _second_niveau = cache


_version_figee: contextvars.ContextVar[list | None] = contextvars.ContextVar("version_figee", default=None)


@contextmanager
def une_lecture(engine: Engine) -> Iterator[None]:
    """Within one interaction, read the data version once, at the first memoised read (an interaction
    that reads nothing asks nothing of the database): every memoised read of the block answers for that
    version (a dozen small queries saved per callback)."""
    jeton = _version_figee.set([str(engine.url), None])
    try:
        yield
    finally:
        _version_figee.reset(jeton)


def version_donnees(engine: Engine) -> tuple:
    """Changes whenever an import, a replacement, a demo load or a reference reload happens."""
    figee = _version_figee.get()
    if figee is None or figee[0] != str(engine.url):
        return _lire_version(engine)
    if figee[1] is None:
        figee[1] = _lire_version(engine)
    return figee[1]


def _lire_version(engine: Engine) -> tuple:
    with engine.connect() as connection:
        lots = connection.execute(select(func.count(), func.max(ImportLot.id))).one()
        etat = connection.execute(select(Metadonnee.cle, Metadonnee.valeur).order_by(Metadonnee.cle)).all()
    return (*lots, tuple(etat))


def memoiser(engine: Engine, fonction: Callable, *arguments: Hashable, partage: bool = False):
    """`partage=True` hands out the kept object itself, for large read-only frames that callers only
    filter (filtering makes new frames); everything else is copied."""
    cle = (str(engine.url), fonction.__module__, fonction.__qualname__, version_donnees(engine), arguments)
    with _verrou:
        if cle in _memoire:
            _memoire.move_to_end(cle)
            return _memoire[cle] if partage else _copie(_memoire[cle])
    partage_entre_processus = _second_niveau if not partage else None
    resultat = partage_entre_processus.lire(cle) if partage_entre_processus else ABSENT
    if resultat is ABSENT:
        resultat = fonction(engine, *arguments)
        if partage_entre_processus:
            partage_entre_processus.ecrire(cle, resultat)
    with _verrou:
        _memoire[cle] = resultat
        while len(_memoire) > TAILLE:
            _memoire.popitem(last=False)
    return resultat if partage else _copie(resultat)


def vider() -> None:
    with _verrou:
        _memoire.clear()


def _copie(valeur):
    if isinstance(valeur, tuple):
        return tuple(_copie(v) for v in valeur)
    return valeur.copy() if isinstance(valeur, pd.DataFrame | pd.Series) else valeur
