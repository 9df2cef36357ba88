"""The block « Notes du comité » as rendered: who sees the form and the « Supprimer » buttons, the dates
in French, the laureates' notes named on a territory's page, « Annuler » after a deletion."""

from datetime import date

from dashboard.components.notes import bloc_notes, marqueurs_en_donnees, message, preparer_comite
from dashboard.vues.notes import BlocNotes, LigneNote


def _ids(composant) -> list:
    trouves = []

    def parcourir(c):
        if hasattr(c, "id") and c.id is not None:
            trouves.append(c.id)
        enfants = getattr(c, "children", None)
        for e in enfants if isinstance(enfants, list | tuple) else [enfants]:
            if e is not None and not isinstance(e, str):
                parcourir(e)

    parcourir(composant)
    return trouves


def _bloc(peut_ecrire: bool, supprimable: bool) -> BlocNotes:
    lignes = (
        LigneNote(7, "12/12/2023", date(2023, 12, 12), "relance du CD 29", "Admin", None, supprimable),
        LigneNote(5, "14/11/2023", date(2023, 11, 14), "point d'étape", "Coord", "Mégalis Bretagne", False),
    )
    return BlocNotes("departement:29", lignes, date(2023, 12, 12), peut_ecrire, "Avec les notes des lauréats")


def test_com030_lecteur_sans_formulaire_ni_suppression():
    ids = _ids(bloc_notes(_bloc(False, False), "fiche"))
    assert {"type": "notes-supprimer", "note": 7} not in ids
    assert {"type": "notes-ajouter", "n": 0} not in ids and {"type": "notes-texte", "n": 0} not in ids
    assert "note-7" in ids and "note-5" in ids and {"type": "notes-marqueurs", "page": "fiche"} in ids


def test_com031_administrateur_formulaire_date_du_dernier_comite():
    section = bloc_notes(_bloc(True, True), "fiche")
    ids = _ids(section)
    assert {"type": "notes-supprimer", "note": 7} in ids and {"type": "notes-supprimer", "note": 5} not in ids
    assert {"type": "notes-ajouter", "n": 0} in ids
    texte = str(section)
    assert "value='2023-12-12'" in texte and "maxLength=2000" in texte
    assert "Mégalis Bretagne : " in texte and "12/12/2023" in texte
    assert marqueurs_en_donnees(_bloc(True, True)) == [
        ["2023-12-12", "relance du CD 29"],
        ["2023-11-14", "Mégalis Bretagne : point d'étape"],
    ]


def test_com032_annuler_apres_suppression_et_lien_du_comite():
    assert _ids(message("Note supprimée.", True, annulable=True)[1]) == [{"type": "notes-annuler", "n": 0}]
    assert len(message("Le texte de la note est vide.", False)) == 1
    assert preparer_comite().href.endswith("comite=dernier")
