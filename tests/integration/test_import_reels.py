"""Real files on SQLite and PostgreSQL, for real: syndicat members and laureate territories of any vintage.

Geography (data/geo/territoires.csv, COG 2026): Die (26113, SIREN 212601132, pop. 4 844) lies in the CC
du Diois (242600534, 12 226 inhabitants); Crest (26108, SIREN 212601082, 8 658) in another EPCI; Ardèche
(07) has 334 231 inhabitants, Corse-du-Sud (2A) 168 306 and Haute-Corse (2B) 187 180. Freigné (44225) is
a commune déléguée of Vallons-de-l'Erdre (44180), 75115 the 15th arrondissement of Paris (75056), 26109 a
former commune merged into 26086 (Châtillon-en-Diois).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard.ingest.chargement import importer
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Porteur, Syndicat, SyndicatMembre
from tests.conftest import GEO_DIR

ENTETE_LAUREATS = (
    "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;"
    "subvention_etat_eur;subvention_versee_eur;pass_prevus"
)


def fichier(entete: str, *lignes: str) -> bytes:
    return "\n".join([entete, *lignes]).encode()


def importer_ok(engine: Engine, kind: str, contenu: bytes | Path, nom: str | None = None, **options):
    rapport = importer(engine, kind, contenu, nom_fichier=nom, **options)
    assert rapport.accepte, rapport.texte()
    return rapport


def membres(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(m)
            for m in connection.execute(
                select(
                    SyndicatMembre.siren_syndicat,
                    SyndicatMembre.niveau_membre,
                    SyndicatMembre.code_membre,
                    SyndicatMembre.code_brut,
                ).order_by(
                    SyndicatMembre.siren_syndicat, SyndicatMembre.niveau_membre, SyndicatMembre.code_membre
                )
            )
        ]


def syndicats(engine: Engine) -> dict[str, tuple]:
    with engine.connect() as connection:
        return {
            s.siren: (s.nom, s.source, s.perimetre_au)
            for s in connection.execute(
                select(Syndicat.siren, Syndicat.nom, Syndicat.source, Syndicat.perimetre_au)
            )
        }


@pytest.fixture
def base(moteur_vierge) -> Engine:
    initialiser(moteur_vierge, GEO_DIR)
    return moteur_vierge


# --- Codes of any vintage in this project's own format -------------------------------------------------


def test_ban001_membres_communes_de_tout_millesime(base):
    contenu = fichier(
        "siren_syndicat;nom_syndicat;niveau_membre;code_membre",
        "254400013;SM numérique;commune;44225",  # Freigné, déléguée → Vallons-de-l'Erdre
        "254400013;SM numérique;commune;75115",  # arrondissement → Paris
        "254400013;SM numérique;commune;26109",  # former code → 26086
        "254400013;SM numérique;commune;44180",  # the same commune as line 2, written today's way
        "254400013;SM numérique;departement;2a",
        "254400013;SM numérique;epci;242600534",
    )
    rapport = importer_ok(base, "syndicats", contenu, "syndicats.csv")
    assert membres(base) == [
        ("254400013", "commune", "26086", "26109"),
        ("254400013", "commune", "44180", "44225"),
        ("254400013", "commune", "75056", "75115"),
        ("254400013", "departement", "2A", None),
        ("254400013", "epci", "242600534", None),
    ]
    assert syndicats(base) == {"254400013": ("SM numérique", "fichier", None)}
    assert rapport.informations == [
        "1 ligne : code ancien converti (code_membre), 26109 → 26086 Châtillon-en-Diois",
        "1 ligne : commune déléguée convertie (code_membre), 44225 → 44180 Vallons-de-l'Erdre",
        "1 ligne : arrondissement municipal converti (code_membre), 75115 → 75056 Paris",
    ]
    assert "Informations (3) :" in rapport.texte()

    # A code that never existed is still refused, and says why; so is a SIREN that is no EPCI of today.
    refus = importer(
        base,
        "syndicats",
        fichier(
            "siren_syndicat;nom_syndicat;niveau_membre;code_membre",
            "254400013;SM numérique;commune;99999",
            "254400013;SM numérique;epci;200000990",
        ),
        nom_fichier="syndicats2.csv",
    )
    assert not refus.accepte
    assert [(a.ligne, a.valeur, a.detail) for a in refus.erreurs] == [
        (
            2,
            "99999",
            "commune : ni commune actuelle, ni ancien code depuis 2015, ni commune déléguée ou associée, ni "
            "arrondissement municipal (code INSEE à 5 caractères attendu)",
        ),
        (
            3,
            "200000990",
            "EPCI : ce SIREN n'est pas celui d'un EPCI à fiscalité propre du COG 2026 ; un EPCI fusionné ou "
            "dissous depuis n'est pas reconnu : indiquez le SIREN de l'EPCI actuel",
        ),
    ]
    assert {a.motif for a in refus.erreurs} == {
        "code de membre inconnu de la géographie de référence à ce niveau"
    }


def test_ban002_code_de_region_d_avant_2016(base):
    contenu = fichier(
        ENTETE_LAUREATS,
        "238200018;Région Rhône-Alpes;CR;82;2019;;100000;50000;;",
        "238200018;Région Rhône-Alpes;CR;84;2020;;100000;50000;;",  # the same région, today's code
    )
    # A coordinator of Pays de la Loire may not import it: the converted code is in 84.
    hors = importer(
        base, "laureats", contenu, nom_fichier="laureats.csv", region_autorisee="52", dry_run=True
    )
    assert not hors.accepte
    assert [(a.ligne, a.colonne) for a in hors.erreurs] == [(2, "code_territoire"), (3, "code_territoire")]
    rapport = importer_ok(base, "laureats", contenu, "laureats.csv", region_autorisee="84")
    assert rapport.informations == [
        "1 ligne : code de région d'avant 2016 converti (code_territoire), 82 → 84 Auvergne-Rhône-Alpes"
    ]
    with base.connect() as connection:
        porteur = connection.execute(
            select(Porteur.code_territoire, Porteur.code_territoire_brut).where(Porteur.siren == "238200018")
        ).one()
    # The last line written wins: it said 84 itself.
    assert (porteur.code_territoire, porteur.code_territoire_brut) == ("84", None)
    importer_ok(base, "laureats", fichier(ENTETE_LAUREATS, "238200018;Région Rhône-Alpes;CR;82;2019;;1;1;;"))
    with base.connect() as connection:
        porteur = connection.execute(
            select(Porteur.code_territoire, Porteur.code_territoire_brut).where(Porteur.siren == "238200018")
        ).one()
    assert (porteur.code_territoire, porteur.code_territoire_brut) == ("84", "82")

    refus = importer(
        base, "laureats", fichier(ENTETE_LAUREATS, "200000990;CC disparue;EPCI;200000990;2019;;1;1;;")
    )
    assert [(a.motif, a.detail) for a in refus.erreurs] == [
        (
            "SIREN d'EPCI inconnu de la géographie",
            "ce SIREN n'est pas celui d'un EPCI à fiscalité propre du COG 2026 ; un EPCI fusionné ou dissous "
            "depuis n'est pas reconnu : indiquez le SIREN de l'EPCI actuel",
        )
    ]
