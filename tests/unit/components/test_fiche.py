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
