"""Client tokens of the open-data API (`passnum jetons`), in the database (shared by every worker and host).

A token reads `pn_<préfixe>_<secret>`: the prefix names it (lists, journal, revocation), the secret is
`secrets.token_urlsafe`. Only the SHA-256 of the whole token is kept, so the database never holds what
opens the API; a token is shown once, when it is created. Every check reads the table: a revocation
takes effect at the next request, on every worker.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, insert, select, update

from dashboard.domain.formatage import PARIS
from dashboard.domain.vocabulaire import PORTEES_API
from dashboard.store.comptes import _auditer, _utc, maintenant
from dashboard.store.schema import JetonApi

FORME = re.compile(r"^pn_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
NOTE_UTILISATION_S = 60  # the last use is written at most once a minute per token (not on every request)


@dataclass(frozen=True)
class Jeton:
    id: int
    nom: str
    prefixe: str
    portees: tuple[str, ...]
    cree_par: str
    cree_le: datetime
    expire_le: datetime | None  # the first instant it no longer opens anything
    revoque_le: datetime | None
    derniere_utilisation: datetime | None

    def expire(self, moment: datetime) -> bool:
        return self.expire_le is not None and moment >= self.expire_le

    @property
    def dernier_jour(self) -> date | None:
        """The last day (Paris time) the token is valid: what `--expire` was given."""
        if self.expire_le is None:
            return None
        return (self.expire_le.astimezone(PARIS) - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: the token when it opens the API, else why not (said in French)."""

    jeton: Jeton | None
    motif: str = ""


def empreinte(texte: str) -> str:
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def lire_portees(texte: str) -> tuple[str, ...]:
    """`indicateurs,entites` → ("indicateurs", "entites"); a French ValueError for an unknown scope."""
    portees = tuple(dict.fromkeys(p.strip().lower() for p in texte.split(",") if p.strip()))
    inconnues = [p for p in portees if p not in PORTEES_API]
    if inconnues or not portees:
        raise ValueError(
            f"portée inconnue « {', '.join(inconnues) or texte} » : attendu une ou plusieurs de "
            f"{', '.join(PORTEES_API)}, séparées par des virgules"
        )
    return portees


def fin_de_validite(dernier_jour: date) -> datetime:
    """A token given `--expire 2027-06-30` opens the API until the end of that day, Paris time."""
    return datetime.combine(dernier_jour + timedelta(days=1), time(0), tzinfo=PARIS).astimezone(UTC)


def creer_jeton(
    engine: Engine,
    nom: str,
    portees: tuple[str, ...],
    dernier_jour: date | None,
    acteur: str,
    moment: datetime | None = None,
) -> tuple[str, Jeton]:
    """A new token: (its text, shown once and never kept, and its record). Journaled."""
    moment = moment or maintenant()
    nom = nom.strip()
    if not nom or len(nom) > 200 or not nom.isprintable():
        raise ValueError("nom du jeton invalide : 1 à 200 caractères imprimables (ex. « Coop numérique »)")
    portees = lire_portees(",".join(portees))
    expire_le = None if dernier_jour is None else fin_de_validite(dernier_jour)
    if expire_le is not None and expire_le <= moment:
        raise ValueError(f"date d'expiration passée : {dernier_jour:%d/%m/%Y}")
    with engine.begin() as connection:
        while True:  # 2³² prefixes: a collision is unlikely, never fatal
            prefixe = secrets.token_hex(4)
            if connection.scalar(select(JetonApi.id).where(JetonApi.prefixe == prefixe)) is None:
                break
        texte = f"pn_{prefixe}_{secrets.token_urlsafe(32)}"
        connection.execute(
            insert(JetonApi).values(
                nom=nom,
                prefixe=prefixe,
                empreinte=empreinte(texte),
                portees=",".join(portees),
                cree_par=acteur[:200],
                cree_le=moment,
                expire_le=expire_le,
            )
        )
        details = {"nom": nom, "portees": list(portees), "expire": dernier_jour}
        _auditer(connection, acteur, "jeton_api_cree", prefixe, details)
    return texte, _relu(engine, prefixe)


def jetons(engine: Engine) -> list[Jeton]:
    with engine.connect() as connection:
        return [_jeton(ligne) for ligne in connection.execute(select(JetonApi).order_by(JetonApi.id))]


def jeton_par_prefixe(engine: Engine, prefixe: str) -> Jeton | None:
    with engine.connect() as connection:
        ligne = connection.execute(select(JetonApi).where(JetonApi.prefixe == prefixe.strip())).first()
    return _jeton(ligne) if ligne else None


def revoquer_jeton(engine: Engine, prefixe: str, acteur: str) -> Jeton:
    """Revoke at once (the next request with it is refused, on every worker). Journaled."""
    prefixe = prefixe.strip().removeprefix("pn_").split("_")[0]
    with engine.begin() as connection:
        ligne = connection.execute(select(JetonApi).where(JetonApi.prefixe == prefixe)).first()
        if ligne is None:
            raise ValueError(f"aucun jeton de préfixe « {prefixe} » (voir passnum jetons list)")
        if ligne.revoque_le is not None:
            raise ValueError(f"le jeton « {prefixe} » ({ligne.nom}) est déjà révoqué")
        connection.execute(update(JetonApi).where(JetonApi.id == ligne.id).values(revoque_le=maintenant()))
        _auditer(connection, acteur, "jeton_api_revoque", prefixe, {"nom": ligne.nom})
    return _relu(engine, prefixe)


def verifier(engine: Engine, texte: str, moment: datetime | None = None) -> Verdict:
    """Does this token open the API now? Looked up by its SHA-256 (the secret itself is never compared)."""
    moment = moment or maintenant()
    if not isinstance(texte, str) or not FORME.match(texte):
        return Verdict(None, "Jeton d'API inconnu.")
    with engine.connect() as connection:
        ligne = connection.execute(select(JetonApi).where(JetonApi.empreinte == empreinte(texte))).first()
    if ligne is None:
        return Verdict(None, "Jeton d'API inconnu.")
    jeton = _jeton(ligne)
    if jeton.revoque_le is not None:
        return Verdict(None, "Jeton d'API révoqué.")
    if jeton.expire(moment):
        return Verdict(None, f"Jeton d'API expiré depuis le {jeton.dernier_jour:%d/%m/%Y}.")
    return Verdict(jeton)


def noter_utilisation(engine: Engine, jeton: Jeton, moment: datetime | None = None) -> None:
    """Remember the last use, at most once every NOTE_UTILISATION_S seconds (a write per request would
    make every API call a transaction)."""
    moment = moment or maintenant()
    precedente = jeton.derniere_utilisation
    if precedente is not None and (moment - precedente).total_seconds() < NOTE_UTILISATION_S:
        return
    with engine.begin() as connection:
        connection.execute(
            update(JetonApi).where(JetonApi.id == jeton.id).values(derniere_utilisation=moment)
        )


def _relu(engine: Engine, prefixe: str) -> Jeton:
    jeton = jeton_par_prefixe(engine, prefixe)
    if jeton is None:  # written in the transaction just committed: cannot be missing
        raise RuntimeError(f"jeton « {prefixe} » introuvable après écriture")
    return jeton


def _utc_ou_rien(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _jeton(ligne) -> Jeton:
    return Jeton(
        id=ligne.id,
        nom=ligne.nom,
        prefixe=ligne.prefixe,
        portees=tuple(p for p in ligne.portees.split(",") if p),
        cree_par=ligne.cree_par,
        cree_le=_utc(ligne.cree_le),
        expire_le=_utc_ou_rien(ligne.expire_le),
        revoque_le=_utc_ou_rien(ligne.revoque_le),
        derniere_utilisation=_utc_ou_rien(ligne.derniere_utilisation),
    )
