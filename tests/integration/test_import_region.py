"""`importer(..., region_autorisee=…)`: a regional coordinator imports only for the laureates of their région.

Geography used (reference file data/geo/territoires.csv): Pays de la Loire = 52, Loire-Atlantique = 44,
CC du Pays de Pontchâteau (200000438) in 52; CA Redon Agglomération (243500741) has its row in Bretagne
(53) but communes in 52 too; CC Faucigny-Glières (200000172), Haute-Savoie (74) and Bonneville (74042)
in Auvergne-Rhône-Alpes (84); Ille-et-Vilaine (35) in Bretagne.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, inspect, text

from dashboard.ingest.chargement import RapportImport, importer
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Syndicat
from tests.conftest import GEO_DIR, moteur_temporaire

VALIDES = Path(__file__).parents[1] / "fixtures" / "imports" / "valides"
PDL = (
    "lauréat hors de votre région (Pays de la Loire) : "
    "un coordinateur régional n'importe que pour les lauréats de sa région"
)
ARA = PDL.replace("Pays de la Loire", "Auvergne-Rhône-Alpes")
MEMBRE_PDL = PDL.replace("lauréat hors", "membre de syndicat hors")

ENTETE_LAUREATS = (
    "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;"
    "subvention_etat_eur;subvention_versee_eur;pass_prevus"
)
ENTETE_SYNDICATS = "siren_syndicat;nom_syndicat;niveau_membre;code_membre"
ENTETE_COMMANDES = "siren_porteur;date_commande;nb_carnets;pass_par_carnet;valeur_faciale_eur;fin_validite"
SM_PDL, SM_ARA, SM_SANS_MEMBRE = "254400013", "257400010", "253500029"  # valid Luhn keys


def fichier(entete: str, *lignes: str) -> bytes:
    return "\n".join([entete, *lignes]).encode()


def laureat(siren: str, type_: str, code: str, nom: str = "Lauréat") -> str:
    return f"{siren};{nom};{type_};{code};2020;;100000;50000;;"


def commande(siren: str, jour: int = 15) -> str:
    return f"{siren};{jour:02d}/01/2020;10;10;;"


def compter(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in sorted(inspect(connection).get_table_names())
        }


def importer_ok(engine: Engine, kind: str, contenu: bytes, **options) -> RapportImport:
    rapport = importer(engine, kind, contenu, nom_fichier=f"{kind}.csv", **options)
    assert rapport.accepte, rapport.texte()
    return rapport


def refus(engine: Engine, kind: str, contenu: bytes, region: str) -> RapportImport:
    """Refused, with the same verdict in a dry run and for real, and nothing written either way."""
    avant = compter(engine)
    essai = importer(engine, kind, contenu, nom_fichier=f"{kind}.csv", region_autorisee=region, dry_run=True)
    rapport = importer(engine, kind, contenu, nom_fichier=f"{kind}.csv", region_autorisee=region)
    assert not rapport.accepte and not rapport.ecrit and rapport.import_lot_id is None
    assert essai.erreurs == rapport.erreurs and essai.comptes_erreurs == rapport.comptes_erreurs
    assert "REFUSÉ" in rapport.texte() and "Rien n'a été écrit dans la base." in rapport.texte()
    apres = compter(engine)
    # Both refusals audited: the validation's (as on the page Données) and the import's.
    assert apres.pop("journal_audit") == avant.pop("journal_audit") + 2
    assert apres == avant
    return rapport


def lignes_refusees(rapport: RapportImport, motif: str) -> list[tuple[int | None, str | None, str | None]]:
    return [(a.ligne, a.colonne, a.valeur) for a in rapport.erreurs if a.motif == motif]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base_regions(request, tmp_path_factory) -> Iterator[Engine]:
    """Shared by the refusal tests (a refusal writes nothing): syndicats and laureates of 52 and 84,
    imported by a national admin (no restriction), and a syndicat without any member."""
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("regions")) as engine:
        initialiser(engine, GEO_DIR)
        importer_ok(engine, "syndicats", (VALIDES / "syndicats.csv").read_bytes())
        importer_ok(
            engine, "syndicats", fichier(ENTETE_SYNDICATS, f"{SM_ARA};SM Haute-Savoie;epci;200000172")
        )
        with engine.begin() as connection:
            connection.execute(insert(Syndicat).values(siren=SM_SANS_MEMBRE, nom="SM sans membre"))
        importer_ok(
            engine,
            "laureats",
            fichier(
                ENTETE_LAUREATS,
                laureat("224400028", "CD", "44"),
                laureat("234400034", "CR", "52"),
                laureat("200000172", "EPCI", "200000172"),
                laureat(SM_PDL, "SM", SM_PDL),
                laureat(SM_ARA, "SM", SM_ARA),
            ),
        )
        yield engine


def test_reg001_coordinateur_importe_pour_sa_region(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    # The syndicat's members (département 44, EPCI 200000438, commune 44109) are all in 52.
    importer_ok(moteur_vierge, "syndicats", (VALIDES / "syndicats.csv").read_bytes(), region_autorisee="52")
    laureats = fichier(
        ENTETE_LAUREATS,
        laureat("234400034", "Conseil régional", "52"),
        laureat("224400028", "CD", "44"),
        laureat("200000438", "EPCI", "200000438"),
        laureat("243500741", "EPCI", "243500741"),  # row in Bretagne, communes in 52 too
        laureat(SM_PDL, "Syndicat mixte", SM_PDL),
    )
    essai = importer_ok(moteur_vierge, "laureats", laureats, region_autorisee="52", dry_run=True)
    assert not essai.ecrit and compter(moteur_vierge)["porteur"] == 0
    rapport = importer_ok(moteur_vierge, "laureats", laureats, region_autorisee="52")
    assert rapport.ecrit and rapport.lignes == 5
    comptes = compter(moteur_vierge)
    assert (comptes["porteur"], comptes["convention"], comptes["syndicat_membre"]) == (5, 5, 3)

    commandes = fichier(ENTETE_COMMANDES, commande("224400028"), commande("243500741"), commande(SM_PDL))
    importer_ok(moteur_vierge, "commandes", commandes, region_autorisee="52")
    assert compter(moteur_vierge)["commande"] == 3
    # The interregional EPCI belongs to Bretagne's coordinator as well; Loire-Atlantique does not.
    importer_ok(
        moteur_vierge,
        "commandes",
        fichier(ENTETE_COMMANDES, commande("243500741", 20)),
        region_autorisee="53",
    )
    assert compter(moteur_vierge)["commande"] == 4
    refuse = refus(moteur_vierge, "commandes", fichier(ENTETE_COMMANDES, commande("224400028", 21)), "53")
    assert lignes_refusees(refuse, PDL.replace("Pays de la Loire", "Bretagne")) == [
        (2, "siren_porteur", "224400028")
    ]


def test_reg002_laureats_d_une_autre_region_refuses(base_regions):
    contenu = fichier(
        ENTETE_LAUREATS,
        laureat("224400028", "CD", "44"),
        laureat("234400034", "CR", "52"),
        laureat("200000172", "EPCI", "200000172"),  # line 4: Auvergne-Rhône-Alpes
        laureat(SM_ARA, "SM", SM_ARA),  # line 5: its only member is in 84
        laureat(SM_SANS_MEMBRE, "SM", SM_SANS_MEMBRE),  # line 6: no member, no région
        laureat("223500018", "CD", "35"),  # line 7: Bretagne
        laureat("229900014", "CD", "99"),  # line 8: unknown, reported once, as unknown
        laureat("200000438", "EPCI", "200000438"),  # line 9: in 52
    )
    rapport = refus(base_regions, "laureats", contenu, "52")
    assert rapport.comptes_erreurs[PDL] == 4
    assert rapport.comptes_erreurs["code de département inconnu"] == 1
    assert lignes_refusees(rapport, PDL) == [
        (4, "code_territoire", "200000172"),
        (5, "code_territoire", SM_ARA),
        (6, "code_territoire", SM_SANS_MEMBRE),
        (7, "code_territoire", "35"),
    ]
    sans_membre = next(a for a in rapport.erreurs if a.ligne == 6)
    assert sans_membre.detail.startswith("aucun membre connu pour ce syndicat")
    assert "ligne 4, colonne code_territoire, valeur « 200000172 »" in rapport.texte()
    assert PDL in rapport.texte()

    # The same laureates seen from Auvergne-Rhône-Alpes: the other way round.
    depuis_ara = refus(base_regions, "laureats", contenu, "84")
    assert [ligne for ligne, _, _ in lignes_refusees(depuis_ara, ARA)] == [2, 3, 6, 7, 9]

    # A laureate of 84 already in the database cannot be moved into 52 by describing it with a 52 code.
    deplace = refus(
        base_regions, "laureats", fichier(ENTETE_LAUREATS, laureat("200000172", "CD", "44")), "52"
    )
    assert lignes_refusees(deplace, PDL) == [(2, "siren", "200000172")]
    assert deplace.erreurs[0].detail == "lauréat déjà enregistré sur un territoire hors de votre région"


def test_reg003_commandes_et_evenements_d_un_porteur_hors_region(base_regions):
    for kind, ligne_hors in (("commandes", 4), ("distributions", 5), ("utilisations", 5)):
        contenu = (VALIDES / f"{kind}.csv").read_bytes()
        rapport = refus(base_regions, kind, contenu, "52")
        assert rapport.comptes_erreurs == {PDL: 1}, kind
        assert lignes_refusees(rapport, PDL) == [(ligne_hors, "siren_porteur", "200000172")], kind
        depuis_ara = refus(base_regions, kind, contenu, "84")
        assert depuis_ara.nb_erreurs == ligne_hors - 2, kind  # every line but the 84 porteur's

    # An unknown porteur is reported by the existing rule only.
    inconnu = refus(base_regions, "commandes", fichier(ENTETE_COMMANDES, commande("223500018")), "52")
    assert inconnu.comptes_erreurs == {
        "porteur inconnu : importez d'abord le fichier des lauréats (KIND laureats)": 1
    }


def test_reg004_syndicats_membre_hors_region(base_regions):
    contenu = fichier(
        ENTETE_SYNDICATS,
        f"{SM_PDL};SM numérique;departement;44",
        f"{SM_PDL};SM numérique;commune;74042",  # line 3: Bonneville, 84
        f"{SM_PDL};SM numérique;epci;243500741",  # Redon: communes in 52
        f"{SM_PDL};SM numérique;departement;35",  # line 5: Bretagne
        f"{SM_PDL};SM numérique;commune;99999",  # line 6: unknown, reported once, as unknown
    )
    rapport = refus(base_regions, "syndicats", contenu, "52")
    assert lignes_refusees(rapport, MEMBRE_PDL) == [(3, "code_membre", "74042"), (5, "code_membre", "35")]
    assert rapport.comptes_erreurs == {
        MEMBRE_PDL: 2,
        "code de membre inconnu de la géographie de référence à ce niveau": 1,
    }
    assert compter(base_regions)["syndicat_membre"] == 4  # the admin's import, untouched

    # Re-importing a syndicat of 84 would delete its members outside 52, even if the new ones are in 52.
    remplace = refus(
        base_regions, "syndicats", fichier(ENTETE_SYNDICATS, f"{SM_ARA};SM Haute-Savoie;departement;44"), "52"
    )
    assert [(a.ligne, a.colonne, a.valeur) for a in remplace.erreurs] == [(2, "siren_syndicat", SM_ARA)]
    assert remplace.erreurs[0].motif.startswith("syndicat ayant des membres hors de votre région")


def test_reg005_sans_restriction_comportement_inchange(base_regions):
    # The fixture's national imports mixed 52 and 84 and were written; the same kind of file passes
    # without restriction and is refused to a coordinator.
    comptes = compter(base_regions)
    assert (comptes["porteur"], comptes["convention"], comptes["syndicat_membre"]) == (5, 5, 4)
    contenu = (VALIDES / "commandes.csv").read_bytes()
    libre = importer(base_regions, "commandes", contenu, dry_run=True, region_autorisee=None)
    assert libre.accepte and libre.erreurs == [] and libre.lignes == 3
    assert importer(base_regions, "commandes", contenu, dry_run=True).accepte
    assert not importer(base_regions, "commandes", contenu, dry_run=True, region_autorisee="52").accepte


def test_reg006_region_inconnue(base_regions):
    avant = compter(base_regions)
    contenu = (VALIDES / "commandes.csv").read_bytes()
    for region in ("99", "Bretagne", ""):
        with pytest.raises(ValueError, match=r"région inconnue : « .* » \(code INSEE de région attendu"):
            importer(base_regions, "commandes", contenu, region_autorisee=region)
    assert compter(base_regions) == avant
    # Codes are read as written in the COG, give or take spaces and the leading zero.
    accepte = importer(
        base_regions,
        "laureats",
        fichier(ENTETE_LAUREATS, laureat("224400028", "CD", "44")),
        nom_fichier="l.csv",
        dry_run=True,
        region_autorisee=" 52 ",
    )
    assert accepte.accepte
