import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dashboard.domain.classification import PART_ZEROS, Methode, classer
from dashboard.domain.formatage import effectif_texte, pourcentage
from dashboard.domain.palettes import sequentielle
from dashboard.domain.vocabulaire import effectif_niveau


def test_cls001_quantiles_effectifs_egaux():
    c = classer(list(range(1, 101)), Methode.QUANTILES, k=5)
    assert c.effectifs == (20, 20, 20, 20, 20)
    assert c.bornes[-1] == 100
    assert c.indices[0] == 0 and c.indices[-1] == 4


def test_cls002_sans_donnee_distinct_de_zero():
    c = classer([0.0, None, 5.0, math.nan, 10.0], Methode.INTERVALLES_EGAUX, k=2)
    assert c.sans_donnee == 2
    assert c.indices[1] is None and c.indices[3] is None
    assert c.indices[0] == 0  # zero is a value, in the first class (here a class of its own)
    assert sum(c.effectifs) == 3


def test_cls003_seuils_metier():
    c = classer([0.1, 0.39, 0.4, 0.55, 0.71, 0.9], Methode.SEUILS, seuils=[0.4, 0.7])
    assert c.bornes[:2] == (0.4, 0.7)
    assert c.indices == (0, 0, 0, 1, 2, 2)


def test_cls004_jenks_separe_les_groupes():
    c = classer([1, 2, 3, 40, 41, 42, 100, 101], Methode.JENKS, k=3)
    assert c.indices == (0, 0, 0, 1, 1, 1, 2, 2)


def test_cls005_moins_de_valeurs_distinctes_que_de_classes():
    c = classer([3, 3, 3], Methode.QUANTILES, k=5)
    assert c.nb_classes == 1 and c.effectifs == (3,)


def test_cls006_libelles_en_francais():
    c = classer([1.5, 2.5, 3.5, 4.5], Methode.QUANTILES, k=2)
    assert c.libelles(lambda v: f"{v:.1f}".replace(".", ",")) == ["de 1,5 à 3,0", "de 3,0 à 4,5"]


def test_cls007_aucune_valeur():
    c = classer([None, None])
    assert c.nb_classes == 0 and c.sans_donnee == 2
    assert c.libelles(str) == []


def test_cls008_seuils_obligatoires():
    with pytest.raises(ValueError, match="seuil"):
        classer([1, 2, 3], Methode.SEUILS)


def test_pal001_palette_sequentielle_du_clair_au_fonce():
    assert sequentielle(2) == ["#DBDAFF", "#00005F"]
    assert sequentielle(3) == ["#DBDAFF", "#6A6AF4", "#00005F"]
    cinq = sequentielle(5)
    clartes = [sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in cinq]
    assert clartes == sorted(clartes, reverse=True) and len(set(cinq)) == 5
    assert sequentielle(0) == []


def test_cls009_quantiles_avec_beaucoup_de_valeurs_egales_moins_de_classes_sans_avertissement():
    valeurs = [0.5] * 60 + [0.1, 0.2, 0.3, 0.5, 0.8, 0.9]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing leaks to the server's log
        classification = classer(valeurs, Methode.QUANTILES, k=5)
    assert len(classification.bornes) < 5
    assert sum(classification.effectifs) == len(valeurs)


# --- Legends: words a reader can trust -------------------------------------------------------------


def test_lgd002_beaucoup_de_zeros_une_classe_a_part_puis_classes_sur_le_reste():
    """National demo: 164 EPCI at exactly 0 % made "de 0,0 % à 0,0 %" and two classes only."""
    valeurs = [0.0] * 164 + [i / 100 for i in range(1, 101)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = classer(valeurs, Methode.QUANTILES, k=5)
    assert c.classe_zero and c.nb_classes == 5
    assert c.effectifs == (164, 25, 25, 25, 25)
    assert c.libelles(pourcentage) == [
        "0,0 %",
        "de 1,0 % à 25,8 %",  # the quartiles 0.2575, 0.505, 0.7525, rounded half up
        "de 25,8 % à 50,5 %",
        "de 50,5 % à 75,3 %",
        "de 75,3 % à 100,0 %",
    ]
    assert {c.indices[i] for i in range(164)} == {0} and 0 not in c.indices[164:]


def test_lgd003_zeros_rares_restent_dans_la_premiere_classe():
    valeurs = [0.0] * 9 + [i / 100 for i in range(1, 92)]  # 9 % of zeros
    assert 9 / len(valeurs) < PART_ZEROS
    c = classer(valeurs, Methode.QUANTILES, k=5)
    assert not c.classe_zero and c.nb_classes == 5
    assert c.libelles(pourcentage)[0].startswith("de 0,0 % à ")


def test_lgd004_bornes_identiques_dites_une_fois():
    c = classer([0.5] * 10 + [0.6, 0.7, 0.8], Methode.QUANTILES, k=5)
    assert c.libelles(pourcentage) == ["50,0 %", "de 50,0 % à 80,0 %"]
    # equal once formatted: 0,00004 and 0,0004 both read "0,0 %"
    c = classer([0.00004, 0.0004, 0.3, 0.6], Methode.SEUILS, seuils=[0.0004, 0.4])
    assert c.libelles(pourcentage)[0] == "0,0 %"


def test_lgd005_seuils_sur_les_non_nuls_et_classes_vides_dites():
    c = classer([0.0, 0.0, 0.5, 0.6, 0.9], Methode.SEUILS, seuils=[0.4, 0.7])
    assert c.bornes == (0.0, 0.4, 0.7, 0.9) and c.effectifs == (2, 0, 2, 1)
    assert c.libelles(pourcentage) == [
        "0,0 %",
        "de 0,0 % à 40,0 %",
        "de 40,0 % à 70,0 %",
        "de 70,0 % à 90,0 %",
    ]
    # frozen bounds (the bounds above given back as seuils) give the same classes
    fige = classer([0.0, 0.0, 0.5, 0.6, 0.9], Methode.SEUILS, seuils=c.bornes)
    assert fige.bornes == c.bornes and fige.indices == c.indices
    # an empty first class: no smallest value to start from
    c = classer([0.5, 0.6, 0.9], Methode.SEUILS, seuils=[0.4, 0.7])
    assert c.libelles(pourcentage) == ["jusqu'à 40,0 %", "de 40,0 % à 70,0 %", "de 70,0 % à 90,0 %"]
    assert [effectif_texte(n, effectif_niveau("departement")) for n in c.effectifs] == [
        "aucun département",
        "2 départements",
        "1 département",
    ]


def test_lgd006_exclus_hors_classes_et_hors_bornes():
    """Rates above 100 % are data errors: left out by the caller, they no longer stretch the legend
    ("de 63,8 % à 203,5 %")."""
    valeurs = [0.2, 0.638, 2.035, None, 0.9, 1.2, 0.5]
    exclus = [False, False, True, False, False, True, None]
    c = classer(valeurs, Methode.QUANTILES, k=2, exclus=exclus)
    assert max(c.bornes) == 0.9 and c.libelles(pourcentage)[-1].endswith("à 90,0 %")
    assert c.indices[2] is None and c.indices[5] is None and c.indices[3] is None
    assert c.exclus == 2 and c.sans_donnee == 1 and sum(c.effectifs) == 4
    seul = classer([0.5, 1.5], exclus=np.array([False, True]))
    assert seul.exclus == 1 and seul.bornes == (0.5,)


def test_lgd007_masque_d_exclus_nul_ou_de_travers():
    import pandas as pd

    masque = pd.Series([True, pd.NA, math.nan], dtype=object)  # a territory without a row: kept
    c = classer([0.9, 0.5, 0.3], exclus=masque)
    assert c.exclus == 1 and c.indices[0] is None and None not in c.indices[1:]
    tous = classer([0.9, None], exclus=[True, True])
    assert tous.nb_classes == 0 and tous.exclus == 2 and tous.sans_donnee == 0
    with pytest.raises(ValueError, match="masque"):
        classer([0.1, 0.2], exclus=[True])


taux = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.0, 0.5, 1.0]))


@given(
    st.lists(st.tuples(st.one_of(taux, st.floats(1.0001, 5), st.none())), min_size=1, max_size=60),
    st.sampled_from(list(Methode)),
    st.integers(1, 7),
    st.lists(st.floats(0.01, 1), min_size=1, max_size=4),
)
def test_lgd008_classes_de_taux_bornees_par_100_pourcent_et_couvrant_les_valeurs(lignes, methode, k, seuils):
    valeurs = [v for (v,) in lignes]
    exclus = [v is not None and v > 1 for v in valeurs]  # what the caller leaves out
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = classer(valeurs, methode, k=k, seuils=seuils, exclus=exclus)
    gardees = [(v, i) for v, i, e in zip(valeurs, c.indices, exclus, strict=True) if v is not None and not e]
    assert all(b <= 1 for b in c.bornes)
    assert all(i is not None for _, i in gardees)  # every value kept has a class…
    assert all(i is None for i, e in zip(c.indices, exclus, strict=True) if e)  # …and no value left out
    for v, i in gardees:  # in its bounds
        assert v <= c.bornes[i] and (i == 0 or v > c.bornes[i - 1])
    assert sum(c.effectifs) == len(gardees) and c.exclus == sum(exclus)
    assert list(c.bornes) == sorted(set(c.bornes))
    if methode is not Methode.SEUILS:
        assert c.nb_classes <= max(k, 1)
    libelles = c.libelles(pourcentage)
    assert not any(
        lib.startswith("de ") and lib[3:].split(" à ")[0] == lib.split(" à ")[-1] for lib in libelles
    )


def test_cls020_classes_qui_se_lisent_pareil_fusionnees():
    """Eight EPCI served by one laureate share its rate to the third decimal: quantiles make two classes
    that both read « 19,4 % »; the legend shows one."""
    from dashboard.domain.classification import lisible

    valeurs = [0.19401] * 4 + [0.19404] * 4 + [0.21, 0.25, 0.3, 0.31, 0.5, 0.6, 0.8]
    brute = classer(valeurs, Methode.QUANTILES, k=5)
    assert len(set(brute.libelles(pourcentage))) < brute.nb_classes  # the defect, before
    nette = lisible(brute, pourcentage)
    libelles = nette.libelles(pourcentage)
    assert len(set(libelles)) == nette.nb_classes and libelles[0] == "19,4 %"
    assert nette.effectifs[0] == 8 and sum(nette.effectifs) == len(valeurs)
    assert nette.indices[:8] == (0,) * 8


@given(
    st.lists(
        st.one_of(st.none(), st.floats(0, 1, allow_nan=False), st.sampled_from([0.19401, 0.19404, 0.0])),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([Methode.QUANTILES, Methode.JENKS, Methode.INTERVALLES_EGAUX]),
)
@example([1.0, 1.1754943508222875e-38, 1.800320373978993e-74, 5e-324], Methode.JENKS)  # denormals
def test_cls021_fusion_chaque_valeur_reste_dans_sa_classe_et_les_libelles_different(valeurs, methode):
    from dashboard.domain.classification import lisible

    nette = lisible(classer(valeurs, methode, k=5), pourcentage)
    libelles = nette.libelles(pourcentage)
    assert all(a != b for a, b in itertools.pairwise(libelles))
    assert sum(nette.effectifs) == sum(v is not None for v in valeurs)
    for v, c in zip(valeurs, nette.indices, strict=True):
        if v is None:
            assert c is None
            continue
        assert v <= nette.bornes[c] + 1e-12
        assert c == 0 or v > nette.bornes[c - 1]
