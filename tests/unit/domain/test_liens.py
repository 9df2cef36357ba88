"""Every permalink from one place: entity pages, identifiers, the map of an entity, the comparison."""

import pytest

from dashboard.domain.etat import lire_query
from dashboard.domain.liens import (
    carte,
    carte_de,
    chemin,
    comparer,
    identifiant,
    lire_chemin,
    lire_identifiant,
)


def test_lie001_identifiants():
    assert lire_identifiant("departement:44") == ("departement", "44")
    assert lire_identifiant(" epci:200067106 ") == ("epci", "200067106")
    assert identifiant(*lire_identifiant("departement:2A")) == "departement:2A"
    for faux in ("commune:44109", "departement:", "porteur:12", "departement:44;drop", "'"):
        with pytest.raises(ValueError, match="non compris"):
            lire_identifiant(faux)


def test_lie002_pages_et_retour():
    assert chemin("departement", "29") == "/territoire/departement/29"
    assert chemin("porteur", "200046977") == "/porteur/200046977"
    for niveau, code in (("epci", "200067106"), ("porteur", "200046977"), ("region", "53")):
        assert lire_chemin(chemin(niveau, code)) == (niveau, code)
    assert lire_chemin("/comparer") is None and lire_chemin("/territoire/epci") is None


def test_lie003_carte_d_une_entite_lue_par_le_codec_de_la_carte():
    region = lire_query(carte_de("region", "53", "53").removeprefix("/"))
    assert (region.vue, region.niveau, region.filtres.regions) == ("territoires", "departement", ("53",))
    epci = lire_query(carte_de("epci", "200067106", "53").removeprefix("/"))
    assert (epci.vue, epci.niveau, epci.filtres.regions) == ("territoires", "epci", ("53",))
    laureat = lire_query(carte_de("porteur", "200046977", None).removeprefix("/"))
    assert laureat.vue == "porteurs" and laureat.filtres.regions == ()
    assert comparer(["departement:29", "epci:200067106"]) == "/comparer?ids=departement:29,epci:200067106"


def test_drl005_carte_avec_focus_aller_retour():
    adresse = "/?vue=territoires&region=53&focus=departement:29"
    etat = lire_query(adresse[1:])
    assert etat.focus == "departement:29"
    assert carte(etat) == adresse
    assert lire_query(carte(etat)[1:]) == etat
