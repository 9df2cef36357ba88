"""The local demo account answers the loopback only."""

from dashboard.web.acces.identite import est_boucle_locale
from dashboard.web.acces.identite import requete_locale as _requete_locale


def test_acr007_compte_local_boucle_locale_seulement():
    assert est_boucle_locale("127.0.0.1") and est_boucle_locale("::1") and est_boucle_locale("localhost")
    assert not est_boucle_locale("0.0.0.0") and not est_boucle_locale("192.168.1.2")
    assert _requete_locale("127.0.0.1", "127.0.0.1:8050") and _requete_locale("::1", "[::1]:8050")
    assert _requete_locale("127.0.0.1", "localhost:58050")
    assert not _requete_locale("127.0.0.1", "rebond.evil.example:8050")  # DNS rebinding
    assert not _requete_locale("10.0.0.5", "127.0.0.1:8050")
    assert not _requete_locale("127.0.0.1", "[::1")
