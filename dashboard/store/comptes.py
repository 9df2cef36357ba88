"""Accounts, sign-in attempts and the audit log, in the database (shared by every worker and host)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update

from dashboard.domain.vocabulaire import ACTIONS_AUDIT, ADMIN, COORDINATEUR, ROLES
from dashboard.store.schema import JournalAudit, TentativeConnexion, Territoire, Utilisateur

IDENTIFIANT = re.compile(r"^[a-z0-9][a-z0-9._@+-]{2,119}$")
ADRESSE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # an e-mail address, loosely (ProConnect vouches for it)

# Password guessing is slowed down per account *and* address: after ECHECS_MAX_COMPTE failures on an
# account from one address, that address waits before trying it again — DELAI_INITIAL, doubled at each new
# failure, DELAI_MAX at most. Failures from elsewhere never lock the account for its owner (five wrong
# passwords used to lock any account for everyone: a denial of service on a named official). An address
# failing on many accounts (ECHECS_MAX_ADRESSE) is slowed down the same way, on every account.
FENETRE = timedelta(hours=24)  # failures older than this are forgotten
ECHECS_MAX_COMPTE = 5
ECHECS_MAX_ADRESSE = 20
DELAI_INITIAL = timedelta(minutes=1)
DELAI_MAX = timedelta(hours=1)
CONSERVATION_TENTATIVES = timedelta(days=30)


@dataclass(frozen=True)
class Compte:
    id: int
    identifiant: str
    nom: str
    role: str
    code_region: str | None
    actif: bool
    generation: int
    mot_de_passe: str
    cree_le: datetime
    derniere_connexion: datetime | None
    sessions_depuis: datetime | None
    sub_oidc: str | None = None  # ProConnect's subject, once linked

    @property
    def proconnect_seulement(self) -> bool:
        """No password: the account signs in through ProConnect only."""
        return not self.mot_de_passe


def _relu(engine: Engine, identifiant: str) -> Compte:
    compte = compte_par_identifiant(engine, identifiant)
    if compte is None:  # written in the transaction just committed: cannot be missing
        raise RuntimeError(f"compte « {identifiant} » introuvable après écriture")
    return compte


def maintenant() -> datetime:
    return datetime.now(UTC)


def normaliser_identifiant(identifiant: str) -> str:
    return identifiant.strip().lower()


def _compte(ligne) -> Compte:
    valeurs = {k: getattr(ligne, k) for k in Compte.__dataclass_fields__}
    if valeurs["sessions_depuis"] is not None:
        valeurs["sessions_depuis"] = _utc(valeurs["sessions_depuis"])
    return Compte(**valeurs)


def _colonnes():
    return [getattr(Utilisateur, k) for k in Compte.__dataclass_fields__]


def compte_par_identifiant(engine: Engine, identifiant: str) -> Compte | None:
    with engine.connect() as connection:
        ligne = connection.execute(
            select(*_colonnes()).where(Utilisateur.identifiant == normaliser_identifiant(identifiant))
        ).first()
    return _compte(ligne) if ligne else None


def compte_par_sub(engine: Engine, sub: str) -> Compte | None:
    """The account linked to this ProConnect subject."""
    with engine.connect() as connection:
        ligne = connection.execute(select(*_colonnes()).where(Utilisateur.sub_oidc == sub)).first()
    return _compte(ligne) if ligne else None


def compte_par_id(engine: Engine, utilisateur_id: int) -> Compte | None:
    with engine.connect() as connection:
        ligne = connection.execute(select(*_colonnes()).where(Utilisateur.id == utilisateur_id)).first()
    return _compte(ligne) if ligne else None


def comptes(engine: Engine) -> list[Compte]:
    with engine.connect() as connection:
        return [_compte(ligne) for ligne in connection.execute(select(*_colonnes()).order_by(Utilisateur.id))]


def nb_admins_actifs(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).where(Utilisateur.role == ADMIN, Utilisateur.actif.is_(True))
        )


def nom_region(engine: Engine, code: str) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(
            select(Territoire.nom).where(Territoire.niveau == "region", Territoire.code == code)
        )


def ajouter_compte(
    engine: Engine,
    identifiant: str,
    nom: str,
    role: str,
    empreinte: str,
    code_region: str | None,
    acteur: str,
    *,
    sub_oidc: str | None = None,
    action: str = "compte_ajoute",
    details: dict | None = None,
) -> Compte:
    """Create an account (the password already hashed; an empty `empreinte`: no password, ProConnect only,
    the identifier then being the e-mail address); French ValueError on any bad value."""
    identifiant = normaliser_identifiant(identifiant)
    if not IDENTIFIANT.match(identifiant):
        raise ValueError(
            "identifiant invalide : 3 à 120 caractères parmi lettres minuscules, chiffres et . _ @ + -"
        )
    if not empreinte and not ADRESSE.match(identifiant):
        raise ValueError("un compte ProConnect (sans mot de passe) a pour identifiant une adresse e-mail")
    if role not in ROLES:
        raise ValueError(f"rôle inconnu « {role} » : {', '.join(ROLES)}")
    if role == COORDINATEUR:
        if not code_region or nom_region(engine, code_region) is None:
            raise ValueError("un coordinateur régional a besoin d'un code de région existant (--region)")
    elif code_region:
        raise ValueError("seul un coordinateur régional est rattaché à une région")
    nom = nom.strip() or identifiant
    if len(nom) > 200 or not nom.isprintable():
        raise ValueError("nom invalide : 200 caractères imprimables au plus")
    with engine.begin() as connection:
        if connection.scalar(select(Utilisateur.id).where(Utilisateur.identifiant == identifiant)):
            raise ValueError(f"le compte « {identifiant} » existe déjà")
        connection.execute(
            insert(Utilisateur).values(
                identifiant=identifiant,
                nom=nom,
                role=role,
                code_region=code_region,
                mot_de_passe=empreinte,
                actif=True,
                generation=1,
                cree_le=maintenant(),
                sub_oidc=sub_oidc,
            )
        )
        connexion = "ProConnect" if not empreinte else "mot de passe"
        _auditer(
            connection,
            acteur,
            action,
            identifiant,
            {"role": role, "region": code_region, "connexion": connexion, **(details or {})},
        )
    return _relu(engine, identifiant)


def changer_activation(engine: Engine, identifiant: str, actif: bool, acteur: str) -> Compte:
    """Disable (or enable again) an account; its open sessions end at once (new generation)."""
    identifiant = normaliser_identifiant(identifiant)
    with engine.begin() as connection:
        trouve = connection.execute(
            update(Utilisateur)
            .where(Utilisateur.identifiant == identifiant)
            .values(actif=actif, generation=Utilisateur.generation + 1)
        ).rowcount
        if not trouve:
            raise ValueError(f"aucun compte « {identifiant} »")
        _auditer(connection, acteur, "compte_active" if actif else "compte_desactive", identifiant, None)
    return _relu(engine, identifiant)


def lier_sub(engine: Engine, compte: Compte, sub: str, details: dict, adresse: str | None) -> Compte | None:
    """Link a ProConnect subject to an account that has none yet (its first ProConnect sign-in), journaled;
    None if another subject was linked meanwhile."""
    with engine.begin() as connection:
        lie = connection.execute(
            update(Utilisateur)
            .where(Utilisateur.id == compte.id, Utilisateur.sub_oidc.is_(None))
            .values(sub_oidc=sub)
        ).rowcount
        if lie:
            _auditer(connection, compte.identifiant, "proconnect_lie", compte.identifiant, details, adresse)
    return compte_par_id(engine, compte.id) if lie else None


def fermer_sessions(engine: Engine, utilisateur_id: int) -> None:
    """Signing out: the sessions of this account opened before now are no longer accepted."""
    with engine.begin() as connection:
        connection.execute(
            update(Utilisateur).where(Utilisateur.id == utilisateur_id).values(sessions_depuis=maintenant())
        )


# --- Sign-in attempts -----------------------------------------------------------------------------


def attente_avant_essai(
    engine: Engine, identifiant: str, adresse: str, moment: datetime | None = None
) -> int:
    """Seconds to wait before this account may be tried again from this address (0: go ahead)."""
    moment = moment or maintenant()
    identifiant = normaliser_identifiant(identifiant)[:120]
    adresse = adresse[:64]
    paire = (TentativeConnexion.identifiant == identifiant, TentativeConnexion.adresse == adresse)
    with engine.connect() as connection:
        attentes = [
            _attente(connection, paire, ECHECS_MAX_COMPTE, moment),
            _attente(connection, (TentativeConnexion.adresse == adresse,), ECHECS_MAX_ADRESSE, moment),
        ]
    return max(attentes)


def delai_apres(echecs: int, seuil: int) -> timedelta:
    """The wait after `echecs` failures: none below `seuil`, then DELAI_INITIAL doubling up to DELAI_MAX."""
    if echecs < seuil:
        return timedelta(0)
    return min(DELAI_INITIAL * 2 ** min(echecs - seuil, 32), DELAI_MAX)


def _attente(connection, conditions, seuil: int, moment: datetime) -> int:
    plafond = seuil + (DELAI_MAX // DELAI_INITIAL).bit_length() + 1  # more failures change nothing
    echecs = (
        connection.execute(
            select(TentativeConnexion.moment)
            .where(
                *conditions,
                TentativeConnexion.moment >= moment - FENETRE,
                TentativeConnexion.reussie.is_(False),
            )
            .order_by(TentativeConnexion.moment.desc())
            .limit(plafond)
        )
        .scalars()
        .all()
    )
    delai = delai_apres(len(echecs), seuil)
    if not delai:
        return 0
    reste = (_utc(echecs[0]) + delai - moment).total_seconds()
    return int(reste) + 1 if reste > 0 else 0


def noter_tentative(engine: Engine, identifiant: str, adresse: str, reussie: bool) -> None:
    moment = maintenant()
    identifiant = normaliser_identifiant(identifiant)[:120]
    with engine.begin() as connection:
        connection.execute(
            insert(TentativeConnexion).values(
                moment=moment, identifiant=identifiant, adresse=adresse[:64], reussie=reussie
            )
        )
        if reussie:
            connection.execute(
                update(Utilisateur)
                .where(Utilisateur.identifiant == identifiant)
                .values(derniere_connexion=moment)
            )
            # A success clears this account's failures from this address: the next typo does not lock its
            # owner out (those from other addresses stay theirs).
            connection.execute(
                delete(TentativeConnexion).where(
                    TentativeConnexion.identifiant == identifiant,
                    TentativeConnexion.adresse == adresse[:64],
                    TentativeConnexion.reussie.is_(False),
                )
            )
        connection.execute(
            delete(TentativeConnexion).where(TentativeConnexion.moment < moment - CONSERVATION_TENTATIVES)
        )


def _utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- Audit log ------------------------------------------------------------------------------------


def _auditer(connection, acteur: str, action: str, cible: str | None, details, adresse: str | None = None):
    if action not in ACTIONS_AUDIT:  # every action has its French label on /donnees
        raise ValueError(f"action d'audit inconnue « {action} »")
    connection.execute(
        insert(JournalAudit).values(
            moment=maintenant(),
            acteur=acteur[:200],
            action=action,
            cible=None if cible is None else str(cible)[:400],
            details=None if details is None else json.dumps(details, ensure_ascii=False, default=str),
            adresse=None if adresse is None else adresse[:64],
        )
    )


def auditer(
    engine: Engine,
    acteur: str,
    action: str,
    cible: str | None = None,
    details=None,
    adresse: str | None = None,
) -> None:
    with engine.begin() as connection:
        _auditer(connection, acteur, action, cible, details, adresse)


def journal(engine: Engine, limite: int = 100) -> list[dict]:
    with engine.connect() as connection:
        lignes = connection.execute(
            select(JournalAudit).order_by(JournalAudit.id.desc()).limit(limite)
        ).mappings()
        return [
            {**ligne, "moment": _utc(ligne["moment"]), "details": json.loads(ligne["details"] or "null")}
            for ligne in lignes
        ]
