"""SIRET keys and the identity's display name (the rest of dashboard.store.proconnect is tested against a
database: tests/integration/test_proconnect*.py)."""

import pytest

from dashboard.store.proconnect import Identite, siret_valide


@pytest.mark.parametrize(
    ("siret", "valide"),
    [
        ("13002526500013", True),
        ("23000001600017", True),
        ("35600000000051", True),  # La Poste: digit sum a multiple of 5
        ("23000001600018", False),
        ("2300000160001", False),
        ("230000016000170", False),
        ("2300000160001a", False),
        ("２３０００００１６０００１７", False),  # full-width digits are digits to Python, not to a SIRET
        ("", False),
        (None, False),
    ],
)
def test_pco301_siret_valide(siret, valide):
    assert siret_valide(siret) is valide


def test_pco302_nom_de_l_identite():
    assert Identite(sub="s", email="a@b.fr", prenom=" Marie ", nom_usuel="Dupont").nom == "Marie Dupont"
    assert Identite(sub="s", email="a@b.fr").nom == "a@b.fr"
    assert Identite(sub="s", email="a@b.fr", prenom="Ma\x07rie", nom_usuel="x" * 300).nom.startswith(
        "Marie x"
    )
    assert len(Identite(sub="s", email="a@b.fr", nom_usuel="x" * 300).nom) == 200
