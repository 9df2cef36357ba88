"""`passnum users add --email` (an account for ProConnect only, without a password) and `passnum users
regle add|list|remove` (access by SIRET), run for real: journaled, refused in French with code 2."""

from __future__ import annotations

import pytest

from dashboard.store import comptes
from dashboard.store import proconnect as acces
from tests.integration.test_comptes_cli import _passnum, base, base_sqlite  # noqa: F401 — fixtures


def test_pco014_compte_par_adresse_sans_mot_de_passe(base):  # noqa: F811
    engine, url = base
    ajout = _passnum(
        url, "users", "add", "--email", "Agent@Region-Bretagne.fr", "--role", "coordinateur", "--region", "53"
    )
    assert ajout.returncode == 0, ajout.stderr
    assert "Compte « agent@region-bretagne.fr » créé : Coordinateur régional (connexion par ProConnect" in (
        ajout.stdout
    )
    compte = comptes.compte_par_identifiant(engine, "agent@region-bretagne.fr")
    assert compte.mot_de_passe == "" and compte.proconnect_seulement and compte.code_region == "53"
    lignes = _passnum(url, "users", "list").stdout.splitlines()
    assert lignes[0].endswith(";proconnect")
    assert lignes[1].startswith("agent@region-bretagne.fr;") and lignes[1].endswith(";attendu")
    journal = _passnum(url, "audit").stdout
    assert ";compte_ajoute;agent@region-bretagne.fr;" in journal


def test_pco015_regles_par_siret(base):  # noqa: F811
    engine, url = base
    ajout = _passnum(
        url,
        "users",
        "regle",
        "add",
        "--siret",
        "230 000 016 00017",
        "--role",
        "coordinateur",
        "--region",
        "53",
    )
    assert ajout.returncode == 0, ajout.stderr
    assert "SIRET 23000001600017 → Coordinateur régional, région 53" in ajout.stdout
    regle = acces.regle_pour(engine, "23000001600017")
    assert (regle.role, regle.code_region) == ("coordinateur", "53") and regle.cree_par.startswith("console:")
    liste = _passnum(url, "users", "regle", "list").stdout.splitlines()
    assert liste[0] == "siret;role;region;cree_par;cree_le"
    assert liste[1].startswith("23000001600017;coordinateur;53;console:")
    retrait = _passnum(url, "users", "regle", "remove", "--siret", "23000001600017")
    assert retrait.returncode == 0 and acces.regle_pour(engine, "23000001600017") is None
    journal = _passnum(url, "audit").stdout
    assert ";regle_siret_ajoutee;23000001600017;" in journal
    assert ";regle_siret_retiree;23000001600017;" in journal


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("users", "add", "--email", "pas-une-adresse", "--role", "lecteur"), "adresse e-mail"),
        (("users", "add", "a@b.fr", "--email", "a@b.fr", "--role", "lecteur"), "soit un IDENTIFIANT"),
        (("users", "add", "--role", "lecteur"), "soit un IDENTIFIANT"),
        (
            ("users", "add", "--email", "a@b.fr", "--role", "lecteur", "--mot-de-passe-stdin"),
            "pas de mot de passe",
        ),
        (("users", "regle", "add", "--siret", "23000001600018", "--role", "lecteur"), "SIRET invalide"),
        (("users", "regle", "add", "--siret", "1234", "--role", "lecteur"), "SIRET invalide"),
        (("users", "regle", "add", "--siret", "23000001600017", "--role", "coordinateur"), "code de région"),
        (
            ("users", "regle", "add", "--siret", "23000001600017", "--role", "lecteur", "--region", "53"),
            "seul un coordinateur",
        ),
        (("users", "regle", "remove", "--siret", "23000001600017"), "aucune règle"),
    ],
)
def test_pco016_erreurs_en_francais_code_2(base_sqlite, arguments, message):  # noqa: F811
    resultat = _passnum(base_sqlite, *arguments)
    assert resultat.returncode == 2 and message in resultat.stderr, resultat.stderr
    assert "Traceback" not in resultat.stderr


def test_pco017_pas_d_administrateur_par_siret(base_sqlite):  # noqa: F811
    """Administrators are named one by one: the command offers no such choice, the store refuses it too."""
    from dashboard.store.db import make_engine

    resultat = _passnum(base_sqlite, "users", "regle", "add", "--siret", "23000001600017", "--role", "admin")
    assert resultat.returncode == 2 and "admin" in resultat.stderr
    with pytest.raises(ValueError, match="un administrateur est nommé seul"):
        acces.ajouter_regle(make_engine(base_sqlite), "23000001600017", "admin", None, "test")
