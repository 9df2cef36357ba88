"""What the pages show of the forecasts (dashboard.store.prevision): the « Prévision » block of a
laureate's or a territory's page, the projection drawn on their monthly chart, and the national list of
the laureates that will lose the most State money when their passes expire. Every figure is estimated."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.domain import liens
from dashboard.domain.formatage import date_courte, euros, nombre
from dashboard.figures.graphiques import mois_texte
from dashboard.store import entites
from dashboard.store import prevision as store
from dashboard.store.donnees import programme
from dashboard.store.entites import Entite
from dashboard.vues import Sources

NB_LISTE = 10
ESTIME = "estimé"


@dataclass(frozen=True)
class BlocPrevision:
    """Lines (label, value in words) of the block, and the sentence saying from what date and how."""

    lignes: list[tuple[str, str]]
    note: str


def fourchette_nombre(bas: float, central: float, haut: float, unite: str = "") -> str:
    """`1 234 pass (de 1 100 à 1 400)`; without the bounds when they are the forecast itself."""
    suffixe = f" {unite}" if unite else ""
    texte = f"{nombre(central)}{suffixe}"
    if round(bas) == round(central) == round(haut):
        return texte
    return f"{texte} (de {nombre(bas)} à {nombre(haut)})"


def fourchette_euros(bas: float, central: float, haut: float) -> str:
    texte = euros(central)
    if round(bas) == round(central) == round(haut):
        return texte
    return f"{texte} (de {euros(bas)} à {euros(haut)})"


def mois_court(jour: pd.Timestamp) -> str:
    """`sept. 2024`: the month abbreviated as in French typography (`juin`, `juil.`)."""
    abreges = {
        1: "janv.",
        2: "févr.",
        3: "mars",
        4: "avril",
        5: "mai",
        6: "juin",
        7: "juil.",
        8: "août",
        9: "sept.",
        10: "oct.",
        11: "nov.",
        12: "déc.",
    }
    return f"{abreges[jour.month]} {jour.year}"


def fourchette_mois(bas, central, haut, jamais: str) -> str:
    """`juin 2024 (avril – sept. 2024)`; `jamais`: what to say when the forecast month never comes."""
    if pd.isna(central):
        return jamais
    texte = mois_texte(central)
    if (pd.isna(bas) and pd.isna(haut)) or (bas == central == haut):
        return texte
    gauche = mois_court(bas) if not pd.isna(bas) else "…"
    droite = mois_court(haut) if not pd.isna(haut) else "au-delà"
    if not pd.isna(bas) and not pd.isna(haut) and bas.year == haut.year:
        gauche = gauche.rsplit(" ", 1)[0]
    return f"{texte} ({gauche} – {droite})"


def date_texte(sources: Sources, au: date | None = None) -> str:
    """`30/12/2023`: the date the forecasts start from."""
    return date_courte(store.date_reference(sources.engine, au))


def sirens_de(sources: Sources, ent: Entite) -> list[str]:
    """The laureate itself, or the laureates whose perimeter reaches the territory."""
    if ent.niveau == "porteur":
        return [ent.code]
    return entites.laureats_du_territoire(sources.engine, ent)["siren"].astype(str).tolist()


def bloc(sources: Sources, ent: Entite, au: date | None = None) -> BlocPrevision:
    r = store.resume(sources.engine, sirens_de(sources, ent), au)
    qui = "du lauréat" if ent.niveau == "porteur" else f"de ses {nombre(r['nb_laureats'])} lauréats"
    stock = "stock déjà distribué ou échu" if r["stock_valide"] <= 0 else "pas d'épuisement avant l'échéance"
    lignes = [
        (
            f"Pass qui expireront sans être utilisés ({ESTIME})",
            fourchette_nombre(*r["pass_expirant"], unite="pass"),
        ),
        (f"Argent de l'État à risque à l'expiration ({ESTIME})", fourchette_euros(*r["etat_risque_eur"])),
        (f"Épuisement du stock commandé ({ESTIME})", fourchette_mois(*r["mois_rupture_stock"], jamais=stock)),
        (
            f"Enveloppe de l'État consommée ({ESTIME})",
            fourchette_mois(
                *r["mois_fin_enveloppe"], jamais="pas au rythme des commandes des 12 derniers mois"
            ),
        ),
    ]
    note = (
        f"Prévision {qui} au {date_courte(r['au'])}, au rythme observé et selon les courbes d'utilisation "
        "des lauréats comparables (même type, même vague) ; entre parenthèses, l'intervalle à 80 %. "
        "Méthode et erreur mesurée : page Méthodologie."
    )
    return BlocPrevision(lignes, note)


def projection(sources: Sources, ent: Entite, mensuel: pd.DataFrame, au: date | None = None) -> pd.DataFrame:
    """The projection of the entity's monthly chart: its laureate's; a territory's laureates', scaled by
    the share of their passes of the last 12 months handed out and redeemed in the territory."""
    sirens = sirens_de(sources, ent)
    if not sirens or mensuel.empty:
        return pd.DataFrame(columns=store.COLONNES_PROJECTION)
    proj = store.projection_mensuelle(sources.engine, sirens, au)
    if ent.niveau == "porteur":
        return proj
    # The territory's share of its laureates' recent activity (a laureate's perimeter may reach far beyond).
    d, u = store.activite_recente(sources.engine, sirens, au)
    fin = pd.Timestamp(store.date_reference(sources.engine, au))
    recent = mensuel[pd.to_datetime(mensuel["mois"]) > fin - pd.DateOffset(months=12)]
    parts = {
        "distribues": min(1.0, recent["pass_distribues"].sum() / d) if d else 0.0,
        "utilises": min(1.0, recent["pass_utilises"].sum() / u) if u else 0.0,
    }
    colonnes = {
        f"{flux}_{suffixe}": proj[f"{flux}_{suffixe}"] * part
        for flux, part in parts.items()
        for suffixe in ("prevus", "bas", "haut")
    }
    return proj.assign(**colonnes)


def liste_nationale(sources: Sources, au: date | None = None) -> pd.DataFrame:
    """The `NB_LISTE` laureates that will lose the most State money when their passes expire: siren,
    nom, chemin, pass (forecast and interval), argent (forecast and interval, €), in words."""
    table = store.prevision_porteurs(sources.engine, au)
    noms = programme(sources.engine).conventions.drop_duplicates("siren").set_index("siren")["nom"]
    table = table[table["etat_risque_eur"] > 0].sort_values(
        ["etat_risque_eur", "siren"], ascending=[False, True]
    )
    table = table.head(NB_LISTE)
    return pd.DataFrame(
        {
            "siren": table["siren"].to_numpy(),
            "nom": table["siren"].map(noms).to_numpy(),
            "chemin": [liens.chemin("porteur", s) for s in table["siren"]],
            "pass_expirant": [
                fourchette_nombre(b, c, h)
                for b, c, h in table[
                    ["pass_expirant_bas", "pass_expirant_prevus", "pass_expirant_haut"]
                ].to_numpy()
            ],
            "etat_risque": [
                fourchette_euros(b, c, h)
                for b, c, h in table[
                    ["etat_risque_bas_eur", "etat_risque_eur", "etat_risque_haut_eur"]
                ].to_numpy()
            ],
            "etat_risque_eur": table["etat_risque_eur"].to_numpy(),
            "etat_risque_bas_eur": table["etat_risque_bas_eur"].to_numpy(),
            "etat_risque_haut_eur": table["etat_risque_haut_eur"].to_numpy(),
            "pass_expirant_prevus": table["pass_expirant_prevus"].to_numpy(),
        }
    )


def csv_liste(liste: pd.DataFrame) -> str:
    """The list as a French CSV (`;`, decimal comma, whole euros), marked estimated."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\n")
    ecrivain.writerow(
        ["siren", "nom", "pass_expirant_prevus (estimé)", "etat_risque_eur (estimé)", "bas_eur", "haut_eur"]
    )
    for ligne in liste.itertuples():
        ecrivain.writerow(
            [
                ligne.siren,
                ligne.nom,
                round(ligne.pass_expirant_prevus),
                round(ligne.etat_risque_eur),
                round(ligne.etat_risque_bas_eur),
                round(ligne.etat_risque_haut_eur),
            ]
        )
    return sortie.getvalue()
