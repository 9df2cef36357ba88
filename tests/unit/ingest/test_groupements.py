"""BANATIC members resolved without a database: names of départements and régions, what a SIREN
designates, nested groupements, cycles, syndicats left without any member."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import groupements
from dashboard.ingest.groupements import Membre, classer, perimetres

NOMS = {
    ("region", "02"): "Martinique",
    ("region", "04"): "La Réunion",
    ("region", "11"): "Île-de-France",
    ("region", "84"): "Auvergne-Rhône-Alpes",
    ("region", "93"): "Provence-Alpes-Côte d'Azur",
    ("region", "94"): "Corse",
    ("departement", "07"): "Ardèche",
    ("departement", "22"): "Côtes-d'Armor",
    ("departement", "26"): "Drôme",
    ("departement", "2A"): "Corse-du-Sud",
    ("departement", "2B"): "Haute-Corse",
    ("departement", "59"): "Nord",
    ("departement", "972"): "Martinique",
    ("departement", "974"): "La Réunion",
}
DIE, CREST, DIOIS = "212601132", "212601082", "242600534"
CD26, SM_BASE = "222600017", "252600028"


def _annuaire(demo=None) -> groupements.Annuaire:
    return groupements.annuaire(
        communes={DIE: "26113", CREST: "26108"},
        epci={DIOIS},
        collectivites_base={CD26: ("departement", "26")},
        syndicats={SM_BASE: (("commune", "26113"), ("commune", "26108"))},
        noms=NOMS,
        departements_des_regions={"84": ("07", "26"), "94": ("2A", "2B"), "02": ("972",), "04": ("974",)},
        cog="COG 2026",
        demo=demo,
    )


ANNUAIRE = _annuaire()


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("Département de l'Ardèche", ("departement", ("07",))),
        ("Conseil départemental de la Drôme", ("departement", ("26",))),
        ("CONSEIL GENERAL DE LA DROME", ("departement", ("26",))),
        ("Département des Côtes-d’Armor", ("departement", ("22",))),
        ("Département du Nord", ("departement", ("59",))),
        ("Département de La Réunion", ("departement", ("974",))),
        ("Région Auvergne-Rhône-Alpes", ("region", ("84",))),
        ("Conseil régional d'Auvergne-Rhône-Alpes", ("region", ("84",))),
        ("Région Île-de-France", ("region", ("11",))),
        ("Région Sud", ("region", ("93",))),
        ("Collectivité de Corse", ("region", ("94",))),
        ("Collectivité territoriale de Martinique", ("departement", ("972",))),  # région and département
        ("Collectivité européenne d'Alsace", ("departement", ("67", "68"))),
        ("Drôme", None),  # no "Département de": could be anything named after it
        ("Chambre d'agriculture de la Drôme", None),
        ("Syndicat départemental d'énergies de la Drôme", None),
        ("Département de la Lune", None),
        ("Région Bretagne", None),  # not in this reference
        ("", None),
    ],
)
def test_ban013_departements_et_regions_par_leur_nom(nom, attendu):
    assert ANNUAIRE.par_nom(nom) == attendu


def test_ban014_ce_que_designe_un_siren():
    assert classer(DIE, "commune", "Die", ANNUAIRE, set()) == Membre(feuilles=(("commune", "26113"),))
    assert classer(DIOIS, "groupement", "CC du Diois", ANNUAIRE, set()) == Membre(feuilles=(("epci", DIOIS),))
    # An EPCI of the reference stays an EPCI even when the file also lists its communes.
    assert classer(DIOIS, "groupement", "CC du Diois", ANNUAIRE, {DIOIS}).feuilles == (("epci", DIOIS),)
    assert classer("252600010", "groupement", "SM", ANNUAIRE, {"252600010"}) == Membre(groupement="252600010")
    assert classer(SM_BASE, "groupement", "SM", ANNUAIRE, set()) == Membre(groupement=SM_BASE)
    drome = classer(CD26, "autre", "Département de la Drôme", ANNUAIRE, set())
    assert (drome.feuilles, drome.par, drome.territoire) == (
        (("departement", "26"),),
        "base",
        ("departement", "26"),
    )
    region = classer("", "autre", "Région Auvergne-Rhône-Alpes", ANNUAIRE, set())
    assert region.feuilles == (("departement", "07"), ("departement", "26"))
    assert (region.par, region.territoire) == ("nom", ("region", "84"))
    # A name only tells a département or a région, never a commune or a groupement.
    assert classer("212609994", "commune", "Département de la Drôme", ANNUAIRE, set()) == Membre(
        ignore="commune"
    )
    assert classer("252600051", "groupement", "SIVU", ANNUAIRE, set()) == Membre(ignore="groupement")
    assert classer("777777772", "autre", "CCI de la Drôme", ANNUAIRE, set()) == Membre(ignore="autre")
    assert classer("777777772", "", "", ANNUAIRE, set()) == Membre(ignore="inconnu")


def test_ban015_siren_fictifs_de_la_demo_apres_ceux_des_laureats(tmp_path):
    demo = tmp_path / "collectivites.csv"
    demo.write_text(
        "niveau,code,nom,siren,source_nom\n"
        "departement,07,Conseil départemental de l'Ardèche,999200074,x\n"
        "departement,07,Conseil départemental de la Drôme (faux),222600017,x\n"
        "region,84,Conseil régional d'Auvergne-Rhône-Alpes,999100845,x\n",
        encoding="utf-8",
    )
    annuaire = _annuaire(demo)
    assert annuaire.collectivites["999200074"] == ("departement", "07", "demo")
    assert annuaire.collectivites[CD26] == ("departement", "26", "base")  # the laureate's SIREN wins
    assert classer("999100845", "autre", "", annuaire, set()).feuilles == (
        ("departement", "07"),
        ("departement", "26"),
    )
    # The committed file of the demo: the Ardèche's fictitious SIREN.
    assert groupements.annuaire({}, set(), {}, {}, NOMS, {}, "COG").collectivites["999200074"] == (
        "departement",
        "07",
        "demo",
    )


def _lignes(*membres: tuple[str, str, str, str, str, str]) -> pd.DataFrame:
    colonnes = ["n_siren", "nom_du_groupement", "nature_juridique", "type", "siren_membre", "nom_membre"]
    return pd.DataFrame(list(membres), columns=colonnes, dtype=object)


def test_ban016_perimetres_imbriques_cycles_et_syndicats_vides():
    a, b, c, sivu = "252600077", "252600085", "252600093", "252600101"
    lignes = _lignes(
        (a, "SM A", "SMO", "groupement", b, "SM B"),  # 0: nested, in a cycle with B
        (a, "SM A", "SMO", "commune", DIE, "Die"),  # 1
        (a, "SM A", "SMO", "groupement", DIOIS, "CC du Diois"),  # 2: Die inside too: both kept, as given
        (a, "SM A", "SMO", "autre", "", "Région Auvergne-Rhône-Alpes"),  # 3: by name, no SIREN
        (a, "SM A", "SMO", "autre", "777777772", "CCI"),  # 4: left aside
        (b, "SM B", "SMF", "groupement", a, "SM A"),  # 5
        (b, "SM B", "SMF", "groupement", sivu, "SIVU"),  # 6: not a syndicat mixte, unfolded all the same
        (b, "SM B", "SMF", "commune", DIE, "Die"),  # 7
        (sivu, "SIVU", "SIVU", "commune", CREST, "Crest"),  # 8: its line is no syndicat's own
        (sivu, "SIVU", "SIVU", "commune", "212609994", "Commune disparue"),  # 9: left aside, inside B
        (c, "SM C", "Syndicat mixte fermé", "autre", "777777772", "CCI"),  # 10: C has no member at all
        (c, "SM C", "Syndicat mixte fermé", "groupement", SM_BASE, "SM de la base"),  # 11: … but this one
    )
    sm = lignes["nature_juridique"].ne("SIVU")
    resultat = perimetres(lignes, sm, ANNUAIRE)
    # Direct members first (a member met twice keeps the SIREN of its own line), then what unfolded
    # groupements bring: B brings A its SIVU's Crest (A met again, not followed); A brings B its members.
    assert resultat.membres.values.tolist() == [
        [1, a, "commune", "26113", DIE],
        [2, a, "epci", DIOIS, DIOIS],
        [3, a, "departement", "07", None],
        [3, a, "departement", "26", None],
        [7, b, "commune", "26113", DIE],
        [0, a, "commune", "26108", b],
        [5, b, "epci", DIOIS, a],
        [5, b, "departement", "07", a],
        [5, b, "departement", "26", a],
        [6, b, "commune", "26108", sivu],
        [11, c, "commune", "26113", SM_BASE],
        [11, c, "commune", "26108", SM_BASE],
    ]
    assert resultat.vides == {}
    autre = "autre organisme qui n'est ni un département ni une région reconnus"
    assert resultat.raisons == {4: autre, 10: autre}
    assert (
        "adhésions circulaires entre groupements, suivies une seule fois : 252600077 → 252600085 → 252600077"
        in (resultat.informations)
    )
    assert (
        "2 membres « Autre organisme » ignorés (ni département ni région reconnus) : "
        "777777772 CCI (membre de SM A) ; 777777772 CCI (membre de SM C)"
    ) in resultat.informations
    assert (
        "1 membre « Commune » ignoré (SIREN d'aucune commune du COG 2026 : commune fusionnée depuis ?) : "
        "212609994 Commune disparue (membre de SIVU)"
    ) in resultat.informations

    seul = perimetres(
        lignes.iloc[10:11].reset_index(drop=True), sm.iloc[10:11].reset_index(drop=True), ANNUAIRE
    )
    assert seul.membres.empty and seul.vides == {c: [0]}
    assert seul.raisons == {0: autre}
