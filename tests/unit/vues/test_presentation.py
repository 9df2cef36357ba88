"""The deck's slides as data, on the small demo: every slide states its selection, the map slide counts
exactly what its legend counts (the PDF prints these very slides), the default deck ends on the chosen
territory, the map slide shows how each type of laureate is outlined."""

from types import SimpleNamespace

import pytest

from dashboard.domain.deck import lire_deck
from dashboard.figures.carte import CONTOURS_TYPES, LIBELLES_TYPES
from dashboard.store.db import make_engine
from dashboard.store.geometries import Geometries
from dashboard.vues.presentation import SANS_DONNEE, nombre_de, presentation

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def sources(base_demo):
    engine = make_engine(base_demo.resolved_database_url)
    yield SimpleNamespace(engine=engine, geometries=Geometries(base_demo.geo_dir))
    engine.dispose()


def _carte(vue):
    (diapo,) = [d for d in vue.diapos if d.nom_figure == "carte"]
    return diapo


def test_dia006_nombre_d_une_ligne_de_legende():
    assert nombre_de("1\u202f234 départements") == 1234
    assert nombre_de("1 lauréat") == 1 and nombre_de("aucun EPCI") == 0 and nombre_de("aucune région") == 0


@pytest.mark.parametrize(
    "parametres",
    [
        {"vue": "territoires", "vague": "2019"},  # territories without data: « sans donnée »
        {"vue": "territoires", "niveau": "region"},
        {"vue": "territoires", "region": "53", "taux": "0.2-0.8"},
        {},  # porteurs view
        {"type": "EPCI", "vague": "2020"},
    ],
)
def test_dia007_la_carte_compte_ce_que_compte_sa_legende(sources, parametres):
    diapo = _carte(presentation(sources, lire_deck({"diapos": "carte", **parametres})))
    lignes = diapo.legende.lignes
    assert lignes, "a classed map has a legend with counts"
    total = sum(nombre_de(ligne.effectif) for ligne in lignes)
    assert total > 0
    compte_titre = diapo.titre.rsplit(" — ", 1)[1]
    assert nombre_de(compte_titre) == total
    # the count says the same numbers again, « sans donnée » explained in words
    assert diapo.compte.startswith(f"{compte_titre} sur la carte : ")
    sans = sum(nombre_de(ligne.effectif) for ligne in lignes if ligne.libelle == SANS_DONNEE)
    if sans:
        effectif = next(ligne.effectif for ligne in lignes if ligne.libelle == SANS_DONNEE)
        assert f"{effectif} sans donnée" in diapo.compte
        assert "aucun lauréat ou aucun pass distribué" in diapo.compte
    else:
        assert " sans donnée" in diapo.compte  # « aucun département sans donnée »
        assert diapo.compte.count("aucun") == 1


def test_dia008_la_carte_avec_sans_donnee_ne_compte_pas_que_les_lignes_de_la_table(sources):
    """The defect seen: the title counted the table's rows (territories with activity) while the legend
    counted every territory drawn. Now both count what the map draws."""
    vue = presentation(sources, lire_deck({"diapos": "carte", "vue": "territoires", "vague": "2019"}))
    diapo = _carte(vue)
    sans = [ligne for ligne in diapo.legende.lignes if ligne.libelle == SANS_DONNEE]
    assert sans and nombre_de(sans[0].effectif) > 0
    dessines = {code for trace in diapo.figure["data"] for code in trace.get("locations", [])}
    assert nombre_de(diapo.titre.rsplit(" — ", 1)[1]) == len(dessines)


def test_dia009_chaque_diapo_dit_sa_selection_et_le_deck_finit_sur_la_region(sources):
    deck = lire_deck({"region": "53", "taux": "0.2-0.8"})
    vue = presentation(sources, deck)
    attendu = f"Bretagne, toutes vagues, taux d'utilisation entre 20{NBSP}% et 80{NBSP}%."
    assert [d.selection for d in vue.diapos[:-1]] == [attendu] * 4
    dernier = vue.diapos[-1]
    assert dernier.titre.startswith("Bretagne — ") and dernier.phrase == (
        "Territoire choisi : la région de la sélection."
    )
    assert dernier.selection.startswith("Bretagne en entier, toutes vagues.")
    assert "filtres des autres diapositives ne s'appliquent pas" in dernier.selection
    assert dernier.chiffres and dernier.figure is not None


def test_dia010_sans_region_le_territoire_qui_a_le_plus_distribue(sources):
    vue = presentation(sources, lire_deck({}))
    assert vue.diapos[0].selection == "Toute la France, toutes vagues."
    dernier = vue.diapos[-1]
    assert dernier.phrase.startswith("Territoire choisi : le département qui a distribué le plus de pass")
    assert dernier.selection.endswith("en entier, toutes vagues.")  # no filter: nothing more to say
    # it is indeed the département with the most passes distributed
    from dashboard.domain.filtres import Filtres
    from dashboard.store.indicateurs import table_indicateurs

    table = table_indicateurs(sources.engine, "departement", "territoires", Filtres())
    premier = table.sort_values(["pass_distribues", "nom"], ascending=[False, True]).iloc[0]
    assert dernier.titre.startswith(f"{premier['nom']} — ")


def test_dia011_la_carte_des_porteurs_legende_ses_contours_par_type(sources):
    diapo = _carte(presentation(sources, lire_deck({"diapos": "carte"})))
    assert diapo.types, "the porteurs map explains its outlines"
    for ligne in diapo.types:
        style = CONTOURS_TYPES[{v: k for k, v in LIBELLES_TYPES.items()}[ligne.libelle]]
        assert (ligne.couleur, ligne.epaisseur) == (style["color"], style["width"])
    assert sum(nombre_de(t.effectif) for t in diapo.types) == nombre_de(diapo.titre.rsplit(" — ", 1)[1])
    # the territories view has no such layers
    territoires = _carte(presentation(sources, lire_deck({"diapos": "carte", "vue": "territoires"})))
    assert territoires.types == ()
