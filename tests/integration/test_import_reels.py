"""Real files on SQLite and PostgreSQL, for real: syndicat members and laureate territories of any vintage,
and the BANATIC « périmètre des groupements » export (TSV Windows-1252 and streamed XLSX).

Geography (data/geo/territoires.csv, COG 2026): Die (26113, SIREN 212601132, pop. 4 844) lies in the CC
du Diois (242600534, 12 226 inhabitants); Crest (26108, SIREN 212601082, 8 658) in another EPCI; Ardèche
(07) has 334 231 inhabitants, Corse-du-Sud (2A) 168 306 and Haute-Corse (2B) 187 180. Freigné (44225) is
a commune déléguée of Vallons-de-l'Erdre (44180), 75115 the 15th arrondissement of Paris (75056), 26109 a
former commune merged into 26086 (Châtillon-en-Diois).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select, text

from dashboard.ingest.chargement import RapportImport, importer
from dashboard.store.entites import entite
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Porteur, Syndicat, SyndicatMembre
from tests.conftest import GEO_DIR, lancer_passnum, moteur_temporaire

REELS = Path(__file__).parents[1] / "fixtures" / "imports" / "reels"
BANATIC = REELS / "banatic_perimetre_2024-01-01.tsv"
ENTETE_LAUREATS = (
    "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;"
    "subvention_etat_eur;subvention_versee_eur;pass_prevus"
)
S1, S2, S4 = "252600010", "252600028", "252600044"  # the syndicats mixtes of the BANATIC fixture
MEMBRES_BANATIC = [
    (S1, "commune", "26108", S2),  # Crest, through the nested syndicat S2
    (S1, "commune", "26113", "212601132"),  # Die, also inside the CC du Diois: its population counts once
    (S1, "departement", "07", "999200074"),  # the demo's fictitious SIREN of the Ardèche
    (S1, "epci", "242600534", "242600534"),
    (S2, "commune", "26108", "212601082"),
    (S2, "commune", "26113", "212601132"),
    (S4, "departement", "2A", "999900012"),  # « Collectivité de Corse », by its name: région 94
    (S4, "departement", "2B", "999900012"),
]


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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def base_banatic(request, tmp_path_factory) -> Iterator[tuple[Engine, RapportImport]]:
    """The BANATIC fixture imported once per engine (the tests below only read, or refuse)."""
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("banatic")) as engine:
        initialiser(engine, GEO_DIR)
        yield engine, importer_ok(engine, "syndicats", BANATIC)


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

    # A coordinator's région is checked on today's commune: Freigné is in Pays de la Loire, Paris is not.
    entete = "siren_syndicat;nom_syndicat;niveau_membre;code_membre"
    pdl = importer(base, "syndicats", fichier(entete, "254400021;SM 44;commune;44225"), region_autorisee="52")
    assert pdl.accepte, pdl.texte()
    paris = importer(
        base, "syndicats", fichier(entete, "254400021;SM 44;commune;75115"), region_autorisee="52"
    )
    assert [(a.ligne, a.valeur) for a in paris.erreurs] == [(2, "75115")]
    assert paris.erreurs[0].motif.startswith("membre de syndicat hors de votre région (Pays de la Loire)")


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


# --- BANATIC --------------------------------------------------------------------------------------------


def test_ban003_banatic_tsv_membres_et_rapport(base_banatic):
    engine, rapport = base_banatic
    assert rapport.description == "CSV Windows-1252, séparateur tabulation"
    assert rapport.lignes == 11 and rapport.avertissements == []
    assert membres(engine) == MEMBRES_BANATIC
    au = date(2024, 1, 1)
    assert syndicats(engine) == {
        S1: ("Syndicat mixte Numérique Drôme-Ardèche (essai)", "banatic", au),
        S2: ("Syndicat mixte fermé de la vallée (essai)", "banatic", au),
        S4: ("Syndicat mixte insulaire du numérique (essai)", "banatic", au),
    }
    assert rapport.informations == [
        "Fichier BANATIC « périmètre des groupements » : 3 syndicats mixtes, 8 membres enregistrés ; "
        "périmètres au 01/01/2024 (date tirée du nom du fichier)",
        "10 colonnes du fichier non utilisées (compétences, siège, présidence…) : « Groupement "
        "interdépartemental », « Date de création », « Date d'effet » …",
        "2 groupements qui ne sont pas des syndicats mixtes, non importés comme syndicats (membres d'un "
        "syndicat mixte, ce sont leurs propres membres qui comptent) : SIVU : 1, CC : 1",
        '1 membre « Autre organisme » ignoré (ni département ni région reconnus) : 777777772 "Inclusion 26" '
        "association (membre de Syndicat mixte Numérique Drôme-Ardèche (essai))",
        "1 membre « Groupement » ignoré (ni EPCI du COG 2026, ni groupement du fichier, ni syndicat "
        "déjà dans la base) : 252600051 SIVU de l'Ostriconi (essai) (membre de Syndicat mixte insulaire du "
        "numérique (essai))",
        "1 membre identifié par son nom (aucun SIREN connu de conseil départemental ou régional) : "
        "« Collectivité de Corse » → région 94 Corse",
        "1 membre identifié par le SIREN fictif des collectivités de la démo (data/demo/collectivites.csv) : "
        "« Conseil départemental de l'Ardèche » → département 07 Ardèche",
        "1 région membre comptée comme ses départements (un syndicat n'a pour membres que des départements, "
        "des EPCI et des communes ; le périmètre est le même) : 999900012 Collectivité de Corse (membre de "
        "Syndicat mixte insulaire du numérique (essai)) → 2 départements",
        "1 groupement membre remplacé par ses propres membres : 252600028 Syndicat mixte fermé de la vallée "
        "(essai) (membre de Syndicat mixte Numérique Drôme-Ardèche (essai))",
    ]
    texte = rapport.texte()
    assert "11 lignes importées" in texte and "Informations (9) :" in texte and "Avertissements" not in texte
    with engine.connect() as connection:
        journal = connection.scalar(text("SELECT avertissements FROM import_lot ORDER BY id DESC LIMIT 1"))
    assert "information : 1 membre identifié par son nom" in journal


def test_ban004_population_couverte_union_des_membres(base_banatic):
    engine, _ = base_banatic
    importer_ok(
        engine,
        "laureats",
        fichier(
            ENTETE_LAUREATS,
            f"{S1};Syndicat mixte Numérique Drôme-Ardèche (essai);SM;{S1};2020;;100000;50000;;",
            f"{S2};Syndicat mixte fermé de la vallée (essai);SM;{S2};2020;;100000;50000;;",
            f"{S4};Syndicat mixte insulaire du numérique (essai);SM;{S4};2020;;100000;50000;;",
        ),
        "laureats_sm.csv",
    )
    # Ardèche + CC du Diois (Die included) + Crest: Die, a member twice and inside a member EPCI, once.
    assert entite(engine, "porteur", S1).population == 334_231 + 12_226 + 8_658
    assert entite(engine, "porteur", S2).population == 4_844 + 8_658
    assert entite(engine, "porteur", S4).population == 168_306 + 187_180


def test_ban005_banatic_refus_coordinateur_et_syndicat_sans_membre(base_banatic):
    engine, _ = base_banatic
    avant = membres(engine)
    # A coordinator of Corse: S1 and S2 have their members in Auvergne-Rhône-Alpes.
    rapport = importer(engine, "syndicats", BANATIC, region_autorisee="94", remplacer=True, dry_run=True)
    assert not rapport.accepte
    hors = (
        "membre de syndicat hors de votre région (Corse) : un coordinateur régional n'importe que pour "
        "les lauréats de sa région"
    )
    assert [(a.ligne, a.colonne, a.valeur) for a in rapport.erreurs if a.motif == hors] == [
        (2, "Siren membre", "212601132"),
        (3, "Siren membre", "242600534"),
        (4, "Siren membre", "999200074"),
        (5, "Siren membre", "252600028"),
        (7, "Siren membre", "212601132"),
        (8, "Siren membre", "212601082"),
    ]
    assert importer(engine, "syndicats", BANATIC, region_autorisee="84", remplacer=True, dry_run=True).erreurs
    assert membres(engine) == avant


def test_ban006_banatic_xlsx_national_lu_en_flux(base):
    """The national XLSX: same headers, a reference-date column, a hundred competence columns never held."""
    contenu_tsv = BANATIC.read_bytes().decode("cp1252").splitlines()
    entetes = [*contenu_tsv[0].split("\t"), "Date de référence"]
    entetes += [f"C{5000 + i} - Compétence n° {i}" for i in range(100)]
    classeur = openpyxl.Workbook(write_only=True)
    feuille = classeur.create_sheet("Périmètre des groupements")
    feuille.append(entetes)
    for ligne in contenu_tsv[1:]:
        cellules: list[object] = ligne.split("\t")
        cellules[0], cellules[10] = int(cellules[0]), int(cellules[10])  # SIRENs typed as numbers
        feuille.append([*cellules, date(2025, 1, 1), *(["OUI", "NON"] * 50)])
    tampon = io.BytesIO()
    classeur.save(tampon)
    rapport = importer_ok(base, "syndicats", tampon.getvalue(), "perimetre-groupements.xlsx")
    assert rapport.description == "XLSX, feuille « Périmètre des groupements »"
    assert membres(base) == MEMBRES_BANATIC
    assert {s[2] for s in syndicats(base).values()} == {date(2025, 1, 1)}
    assert rapport.informations[0].endswith(
        "périmètres au 01/01/2025 (date tirée de la colonne « Date de référence »)"
    )
    assert rapport.informations[1].startswith("110 colonnes du fichier non utilisées")
    assert rapport.avertissements == []

    # Our own format again: the membership is replaced, and says where it comes from.
    importer_ok(
        base,
        "syndicats",
        fichier(
            "siren_syndicat;nom_syndicat;niveau_membre;code_membre", f"{S2};SM de la vallée;commune;26113"
        ),
    )
    assert syndicats(base)[S2] == ("SM de la vallée", "fichier", None)
    assert [m for m in membres(base) if m[0] == S2] == [(S2, "commune", "26113", None)]


def test_ban007_banatic_siren_de_la_base_et_cycles(base):
    importer_ok(base, "syndicats", BANATIC)
    # A CD laureate gives the real SIREN of its département; S2 is a syndicat of the database now.
    importer_ok(
        base, "laureats", fichier(ENTETE_LAUREATS, "222600017;Département de la Drôme;CD;26;2019;;1;1;;")
    )
    entete = BANATIC.read_bytes().decode("cp1252").splitlines()[0]
    groupe_a = ["252600077", "SM A (essai)", "SMO", "0", "", "", "", "", ""]
    groupe_b = ["252600085", "SM B (essai)", "Syndicat mixte fermé", "0", "", "", "", "", ""]
    lignes = [
        [*groupe_a, "Autre organisme", "222600017", "Département de la Drôme", "", "", "", ""],
        [*groupe_a, "Groupement", S2, "Syndicat mixte fermé de la vallée (essai)", "", "", "", ""],
        [*groupe_a, "Groupement", "252600085", "SM B (essai)", "", "", "", ""],
        [*groupe_b, "Groupement", "252600077", "SM A (essai)", "", "", "", ""],
        [*groupe_b, "Commune", "212601140", "Dieulefit", "", "", "", ""],
    ]
    contenu = "\r\n".join([entete, *("\t".join(ligne) for ligne in lignes)]).encode("cp1252")
    rapport = importer_ok(base, "syndicats", contenu, "banatic_20240701.txt")
    # A: the Drôme by its laureate's SIREN, S2's members from the database, B's own member; B: A's
    # members (A met again on the way, not followed twice) and Dieulefit.
    assert [m for m in membres(base) if m[0] in ("252600077", "252600085")] == [
        ("252600077", "commune", "26108", S2),
        ("252600077", "commune", "26113", S2),
        ("252600077", "commune", "26114", "252600085"),
        ("252600077", "departement", "26", "222600017"),
        ("252600085", "commune", "26108", "252600077"),
        ("252600085", "commune", "26113", "252600077"),
        ("252600085", "commune", "26114", "212601140"),
        ("252600085", "departement", "26", "252600077"),
    ]
    assert syndicats(base)["252600077"][1:] == ("banatic", date(2024, 7, 1))
    assert (
        "adhésions circulaires entre groupements, suivies une seule fois : 252600077 → 252600085 → 252600077"
    ) in rapport.informations
    assert not any("identifié par" in phrase for phrase in rapport.informations)  # the base's SIREN: silent


def test_ban008_cli_import_banatic_codes_de_sortie(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert lancer_passnum("init", "--demo", "none", url=url).returncode == 0
    ok = lancer_passnum("import", "syndicats", str(BANATIC), "--silencieux", url=url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "3 syndicats mixtes, 8 membres enregistrés" in ok.stdout
    mauvais = (
        Path(__file__).parents[1] / "fixtures" / "imports" / "mauvais" / "syndicats__banatic_sans_membre.csv"
    )
    refus = lancer_passnum("import", "syndicats", str(mauvais), "--silencieux", url=url)
    assert refus.returncode == 2 and "REFUSÉ" in refus.stdout
    assert "aucun syndicat mixte du fichier n'a de membre identifié" in refus.stdout


def test_ban026_syndicat_sans_membre_identifie_laisse_de_cote_sans_bloquer_le_fichier(base):
    """A national export holds thousands of syndicats mixtes: one without any identifiable member is left
    aside and told, the others are imported."""
    vide = (
        (REELS.parent / "mauvais" / "syndicats__banatic_sans_membre.csv")
        .read_bytes()
        .decode("cp1252")
        .splitlines()[1:]
    )
    contenu = BANATIC.read_bytes().decode("cp1252").rstrip("\r\n").splitlines()
    fichier = "\r\n".join([*contenu, *vide]).encode("cp1252")
    rapport = importer(base, "syndicats", fichier, nom_fichier="banatic_perimetre_2024-01-01.tsv")
    assert rapport.accepte, rapport.texte()
    assert (
        "1 syndicat mixte laissé de côté, aucun membre identifié (ni commune, ni EPCI, ni groupement connu, "
        "ni département ou région) : 252600069 Syndicat mixte sans membre connu (essai)"
    ) in rapport.informations
    with base.connect() as connection:
        sirens = set(connection.scalars(select(Syndicat.siren)))
    assert "252600069" not in sirens and len(sirens) == 3
