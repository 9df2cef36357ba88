"""Reads of the national view besides the indicator table: the monthly series of the selection and the
territories on which each laureate's perimeter is drawn."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain.filtres import Filtres
from dashboard.store.indicateurs import (
    communes_reference,
    conditions_periode,
    joindre_commune,
    laureats_selectionnes,
)
from dashboard.store.schema import ActiviteMensuelle, SyndicatMembre, Territoire

NIVEAU_DU_TYPE = {"CR": "region", "CD": "departement", "EPCI": "epci"}


def serie_mensuelle(engine: Engine, vue: str, filtres: Filtres) -> pd.DataFrame:
    """mois, pass_distribues, pass_utilises of the selected laureates in the period; in the territories
    view with a région filter, only the activity that took place in those régions."""
    a = ActiviteMensuelle
    with engine.connect() as connection:
        laureats = laureats_selectionnes(connection, filtres, communes_reference(connection))
        requete = (
            select(
                a.mois,
                func.sum(a.pass_distribues).label("pass_distribues"),
                func.sum(a.pass_utilises).label("pass_utilises"),
            )
            .where(a.siren_porteur.in_(laureats["siren"].tolist()), *conditions_periode(a.mois, filtres))
            .group_by(a.mois)
            .order_by(a.mois)
        )
        if vue == "territoires" and filtres.regions:
            requete = joindre_commune(requete, a.code_commune, Territoire.code_region).where(
                Territoire.code_region.in_(filtres.regions)
            )
        serie = pd.read_sql(requete, connection)
    serie["mois"] = pd.to_datetime(serie["mois"])
    return serie.astype({"pass_distribues": "int64", "pass_utilises": "int64"})


def couches_porteurs(engine: Engine, filtres: Filtres) -> pd.DataFrame:
    """siren, nom, type, niveau_geo, code: the map territories of each selected laureate. A syndicat
    mixte is drawn as its members (a commune member through its EPCI)."""
    with engine.connect() as connection:
        communes = communes_reference(connection)
        laureats = laureats_selectionnes(connection, filtres, communes)
        directs = laureats[laureats["type"].isin(list(NIVEAU_DU_TYPE))].assign(
            niveau_geo=lambda d: d["type"].map(NIVEAU_DU_TYPE), code=lambda d: d["code_territoire"]
        )
        syndicats = laureats[laureats["type"] == "SM"]
        membres = pd.read_sql(
            select(
                SyndicatMembre.siren_syndicat.label("siren"),
                SyndicatMembre.niveau_membre,
                SyndicatMembre.code_membre,
            ).where(SyndicatMembre.siren_syndicat.in_(syndicats["siren"].tolist())),
            connection,
        )
    epci_des_communes = communes.set_index("code")["code_epci"]
    communes_membres = membres["niveau_membre"] == "commune"
    membres.loc[communes_membres, "code_membre"] = membres.loc[communes_membres, "code_membre"].map(
        epci_des_communes
    )
    membres.loc[communes_membres, "niveau_membre"] = "epci"
    membres = membres.dropna(subset=["code_membre"]).drop_duplicates()
    dessines = (
        syndicats[["siren", "nom", "type"]]
        .merge(membres, on="siren")
        .rename(columns={"niveau_membre": "niveau_geo", "code_membre": "code"})
    )
    colonnes = ["siren", "nom", "type", "niveau_geo", "code"]
    return pd.concat([directs[colonnes], dessines[colonnes]], ignore_index=True)
