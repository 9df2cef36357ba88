"""What the page of a territory or a laureate says, from plain entities and tables."""

from __future__ import annotations

import pandas as pd

from dashboard.store.entites import Entite
from dashboard.vues.fiche import (
    _types_en_clair,
    description_pairs,
    fil_ariane,
    pairs_affiches,
    titre_page,
)

FINISTERE = Entite(
    "departement",
    "29",
    "Finistère",
    "Département",
    "departement",
    915_090.0,
    6_733.0,
    "53",
    (("region", "53", "Bretagne"),),
)


def _pairs(n: int, rang_entite: int) -> pd.DataFrame:
    """n peers ranked 1…n (highest rate first), the entity at `rang_entite`."""
    return pd.DataFrame(
        {
            "code": [f"{i:02d}" for i in range(1, n + 1)],
            "nom": [("Finistère" if i == rang_entite else f"Pair {i}") for i in range(1, n + 1)],
            "population": [900_000.0] * n,
            "region": ["53"] * n,
            "valeur": [1 - i / 100 for i in range(1, n + 1)],
            "rang": list(range(1, n + 1)),
            "est_entite": [i == rang_entite for i in range(1, n + 1)],
        }
    )


def _resume(lignes) -> list:
    return [x if isinstance(x, int) else (int(x.rang), x.est_entite) for x in lignes]


def test_mot008_pairs_l_entite_34e_sur_37_est_montree_avec_son_rang():
    lignes = pairs_affiches(_pairs(37, 34))
    assert _resume(lignes) == [
        *((i, False) for i in range(1, 11)),
        22,  # ranks 11 to 32, left out (« … 22 autres pairs »)
        (33, False),
        (34, True),
        (35, False),
        2,  # ranks 36 and 37
    ]
    # in the first ten, nothing left out around it; last of all, no trailing « … »
    assert _resume(pairs_affiches(_pairs(8, 3))) == [(i, i == 3) for i in range(1, 9)]
    assert _resume(pairs_affiches(_pairs(37, 37)))[-3:] == [25, (36, False), (37, True)]
    assert _resume(pairs_affiches(_pairs(12, 11))) == [*((i, i == 11) for i in range(1, 13))]


def test_mot009_fil_d_ariane_sans_etape_doublee():
    assert fil_ariane(FINISTERE) == [
        ("Carte nationale", "/"),
        ("Bretagne", "/territoire/region/53"),
        ("Finistère", None),
    ]
    guadeloupe = Entite(
        "departement",
        "971",
        "Guadeloupe",
        "Département",
        "departement",
        384_000.0,
        None,
        "01",
        (("region", "01", "Guadeloupe"),),
    )
    assert fil_ariane(guadeloupe) == [("Carte nationale", "/"), ("Guadeloupe", None)]
    cap = Entite(
        "epci",
        "249710047",
        "CA Cap Excellence",
        "Communauté d'agglomération (EPCI)",
        "epci-CA",
        1.0,
        None,
        "01",
        (("region", "01", "Guadeloupe"), ("departement", "971", "Guadeloupe")),
    )
    assert fil_ariane(cap) == [
        ("Carte nationale", "/"),
        ("Guadeloupe", "/territoire/departement/971"),
        ("CA Cap Excellence", None),
    ]


def test_mot010_titre_de_l_onglet_nomme_l_entite():
    assert titre_page(FINISTERE) == "Finistère (29) — Pass numérique"
    bretagne = Entite("region", "53", "Bretagne", "Région", "region", 3.4e6, None, "53")
    assert titre_page(bretagne) == "Bretagne (région) — Pass numérique"
    brest = Entite("epci", "242900314", "Brest Métropole", "Métropole (EPCI)", "epci-ME", 2.1e5)
    assert titre_page(brest) == "Brest Métropole (EPCI) — Pass numérique"
    megalis = Entite("porteur", "999300056", "Mégalis Bretagne", "Syndicat mixte", "porteur-SM", 3.4e6)
    assert titre_page(megalis) == "Mégalis Bretagne (lauréat) — Pass numérique"
    assert titre_page(None) == "Page introuvable — Pass numérique"


def test_mot011_pairs_decrits_en_francais_sans_code():
    brest = Entite("epci", "242900314", "Brest Métropole", "Métropole (EPCI)", "epci-ME", 2.1e5)
    assert description_pairs(brest) == (
        "même type : métropoles (EPCI) ; population entre la moitié et le double"
    )
    assert description_pairs(FINISTERE).startswith("même type : départements ;")
    megalis = Entite("porteur", "999300056", "Mégalis Bretagne", "Syndicat mixte", "porteur-SM", 3.4e6)
    assert description_pairs(megalis) == (
        "même type : syndicats mixtes ; population couverte entre la moitié et le double"
    )
    laureats = pd.DataFrame({"siren": ["1", "2"], "type": ["CD", "SM"]})
    assert _types_en_clair(laureats)["type"].tolist() == ["Conseil départemental", "Syndicat mixte"]
