"""Access rules as pure functions: roles, passwords, signed tokens, where a sign-in may send back to."""

from datetime import UTC, datetime, timedelta

import pytest

from dashboard.domain.droits import (
    CHARGER_DEMO,
    COMPTE_LOCAL,
    IMPORTER,
    LIRE,
    PARTAGER,
    PRESENTATION,
    Principal,
)
from dashboard.domain.vocabulaire import ADMIN, COORDINATEUR, LECTEUR, LIEN
from dashboard.web.acces import mots_de_passe
from dashboard.web.acces.connexion import suivant_sur
from dashboard.web.acces.identite import est_boucle_locale
from dashboard.web.acces.identite import requete_locale as _requete_locale
from dashboard.web.acces.jetons import Jetons


def test_acr001_permissions_par_role():
    admin = Principal(ADMIN, "a", "A")
    coordinateur = Principal(COORDINATEUR, "c", "C", region="53")
    lecteur = Principal(LECTEUR, "l", "L")
    lien = Principal(LIEN, "lien:1", "Lien", deck="/presentation?diapos=resume&diapo=1")
    assert all(admin.peut(p) for p in (LIRE, IMPORTER, CHARGER_DEMO, PARTAGER, PRESENTATION))
    assert coordinateur.peut(IMPORTER) and not coordinateur.peut(CHARGER_DEMO)
    assert lecteur.peut(LIRE) and not any(lecteur.peut(p) for p in (IMPORTER, CHARGER_DEMO, PARTAGER))
    assert lien.peut(PRESENTATION) and not lien.peut(LIRE)
    assert Principal("inconnu", "x", "X").peut(LIRE) is False
    assert coordinateur.region_imports == "53" and admin.region_imports is None
    assert Principal(ADMIN, "a", "A", region="53").region_imports is None  # only coordinators are bound
    assert COMPTE_LOCAL.local and COMPTE_LOCAL.role == ADMIN


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


def test_acr004_jetons_de_session_signes():
    jetons = Jetons("une-cle-secrete")
    valeur = jetons.session({"u": 3, "g": 1, "c": "x"})
    assert jetons.lire_session(valeur) == {"u": 3, "g": 1, "c": "x"}
    assert Jetons("une-autre-cle").lire_session(valeur) is None
    assert jetons.lire_session(valeur[:-1] + ("A" if valeur[-1] != "A" else "B")) is None
    for dechet in (None, "", 42, "x" * 5000, "a.b.c"):
        assert jetons.lire_session(dechet) is None


def test_acr005_liens_expirent():
    jetons = Jetons("une-cle-secrete")
    maintenant = datetime(2026, 11, 26, 12, tzinfo=UTC)
    lien = jetons.lien("/presentation?diapos=resume&diapo=1", maintenant + timedelta(days=7), 4, 2)
    contenu = jetons.lire_lien(lien, maintenant)
    assert contenu["d"] == "/presentation?diapos=resume&diapo=1" and contenu["u"] == 4 and contenu["g"] == 2
    assert jetons.lire_lien(lien, maintenant + timedelta(days=7, seconds=1)) is None
    assert Jetons("autre").lire_lien(lien, maintenant) is None
    assert jetons.session({"d": "x"}) != lien and jetons.lire_lien(jetons.session({"d": "x"})) is None


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("/territoire/epci/200067106?x=1", "/territoire/epci/200067106?x=1"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/connexion?suivant=/", "/"),
        ("/a\r\nSet-Cookie: x=1", "/"),
        (None, "/"),
        (["/"], "/"),
    ],
)
def test_acr006_suivant_reste_sur_le_site(valeur, attendu):
    assert suivant_sur(valeur) == attendu


def test_acr007_compte_local_boucle_locale_seulement():
    assert est_boucle_locale("127.0.0.1") and est_boucle_locale("::1") and est_boucle_locale("localhost")
    assert not est_boucle_locale("0.0.0.0") and not est_boucle_locale("192.168.1.2")
    assert _requete_locale("127.0.0.1", "127.0.0.1:8050") and _requete_locale("::1", "[::1]:8050")
    assert _requete_locale("127.0.0.1", "localhost:58050")
    assert not _requete_locale("127.0.0.1", "rebond.evil.example:8050")  # DNS rebinding
    assert not _requete_locale("10.0.0.5", "127.0.0.1:8050")
    assert not _requete_locale("127.0.0.1", "[::1")
