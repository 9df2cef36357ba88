import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.repartition import plus_forts_restes


def test_rep001_trois_tiers_font_le_tout():
    parts = plus_forts_restes(np.array([1000 / 3] * 3 + [0.5, 0.5]), np.array([0, 0, 0, 1, 1]))
    assert parts.tolist() == [334, 333, 333, 1, 0]


def test_rep002_centimes_et_valeurs_inconnues():
    parts = plus_forts_restes(np.array([10.005, 10.005, np.nan]), np.array([7, 7, 7]), unite=0.01)
    assert np.allclose(parts[:2], [10.01, 10.0]) and np.isnan(parts[2])


@given(st.lists(st.tuples(st.integers(0, 4), st.floats(0, 1e7, allow_nan=False)), min_size=1, max_size=40))
def test_rep003_chaque_groupe_garde_son_total_arrondi(lignes):
    groupes = np.array([g for g, _ in lignes])
    valeurs = np.array([v for _, v in lignes])
    parts = plus_forts_restes(valeurs, groupes)
    assert (parts == np.round(parts)).all()
    assert (np.abs(parts - valeurs) < 1 + 1e-6).all()
    for g in set(groupes.tolist()):
        total = valeurs[groupes == g].sum()
        assert parts[groupes == g].sum() == np.floor(total + 0.5 + 1e-9)
