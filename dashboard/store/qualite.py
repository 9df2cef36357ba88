"""Data-quality list: inconsistent funnels, stale and stalled laureates (for /donnees)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain.filtres import Filtres
from dashboard.domain.formatage import date_courte, nombre, pourcentage
from dashboard.domain.mois import mois_avant
from dashboard.store import metadonnees
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.memoire import memoiser
from dashboard.store.schema import ActiviteMensuelle, Commande, CommandeMensuelle

# No event for this long while the laureate's passes were still valid (or before the data date if they
# still are): its data is stale. A campaign that ended with the validity of its passes is not.
MOIS_SANS_DONNEES = 6
MOIS_AVANT_BLOCAGE = 12  # orders older than this and almost nothing distributed: the rollout is stalled
TAUX_BLOCAGE = 0.10


def problemes_qualite(engine: Engine) -> pd.DataFrame:
    """One row per problem: siren, nom, probleme (short label), detail (French sentence). Memoised."""
    return memoiser(engine, _problemes_qualite)


def _problemes_qualite(engine: Engine) -> pd.DataFrame:
    porteurs = table_indicateurs(engine, "porteur", None, Filtres()).set_index("code")
    with engine.connect() as connection:
        date_donnees = metadonnees.date_donnees(connection)
        derniers = dict(
            connection.execute(
                select(ActiviteMensuelle.siren_porteur, func.max(ActiviteMensuelle.mois)).group_by(
                    ActiviteMensuelle.siren_porteur
                )
            ).all()
        )
        fins_validite = dict(
            connection.execute(
                select(Commande.siren_porteur, func.max(Commande.fin_validite)).group_by(
                    Commande.siren_porteur
                )
            ).all()
        )
        premieres_commandes = dict(
            connection.execute(
                select(CommandeMensuelle.siren_porteur, func.min(CommandeMensuelle.mois)).group_by(
                    CommandeMensuelle.siren_porteur
                )
            ).all()
        )
    lignes = []
    for siren, p in porteurs.iterrows():
        lignes += _tunnel(siren, p)
        if date_donnees:
            echeance = min(date_donnees, fins_validite.get(siren) or date_donnees)
            lignes += _fraicheur(
                siren, p, derniers.get(siren), premieres_commandes.get(siren), date_donnees, echeance
            )
    return pd.DataFrame(lignes, columns=["siren", "nom", "probleme", "detail"])


def _tunnel(siren: str, p: pd.Series) -> list[tuple]:
    lignes = []
    if p.pass_utilises > p.pass_distribues:
        lignes.append(
            (
                siren,
                p.nom,
                "Tunnel incohérent",
                f"{nombre(p.pass_utilises)} pass utilisés pour {nombre(p.pass_distribues)} distribués.",
            )
        )
    if p.pass_distribues > p.pass_commandes:
        lignes.append(
            (
                siren,
                p.nom,
                "Tunnel incohérent",
                f"{nombre(p.pass_distribues)} pass distribués pour {nombre(p.pass_commandes)} commandés.",
            )
        )
    return lignes


def _fraicheur(
    siren: str, p: pd.Series, dernier: date | None, premiere: date | None, date_donnees: date, echeance: date
) -> list[tuple]:
    """`echeance`: the data date, or the end of validity of the laureate's passes when earlier."""
    if (
        premiere
        and not p.donnees_incoherentes  # its rates are unknown; "Tunnel incohérent" says why
        and premiere <= mois_avant(date_donnees, MOIS_AVANT_BLOCAGE)
        and not (p.taux_distribution >= TAUX_BLOCAGE)
    ):
        detail = (
            f"{pourcentage(p.taux_distribution)} des pass commandés distribués, "
            f"première commande en {premiere:%m/%Y}."
        )
        return [(siren, p.nom, "Déploiement bloqué", detail)]
    if dernier and dernier < mois_avant(echeance, MOIS_SANS_DONNEES):
        if echeance < date_donnees:
            contexte = f"alors que ses pass étaient valides jusqu'au {date_courte(echeance)}"
        else:
            contexte = f"données nationales au {date_courte(date_donnees)}"
        return [(siren, p.nom, "Données anciennes", f"Dernière activité en {dernier:%m/%Y}, {contexte}.")]
    return []
