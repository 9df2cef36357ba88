"""The operator's liabilities (passes redeemed never paid back to the places) per place, and the laureates
whose data stopped: read once per data version from the aggregate tables.

The operator of the programme went into liquidation on 16/01/2024. The redemption files say, line by line
(optional column `rembourse`), whether the place was paid back; the monthly aggregates keep both sums
(dashboard.ingest.agregats). A line whose file does not say counts in neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.domain.indicateurs import VALEUR_FACIALE_EUR
from dashboard.domain.mois import ecart_mois
from dashboard.store.donnees import COLONNE_NIVEAU, annuaire_structures, noms_communes, reference
from dashboard.store.memoire import memoiser
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteSansSiretMensuelle,
    ActiviteStructureMensuelle,
    Commande,
    Distribution,
    Porteur,
    Utilisation,
)

COLONNES_LIEUX = [
    "siret",
    "nom",
    "commune",
    "pass_utilises",
    "pass_non_rembourses",
    "montant_non_rembourse_eur",
    "pass_sans_information",
]
SANS_NOM = "Non identifié (lignes sans SIRET)"
MOIS_FIGEES = 2  # a laureate whose last month of activity is more than this before the data date
# (or before the end of validity of its last passes, when they expired earlier: a programme that ended
# with its passes is not frozen, one that stopped reporting while its passes were still valid is)


def _lire_lieux(engine: Engine) -> pd.DataFrame:
    """Per laureate × place × commune: passes redeemed, not paid back, paid back; siret None for the
    lines without SIRET (then `nom`: the name they give)."""
    s, n = ActiviteStructureMensuelle, ActiviteSansSiretMensuelle
    sommes = (func.sum(s.nb_pass), func.sum(s.pass_non_rembourses), func.sum(s.pass_rembourses))
    noms = ["pass_utilises", "pass_non_rembourses", "pass_rembourses"]
    with engine.connect() as connection:
        avec = pd.read_sql(
            select(
                s.siren_porteur,
                s.siret,
                s.code_commune,
                *(c.label(x) for c, x in zip(sommes, noms, strict=True)),
            )
            .where(s.role == "lieu")
            .group_by(s.siren_porteur, s.siret, s.code_commune),
            connection,
        )
        sans = pd.read_sql(
            select(
                n.siren_porteur,
                n.nom,
                n.code_commune,
                func.sum(n.nb_pass).label("pass_utilises"),
                func.sum(n.pass_non_rembourses).label("pass_non_rembourses"),
                func.sum(n.pass_rembourses).label("pass_rembourses"),
            )
            .where(n.role == "lieu")
            .group_by(n.siren_porteur, n.nom, n.code_commune),
            connection,
        )
    avec["nom"] = None
    sans["siret"] = None
    table = pd.concat([avec, sans], ignore_index=True)
    communes, _ = reference(engine)
    parents = communes.rename(columns={"code": "code_commune"})
    parents = parents[["code_commune", "code_region", "code_departement", "code_epci"]]
    return table.merge(parents, on="code_commune", how="left")


def lieux(engine: Engine) -> pd.DataFrame:
    """Every laureate × place × commune row with its redeemed, unpaid and paid passes and the commune's
    parents. Shared, read-only."""
    return memoiser(engine, _lire_lieux, partage=True)


def repartition_lieux(engine: Engine, niveau: str, code: str) -> pd.DataFrame:
    """The places of a laureate (niveau "porteur") or of a territory (where the passes were redeemed)
    that have passes never paid back, most first: siret (None: lines without SIRET), nom, commune,
    pass_utilises, pass_non_rembourses, montant_non_rembourse_eur, pass_sans_information."""
    table = lieux(engine)
    colonne = "siren_porteur" if niveau == "porteur" else COLONNE_NIVEAU[niveau]
    lignes = table[(table[colonne] == code).to_numpy()]
    if lignes.empty:
        return pd.DataFrame(columns=COLONNES_LIEUX)
    cle = lignes["siret"].fillna("").astype(str) + "|" + lignes["nom"].fillna("").astype(str)
    sommes = lignes.groupby(cle.to_numpy(), sort=False).agg(
        siret=("siret", "first"),
        nom_ligne=("nom", "first"),
        code_commune=("code_commune", "first"),
        pass_utilises=("pass_utilises", "sum"),
        pass_non_rembourses=("pass_non_rembourses", "sum"),
        pass_rembourses=("pass_rembourses", "sum"),
    )
    sommes = sommes[sommes["pass_non_rembourses"] > 0]
    annuaire = annuaire_structures(engine)
    annuaire = annuaire[annuaire["role"] == "lieu"].set_index("siret")
    communes = noms_communes(engine)
    noms = [
        (annuaire["nom"].get(siret) or "(nom non renseigné)")
        if isinstance(siret, str)
        else (f"{nom} (nom seul, non identifié)" if isinstance(nom, str) else SANS_NOM)
        for siret, nom in zip(sommes["siret"], sommes["nom_ligne"], strict=True)
    ]
    resultat = pd.DataFrame(
        {
            "siret": np.array([s if isinstance(s, str) else None for s in sommes["siret"]], dtype=object),
            "nom": noms,
            "commune": [communes.get(c, c) for c in sommes["code_commune"]],
            "pass_utilises": sommes["pass_utilises"].astype("int64").to_numpy(),
            "pass_non_rembourses": sommes["pass_non_rembourses"].astype("int64").to_numpy(),
            "montant_non_rembourse_eur": sommes["pass_non_rembourses"].to_numpy(dtype=float)
            * VALEUR_FACIALE_EUR,
            "pass_sans_information": (
                sommes["pass_utilises"] - sommes["pass_non_rembourses"] - sommes["pass_rembourses"]
            )
            .astype("int64")
            .to_numpy(),
        }
    )
    resultat = resultat.sort_values(
        ["pass_non_rembourses", "nom"], ascending=[False, True], ignore_index=True
    )
    siret = resultat["siret"].astype(object)
    resultat["siret"] = siret.where(siret.notna(), None)  # no SIRET: None, as in repartition_structures
    return resultat


@dataclass(frozen=True)
class Synthese:
    """The programme's figures: passes redeemed, not paid back, paid back; places concerned (SIRET);
    `pass_non_rembourses` NaN when no redemption says."""

    pass_utilises: int
    pass_non_rembourses: float
    pass_rembourses: int
    lieux_concernes: int

    @property
    def montant_eur(self) -> float:
        return self.pass_non_rembourses * VALEUR_FACIALE_EUR

    @property
    def part_sans_information(self) -> float:
        """Share of the redeemed passes whose file does not say whether they were paid back."""
        if not self.pass_utilises:
            return np.nan
        return (
            self.pass_utilises - self.pass_non_rembourses_connus - self.pass_rembourses
        ) / self.pass_utilises

    @property
    def pass_non_rembourses_connus(self) -> int:
        return 0 if np.isnan(self.pass_non_rembourses) else int(self.pass_non_rembourses)


def synthese(engine: Engine) -> Synthese:
    """The whole programme (every laureate, every wave, every period). Memoised."""
    return memoiser(engine, _synthese)


def _synthese(engine: Engine) -> Synthese:
    a = ActiviteMensuelle
    with engine.connect() as connection:
        utilises, non, oui = connection.execute(
            select(func.sum(a.pass_utilises), func.sum(a.pass_non_rembourses), func.sum(a.pass_rembourses))
        ).one()
    table = lieux(engine)
    concernes = table.loc[table["siret"].notna() & (table["pass_non_rembourses"] > 0), "siret"].nunique()
    utilises, non, oui = int(utilises or 0), int(non or 0), int(oui or 0)
    return Synthese(utilises, float(non) if non + oui else np.nan, oui, int(concernes))


# --- Laureates whose data stopped -------------------------------------------------------------------


@dataclass(frozen=True)
class Figees:
    """A laureate whose files stopped: its last month of activity and the date of its last line."""

    dernier_mois: date
    dernier_retour: date


def _lire_derniers(engine: Engine) -> pd.DataFrame:
    """siren → dernier_mois (last month with passes handed out or redeemed), dernier_retour (the date of
    its latest line), fin_validite (the end of validity of its last passes; NaT when no order says)."""
    a = ActiviteMensuelle
    with engine.connect() as connection:
        mois = pd.read_sql(
            select(a.siren_porteur, func.max(a.mois).label("dernier_mois"))
            .where((a.pass_distribues > 0) | (a.pass_utilises > 0))
            .group_by(a.siren_porteur),
            connection,
        )
        # Per laureate, one seek to its latest line (ix_<table>_porteur_date), not a scan of the lines.
        dates = [
            pd.read_sql(
                select(
                    Porteur.siren.label("siren_porteur"),
                    select(func.max(t.date))
                    .where(t.siren_porteur == Porteur.siren)
                    .scalar_subquery()
                    .label("dernier_retour"),
                ),
                connection,
            ).dropna(subset=["dernier_retour"])
            for t in (Distribution, Utilisation)
        ]
        fins = pd.read_sql(
            select(Commande.siren_porteur, func.max(Commande.fin_validite).label("fin_validite")).group_by(
                Commande.siren_porteur
            ),
            connection,
        ).set_index("siren_porteur")
    retours = pd.concat(dates).assign(dernier_retour=lambda d: pd.to_datetime(d["dernier_retour"]))
    retours = retours.groupby("siren_porteur")["dernier_retour"].max()
    table = mois.set_index("siren_porteur")
    table["dernier_mois"] = pd.to_datetime(table["dernier_mois"])
    table = table.join(retours)
    table["fin_validite"] = pd.to_datetime(fins["fin_validite"]).reindex(table.index)
    return table


def _fin_attendue(ligne: pd.Series, au: date) -> date:
    """Until when returns are expected: the reference date, or the end of validity of the laureate's
    last passes when it comes first."""
    fin = ligne["fin_validite"]
    return au if pd.isna(fin) else min(au, fin.date())


def derniers_retours(engine: Engine) -> pd.DataFrame:
    """Per laureate (index siren_porteur): dernier_mois, dernier_retour (Timestamps). Shared, read-only."""
    return memoiser(engine, _lire_derniers, partage=True)


def figees(engine: Engine, siren: str, au: date | None = None) -> Figees | None:
    """The laureate's data are frozen when its last month of activity lies more than MOIS_FIGEES months
    before the data date (`au`: another reference date) and before the end of validity of its last
    passes; None otherwise, or without activity."""
    au = au or etat_donnees(engine).date_donnees
    table = derniers_retours(engine)
    if au is None or siren not in table.index:
        return None
    ligne = table.loc[siren]
    dernier = ligne["dernier_mois"].date()
    if ecart_mois(dernier, _fin_attendue(ligne, au)) <= MOIS_FIGEES:
        return None
    retour = ligne["dernier_retour"]
    return Figees(dernier, retour.date() if not pd.isna(retour) else dernier)


def sirens_figes(engine: Engine, au: date | None = None) -> dict[str, date]:
    """{siren: last month of activity} of every laureate whose data are frozen."""
    au = au or etat_donnees(engine).date_donnees
    if au is None:
        return {}
    table = derniers_retours(engine)
    return {
        siren: ligne["dernier_mois"].date()
        for siren, ligne in table.iterrows()
        if ecart_mois(ligne["dernier_mois"].date(), _fin_attendue(ligne, au)) > MOIS_FIGEES
    }
