import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.secret import SECRET, SEUIL, appliquer, masque, sans_les_secrets


def test_sst001_un_petit_effectif_cache_entraine_le_plus_petit_suivant():
    # 4 is secret; hiding it alone, 1 000 − (600 + 396) would give it away: 396 is hidden too.
    assert masque([600, 396, 4]).tolist() == [False, True, True]


def test_sst002_deux_petits_effectifs_qui_ne_font_pas_le_seuil_ensemble():
    # 3 + 5 = 8 < 11: the difference with the total would still be a small count → one more cell.
    assert masque([50, 20, 5, 3]).tolist() == [False, True, True, True]
    # 6 + 7 = 13 ≥ 11: two primary cells protect each other.
    assert masque([50, 20, 7, 6]).tolist() == [False, False, True, True]


def test_sst003_rien_a_cacher_et_zeros_publies():
    assert not masque([11, 0, 250]).any()
    assert masque([0, 0, 3, 40]).tolist() == [False, False, True, True]


def test_sst004_la_table_publiee_dit_s_et_garde_les_noms():
    table = pd.DataFrame({"nom": ["A", "B", "C"], "nb_pass": [600, 396, 4], "part": [0.6, 0.396, 0.004]})
    publiee = appliquer(table)
    assert publiee["nom"].tolist() == ["A", "B", "C"]
    assert publiee["nb_pass"].tolist() == [600, SECRET, SECRET]
    assert publiee["part"].tolist() == [0.6, SECRET, SECRET]
    assert table["nb_pass"].tolist() == [600, 396, 4]  # the table given is untouched
    assert sans_les_secrets(table)["nom"].tolist() == ["A"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=25))
def test_sst005_invariants_du_secret(comptes):
    cache = masque(comptes)
    valeurs = np.asarray(comptes)
    publies = valeurs[~cache]
    # No published count is a small one; no zero is ever hidden.
    assert not ((publies > 0) & (publies < SEUIL)).any()
    assert not (cache & (valeurs == 0)).any()
    # What the total minus the published cells gives away is never one small count: at least two cells
    # hidden and SEUIL passes together — unless every non-zero cell is hidden already.
    non_nuls = int((valeurs > 0).sum())
    if cache.any() and int(cache.sum()) < non_nuls:
        assert cache.sum() >= 2 and valeurs[cache].sum() >= SEUIL
    # Nothing hidden without a reason: with no small count, nothing at all.
    if not ((valeurs > 0) & (valeurs < SEUIL)).any():
        assert not cache.any()
    assert masque(comptes).tolist() == cache.tolist()  # the same answer every time


def test_sst006_sans_protection_possible_les_lignes_cachees_perdent_leur_nom():
    """One place only, or only small counts: the published total would give their count; then the
    hidden rows are not named (nor their SIRET or commune)."""
    from dashboard.domain.secret import ANONYME

    seul = pd.DataFrame(
        {"siret": ["93116732400017"], "nom": ["Médiathèque"], "commune": ["Cahors"], "nb_pass": [2]}
    )
    publie = appliquer(seul)
    assert publie.iloc[0].tolist() == [SECRET, ANONYME, SECRET, SECRET]
    petits = pd.DataFrame({"nom": ["A", "B", "C"], "nb_pass": [0, 3, 4], "part": [0.0, 3 / 7, 4 / 7]})
    assert appliquer(petits)["nom"].tolist() == ["A", ANONYME, ANONYME]
    protegee = pd.DataFrame({"nom": ["A", "B", "C"], "nb_pass": [600, 396, 4], "part": [0.6, 0.396, 0.004]})
    assert appliquer(protegee)["nom"].tolist() == ["A", "B", "C"]  # 400 hidden together: names kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_sst007_aucun_petit_effectif_attribue_a_un_nom(comptes):
    """Whatever the breakdown, no published row ties a name to a count that a reader can work out (a
    published count, or the total minus the published ones when the hidden rows cannot protect each other)."""
    from dashboard.domain.secret import ANONYME

    table = pd.DataFrame({"nom": [f"L{i}" for i in range(len(comptes))], "nb_pass": comptes})
    publie = appliquer(table)
    caches = publie["nb_pass"] == SECRET
    nommes_caches = caches & (publie["nom"] != ANONYME)
    if nommes_caches.any():  # named hidden rows: together at least two and SEUIL passes
        assert caches.sum() >= 2 and table["nb_pass"][caches].sum() >= SEUIL
    assert all(n == 0 or n >= SEUIL for n in publie["nb_pass"][~caches])
