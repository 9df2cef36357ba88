"""Passwords: argon2id hashes and the password policy."""

import pytest

from dashboard.web.acces import mots_de_passe


def test_acr002_mots_de_passe_haches_et_verifies():
    empreinte = mots_de_passe.hacher("correct horse battery")
    assert empreinte.startswith("$argon2id$") and "correct" not in empreinte
    assert mots_de_passe.verifier(empreinte, "correct horse battery")
    assert not mots_de_passe.verifier(empreinte, "correct horse batterY")
    assert not mots_de_passe.verifier(None, "correct horse battery")  # unknown account: same work, no
    assert not mots_de_passe.verifier("pas une empreinte", "x")
    assert not mots_de_passe.verifier(empreinte, "x" * 10_000)


@pytest.mark.parametrize(
    ("mot", "probleme"),
    [
        ("court", "au moins 12"),
        (" espace-devant-12", "espace"),
        ("contrôle\x07-caractère", "contrôle"),
        ("x" * 201, "au plus 200"),
    ],
)
def test_acr003_politique_des_mots_de_passe(mot, probleme):
    assert probleme in mots_de_passe.probleme_mot_de_passe(mot)
    with pytest.raises(ValueError):
        mots_de_passe.hacher(mot)
