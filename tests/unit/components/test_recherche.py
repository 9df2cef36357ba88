"""The search box's layout: a labelled field, a listbox of options (ids for aria-activedescendant, what
each leads to), the sentence of the live region, the header's box absent for a briefing link."""

from dashboard.components import recherche
from dashboard.domain.recherche import CODE_EXACT, DEBUT_DU_NOM, Element, Resultat

MORBIHAN = Element("departement", "56", "Morbihan", "département", "Bretagne", "53")
LAUREAT = Element("porteur", "200046977", "Nantes Métropole", "lauréat", "EPCI", "52")


def _props(composant) -> dict:
    return composant.to_plotly_json()["props"]


def test_rch020_liste_d_options_accessible():
    ul, *reste = recherche.resultats(
        "x", "56", [Resultat(MORBIHAN, CODE_EXACT), Resultat(LAUREAT, CODE_EXACT)]
    )
    assert reste == []
    assert _props(ul)["role"] == "listbox" and _props(ul)["id"] == "x-liste"
    assert _props(ul)["data-requete"] == "56"  # the text it answers, compared by the script
    premiere, seconde = ul.children
    assert _props(premiere)["id"] == "x-option-0" and _props(premiere)["role"] == "option"
    assert _props(premiere)["aria-selected"] == "false"
    assert _props(premiere)["data-identifiant"] == "departement:56"
    assert _props(premiere)["data-fiche"] == "/territoire/departement/56"
    assert _props(premiere)["data-comparaison"] == "/comparer?ids=departement:56"
    assert _props(premiere)["data-carte"].endswith("focus=departement:56")
    textes = [c.children for c in premiere.children if c is not None]
    assert textes == ["Morbihan (56)", " — département, Bretagne"]
    # a laureate found by its SIREN says it
    assert [c.children for c in seconde.children if c is not None][-1] == " · SIREN 200046977"


def test_rch021_aucun_resultat_dit_en_clair():
    ul, vide = recherche.resultats("x", "zzz", [])
    assert ul.children == [] and vide.children == "Aucun territoire ni lauréat ne correspond à « zzz »."
    assert len(recherche.resultats("x", "", [])) == 1  # nothing typed: nothing said
    assert recherche.etat("", []) == ""
    assert recherche.etat("mor", [Resultat(MORBIHAN, DEBUT_DU_NOM)]) == "1 résultat."
    assert recherche.etat("mor", [Resultat(MORBIHAN, DEBUT_DU_NOM)] * 3) == "3 résultats."


def test_rch022_boite_de_l_en_tete_et_boite_d_ajout():
    assert recherche.entete(actif=False) is None
    entete = recherche.entete()
    assert _props(entete)["role"] == "search"
    boite = entete.children
    assert _props(boite)["data-rch-mode"] == "aller"
    libelle, ligne, popup, aide, etat, choix = boite.children
    assert libelle.children == "Rechercher un territoire ou un lauréat" and libelle.html_for == "recherche"
    assert ligne.children[0].id == "recherche" and ligne.children[0].debounce == recherche.ATTENTE_MS
    assert popup.hidden is True and choix is None
    assert _props(etat)["role"] == "status" and aide.id == "recherche-aide"
    actions = popup.children[1].children
    assert [a.children for a in actions[1:]] == [
        "Ouvrir la fiche",
        "Ajouter à la comparaison",
        "Voir sur la carte",
    ]
    ajout = recherche.boite("c", "ajouter", "Ajouter", "Nom ou code", bouton=("c-ajouter", "Ajouter"))
    assert ajout.children[1].children[1].id == "c-ajouter"
    assert ajout.children[-1].id == "c-choix" and ajout.children[2].children[1] is None
