"""Where a sign-in may send back to."""

import pytest

from dashboard.web.acces.connexion import suivant_sur


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
