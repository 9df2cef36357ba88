"""The OpenAPI 3.1 document of /api/v1/, in both modes, against the specification."""

import re

import pytest
from openapi_spec_validator import validate

from dashboard.domain.filtres import lire_filtres
from dashboard.web.api.openapi import FILTRES, document


@pytest.mark.parametrize("public", [False, True])
def test_api018_document_conforme_a_openapi_3_1(public):
    doc = document(public, "https://pilotage.exemple.gouv.fr")
    validate(doc)
    assert doc["openapi"] == "3.1.0" and doc["servers"] == [
        {"url": "https://pilotage.exemple.gouv.fr/api/v1"}
    ]
    securites = [op["get"]["security"] for op in doc["paths"].values()]
    assert all(({} in s) == public for s in securites)


def test_api019_chaque_exemple_de_filtre_est_lu_par_le_codec_et_suit_son_motif():
    """The documented forms are those the one codec reads (an example the codec refused would mislead)."""
    for nom, (_description, exemple, motif) in FILTRES.items():
        assert re.fullmatch(motif, exemple), nom
        assert lire_filtres({nom: exemple}).parametres() == {nom: exemple}
    assert not re.fullmatch(FILTRES["taux"][2], "0.2-1.5")
    assert not re.fullmatch(FILTRES["periode"][2], "..")
