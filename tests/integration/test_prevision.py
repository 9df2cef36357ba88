"""Forecasts (dashboard.store.prevision) on a small synthetic history, SQLite and PostgreSQL: four
comparable laureates whose distributions fall by 10 % a month and whose passes are used one and two
months after; the back-test (bench/prevision.py) beats the naive forecast there; a laureate whose
State's money at risk is capped by its subsidy."""

import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert

from dashboard.settings import ROOT
from dashboard.store import prevision
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ActiviteMensuelle, Commande, Convention, Metadonnee, Porteur
from tests.conftest import GEO_DIR

sys.path.insert(0, str(ROOT / "bench"))
import prevision as banc

EPCI = {
    "244400537": ("44001", 150),
    "200067635": ("44002", 120),
    "244400552": ("44003", 100),
    "200067346": ("44005", 80),
}
CD44 = "224400028"
DEBUT = date(2021, 4, 1)


def _mois(i: int) -> date:
    m = DEBUT.month - 1 + i
    return date(DEBUT.year + m // 12, m % 12 + 1, 1)


def _series(d0: int, n: int = 33) -> tuple[list[int], list[int]]:
    d = [round(d0 * 0.9**t) for t in range(n)]
    u = [round(0.5 * (d[t - 1] if t >= 1 else 0) + 0.2 * (d[t - 2] if t >= 2 else 0)) for t in range(n)]
    return d, u


@pytest.fixture(scope="module")
def moteur(moteur_module):
    initialiser(moteur_module, GEO_DIR)
    with moteur_module.begin() as c:
        for siren, (commune, d0) in EPCI.items():
            c.execute(
                insert(Porteur).values(siren=siren, nom=f"CC {siren}", type="EPCI", code_territoire=siren)
            )
            c.execute(
                insert(Convention).values(
                    siren_porteur=siren,
                    vague=2020,
                    date_convention=date(2020, 10, 1),
                    budget_total_eur=40_000,
                    subvention_etat_eur=20_000,
                )
            )
            commande = {
                "siren_porteur": siren,
                "pass_par_carnet": 10,
                "valeur_faciale_eur": 10,
                "nb_carnets": 200,
            }
            c.execute(
                insert(Commande),
                [
                    {**commande, "date_commande": date(2021, 3, 1), "fin_validite": date(2022, 12, 31)},
                    {**commande, "date_commande": date(2022, 6, 1), "fin_validite": date(2024, 12, 31)},
                ],
            )
            d, u = _series(d0)
            c.execute(
                insert(ActiviteMensuelle),
                [
                    {
                        "siren_porteur": siren,
                        "code_commune": commune,
                        "mois": _mois(i),
                        "pass_distribues": d[i],
                        "pass_utilises": u[i],
                    }
                    for i in range(len(d))
                    if d[i] or u[i]
                ],
            )
        # A 2019 laureate with 4 000 passes ordered, none handed out, a small subsidy: 60 % State share.
        c.execute(insert(Porteur).values(siren=CD44, nom="Loire-Atlantique", type="CD", code_territoire="44"))
        c.execute(
            insert(Convention).values(
                siren_porteur=CD44,
                vague=2019,
                date_convention=date(2019, 7, 1),
                budget_total_eur=1_000,
                subvention_etat_eur=600,
            )
        )
        c.execute(
            insert(Commande).values(
                siren_porteur=CD44,
                date_commande=date(2023, 1, 10),
                nb_carnets=400,
                pass_par_carnet=10,
                valeur_faciale_eur=10,
                fin_validite=date(2024, 12, 31),
            )
        )
        c.execute(insert(Metadonnee).values(cle="date_donnees", valeur="2023-12-31"))
    return moteur_module


def test_prv010_colonnes_et_invariants_par_laureat(moteur):
    table = prevision.prevision_porteurs(moteur)
    assert list(table.columns) == prevision.COLONNES_PORTEURS
    assert set(table["siren"]) == {*EPCI, CD44}
    assert table["estime"].all()
    for prefixe, bas, haut in (
        ("pass_expirant_prevus", "pass_expirant_bas", "pass_expirant_haut"),
        ("etat_risque_eur", "etat_risque_bas_eur", "etat_risque_haut_eur"),
    ):
        assert (table[bas] >= 0).all() and (table[bas] <= table[prefixe] + 1e-9).all()
        assert (table[prefixe] <= table[haut] + 1e-9).all()
    # Never more expiring than the valid orders' passes not yet used, never more at risk than committed.
    for siren, (_, d0) in EPCI.items():
        ligne = table.set_index("siren").loc[siren]
        _, u = _series(d0)
        assert ligne["pass_expirant_haut"] <= 2000 + 2000 - sum(u) + 1e-6
        assert ligne["etat_risque_haut_eur"] <= 20_000
    assert pd.api.types.is_datetime64_any_dtype(table["mois_rupture_stock"])


def test_prv011_argent_a_risque_borne_par_la_subvention(moteur):
    ligne = prevision.prevision_porteurs(moteur).set_index("siren").loc[CD44]
    # Nothing handed out, no pace: all 4 000 passes expire on 31/12/2024; 4 000 × 10 € × 60 % = 24 000 €,
    # more than the 600 € committed.
    assert ligne["pass_expirant_prevus"] == pytest.approx(4000)
    assert ligne["etat_risque_eur"] == pytest.approx(600)
    assert pd.isna(ligne["mois_rupture_stock"])
    assert ligne["stock_valide"] == 4000
    assert ligne["restante_eur"] == 0  # 600 − 60 % × 40 000 €, never below 0
    assert pd.isna(ligne["mois_fin_enveloppe"])


def test_prv012_restante_fournie_donne_le_mois_de_fin_d_enveloppe(moteur):
    restante = pd.Series({CD44: 8_000.0})
    ligne = prevision.prevision_porteurs(moteur, restante_par_siren=restante).set_index("siren").loc[CD44]
    # 24 000 € of State share ordered in January 2023: 2 000 € a month over the last 12 months; 8 000 €
    # left: spent 4 months after December 2023 (first draw: the months themselves, the median around it).
    assert ligne["restante_eur"] == 8_000
    assert ligne["mois_fin_enveloppe_bas"] <= ligne["mois_fin_enveloppe"]
    assert ligne["mois_fin_enveloppe"] <= ligne["mois_fin_enveloppe_haut"] or pd.isna(
        ligne["mois_fin_enveloppe_haut"]
    )
    assert ligne["mois_fin_enveloppe_bas"] >= pd.Timestamp(2024, 1, 1)


def test_prv013_projection_apres_le_dernier_mois(moteur):
    projection = prevision.projection_mensuelle(moteur, list(EPCI))
    assert list(projection.columns) == prevision.COLONNES_PROJECTION
    assert projection["mois"].iloc[0] == pd.Timestamp(2024, 1, 1)
    assert len(projection) == 12  # to the end of validity of the 2022 orders, December 2024
    for flux in ("distribues", "utilises"):
        assert (projection[f"{flux}_bas"] <= projection[f"{flux}_prevus"] + 1e-9).all()
        assert (projection[f"{flux}_prevus"] <= projection[f"{flux}_haut"] + 1e-9).all()
    # Same result twice (fixed seed), and at an earlier date the months after it.
    assert projection.equals(prevision.projection_mensuelle(moteur, list(EPCI)))
    avant = prevision.projection_mensuelle(moteur, list(EPCI), date(2023, 6, 30))
    assert avant["mois"].iloc[0] == pd.Timestamp(2023, 7, 1)


def test_prv014_resume_d_un_ensemble(moteur):
    r = prevision.resume(moteur, [*EPCI, CD44])
    assert r["nb_laureats"] == 5 and r["au"] == date(2023, 12, 31)
    bas, central, haut = r["etat_risque_eur"]
    assert 0 <= bas <= central <= haut
    seul = prevision.resume(moteur, [CD44])
    assert seul["pass_expirant"] == pytest.approx((4000, 4000, 4000))


def test_prv015_backtest_bat_la_prevision_naive(moteur):
    resultats = banc.backtester(moteur, date(2023, 6, 30), 6)
    assert {(r.echelle, r.flux) for r in resultats} == {
        (e, f) for e in ("national", "par lauréat") for f in ("distribues", "utilises")
    }
    for r in resultats:
        assert r.mae < r.mae_naive, r
        assert 0 <= r.couverture <= 1 and np.isfinite(r.mape)
    texte = banc.tableau(resultats)
    assert texte.count("\n") == 5 and "pass utilisés" in texte


def test_prv016_vues_bloc_projection_et_liste(moteur):
    from types import SimpleNamespace

    from dashboard.figures.graphiques import chronologie
    from dashboard.store import entites
    from dashboard.vues import prevision as vue

    sources = SimpleNamespace(engine=moteur)
    cd = entites.entite(moteur, "porteur", CD44)
    lignes = dict(vue.bloc(sources, cd).lignes)
    assert lignes["Pass qui expireront sans être utilisés (estimé)"] == "4\u202f000 pass"
    assert lignes["Argent de l'État à risque à l'expiration (estimé)"] == "600 €"
    assert lignes["Épuisement du stock commandé (estimé)"] == "pas d'épuisement avant l'échéance"
    departement = entites.entite(moteur, "departement", "44")
    bloc = vue.bloc(sources, departement)
    assert "de ses 5 lauréats au 31/12/2023" in bloc.note
    # The territory's chart: its laureates' forecast, scaled by their share of activity there (all here).
    mensuel = entites.serie_mensuelle(moteur, departement)
    projection = vue.projection(sources, departement, mensuel)
    tous = prevision.projection_mensuelle(moteur, [*EPCI, CD44])
    assert projection["utilises_prevus"].to_numpy() == pytest.approx(tous["utilises_prevus"].to_numpy())
    figure = chronologie(mensuel, cumul=False, projection=projection)
    noms = [t["name"] for t in figure["data"]]
    assert "Prévision (estimée) : pass utilisés" in noms
    liste = vue.liste_nationale(sources)
    assert liste["etat_risque_eur"].is_monotonic_decreasing and len(liste) <= vue.NB_LISTE
    assert liste["chemin"].iloc[0] == f"/porteur/{liste['siren'].iloc[0]}"
