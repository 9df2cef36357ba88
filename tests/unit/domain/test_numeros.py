"""Ranges of pass serials compared without a loop: keys, overlaps, coverage, the pieces that tie a
redeemed pass to its order and its distribution, exact cohort curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.domain.numeros import (
    Intersections,
    Plages,
    additionner_cohortes,
    blocs,
    chevauchements,
    cles,
    cohortes_exactes,
    couverts,
)

GRAND = 2**62  # serials beyond float precision stay exact


def _a(*valeurs) -> np.ndarray:
    return np.array(valeurs, dtype=np.int64)


def test_num001_cles_ordonnent_groupe_puis_numero():
    a, b = cles([_a(1, 0, 1), _a(0, 1)], [_a(5, GRAND, GRAND - 1), _a(7, 5)])
    # (0, GRAND) > (0, 7); (1, 5) == (1, 5); (1, GRAND - 1) after (1, 5); any group 1 after group 0.
    assert a[1] > b[0] and a[0] == b[1] and a[2] > a[0] and a[0] > a[1]
    assert [len(x) for x in cles([_a(), _a()], [_a(), _a()])] == [0, 0]


def test_num002_chevauchements_dans_un_groupe_seulement():
    groupe = _a(0, 0, 0, 1, 0)
    premier = _a(1, 11, 15, 1, 30)
    dernier = _a(10, 20, 16, 10, 31)
    debut, fin = cles([groupe, groupe], [premier, dernier])
    autre = chevauchements(debut, fin)
    # 1–10 and 11–20 follow each other without overlapping; 15–16 lies in 11–20; group 1's 1–10 is not
    # group 0's; 30–31 touches nothing.
    assert autre.tolist() == [-1, -1, 1, -1, -1]
    # The holder of the running end is reported, even when an earlier range ends sooner.
    debut, fin = cles([_a(0, 0, 0), _a(0, 0, 0)], [_a(1, 2, 50), _a(100, 3, 60)])
    assert chevauchements(debut, fin).tolist() == [-1, 0, 0]


def test_num003_blocs_et_couverture_par_les_commandes():
    g, p, d = blocs(_a(0, 0, 0, 1), _a(1100, 1000, 5000, 1000), _a(1199, 1099, 5009, 1009))
    assert list(zip(g.tolist(), p.tolist(), d.tolist(), strict=True)) == [
        (0, 1000, 1199),
        (0, 5000, 5009),
        (1, 1000, 1009),
    ]
    dedans = couverts(
        _a(0, 0, 0, 1, 2),
        _a(1090, 1195, 4000, 1000, 1000),
        _a(1110, 1200, 4001, 1009, 1000),
        _a(0, 0, 0, 1),
        _a(1100, 1000, 5000, 1000),
        _a(1199, 1099, 5009, 1009),
    )
    # Across two orders that follow each other: covered; past the end, before any order, or a laureate
    # without orders: not.
    assert dedans.tolist() == [True, False, False, True, False]


def test_num004_intersections_commande_distribution_utilisation():
    """Orders 1–10 (index 0) and 11–20 (1); handed out 5–14 (0) and 15–20 (1); redeemed 9–16 (0) and
    1–2 (1, never handed out): 9–14 from distribution 0 (9–10 of order 0, 11–14 of order 1), 15–16 from
    distribution 1 (order 1)."""
    commandes = Plages.de(_a(0, 0), _a(1, 11), _a(10, 20))
    distributions = Plages.de(_a(0, 0), _a(5, 15), _a(14, 20))
    utilisations = Plages.de(_a(0, 0), _a(9, 1), _a(16, 2))
    inter = Intersections.calculer(commandes, distributions, utilisations)
    d = inter.distribues
    assert sorted(zip(d.a.tolist(), d.b.tolist(), d.longueur.tolist(), strict=True)) == [
        (0, 0, 6),
        (0, 1, 4),
        (1, 1, 6),
    ]
    u = inter.utilises
    assert sorted(zip(u.a.tolist(), u.b.tolist(), u.longueur.tolist(), strict=True)) == [
        (0, 0, 2),
        (0, 1, 6),
        (1, 0, 2),
    ]
    p = inter.parcours
    morceaux = zip(p.commande, p.distribution, p.utilisation, p.premier, p.dernier, strict=True)
    assert sorted(tuple(int(x) for x in m) for m in morceaux) == [
        (0, 0, 0, 9, 10),
        (1, 0, 0, 11, 14),
        (1, 1, 0, 15, 16),
    ]


def test_num005_intersections_par_laureat_memes_numeros():
    """Two laureates with the same serials: nothing crosses from one to the other."""
    commandes = Plages.de(_a(0, 1), _a(1, 1), _a(10, 10))
    distributions = Plages.de(
        _a(
            1,
        ),
        _a(
            3,
        ),
        _a(
            4,
        ),
    )
    utilisations = Plages.de(_a(0, 1), _a(3, 4), _a(3, 4))
    inter = Intersections.calculer(commandes, distributions, utilisations)
    assert inter.distribues.b.tolist() == [1]
    assert sorted(inter.utilises.b.tolist()) == [0, 1]
    assert inter.parcours.utilisation.tolist() == [1] and inter.parcours.premier.tolist() == [4]


def test_num006_cohortes_exactes_et_additionnees():
    # Cohort 10 (4 handed out): 1 redeemed at k = 0, 2 at k = 2; cohort 11 (2): none.
    exactes = cohortes_exactes(_a(10, 10), _a(10, 12), _a(1, 2), [10, 11], [4, 2], 12)
    parts = exactes.set_index(["cohorte", "k"])["part"]
    assert parts.to_dict() == {
        (10, 0): 0.25,
        (10, 1): 0.25,
        (10, 2): 0.75,
        (11, 0): 0.0,
        (11, 1): 0.0,
    }
    estimees = pd.DataFrame({"cohorte": [10], "k": [0], "distribues": [6.0], "part": [0.5]})
    somme = additionner_cohortes(exactes[exactes["k"] == 0], estimees).set_index(["cohorte", "k"])
    assert somme.loc[(10, 0), "distribues"] == 10 and somme.loc[(10, 0), "part"] == pytest.approx(0.4)
    assert additionner_cohortes(exactes.iloc[:0]).empty
