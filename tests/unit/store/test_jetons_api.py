"""The pure parts of the API tokens: scopes read from the command line, the end of validity in Paris time."""

from datetime import UTC, date, datetime

import pytest

from dashboard.store.jetons_api import FORME, Jeton, fin_de_validite, lire_portees


def test_jet003_portees_lues_dedoublonnees_ou_refusees_en_francais():
    assert lire_portees(" Indicateurs, series,indicateurs ") == ("indicateurs", "series")
    with pytest.raises(ValueError, match="portée inconnue « admin »"):
        lire_portees("indicateurs,admin")
    with pytest.raises(ValueError, match="portée inconnue"):
        lire_portees(" , ")


def test_jet004_expiration_a_la_fin_du_jour_heure_de_paris():
    assert fin_de_validite(date(2027, 6, 30)) == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)  # CEST
    assert fin_de_validite(date(2027, 1, 31)) == datetime(2027, 1, 31, 23, 0, tzinfo=UTC)  # CET
    jeton = Jeton(
        1,
        "n",
        "abcd0123",
        ("series",),
        "t",
        datetime.now(UTC),
        fin_de_validite(date(2027, 1, 31)),
        None,
        None,
    )
    assert jeton.dernier_jour == date(2027, 1, 31)
    assert not jeton.expire(datetime(2027, 1, 31, 22, 59, tzinfo=UTC))
    assert jeton.expire(datetime(2027, 1, 31, 23, 0, tzinfo=UTC))


def test_jet005_forme_des_jetons():
    assert FORME.match("pn_0123abcd_" + "a-_Z" * 10 + "xyz")
    for faux in (
        "pn_0123abcd_court",
        "PN_0123abcd_" + "a" * 43,
        "pn_0123abcg_" + "a" * 43,
        "pn_0123abcd_" + "a" * 44,
    ):
        assert not FORME.match(faux)
