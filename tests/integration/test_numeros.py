"""Pass numbers loaded for real (SQLite and PostgreSQL) from tests/fixtures/imports/reels/numeros: one
laureate whose passes are numbered, every figure computed by hand below; the same files without their
numbers (first in, first out: « estimé »); the import's refusals, each with its French report line.

The laureate: Loire-Atlantique (CD, 224400028), conventions 2019 (15/10/2019) and 2020 (01/09/2020).
  Orders      O1 15/11/2019  20 passes 1001–1020  end of validity 31/01/2021  → wave 2019
              O2 15/10/2020  10 passes 5001–5010  end of validity 31/12/2030  → wave 2020
  Handed out  D1 10/01/2020 Nantes (44109)          12 passes 1001–1012  (O1)
              D2 05/11/2020 Saint-Nazaire (44184)    3 passes 1013–1015  (O1)
              D3 05/11/2020 Saint-Nazaire (44184)   10 passes 5001–5010  (O2)
  Redeemed    U1 20/02/2020 Nantes          4  1001–1004  from D1 (01/2020): 1 month
              U2 15/04/2020 Nantes          2  1005–1006  from D1: 3 months
              U3 10/12/2020 Saint-Nazaire   3  5001–5003  from D3 (11/2020): 1 month
              U4 20/01/2021 Saint-Nazaire   1  1013       from D2 (11/2020): 2 months
              U5 25/01/2021 Nantes          1  1007       from D1: 12 months
              U6 10/03/2021 Saint-Nazaire   5  5004–5008  from D3: 4 months
  Data date: 10/03/2021 (the last event).

Exact figures:
- waves: 2019 ordered 20, handed out 12 + 3 = 15, redeemed 4 + 2 + 1 + 1 = 8 (all handed out before);
  2020 ordered 10, handed out 10, redeemed 3 + 5 = 8. Distribution rate 25/30; redemption 16/25.
- per order: O1 handed out 15, redeemed 8; O2 handed out 10, redeemed 8.
- expired: O1's validity ended (31/01/2021 < 10/03/2021): 20 − 8 redeemed by then = 12 (its 5 passes
  1016–1020 never handed out, and 1008–1012, 1014–1015 handed out, not redeemed); O2: 0.
- median delay: delays 1 ×4, 3 ×2, 1 ×3, 2 ×1, 12 ×1, 4 ×5 → sorted 1 ×7, 2 ×1, 3 ×2, 4 ×5, 12 ×1; the
  8th of 16 passes closes the value 2, exactly half: the mean with the next value, (2 + 3) / 2 = 2.5.
- by place of distribution: Nantes Métropole (EPCI 244400404) handed out 12, 7 of them redeemed (U1,
  U2, U5), median delay of 1 ×4, 3 ×2, 12 ×1 = 1; CARENE (EPCI 244400644) 13, 9 redeemed (U3, U4, U6),
  delays 1 ×3, 2 ×1, 4 ×5, median 4.
- cohorts: January 2020 (12 handed out): 4 redeemed by k = 1, 6 by k = 3, 7 by k = 12; November 2020
  (13): 3 by k = 1, 4 by k = 2 and k = 3 (U6, k = 4, is beyond what the quarter shows: T4 2020 is
  observed up to March 2021 − October 2020 − 2 = 3 months).
First in, first out without the numbers: passes numbered by order date (O1 first): the first 20 handed
out are 2019's (12 in January, 8 of November's 13), the 16 redeemed are the first 16 handed out, all of
2019: wave 2019 handed out 20, redeemed 16; 2020 handed out 5, redeemed 0; O1 expired 20 − 16 = 4.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from dashboard.components.fiche import NOTE_COHORTES, NOTE_COHORTES_EXACTES, page
from dashboard.domain.etat import EtatVue
from dashboard.domain.filtres import Filtres
from dashboard.domain.indicateurs import chiffres_exacts, indicateur, totaliser
from dashboard.figures.graphiques import entonnoir_des_totaux
from dashboard.ingest.chargement import importer
from dashboard.ingest.lecture import nom_colonne
from dashboard.store import entites
from dashboard.store.attribution import attribution
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.vues.fiche import calculer_fiche, entonnoir_de
from dashboard.vues.kpis import kpis
from dashboard.vues.tableau import colonnes_export
from tests.conftest import GEO_DIR, lancer_passnum, moteur_temporaire
from tests.integration.test_import_fichiers import compter

NUMEROS = Path(__file__).parents[1] / "fixtures" / "imports" / "reels" / "numeros"
MAUVAIS = sorted((NUMEROS / "mauvais").glob("*.csv"))
KINDS = ("laureats", "commandes", "distributions", "utilisations")
CD44 = "224400028"
NANTES_METROPOLE, CARENE = "244400404", "244400644"


def _sans_numeros(contenu: bytes) -> bytes:
    """The same file without its number columns."""
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8")), delimiter=";"))
    numeros = {"premier_numero", "dernier_numero", "numero_cheque", "numero_pass"}
    garder = [i for i, entete in enumerate(lignes[0]) if nom_colonne(entete) not in numeros]
    return "\n".join(";".join(ligne[i] for i in garder) for ligne in lignes).encode("utf-8")


def charger(engine, numeros: bool = True) -> None:
    initialiser(engine, GEO_DIR)
    for kind in KINDS:
        contenu = (NUMEROS / f"{kind}.csv").read_bytes()
        rapport = importer(engine, kind, contenu if numeros else _sans_numeros(contenu), nom_fichier=kind)
        assert rapport.accepte and not rapport.avertissements, rapport.texte()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bases(request, tmp_path_factory):
    """(numbered, the same without numbers): read-only use (refused imports write nothing)."""
    with (
        moteur_temporaire(request.param, tmp_path_factory.mktemp("numerotee")) as numerotee,
        moteur_temporaire(request.param, tmp_path_factory.mktemp("estimee")) as estimee,
    ):
        charger(numerotee)
        charger(estimee, numeros=False)
        yield numerotee, estimee


def _ligne(engine, niveau="porteur", vue="porteurs", code=CD44, **filtres) -> pd.Series:
    return table_indicateurs(engine, niveau, vue, Filtres(**filtres)).set_index("code").loc[code]


def test_num010_chiffres_exacts_calcules_a_la_main(bases):
    engine, _ = bases
    attr = attribution(engine)
    assert attr.numerotes == {CD44}
    commandes = attr.commandes.sort_values("mois_indice")
    assert commandes["vague"].tolist() == [2019, 2020]
    assert commandes["distribues_parmi"].tolist() == [15, 10]
    assert commandes["utilises_parmi"].tolist() == [8, 8]
    assert commandes["pass_expires"].tolist() == [12, 0]

    tout = _ligne(engine)
    assert (tout.pass_commandes, tout.pass_distribues, tout.pass_utilises, tout.pass_expires) == (
        30,
        25,
        16,
        12,
    )
    assert tout.taux_distribution == pytest.approx(25 / 30)
    assert tout.taux_utilisation == pytest.approx(16 / 25)
    assert tout.delai_median_mois == 2.5
    assert tout.chiffres_exacts and not tout.donnees_incoherentes
    v2019, v2020 = _ligne(engine, vagues=(2019,)), _ligne(engine, vagues=(2020,))
    assert (v2019.pass_commandes, v2019.pass_distribues, v2019.pass_utilises) == (20, 15, 8)
    assert (v2020.pass_commandes, v2020.pass_distribues, v2020.pass_utilises) == (10, 10, 8)
    assert (v2019.pass_expires, v2020.pass_expires) == (12, 0)
    assert v2019.taux_utilisation == pytest.approx(8 / 15) and v2020.taux_utilisation == pytest.approx(8 / 10)
    # 2019's delays: 1 ×4, 3 ×2, 2 ×1, 12 ×1 → the 4th of 8 closes 1, exactly half: (1 + 2) / 2.
    assert v2019.delai_median_mois == 1.5
    # 2020's: 1 ×3, 4 ×5 → 4.
    assert v2020.delai_median_mois == 4

    nantes = _ligne(engine, "epci", "territoires", NANTES_METROPOLE)
    carene = _ligne(engine, "epci", "territoires", CARENE)
    assert (nantes.pass_distribues, nantes.utilises_parmi_distribues) == (12, 7)
    assert (carene.pass_distribues, carene.utilises_parmi_distribues) == (13, 9)
    assert nantes.taux_utilisation == pytest.approx(7 / 12) and carene.taux_utilisation == pytest.approx(
        9 / 13
    )
    assert (nantes.delai_median_mois, carene.delai_median_mois) == (1, 4)
    assert nantes.chiffres_exacts and carene.chiffres_exacts

    ent = entites.entite(engine, "porteur", CD44)
    courbes = entites.courbes_cohortes(engine, entites.serie_mensuelle(engine, ent), ent)
    parts = courbes.set_index(["trimestre", "k"])["part"]
    assert [parts[("T1 2020", k)] for k in (0, 1, 2, 3, 11, 12)] == pytest.approx(
        [0, 4 / 12, 4 / 12, 6 / 12, 6 / 12, 7 / 12]
    )
    assert [parts[("T4 2020", k)] for k in (0, 1, 2, 3)] == pytest.approx([0, 3 / 13, 4 / 13, 4 / 13])
    assert ("T4 2020", 4) not in parts.index


def test_num011_sans_numeros_estime_avec_numeros_exact(bases):
    numerotee, estimee = bases
    assert attribution(estimee).numerotes == frozenset()
    v2019, v2020 = _ligne(estimee, vagues=(2019,)), _ligne(estimee, vagues=(2020,))
    assert (v2019.pass_distribues, v2019.pass_utilises, v2019.pass_expires) == (20, 16, 4)
    assert (v2020.pass_distribues, v2020.pass_utilises, v2020.pass_expires) == (5, 0, 0)
    assert not v2019.chiffres_exacts
    for engine, mot, expires in ((estimee, "estimé", 4), (numerotee, "exact", 12)):
        porteurs = table_indicateurs(engine, "porteur", "porteurs", Filtres())
        assert chiffres_exacts(porteurs) is (mot == "exact")
        totaux = totaliser(porteurs)
        assert totaux["pass_expires"] == expires
        cartes = {c.id: c.titre for c in kpis(totaux, 1, None, "porteurs").chiffres}
        assert cartes["kpi-taux_utilisation"] == "Taux d'utilisation"  # never an estimate per laureate
        assert indicateur("pass_expires").libelle_en("porteurs", chiffres_exacts(porteurs)) == (
            f"Pass expirés ({mot})"
        )
        entetes = dict(colonnes_export(EtatVue(colonnes=("delai_median_mois",)), chiffres_exacts(porteurs)))
        assert entetes["delai_median_mois"] == f"Délai médian distribution → utilisation (mois, {mot})"
        territoires = table_indicateurs(engine, "departement", "territoires", Filtres())
        territoires = territoires[territoires["code"] == "44"]
        totaux = totaliser(territoires)
        cartes = {c.id: c.titre for c in kpis(totaux, 1, None, "territoires", par_vague=True).chiffres}
        assert cartes["kpi-taux_utilisation"] == f"Taux d'utilisation ({mot})"
        funnel = entonnoir_des_totaux(totaux, par_lieu=True)["data"][0]
        assert funnel["customdata"][2].endswith(f"des distribués, {mot})")
        assert kpis(totaux, 1, None, "territoires", par_vague=True).date.endswith(
            "(pass numérotés)" if mot == "exact" else "premier utilisé)"
        )


@pytest.mark.parametrize("fichier", MAUVAIS, ids=[p.stem for p in MAUVAIS])
def test_num012_refus_des_numeros_avec_leur_ligne(bases, fichier):
    engine, _ = bases
    avant = compter(engine)
    rapport = importer(engine, fichier.stem.split("__")[0], fichier)
    texte = rapport.texte()
    assert not rapport.accepte and not rapport.ecrit and "Rien n'a été écrit dans la base." in texte
    for attendu in fichier.with_suffix(".attendu").read_text(encoding="utf-8").splitlines():
        assert attendu in texte, f"« {attendu} » absent du rapport :\n{texte}"
    assert rapport.nb_erreurs == sum(1 for ligne in texte.splitlines() if ligne.startswith("    ligne "))
    apres = compter(engine)
    assert apres.pop("journal_audit") == avant.pop("journal_audit") + 1
    assert apres == avant


def test_num013_distribution_apres_utilisation_remplacer_et_lignes_sans_numeros(moteur_vierge):
    engine = moteur_vierge
    charger(engine)
    entete = "siren_porteur;date;code_commune;nb_pass;premier_numero;dernier_numero\n"
    # 1016 redeemed although no distribution of it is known yet: accepted.
    rapport = importer(
        engine, "utilisations", (entete + f"{CD44};01/03/2021;44109;1;1016;1016\n").encode(), nom_fichier="u"
    )
    assert rapport.accepte, rapport.texte()
    # Then handed out after its redemption: refused, whichever file came first.
    tardive = (entete + f"{CD44};15/03/2021;44109;3;1016;1018\n").encode()
    texte = importer(engine, "distributions", tardive, nom_fichier="d").texte()
    assert (
        "distribution postérieure à l'utilisation de ces numéros (1 occurrence)\n"
        "    ligne 2, colonne premier_numero/dernier_numero, valeur « 1016-1018 », utilisés le 01/03/2021 "
        "(numéros 1016-1016)"
    ) in texte
    # --remplacer: the lines of the replaced import are not "already distributed".
    rapport = importer(engine, "distributions", NUMEROS / "distributions.csv", remplacer=True)
    assert rapport.accepte, rapport.texte()
    assert attribution(engine).numerotes == {CD44}
    assert _ligne(engine).chiffres_exacts
    # A line without numbers (allowed in any file): the laureate is no longer numbered, all estimated.
    sans = f"siren_porteur;date;code_commune;nb_pass\n{CD44};05/03/2021;44109;1\n".encode()
    assert importer(engine, "utilisations", sans, nom_fichier="sans").accepte
    assert attribution(engine).numerotes == frozenset()
    assert not _ligne(engine).chiffres_exacts


def test_num014_fiche_et_cli_disent_exact_ou_estime(bases):
    """The laureate's page (cohort note, funnel) and `passnum indicateurs` (column chiffres_exacts)."""
    for engine, exact in zip(bases, (True, False), strict=True):
        sources = SimpleNamespace(engine=engine, geometries=None)
        fiche = calculer_fiche(sources, entites.entite(engine, "porteur", CD44))
        assert fiche.exacte is exact
        rendu = str(page(fiche))
        assert (NOTE_COHORTES_EXACTES in rendu) is exact and (NOTE_COHORTES in rendu) is not exact
        fiche_44 = calculer_fiche(sources, entites.entite(engine, "departement", "44"))
        texte = entonnoir_de(fiche_44)["data"][0]["customdata"][2]
        assert texte.endswith("des distribués, exact)" if exact else "des distribués, estimé)")
        cli = lancer_passnum(
            "indicateurs", "--niveau", "porteur", "--format", "json", url=engine.url.render_as_string(False)
        )
        assert cli.returncode == 0, cli.stderr
        lignes = json.loads(cli.stdout)
        assert [(ligne["code"], ligne["chiffres_exacts"]) for ligne in lignes] == [(CD44, exact)]
