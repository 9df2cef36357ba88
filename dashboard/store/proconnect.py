"""Who may sign in through ProConnect: an account granted by e-mail (`passnum users add --email`), or a
SIRET rule (`passnum users regle`) that creates the account at its first sign-in; and the decision for an
identity the provider vouches for. An identity nobody granted never gets an account by itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.domain.vocabulaire import COORDINATEUR, LECTEUR
from dashboard.store import comptes
from dashboard.store.schema import RegleSiret

ROLES_PAR_SIRET = (COORDINATEUR, LECTEUR)  # administrators are named one by one, never by organisation

# Why an identity is refused (the web layer says it in French and journals it).
NON_ACCORDE = "non_accorde"  # no account for this subject or e-mail, no rule for this SIRET
DESACTIVE = "desactive"
AUTRE_IDENTITE = "autre_identite"  # the account of this e-mail is linked to another subject
ADRESSE_INVALIDE = "adresse_invalide"  # a SIRET rule, but an e-mail that cannot name an account


@dataclass(frozen=True)
class Regle:
    siret: str
    role: str
    code_region: str | None
    cree_par: str
    cree_le: datetime


@dataclass(frozen=True)
class Identite:
    """What the provider vouches for (ProConnect's pivot identity)."""

    sub: str
    email: str
    prenom: str = ""  # given_name
    nom_usuel: str = ""  # usual_name
    uid: str = ""
    siret: str = ""

    @property
    def nom(self) -> str:
        nom = " ".join(p for p in (self.prenom.strip(), self.nom_usuel.strip()) if p) or self.email
        return "".join(c for c in nom if c.isprintable())[:200]


@dataclass(frozen=True)
class Decision:
    compte: comptes.Compte | None
    refus: str | None = None


def siret_valide(siret: str) -> bool:
    """14 digits with a valid Luhn key (La Poste's establishments: digit sum a multiple of 5)."""
    if not isinstance(siret, str) or len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(c) for c in siret) % 5 == 0
    total = 0
    for rang, chiffre in enumerate(reversed(siret)):
        valeur = int(chiffre) * (2 if rang % 2 else 1)
        total += valeur - 9 if valeur > 9 else valeur
    return total % 10 == 0


# --- SIRET rules ----------------------------------------------------------------------------------


def _regle(ligne) -> Regle:
    return Regle(
        siret=ligne.siret,
        role=ligne.role,
        code_region=ligne.code_region,
        cree_par=ligne.cree_par,
        cree_le=comptes._utc(ligne.cree_le),
    )


def regles(engine: Engine) -> list[Regle]:
    with engine.connect() as connection:
        return [_regle(ligne) for ligne in connection.execute(select(RegleSiret).order_by(RegleSiret.siret))]


def regle_pour(engine: Engine, siret: str) -> Regle | None:
    if not siret_valide(siret):
        return None
    with engine.connect() as connection:
        ligne = connection.execute(select(RegleSiret).where(RegleSiret.siret == siret)).first()
    return _regle(ligne) if ligne else None


def ajouter_regle(engine: Engine, siret: str, role: str, code_region: str | None, acteur: str) -> Regle:
    """Grant `role` (and a coordinator's région) to whoever signs in with this SIRET; journaled. French
    ValueError on any bad value."""
    siret = siret.replace(" ", "").strip()
    if not siret_valide(siret):
        raise ValueError(f"SIRET invalide « {siret} » : 14 chiffres dont une clé de contrôle juste")
    if role not in ROLES_PAR_SIRET:
        permis = ", ".join(ROLES_PAR_SIRET)
        raise ValueError(
            f"rôle « {role} » impossible par SIRET ({permis}) : un administrateur est nommé seul"
        )
    if role == COORDINATEUR:
        if not code_region or comptes.nom_region(engine, code_region) is None:
            raise ValueError("un coordinateur régional a besoin d'un code de région existant (--region)")
    elif code_region:
        raise ValueError("seul un coordinateur régional est rattaché à une région")
    with engine.begin() as connection:
        if connection.scalar(select(RegleSiret.id).where(RegleSiret.siret == siret)):
            raise ValueError(f"une règle existe déjà pour le SIRET {siret} (retirez-la d'abord)")
        connection.execute(
            insert(RegleSiret).values(
                siret=siret,
                role=role,
                code_region=code_region,
                cree_par=acteur[:200],
                cree_le=comptes.maintenant(),
            )
        )
        comptes._auditer(
            connection, acteur, "regle_siret_ajoutee", siret, {"role": role, "region": code_region}
        )
    regle = regle_pour(engine, siret)
    if regle is None:  # written in the transaction just committed: cannot be missing
        raise RuntimeError(f"règle du SIRET {siret} introuvable après écriture")
    return regle


def retirer_regle(engine: Engine, siret: str, acteur: str) -> None:
    """The accounts the rule created stay (disable them one by one: `passnum users disable`)."""
    siret = siret.replace(" ", "").strip()
    with engine.begin() as connection:
        if not connection.execute(delete(RegleSiret).where(RegleSiret.siret == siret)).rowcount:
            raise ValueError(f"aucune règle pour le SIRET « {siret} »")
        comptes._auditer(connection, acteur, "regle_siret_retiree", siret, None)


# --- The decision ---------------------------------------------------------------------------------


def compte_pour(engine: Engine, identite: Identite, adresse: str | None = None) -> Decision:
    """The account this identity signs in to, or why none: the account linked to its subject; else the
    account of its e-mail, linked now (first sign-in); else an account its SIRET's rule creates now
    (journaled); else none."""
    details = {"siret": identite.siret or None, "uid": identite.uid or None}
    compte = comptes.compte_par_sub(engine, identite.sub)
    if compte is None:
        compte = comptes.compte_par_identifiant(engine, identite.email) if identite.email else None
        if compte is not None:
            if compte.sub_oidc is not None:  # the same address, another person
                return Decision(None, AUTRE_IDENTITE)
            if not compte.actif:
                return Decision(compte, DESACTIVE)
            lie = comptes.lier_sub(engine, compte, identite.sub, details, adresse)
            return Decision(lie, None) if lie is not None else Decision(None, AUTRE_IDENTITE)
        return _par_regle(engine, identite, details)
    return Decision(compte, None if compte.actif else DESACTIVE)


def _par_regle(engine: Engine, identite: Identite, details: dict) -> Decision:
    regle = regle_pour(engine, identite.siret)
    if regle is None:
        return Decision(None, NON_ACCORDE)
    identifiant = comptes.normaliser_identifiant(identite.email)
    if not comptes.IDENTIFIANT.match(identifiant) or not comptes.ADRESSE.match(identifiant):
        return Decision(None, ADRESSE_INVALIDE)
    try:
        compte = comptes.ajouter_compte(
            engine,
            identifiant,
            identite.nom,
            regle.role,
            "",
            regle.code_region,
            f"regle-siret:{regle.siret}",
            sub_oidc=identite.sub,
            action="compte_cree_proconnect",
            details=details,
        )
    except (IntegrityError, ValueError):  # a simultaneous first sign-in created it: read it back
        compte = comptes.compte_par_sub(engine, identite.sub)
        if compte is None:
            return Decision(None, AUTRE_IDENTITE)
    return Decision(compte, None if compte.actif else DESACTIVE)
