"""Invariant of the monthly sums of the `rembourse` column: passes not paid back + paid back ≤ redeemed,
whatever the lines say."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.agregats import _remboursement

LIGNES = st.lists(
    st.tuples(st.integers(1, 10_000), st.sampled_from([True, False, None]), st.sampled_from(["a", "b", "c"])),
    max_size=60,
)


@given(LIGNES)
def test_rem201_non_rembourses_plus_rembourses_au_plus_utilises(lignes):
    table = pd.DataFrame(lignes, columns=["nb_pass", "rembourse", "groupe"])
    table["rembourse"] = table["rembourse"].astype(object)
    zero = pd.Series(0, index=table.index, dtype="int64")
    sommes = pd.DataFrame(_remboursement(table, zero)).assign(
        utilises=table["nb_pass"], groupe=table["groupe"]
    )
    par_groupe = sommes.groupby("groupe")[["pass_non_rembourses", "pass_rembourses", "utilises"]].sum()
    assert (par_groupe["pass_non_rembourses"] + par_groupe["pass_rembourses"] <= par_groupe["utilises"]).all()
    assert (sommes[["pass_non_rembourses", "pass_rembourses"]] >= 0).all().all()
    # Each line is counted where its file says, never in both.
    attendu_non = sum(n for n, r, _ in lignes if r is False)
    attendu_oui = sum(n for n, r, _ in lignes if r is True)
    assert int(sommes["pass_non_rembourses"].sum()) == attendu_non
    assert int(sommes["pass_rembourses"].sum()) == attendu_oui
