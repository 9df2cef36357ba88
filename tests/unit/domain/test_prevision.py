"""The forecast model (dashboard.domain.prevision) on small histories computed by hand, and its
invariants on random ones (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain import prevision as p

AU = 2023 * 12 + 5  # June 2023


def _commandes(quantites, fins, valides=None, face=10.0, part=0.5):
    n = len(quantites)
    return p.Commandes(
        np.asarray(quantites, dtype=float),
        np.asarray(fins, dtype=float),
        np.asarray(valides if valides is not None else [True] * n, dtype=bool),
        np.full(n, face),
        np.full(n, part),
    )


def test_prv001_stock_distribue_suit_la_courbe_des_pairs_jusqu_a_l_echeance():
    # 100 pass distributed in June, none used; the peers use 20 % one month after, 10 % more the second.
    h = p.historique([AU], [100], [0], AU)
    courbe = np.array([[0.0, 0.2, 0.3, 0.3, 0.3]])
    c = _commandes([100], [AU + 2])  # valid until August
    sim = p.simuler(h, c, courbe, np.ones(1), np.zeros(1), AU)
    # Own rate: nothing was expected yet (F(0) = 0) and nothing used: (0 + 200) / (0 + 200) = 1.
    assert sim.utilises[0].tolist() == pytest.approx([20, 10, 0, 0, 0, 0])
    assert sim.distribues[0].tolist() == [0] * 6
    assert sim.expirant.tolist() == pytest.approx([70])  # 100 − 20 − 10, expired end of August
    assert (sim.expirant_par_commande @ (c.valeur_faciale * c.part_etat)).tolist() == pytest.approx([350])
    assert np.isinf(sim.rupture[0]) and sim.stock_valide == 0


def test_prv002_stock_non_distribue_expire_a_l_echeance():
    # 100 pass ordered, none handed out; 30 a month; half used the month they are handed out.
    h = p.historique([], [], [], AU)
    courbe = np.array([[0.5, 0.5, 0.5]])
    sim = p.simuler(h, _commandes([100], [AU + 2]), courbe, np.ones(1), np.array([30.0]), AU)
    assert sim.distribues[0].tolist() == pytest.approx([30, 30, 0, 0, 0, 0])
    assert sim.utilises[0].tolist() == pytest.approx([15, 15, 0, 0, 0, 0])
    assert sim.expirant.tolist() == pytest.approx([40 + 15 + 15])  # stock left + handed out unused
    assert np.isinf(sim.rupture[0])  # the stock expires before it runs out
    assert sim.stock_valide == 100


def test_prv003_rupture_de_stock_au_rythme_observe():
    h = p.historique([], [], [], AU)
    courbe = np.array([[0.5, 0.5]])
    sim = p.simuler(h, _commandes([100], [AU + 12]), courbe, np.ones(1), np.array([30.0]), AU)
    assert sim.distribues[0, :5].tolist() == pytest.approx([30, 30, 30, 10, 0])
    assert sim.rupture.tolist() == [AU + 4]
    assert sim.expirant.tolist() == pytest.approx([50])


def test_prv004_commande_echue_n_est_plus_distribuee():
    h = p.historique([4, 6], [50, 80], [0, 0], 6)
    parts, stock = p.repartir(h, _commandes([100, 100], [5, 20]))
    assert parts.tolist() == [[50, 0, 0], [0, 0, 0], [0, 80, 0]]
    assert stock.tolist() == [50, 20]


def test_prv005_passes_au_dela_des_commandes_n_expirent_pas():
    h = p.historique([AU], [150], [0], AU)
    parts, stock = p.repartir(h, _commandes([100], [AU + 1]))
    assert parts.tolist() == [[100, 50]] and stock.tolist() == [0]
    sim = p.simuler(h, _commandes([100], [AU + 1]), np.array([[0.0, 0.0]]), np.ones(1), np.zeros(1), AU)
    assert sim.expirant.tolist() == pytest.approx([100])  # the 50 beyond the orders never expire


def test_prv006_courbe_et_tendance_des_pairs():
    u = np.array([[0, 20, 30], [0, 10, 0]], dtype=float)
    d = np.array([[100, 100, 100], [100, 100, 0]], dtype=float)
    courbe = p.courbe_pairs(u, d, np.ones((1, 2)))
    assert courbe[0].tolist() == pytest.approx([0, 0.15, 0.3])
    assert p.amortissement_pairs(np.array([270.0]), np.array([1000.0]), np.ones((1, 1)))[0] == pytest.approx(
        0.27 ** (1 / 3)
    )
    assert p.amortissement_pairs(np.array([1.0]), np.array([1000.0]), np.ones((1, 1)))[0] == p.AMORTI_MIN
    assert p.amortissement_pairs(np.array([5.0]), np.array([0.0]), np.ones((1, 1)))[0] == 1.0


def test_prv007_fin_d_enveloppe_au_rythme_des_commandes():
    rng = np.random.default_rng(0)
    mois = p.fin_enveloppe(np.array([0.0] * 11 + [1200.0]), 1000.0, AU, rng)
    assert mois[0] == AU + 10  # 100 € a month against 1 000 € left
    assert np.isinf(p.fin_enveloppe(np.zeros(12), 1000.0, AU, rng)).all()
    assert np.isinf(p.fin_enveloppe(np.full(12, 50.0), 0.0, AU, rng)).all()
    bas, central, haut = p.fourchette_mois(np.array([AU + 1.0, AU + 2.0, np.inf, np.inf, np.inf]))
    assert bas == AU + 1 and np.isinf(central) and np.isinf(haut)


def test_prv008_tirages_reproductibles():
    h = p.historique(list(range(AU - 8, AU + 1)), [40, 50, 20, 60, 30, 45, 50, 10, 35], [0] * 9, AU)
    resultats = []
    for _ in range(2):
        rng = np.random.default_rng(p.GRAINE)
        resultats.append(p.rythme(h, rng))
    assert resultats[0].tolist() == resultats[1].tolist()
    assert resultats[0][0] == pytest.approx(np.mean([60, 30, 45, 50, 10, 35]))  # first draw: the months


@st.composite
def _cas(draw):
    n = draw(st.integers(1, 8))
    distribues = draw(st.lists(st.integers(0, 200), min_size=n, max_size=n))
    utilises = [draw(st.integers(0, d)) for d in distribues]
    nb_cmd = draw(st.integers(0, 3))
    quantites = draw(st.lists(st.integers(10, 500), min_size=nb_cmd, max_size=nb_cmd))
    fins = draw(st.lists(st.integers(AU - 3, AU + 10), min_size=nb_cmd, max_size=nb_cmd))
    pas = draw(st.lists(st.floats(0, 0.3), min_size=4, max_size=4))
    rythmes = draw(st.lists(st.floats(0, 100), min_size=5, max_size=5))
    return distribues, utilises, sorted(fins), quantites, pas, rythmes


@settings(max_examples=60, deadline=None)
@given(_cas())
def test_prv009_invariants(cas):
    distribues, utilises, fins, quantites, pas, rythmes = cas
    mois = list(range(AU - len(distribues) + 1, AU + 1))
    h = p.historique(mois, distribues, utilises, AU)
    c = _commandes(quantites, fins, [f > AU for f in fins])
    courbe = np.tile(np.minimum(np.cumsum(pas), 1.0), (5, 1))
    sim = p.simuler(h, c, courbe, np.full(5, 0.9), np.array(rythmes), AU)
    for tirages in (sim.expirant, sim.distribues, sim.utilises):
        bas, central, haut = p.fourchette(tirages)
        assert np.all(bas + 1e-9 >= 0) and np.all(bas <= central + 1e-9) and np.all(central <= haut + 1e-9)
    # Expiring passes: only of the orders still valid, at most their passes.
    assert np.all(sim.expirant <= c.pass_commandes[c.valide].sum() + 1e-6)
    # Never more handed out than the valid stock, never more redeemed than unused + handed out.
    assert np.all(sim.distribues.sum(axis=1) <= sim.stock_valide + 1e-6)
    non_utilises = p.cohortes_par_delai(h, AU, 1)[2].sum()
    assert np.all(sim.utilises.sum(axis=1) <= non_utilises + sim.distribues.sum(axis=1) + 1e-6)


def test_prv050_ralentissement_avant_l_echeance_mesure_chez_les_pairs():
    # An order ended in month 20: 10 a month from 11 to 6 months before its end, then 5, 5, 5, 2, 2, 0.
    h = p.historique(list(range(9, 21)), [10] * 6 + [5, 5, 5, 2, 2, 0], [0] * 12, 20)
    proches, reference = p.avant_echeance(h, _commandes([100], [20]), 20)
    assert proches.tolist() == [0, 2, 2, 5, 5, 5] and reference == 10
    # Still valid at `au`: nothing measured on it.
    assert p.avant_echeance(h, _commandes([100], [25]), 20)[0].tolist() == [0] * 6
    profil = p.profil_echeance(proches[None, :], np.array([reference]), np.ones((1, 1)))
    assert profil[0].tolist() == pytest.approx([0, 0.2, 0.2, 0.5, 0.5, 0.5])
    # A stock of 100 handed out at 10 a month, its order ending 3 months after `au`: 2, 2, then 0.
    vide = p.historique([], [], [], AU)
    sim = p.simuler(
        vide, _commandes([100], [AU + 3]), np.array([[0.0]]), np.ones(1), np.array([10.0]), AU, profil=profil
    )
    assert sim.distribues[0, :4].tolist() == pytest.approx([2, 2, 0, 0])


def test_prv051_variation_mensuelle_autour_du_rythme():
    facteurs = p.aleas(np.array([0.0, 10.0, 20.0]), 4, np.random.default_rng(1), tirages=50)
    assert facteurs.shape == (50, 4) and facteurs[0].tolist() == [1, 1, 1, 1]
    assert set(np.unique(facteurs[1:])) <= {0.0, 1.0, 2.0}
    assert (p.aleas(np.zeros(3), 2, np.random.default_rng(1), tirages=3) == 1).all()
