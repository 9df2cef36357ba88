import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.texte import neutraliser_formule, pour_plotly


@pytest.mark.parametrize("texte", ["=1+1", "+33 1 23", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1"])
def test_txt001_formules_neutralisees(texte):
    assert neutraliser_formule(texte) == "'" + texte


@pytest.mark.parametrize("valeur", ["Loire-Atlantique", "CC du Grésivaudan", "", -12, 3.5, None])
def test_txt002_le_reste_passe_inchange(valeur):
    assert neutraliser_formule(valeur) == valeur


@given(st.text(min_size=1, max_size=40))
def test_ine002_echappement_reversible_et_sans_chevron(nom):
    echappe = pour_plotly(nom)
    assert "<" not in echappe and ">" not in echappe
    assert html.unescape(echappe) == nom  # the entities give the name back, character for character
