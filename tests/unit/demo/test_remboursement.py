"""The demo's `rembourse` column: paid back for the most part, a growing share unpaid in the last
months of 2023, a few unknown; the same for a seed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.demo.references import jour
from dashboard.demo.remboursement import INCONNU, NON, OUI, part_non_remboursee, statuts


def _utilisations(n: int = 40_000) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    debut, fin = jour("2021-01-01"), jour("2023-12-31")
    return pd.DataFrame(
        {
            "siren": rng.choice(["200018166", "224400028", "200067106", "999200066"], n),
            "date": rng.integers(debut, fin + 1, n),
        }
    )


def test_rem101_part_croissante_fin_2023():
    jours = np.array(
        [jour(d) for d in ("2022-05-10", "2023-07-10", "2023-09-10", "2023-11-10", "2023-12-20")]
    )
    parts = part_non_remboursee(jours)
    assert parts[0] < 0.01
    assert list(parts[1:]) == sorted(parts[1:]) and parts[-1] >= 0.85


def test_rem102_statuts_deterministes_et_proportions():
    u = _utilisations()
    s = statuts(u, 20240116)
    assert (s == statuts(u, 20240116)).all()
    assert not (s == statuts(u, 7)).all()
    assert set(s) <= {OUI, NON, INCONNU}
    connus = s != INCONNU
    assert (s == OUI).mean() > 0.5  # paid back for the most part
    avant = connus & (u["date"] < jour("2023-07-01")).to_numpy()
    decembre = connus & (u["date"] >= jour("2023-12-01")).to_numpy()
    assert (s[avant] == NON).mean() < 0.01
    assert (s[decembre] == NON).mean() > 0.8
    assert 0 < (~connus).mean() < 0.5  # a few unknown
