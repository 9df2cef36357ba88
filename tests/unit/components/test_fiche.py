"""The structures and places blocks of an entity's page, rendered from their tables."""

from __future__ import annotations

import json

import pandas as pd
from plotly.utils import PlotlyJSONEncoder

from dashboard.components.fiche import NOTE_SANS_SIRET, _structures

COLONNES = ["siret", "nom", "commune", "nb_pass", "part"]


def _texte(composant) -> str:
    return json.dumps(composant.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_sns008_sans_aucun_pass_le_role_est_dit():
    vide = pd.DataFrame(columns=COLONNES)
    assert "Aucun pass distribué enregistré." in _texte(_structures(vide, "distributeurs", "Structures"))
    assert "Aucun pass utilisé enregistré." in _texte(_structures(vide, "lieux", "Lieux"))


def test_sns009_lignes_sans_siret_dans_le_tableau_avec_leur_note():
    repartition = pd.DataFrame(
        [
            ("22440002800011", "Médiathèque", "Nantes", 4000, 4000 / 6500),
            (None, "Non identifié (lignes sans SIRET)", "3 communes", 2500, 2500 / 6500),
        ],
        columns=COLONNES,
    )
    rendu = _texte(_structures(repartition, "distributeurs", "Structures distributrices"))
    assert "Non identifié (lignes sans SIRET)" in rendu and "38,5" in rendu and "61,5" in rendu
    assert NOTE_SANS_SIRET in rendu and "Aucun pass" not in rendu
    identifiees = _texte(_structures(repartition.iloc[:1].assign(part=1.0), "lieux", "Lieux"))
    assert NOTE_SANS_SIRET not in identifiees and "100,0" in identifiees


def test_mot013_tableau_des_pairs_montre_l_entite_34e_sur_37():
    from types import SimpleNamespace

    from dashboard.components.fiche import _bloc_pairs
    from dashboard.store.entites import Entite

    n, moi = 37, 34
    pairs = pd.DataFrame(
        {
            "code": [f"{i:02d}" for i in range(1, n + 1)],
            "nom": ["Finistère" if i == moi else f"Pair {i}" for i in range(1, n + 1)],
            "population": [900_000.0] * n,
            "region": ["53"] * n,
            "valeur": [1 - i / 100 for i in range(1, n + 1)],
            "rang": list(range(1, n + 1)),
            "est_entite": [i == moi for i in range(1, n + 1)],
        }
    )
    ent = Entite("departement", "29", "Finistère", "Département", "departement", 9e5)
    bloc = _bloc_pairs(SimpleNamespace(entite=ent, pairs=pairs, rang="34e sur 37 départements"))
    corps = bloc.children[2].children.children[1].children  # Div > Table > [Thead, Tbody]
    entite = [r for r in corps if getattr(r, "id", None) == "fiche-pairs-entite"]
    assert len(entite) == 1 and entite[0].className == "table-active"
    assert entite[0].children[0].children == "34" and entite[0].children[1].children.children == "Finistère"
    ellipses = [r.children.children for r in corps if r.className == "pairs-ellipse"]
    assert ellipses == ["… 22 autres pairs (dans l'export)", "… 2 autres pairs (dans l'export)"]
    assert len(corps) == 10 + 1 + 3 + 1


def test_mot014_membres_d_un_syndicat_avec_liens_vers_leurs_pages():
    from dashboard.components.fiche import _bloc_membres, _fil
    from dashboard.store.entites import Entite

    membres = pd.DataFrame(
        [
            ("departement", "29", "Finistère", "/territoire/departement/29"),
            ("epci", "242900314", "Brest Métropole", "/territoire/epci/242900314"),
            ("commune", "29019", "Brest", None),
        ],
        columns=["niveau", "code", "nom", "chemin"],
    )
    lignes = _bloc_membres(membres).children[1].children
    textes = [[getattr(e, "children", e) for e in li.children] for li in lignes]
    assert textes == [
        ["Département membre : ", "Finistère"],
        ["EPCI membre : ", "Brest Métropole"],
        ["Commune membre : ", "Brest"],
    ]
    liens = [li.children[1].href for li in lignes[:2]]
    assert liens == ["/territoire/departement/29", "/territoire/epci/242900314"]
    assert isinstance(lignes[2].children[1], str)  # a commune has no page
    # the breadcrumb of the région Guadeloupe's only département names it once
    guadeloupe = Entite(
        "departement",
        "971",
        "Guadeloupe",
        "Département",
        "departement",
        3.8e5,
        None,
        "01",
        (("region", "01", "Guadeloupe"),),
    )
    fil = _fil(guadeloupe)
    assert [getattr(e, "children", e) for e in fil] == ["Carte nationale", " › ", "Guadeloupe"]


def test_mot021_syndicat_aux_nombreuses_communes_membres():
    from dashboard.components.fiche import NB_MEMBRES_NOMMES, _bloc_membres

    n = NB_MEMBRES_NOMMES + 5
    membres = pd.DataFrame(
        {
            "niveau": ["commune"] * n,
            "code": [f"29{i:03d}" for i in range(n)],
            "nom": [f"Commune {i}" for i in range(n)],
            "chemin": [None] * n,
        }
    )
    (ligne,) = _bloc_membres(membres).children[1].children
    assert ligne.children[0].children == f"Communes membres ({n}) : "
    assert ligne.children[-1] == " et 5 autres" and "Commune 40" not in _texte(ligne)
