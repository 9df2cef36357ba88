"""Delays and cohorts from monthly counts: the first-in-first-out matching by hand, and the vectorised
median delay equal to that reference computation, group by group."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.delais import (
    appariements_fifo,
    cohortes,
    cohortes_trimestrielles,
    delai_median_mois,
    delais_medians,
    mediane_ponderee,
)
from dashboard.domain.mois import indice_mois

MOIS = [date(2020 + m // 12, m % 12 + 1, 1) for m in range(30)]

groupe = st.lists(
    st.tuples(st.sampled_from(range(30)), st.integers(0, 12), st.integers(0, 12)),
    min_size=1,
    max_size=10,
    unique_by=lambda t: t[0],
).map(lambda lignes: sorted(lignes))


@settings(max_examples=400, deadline=None)
@given(st.lists(groupe, min_size=1, max_size=5), st.booleans())
def test_del004_delais_medians_egale_le_calcul_de_reference(groupes, avec_periode):
    debut, fin = (MOIS[6], MOIS[20]) if avec_periode else (None, None)
    attendu, colonnes = {}, ([], [], [], [])
    for numero, lignes in enumerate(groupes):
        jours = [MOIS[m] for m, _, _ in lignes]
        distribues, utilises = [d for _, d, _ in lignes], [u for _, _, u in lignes]
        valeur = delai_median_mois(jours, distribues, utilises, debut, fin)
        if valeur is not None:
            attendu[f"g{numero}"] = valeur
        for liste, valeurs in zip(
            colonnes,
            ([f"g{numero}"] * len(lignes), [indice_mois(j) for j in jours], distribues, utilises),
            strict=True,
        ):
            liste.extend(valeurs)
    obtenu = delais_medians(
        *(np.array(c) for c in colonnes),
        indice_mois(debut) if debut else None,
        indice_mois(fin) if fin else None,
    )
    assert set(obtenu.index) == set(attendu)
    for cle, valeur in attendu.items():
        assert obtenu[cle] == pytest.approx(valeur, abs=1e-9)


def test_del005_delai_constant_retrouve_exactement():
    # 10 passes a month for ten months, 60 % of them used two months later: a delay of 2 months.
    mois = np.arange(12) + indice_mois(date(2021, 1, 1))
    distribues = np.r_[np.full(10, 10), 0, 0]
    utilises = np.r_[0, 0, np.full(10, 6)]
    resultat = delais_medians(np.array(["a"] * 12), mois, distribues, utilises)
    assert resultat.to_dict() == {"a": 2.0}


def test_del006_sans_ligne():
    assert delais_medians(np.array([]), np.array([]), np.array([]), np.array([])).empty


def test_del007_cohortes_constantes_palier_au_taux_d_utilisation():
    # 10 passes a month for ten months, 60 % of them used two months later.
    mois = list(range(indice_mois(date(2021, 1, 1)), indice_mois(date(2021, 1, 1)) + 12))
    distribues = [10] * 10 + [0, 0]
    utilises = [0, 0] + [6] * 10
    courbes = cohortes(mois, distribues, utilises)
    premiere = courbes[courbes["cohorte"] == mois[0]].set_index("k")["part"]
    assert premiere[0] == 0 and premiere[1] == 0 and premiere[2] == pytest.approx(0.6)
    assert premiere.iloc[-1] == pytest.approx(0.6) and premiere.is_monotonic_increasing
    # the last distributing month (the tenth) is observed two more months: k = 0, 1, 2
    assert courbes[courbes["cohorte"] == mois[9]]["k"].tolist() == [0, 1, 2]
    trimestres = cohortes_trimestrielles(courbes, mois[-1])
    t1 = trimestres[trimestres["trimestre"] == "T1 2021"].set_index("k")["part"]
    assert t1[2] == pytest.approx(0.6) and trimestres["part"].between(0, 1).all()
    assert set(trimestres["trimestre"]) <= {"T1 2021", "T2 2021", "T3 2021", "T4 2021"}


@settings(max_examples=200, deadline=None)
@given(groupe)
def test_del008_cohortes_parts_croissantes_entre_zero_et_un(lignes):
    mois = [indice_mois(MOIS[m]) for m, _, _ in lignes]
    courbes = cohortes(mois, [d for _, d, _ in lignes], [u for _, _, u in lignes])
    assert courbes["part"].between(0, 1 + 1e-9).all()
    for _, courbe in courbes.groupby("cohorte"):
        assert courbe.sort_values("k")["part"].is_monotonic_increasing


def test_del001_fifo_a_la_main():
    mois = [date(2020, 1, 1), date(2020, 2, 1), date(2020, 4, 1)]
    assert appariements_fifo(mois, [10, 5, 0], [2, 10, 5]) == [
        (date(2020, 1, 1), 0, 2),
        (date(2020, 2, 1), 1, 8),
        (date(2020, 2, 1), 0, 2),
        (date(2020, 4, 1), 2, 3),
    ]  # the 2 passes redeemed beyond those distributed have no match
    assert delai_median_mois(mois, [10, 5, 0], [2, 10, 5]) == 1.0
    assert delai_median_mois(mois, [10, 5, 0], [2, 10, 5], debut=date(2020, 3, 1)) == 2.0


def test_del002_mediane_ponderee():
    assert mediane_ponderee([(3, 1), (1, 1), (2, 1)]) == 2.0
    assert mediane_ponderee([(0, 4), (1, 8), (2, 3)]) == 1.0
    assert mediane_ponderee([(0, 100), (1, 100)]) == 0.5  # exact tie: mean of the two middle values
    assert mediane_ponderee([(5, 0)]) is None and mediane_ponderee([]) is None


def test_del003_utilisation_partielle_ne_gonfle_pas_le_delai():
    """Half of each month's passes are redeemed two months later: the delay is 2 months, not more
    (plain first-in-first-out would pair redemptions with never-used old passes)."""
    mois = [date(2020, m, 1) for m in range(1, 13)]
    distribues = [100] * 10 + [0, 0]
    utilises = [0, 0] + [50] * 10
    assert delai_median_mois(mois, distribues, utilises) == 2.0


def test_num007_delais_exacts_pesent_avec_les_estimes():
    """Group 1 has only passes followed by their numbers: delays 1 ×7, 2 ×1, 3 ×2, 4 ×5, 12 ×1 → the 8th
    of 16 closes the value 2, exactly half: (2 + 3) / 2. Group 0 mixes an estimated month (10 handed out
    in month 0, 10 redeemed in month 2: delay 2) and 5 exact passes of delay 6: median 2. The period of
    months 5–6 keeps the redemptions of those months only: group 0's exact passes (month 6), group 1's
    2 passes of delay 3 (month 5)."""
    exacts = (
        np.array([1, 1, 1, 1, 1, 0]),
        np.array([3, 4, 5, 7, 15, 6]),
        np.array([1, 2, 3, 4, 12, 6]),
        np.array([7.0, 1, 2, 5, 1, 5]),
    )
    medianes = delais_medians(
        np.array([0, 0]), np.array([0, 2]), np.array([10, 0]), np.array([0, 10]), exacts=exacts
    )
    assert medianes.to_dict() == {0: 2.0, 1: 2.5}
    periode = delais_medians(
        np.array([0, 0]), np.array([0, 2]), np.array([10, 0]), np.array([0, 10]), 5, 6, exacts
    )
    assert periode.to_dict() == {0: 6.0, 1: 3.0}
    assert delais_medians(np.array([]), np.array([]), np.array([]), np.array([]), exacts=exacts)[1] == 2.5
