"""The import report of the data page: the informations (conversions, members left aside) in their own
titled list, the errors and warnings in the report's text."""

from __future__ import annotations

from dashboard.components import donnees
from dashboard.ingest.rapport import Anomalie, RapportImport

PHRASES = [
    "Fichier BANATIC « périmètre des groupements » : 3 syndicats mixtes, 8 membres enregistrés",
    "1 membre identifié par son nom : « Collectivité de Corse » → région 94 Corse",
]


def _rapport(erreurs=(), avertissements=(), informations=PHRASES) -> RapportImport:
    return RapportImport(
        "syndicats",
        "banatic.tsv",
        "x",
        11,
        list(erreurs),
        list(avertissements),
        True,
        4,
        informations=list(informations),
    )


def _par_id(composant, identifiant):
    if getattr(composant, "id", None) == identifiant:
        return composant
    enfants = getattr(composant, "children", None)
    for enfant in enfants if isinstance(enfants, list) else [enfants]:
        if enfant is not None and not isinstance(enfant, str):
            trouve = _par_id(enfant, identifiant)
            if trouve is not None:
                return trouve
    return None


def test_ban023_informations_dans_leur_propre_bloc():
    vue = donnees.rapport(_rapport(), dry_run=False)
    bloc = _par_id(vue, "donnees-informations")
    titre, consigne, liste = bloc.children
    assert titre.children == "Informations (2)" and titre.id == "donnees-informations-titre"
    assert bloc.to_plotly_json()["props"]["aria-labelledby"] == "donnees-informations-titre"
    assert [item.children for item in liste.children] == PHRASES
    assert liste.tabIndex == "0"  # a scrollable list the keyboard reaches
    assert "sans refus du fichier" in consigne.children
    assert not any(type(enfant).__name__ == "Pre" for enfant in vue.children)  # nothing else to say

    # With warnings, the report's text shows them, and not the informations a second time.
    avertissement = Anomalie(1, "Colonne X", None, "colonne inconnue, ignorée")
    vue = donnees.rapport(_rapport(avertissements=[avertissement]), dry_run=True)
    pre = next(enfant for enfant in vue.children if type(enfant).__name__ == "Pre")
    assert "colonne inconnue, ignorée" in pre.children and "Informations" not in pre.children
    assert _par_id(vue, "donnees-informations") is not None


def test_ban024_refus_sans_informations_et_liste_plafonnee():
    refus = _rapport(
        erreurs=[Anomalie(3, "Siren membre", "1", "aucun syndicat mixte du fichier n'a de membre identifié")]
    )
    refus.ecrit = False
    assert _par_id(donnees.rapport(refus, dry_run=False), "donnees-informations") is None
    nombreuses = [f"{i} ligne : code ancien converti" for i in range(donnees.INFORMATIONS_MAX + 5)]
    bloc = donnees.informations(nombreuses)
    liste = bloc.children[-1]
    assert len(liste.children) == donnees.INFORMATIONS_MAX + 1
    assert liste.children[-1].children == "… et 5 autres"
    assert bloc.children[0].children == f"Informations ({donnees.INFORMATIONS_MAX + 5})"
