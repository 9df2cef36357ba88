"""The sign-in page with and without ProConnect's button, and « Accès non accordé »: escaped, offline."""

import re

from dashboard.web import pages_html


def test_pco201_bouton_proconnect_selon_la_configuration():
    avec = pages_html.page("jeton", "/territoire/epci/1?a=1&b=2", proconnect=True).get_data(as_text=True)
    sans = pages_html.page("jeton", "/", proconnect=False).get_data(as_text=True)
    assert 'id="connexion-proconnect"' in avec and "proconnect" not in sans
    assert 'href="/connexion/proconnect?suivant=%2Fterritoire%2Fepci%2F1%3Fa%3D1%26b%3D2"' in avec
    assert "S’identifier avec</span>" in avec and '<span class="proconnect-marque">ProConnect</span>' in avec
    assert (
        'rel="noopener noreferrer"' in avec
        and 'title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"' in avec
    )
    # Drawn here: the only address outside is the link to ProConnect's site, no font, image or script.
    externes = set(re.findall(r'(?:href|src)="(https?://[^"]+)"', avec))
    assert externes == {"https://www.proconnect.gouv.fr/"}
    assert "<script" not in avec and "<img" not in avec
    assert avec.index('id="connexion-proconnect"') < avec.index('<form method="post" action="/connexion"')
    assert pages_html.bouton_proconnect("/").count("suivant") == 0


def test_pco202_acces_non_accorde_echappe():
    reponse = pages_html.page_acces_non_accorde("<b>x</b>@exemple.fr", "Raison.", "Demandez à l'équipe.")
    page = reponse.get_data(as_text=True)
    assert reponse.status_code == 403 and "Accès non accordé" in page
    assert "&lt;b&gt;x&lt;/b&gt;@exemple.fr" in page and "<b>x</b>" not in page
    sans = pages_html.page_acces_non_accorde("", "Raison.", "Demandez.").get_data(as_text=True)
    assert "(aucune adresse transmise)" in sans
