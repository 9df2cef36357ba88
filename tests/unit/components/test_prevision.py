"""The forecast blocks (dashboard.components.prevision): labels marked estimated, links, CSV."""

from urllib.parse import unquote

import pandas as pd
from dash import dcc, html

from dashboard.components.prevision import bloc, liste_nationale
from dashboard.vues.prevision import BlocPrevision


def _tous(composant):
    yield composant
    enfants = getattr(composant, "children", None)
    if isinstance(enfants, list | tuple):
        for e in enfants:
            yield from _tous(e)
    elif enfants is not None and not isinstance(enfants, str):
        yield from _tous(enfants)


def test_prv040_bloc_prevision_marque_estime():
    section = bloc(
        BlocPrevision([("Pass qui expireront (estimé)", "70 pass"), ("Argent (estimé)", "350 €")], "Note")
    )
    termes = [c.children for c in _tous(section) if isinstance(c, html.Dt)]
    valeurs = [c.children for c in _tous(section) if isinstance(c, html.Dd)]
    assert termes == ["Pass qui expireront (estimé)", "Argent (estimé)"] and valeurs == ["70 pass", "350 €"]
    assert section.id == "fiche-prevision"
    assert any(getattr(c, "children", None) == "estimé" for c in _tous(section))


def test_prv041_liste_nationale_liens_et_csv():
    liste = pd.DataFrame(
        {
            "siren": ["200035764", "999300015"],
            "nom": ["CC de la Beauce Loirétaine", "Seine-et-Yvelines Numérique"],
            "chemin": ["/porteur/200035764", "/porteur/999300015"],
            "pass_expirant": ["4 325", "53 026"],
            "etat_risque": ["21 625 €", "265 130 €"],
            "etat_risque_eur": [21625.0, 265130.0],
            "etat_risque_bas_eur": [21625.0, 265130.0],
            "etat_risque_haut_eur": [21625.0, 265130.0],
            "pass_expirant_prevus": [4325.0, 53026.0],
        }
    )
    section = liste_nationale(liste, "30/12/2023")
    liens = [(c.children, c.href) for c in _tous(section) if isinstance(c, dcc.Link)]
    assert liens == [
        ("CC de la Beauce Loirétaine", "/porteur/200035764"),
        ("Seine-et-Yvelines Numérique", "/porteur/999300015"),
    ]
    (export,) = [c for c in _tous(section) if isinstance(c, html.A)]
    assert export.download.endswith(".csv")
    contenu = unquote(export.href.split(",", 1)[1])
    assert contenu.splitlines()[2].startswith("999300015;Seine-et-Yvelines Numérique;53026;265130")
    vide = liste_nationale(liste.iloc[0:0], "30/12/2023")
    assert any("Aucun pass" in str(getattr(c, "children", "")) for c in _tous(vide))
