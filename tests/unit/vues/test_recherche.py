"""The search index read from the data: every région, département, EPCI and laureate, with its French
label and its région; built once per data version."""

from types import SimpleNamespace

import pytest

from dashboard.domain.recherche import CODE_EXACT, NOM_EXACT
from dashboard.store.db import make_engine
from dashboard.store.donnees import programme, territoires
from dashboard.vues import recherche


@pytest.fixture(scope="module")
def sources(base_demo):
    return SimpleNamespace(engine=make_engine(base_demo.resolved_database_url))


def test_rch010_index_de_tous_les_territoires_et_laureats(sources):
    index = recherche.index(sources)
    attendus = {f"{n}:{c}" for n, c in territoires(sources.engine).index}
    laureats = set(programme(sources.engine).conventions["siren"])
    attendus |= {f"porteur:{s}" for s in laureats}
    assert {e.identifiant for e in index} == attendus and len(laureats) > 0
    assert index.element("departement:56").libelle == "Morbihan (56) — département, Bretagne"
    assert index.element("epci:243500139").libelle == "Rennes Métropole — EPCI, Ille-et-Vilaine"
    assert index.element("region:53").libelle == "Bretagne (53) — région"
    assert index.element("epci:243500139").region == "53"
    # the same object for the same data: built once per data version
    assert recherche.index(sources) is index


def test_rch011_laureats_par_nom_et_siren_avec_leur_type(sources):
    conventions = programme(sources.engine).conventions.drop_duplicates("siren")
    types = {"CR": "conseil régional", "CD": "conseil départemental", "EPCI": "EPCI", "SM": "syndicat mixte"}
    for ligne in conventions.head(8).itertuples():
        element = recherche.index(sources).element(f"porteur:{ligne.siren}")
        assert element.libelle == f"{ligne.nom} — lauréat, {types[ligne.type]}"
        par_siren = recherche.chercher(sources, ligne.siren)
        assert (par_siren[0].element, par_siren[0].rang) == (element, CODE_EXACT)
        par_nom = recherche.chercher(sources, ligne.nom.upper())
        assert element in [r.element for r in par_nom if r.rang == NOM_EXACT]


def test_rch012_saisie_bornee_et_non_texte(sources):
    assert recherche.chercher(sources, None) == [] and recherche.chercher(sources, 56) == []
    assert recherche.chercher(sources, "morbihan" + "x" * 10_000) == []
    assert recherche.chercher(sources, "  56 ")[0].element.nom == "Morbihan"
    assert recherche.nom(sources, "departement:69") == "Rhône" and recherche.nom(sources, "xx:1") is None


def test_rch013_base_sans_donnees_du_programme(base_sqlite_initialisee):
    vide = SimpleNamespace(engine=make_engine(base_sqlite_initialisee.resolved_database_url))
    index = recherche.index(vide)
    assert {e.niveau for e in index} == {"region", "departement", "epci"}
    assert recherche.chercher(vide, "2B")[0].element.libelle == "Haute-Corse (2B) — département, Corse"
