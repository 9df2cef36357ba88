"""Fictitious SIREN/SIRET numbers of the demo: Luhn keys."""

import numpy as np

from dashboard.demo.identifiants import cles_luhn, luhn_valide, siren_fictif, siret_fictif


def test_dem101_cle_luhn_de_sirens_reels():
    # Real SIRENs of territoires.csv (Métropole du Grand Paris, CA de Lens - Liévin) are Luhn-valid.
    assert luhn_valide("200054781") and luhn_valide("246200364")
    assert not luhn_valide("200054782")
    chiffres = np.array([[int(c) for c in "20005478"]])
    assert cles_luhn(chiffres).tolist() == [1]


def test_dem102_siren_et_siret_fictifs_valides():
    sirens = siren_fictif("9992", np.array([12, 971]))
    assert sirens.tolist() == ["999200124", "999209711"]
    sirets = siret_fictif(sirens)
    assert all(s.startswith(p) and len(s) == 14 for s, p in zip(sirets, sirens, strict=True))
    assert all(luhn_valide(s) for s in [*sirens, *sirets])
