"""The vectorised median delay must equal the reference first-in-first-out computation, group by group."""

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.delais import delai_median_mois, delais_medians, indice_mois

MOIS = [date(2020 + m // 12, m % 12 + 1, 1) for m in range(30)]

groupe = st.lists(
    st.tuples(st.sampled_from(range(30)), st.integers(0, 12), st.integers(0, 12)),
    min_size=1,
    max_size=10,
    unique_by=lambda t: t[0],
).map(lambda lignes: sorted(lignes))


@settings(max_examples=400, deadline=None)
@given(st.lists(groupe, min_size=1, max_size=5), st.booleans())
def test_delais_medians_egale_le_calcul_de_reference(groupes, avec_periode):
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


def test_delai_constant_retrouve_exactement():
    # 10 passes a month for ten months, 60 % of them used two months later: a delay of 2 months.
    mois = np.arange(12) + indice_mois(date(2021, 1, 1))
    distribues = np.r_[np.full(10, 10), 0, 0]
    utilises = np.r_[0, 0, np.full(10, 6)]
    resultat = delais_medians(np.array(["a"] * 12), mois, distribues, utilises)
    assert resultat.to_dict() == {"a": 2.0}


def test_sans_ligne():
    assert delais_medians(np.array([]), np.array([]), np.array([]), np.array([])).empty
