"""Signed tokens: sessions and briefing links."""

from datetime import UTC, datetime, timedelta

from dashboard.web.acces.jetons import Jetons


def test_acr004_jetons_de_session_signes():
    jetons = Jetons("une-cle-secrete")
    valeur = jetons.session({"u": 3, "g": 1, "c": "x"})
    assert jetons.lire_session(valeur) == {"u": 3, "g": 1, "c": "x"}
    assert Jetons("une-autre-cle").lire_session(valeur) is None
    # A character of the signature changed (not the last one: in base64 its low bits may be padding, and
    # "A" for "B" there would decode to the same signature).
    i = len(valeur) - 5
    assert jetons.lire_session(valeur[:i] + ("A" if valeur[i] != "A" else "B") + valeur[i + 1 :]) is None
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
