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


def _texte(composant) -> str:
    if composant is None:
        return ""
    if isinstance(composant, str | int | float):
        return str(composant)
    if isinstance(composant, list):
        return "".join(_texte(c) for c in composant)
    return _texte(getattr(composant, "children", None))


def test_dpg001_heures_de_paris_avec_ou_sans_fuseau_ete_comme_hiver():
    from datetime import UTC, datetime

    assert donnees.heure_de_paris(datetime(2026, 12, 4, 16, 21)) == "04/12/2026 17:21"  # naive = UTC
    assert donnees.heure_de_paris(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "02/07/2026 00:30"


def test_dpg002_historique_et_journal_disent_la_meme_heure_et_son_fuseau():
    from datetime import UTC, datetime

    from dashboard.store.imports import LotImporte

    moment = datetime(2026, 12, 4, 16, 21, tzinfo=UTC)
    lot = LotImporte(
        id=1,
        kind="syndicats",
        fichier="syndicats.csv",
        lignes=19,
        checksum="f" * 64,
        importe_le=moment.replace(tzinfo=None),  # SQLite gives it back without its zone
        utilisateur="passnum init",
        remplace_lot_id=None,
    )
    historique = _texte(donnees.historique([lot]))
    journal = _texte(
        donnees.audit(
            [
                {
                    "moment": moment,
                    "acteur": "passnum init",
                    "action": "import",
                    "cible": "lot n° 1",
                    "adresse": None,
                }
            ]
        )
    )
    for texte in (historique, journal):
        assert "Date (heure de Paris)" in texte and "04/12/2026 17:21" in texte and "UTC" not in texte


def test_dpg003_fichier_choisi_nom_taille_et_raison_de_la_nouvelle_validation():
    assert _texte(donnees.fichier_choisi("lots.csv", 512)) == "Fichier choisi : lots.csv (512 octets)"
    assert _texte(
        donnees.fichier_choisi("a.xlsx", 1_300_000, "même fichier que le précédent : validé de nouveau.")
    ) == ("Fichier choisi : a.xlsx (1,2 Mo) — même fichier que le précédent : validé de nouveau.")
    assert donnees.taille(2048) == "2,0 Ko" and donnees.taille(1) == "1 octet"
