import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.fifo import Numerotation, departs, parmi


def test_att001_premier_commande_premier_distribue_et_debordement():
    # Laureate 0: 100 passes (2019), 50 (2020), 30 (2019); beyond them, 2019. Laureate 1: no order.
    n = Numerotation((2019, 2020), 2, [0, 0, 0], [100, 50, 30], [2019, 2020, 2019], [2019, 2020])
    assert n.depart_commandes.tolist() == [0, 100, 150]
    comptes = n.compter(np.array([0, 0, 0, 1]), np.array([0, 90, 170, 0]), np.array([90, 170, 250, 40]))
    assert comptes[2019].tolist() == [90, 30, 80, 0]  # 170–250: 10 ordered in 2019, 70 beyond
    assert comptes[2020].tolist() == [0, 50, 0, 40]


def test_att002_departs_et_parmi():
    assert departs(np.array([0, 0, 1, 1]), np.array([5, 7, 3, 4])).tolist() == [0, 5, 0, 3]
    # Of an order numbered 100–150, with 120 passes handed out in all: 20 were handed out.
    assert parmi(np.array([100.0, 0.0]), np.array([50.0, 50.0]), np.array([120.0, 20.0])).tolist() == [20, 20]


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 500), st.sampled_from((2019, 2020))),
        min_size=0,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 800)), min_size=1, max_size=12),
)
def test_att003_les_vagues_partitionnent_tout_intervalle(commandes, lignes):
    commandes = sorted(commandes, key=lambda c: c[0])
    pos = np.array([c[0] for c in commandes], dtype=np.int64)
    n = Numerotation(
        (2019, 2020),
        4,
        pos,
        np.array([c[1] for c in commandes], dtype=float),
        np.array([c[2] for c in commandes]),
        np.array([2019, 2020, 2019, 2020]),
    )
    lignes = sorted(lignes, key=lambda ligne: ligne[0])
    p = np.array([ligne[0] for ligne in lignes], dtype=np.int64)
    q = np.array([ligne[1] for ligne in lignes], dtype=float)
    debut = departs(p, q)
    comptes = n.compter(p, debut, debut + q)
    assert (comptes[2019] + comptes[2020] == q).all()
    assert (comptes[2019] >= 0).all() and (comptes[2020] >= 0).all()
