import math

import pytest

from dashboard.domain.classification import Methode, classer
from dashboard.domain.palettes import sequentielle


def test_cls001_quantiles_effectifs_egaux():
    c = classer(list(range(1, 101)), Methode.QUANTILES, k=5)
    assert c.effectifs == (20, 20, 20, 20, 20)
    assert c.bornes[-1] == 100
    assert c.indices[0] == 0 and c.indices[-1] == 4


def test_cls002_sans_donnee_distinct_de_zero():
    c = classer([0.0, None, 5.0, math.nan, 10.0], Methode.INTERVALLES_EGAUX, k=2)
    assert c.sans_donnee == 2
    assert c.indices[1] is None and c.indices[3] is None
    assert c.indices[0] == 0  # zero is a value, in the first class
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


def test_cls009_quantiles_avec_beaucoup_de_zeros_moins_de_classes_sans_avertissement():
    import warnings

    valeurs = [0.0] * 60 + [0.1, 0.2, 0.3, 0.5, 0.8, 0.9]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing leaks to the server's log
        classification = classer(valeurs, Methode.QUANTILES, k=5)
    assert len(classification.bornes) < 5
    assert sum(classification.effectifs) == len(valeurs)
