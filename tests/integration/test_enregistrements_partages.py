"""Records that several régions share: a regional coordinator's file may name a structure that a laureate of
another région also uses, but not rename or move it (the other région's pages and exports would show the
new name); a place the database has in another région is not theirs to move. On SQLite and PostgreSQL.

Geography: Loire-Atlantique (44) in Pays de la Loire (52), CC Faucigny-Glières (200000172) in
Auvergne-Rhône-Alpes (84), Rennes (35238) in Bretagne (53)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from dashboard.ingest.chargement import importer
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Distribution, Lieu, Structure
from tests.conftest import GEO_DIR

REELS = Path(__file__).parents[1] / "fixtures" / "imports" / "reels"
CD44, EPCI_ARA = "224400028", "200000172"
PARTAGEE, A_NOUS = "22440002800011", "22440002800029"  # valid Luhn keys
ENTETE_DISTRIBUTIONS = "siren_porteur;date;code_commune;siret_structure;nom_structure;nb_pass;public"


def _ok(engine, kind: str, lignes: list[str], region: str | None = None):
    rapport = importer(
        engine, kind, "\n".join(lignes).encode(), nom_fichier=f"{kind}.csv", region_autorisee=region
    )
    assert rapport.accepte, rapport.texte()
    return rapport


def _base(engine) -> None:
    """Two laureates of two régions; the national team imports a distribution of each at one structure."""
    initialiser(engine, GEO_DIR)
    _ok(
        engine,
        "laureats",
        [
            "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;subvention_etat_eur;"
            "subvention_versee_eur;pass_prevus",
            f"{CD44};CD Loire-Atlantique;CD;44;2020;;100000;50000;;",
            f"{EPCI_ARA};CC Faucigny-Glières;EPCI;{EPCI_ARA};2020;;100000;50000;;",
        ],
    )
    _ok(
        engine,
        "commandes",
        [
            "siren_porteur;date_commande;nb_carnets;pass_par_carnet;valeur_faciale_eur;fin_validite",
            f"{CD44};15/01/2020;10;10;;",
            f"{EPCI_ARA};15/01/2020;10;10;;",
        ],
    )
    _ok(
        engine,
        "distributions",
        [
            ENTETE_DISTRIBUTIONS,
            f"{CD44};03/02/2020;44109;{PARTAGEE};Médiathèque de Nantes;10;",
            f"{EPCI_ARA};04/02/2020;74042;{PARTAGEE};Médiathèque de Nantes;10;",
            f"{CD44};05/02/2020;44109;{A_NOUS};Espace numérique de Nantes;10;",
        ],
    )


def _structures(engine) -> dict[str, tuple[str, str]]:
    with engine.connect() as connection:
        lignes = connection.execute(select(Structure.siret, Structure.nom, Structure.code_commune))
        return {siret: (nom, commune) for siret, nom, commune in lignes}


def test_prt001_un_coordinateur_ne_renomme_ni_ne_deplace_une_structure_d_une_autre_region(moteur_vierge):
    _base(moteur_vierge)
    avant = _structures(moteur_vierge)
    assert avant[PARTAGEE] == ("Médiathèque de Nantes", "44109")
    rapport = _ok(
        moteur_vierge,
        "distributions",
        [
            ENTETE_DISTRIBUTIONS,
            f"{CD44};10/03/2020;44020;{PARTAGEE};Rebaptisée par la région;5;",
            f"{CD44};11/03/2020;44020;{A_NOUS};Espace numérique renommé;5;",
        ],
        region="52",
    )
    apres = _structures(moteur_vierge)
    assert apres[PARTAGEE] == avant[PARTAGEE]  # used in Auvergne-Rhône-Alpes too: unchanged
    assert apres[A_NOUS] == ("Espace numérique renommé", "44020")  # the région's own: renamed
    assert any(
        "1 structure utilisée aussi par des lauréats d'autres régions" in i for i in rapport.informations
    )
    with moteur_vierge.connect() as connection:  # the lines themselves are the région's: imported
        assert (
            connection.scalar(select(Distribution.nb_pass).where(Distribution.date == date(2020, 3, 10))) == 5
        )
    # The national team may still rename it.
    _ok(
        moteur_vierge,
        "distributions",
        [ENTETE_DISTRIBUTIONS, f"{CD44};12/03/2020;44109;{PARTAGEE};Nouveau nom;1;"],
    )
    assert _structures(moteur_vierge)[PARTAGEE] == ("Nouveau nom", "44109")


def test_prt002_un_coordinateur_ne_deplace_pas_un_lieu_d_une_autre_region(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    assert importer(moteur_vierge, "lieux", REELS / "lieux_v02.csv").accepte
    lignes = (REELS / "lieux_v02.csv").read_text(encoding="utf-8").splitlines()
    rennes = next(ligne for ligne in lignes if ligne.startswith("carto-105;"))
    deplace = rennes.replace(";Rennes;35000;35238;", ";Nantes;44000;44109;")
    rapport = importer(
        moteur_vierge,
        "lieux",
        "\n".join([lignes[0], deplace]).encode(),
        nom_fichier="lieux.csv",
        region_autorisee="52",
    )
    assert not rapport.accepte
    assert any("lieu déjà connu hors de votre région (Pays de la Loire)" in a.motif for a in rapport.erreurs)
    with moteur_vierge.connect() as connection:
        assert connection.scalar(select(Lieu.code_commune).where(Lieu.identifiant == "carto-105")) == "35238"
