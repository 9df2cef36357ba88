import pytest

from dashboard.domain.texte import neutraliser_formule


@pytest.mark.parametrize("texte", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1"])
def test_txt001_formules_neutralisees(texte):
    assert neutraliser_formule(texte) == "'" + texte


@pytest.mark.parametrize("valeur", ["Loire-Atlantique", "CC du Grésivaudan", "", -12, 3.5, None])
def test_txt002_le_reste_passe_inchange(valeur):
    assert neutraliser_formule(valeur) == valeur
