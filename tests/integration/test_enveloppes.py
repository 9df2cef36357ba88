"""The State's money per convention, per laureate, per wave, per territory, on a small base built by hand
(SQLite and PostgreSQL), every figure computed by hand; `passnum enveloppe` (codes 0 and 2, journal).

The base (au 31/12/2020 unless said):
- CD 44 (224400028), 2019: convention 15/10/2019, budget 100 000 €, subvention 60 000 € (part 60 %),
  versée 20 000 €, 10 000 pass prévus; orders 15/01/2020 1 000 pass (fin 31/12/2021) and 20/02/2020 200
  pass (no end: 31/01/2021) → 12 000 € × 60 % = 7 200 € consumed, 52 800 € left; window 15/10/2019 →
  31/12/2021.
- CD 44, 2020: convention 01/07/2020, budget 40 000 €, subvention 20 000 €, 3 000 pass prévus; order
  10/09/2020 500 pass → 5 000 € × 50 % = 2 500 €, 17 500 € left; window 01/07/2020 → 31/01/2021.
- EPCI 200000172, 2020: convention 01/06/2020, budget 2 000 €, subvention 1 000 €, 150 pass prévus; order
  01/09/2020 300 pass → 1 500 € for 1 000 € committed: 1 000 € consumed, 500 € beyond, 0 left.
Passes handed out: CD 44 300 (02/2020), 200 (03/2020), 900 (10/2020) → first in, first out, 1 200 of the
2019 orders then 200 of the 2020 one; EPCI 120 (10/2020).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from dashboard.domain.filtres import Filtres
from dashboard.ingest.chargement import importer
from dashboard.store import enveloppes as env
from dashboard.store.comptes import journal
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import EnveloppeVague
from tests.conftest import GEO_DIR, lancer_passnum

CD44, EPCI = "224400028", "200000172"
AU = date(2020, 12, 31)

LAUREATS = (
    "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;subvention_etat_eur;"
    "subvention_versee_eur;pass_prevus\n"
    f"{CD44};Département de Loire-Atlantique;CD;44;2019;15/10/2019;100000;60000;20000;10000\n"
    f"{CD44};Département de Loire-Atlantique;CD;44;2020;01/07/2020;40000;20000;;3000\n"
    f"{EPCI};CC Faucigny - Glières;EPCI;{EPCI};2020;01/06/2020;2000;1000;;150\n"
)
COMMANDES = (
    "siren_porteur;date_commande;nb_carnets;pass_par_carnet;valeur_faciale_eur;fin_validite\n"
    f"{CD44};15/01/2020;100;10;10;31/12/2021\n"
    f"{CD44};20/02/2020;40;5;;\n"
    f"{CD44};10/09/2020;50;10;;\n"
    f"{EPCI};01/09/2020;30;10;;\n"
)
DISTRIBUTIONS = (
    "siren_porteur;date;code_commune;nb_pass\n"
    f"{CD44};03/02/2020;44109;300\n"
    f"{CD44};04/03/2020;44109;200\n"
    f"{CD44};15/10/2020;44109;900\n"
    f"{EPCI};05/10/2020;74042;120\n"
)


@pytest.fixture(scope="module")
def base(moteur_module) -> Engine:
    initialiser(moteur_module, GEO_DIR)
    for kind, contenu in (("laureats", LAUREATS), ("commandes", COMMANDES), ("distributions", DISTRIBUTIONS)):
        rapport = importer(moteur_module, kind, contenu.encode(), nom_fichier=f"env-{kind}.csv")
        assert rapport.accepte, rapport.texte()
    return moteur_module


def _ligne(table: pd.DataFrame, siren: str, vague: int) -> pd.Series:
    lignes = table[(table["siren"] == siren) & (table["vague"] == vague)]
    assert len(lignes) == 1
    return lignes.iloc[0]


def test_env010_par_convention_calcule_a_la_main(base):
    table = env.enveloppes_conventions(base, AU)
    assert len(table) == 3 and list(table.columns) == env.COLONNES_CONVENTIONS
    c = _ligne(table, CD44, 2019)
    assert (c["part_etat"], c["engagee_eur"], c["versee_eur"]) == (0.6, 60_000, 20_000)
    assert (c["pass_commandes"], c["montant_commande_eur"]) == (1_200, 12_000)
    assert c["consommee_eur"] == pytest.approx(7_200) and c["restante_eur"] == pytest.approx(52_800)
    assert c["part_consommee"] == pytest.approx(0.12) and c["depassement_eur"] == 0
    assert (c["debut_fenetre"], c["fin_fenetre"]) == (date(2019, 10, 15), date(2021, 12, 31))
    assert c["part_fenetre_ecoulee"] == pytest.approx(443 / 808)
    assert (c["pass_prevus"], c["pass_distribues"]) == (10_000, 1_200)
    assert c["avancement_objectif"] == pytest.approx(0.12) and c["statut_objectif"] == "en retard"
    assert c["code_region"] == "52" and c["type"] == "CD"
    assert c["distribues_estimes"]  # split between its two conventions, first in, first out

    c = _ligne(table, CD44, 2020)
    assert (c["part_etat"], c["consommee_eur"], c["restante_eur"]) == (0.5, 2_500, 17_500)
    assert (c["debut_fenetre"], c["fin_fenetre"]) == (date(2020, 7, 1), date(2021, 1, 31))
    assert c["part_fenetre_ecoulee"] == pytest.approx(183 / 214)
    assert c["pass_distribues"] == 200 and c["statut_objectif"] == "en retard"

    c = _ligne(table, EPCI, 2020)
    assert (c["consommee_eur"], c["restante_eur"], c["depassement_eur"]) == (1_000, 0, 500)
    assert c["part_consommee"] == 1
    assert c["part_fenetre_ecoulee"] == pytest.approx(213 / 244)
    assert c["avancement_objectif"] == pytest.approx(0.8) and c["statut_objectif"] == "dans les temps"
    assert not c["distribues_estimes"]  # one convention: all its passes are its own


def test_env011_date_de_reference(base):
    # 31/10/2020: the EPCI handed out 120 of its 150 passes in 152 days of 244 → ahead.
    c = _ligne(env.enveloppes_conventions(base, date(2020, 10, 31)), EPCI, 2020)
    assert c["part_fenetre_ecoulee"] == pytest.approx(152 / 244) and c["statut_objectif"] == "en avance"
    # 31/03/2020: the 2020 conventions are not signed yet; 500 passes handed out of the 2019 orders.
    table = env.enveloppes_conventions(base, date(2020, 3, 31))
    assert list(zip(table["siren"], table["vague"], strict=True)) == [(CD44, 2019)]
    c = table.iloc[0]
    assert (c["consommee_eur"], c["pass_distribues"]) == (pytest.approx(7_200), 500)
    assert c["avancement_objectif"] == pytest.approx(0.05)
    # 31/01/2020: only the first order (1 000 passes, 10 000 €) counts.
    c = env.enveloppes_conventions(base, date(2020, 1, 31)).iloc[0]
    assert c["consommee_eur"] == pytest.approx(6_000) and c["fin_fenetre"] == date(2021, 12, 31)
    # None: the data's date (the last event, 10/2020): the same as at its date.
    jour = env.date_de_reference(base)
    pd.testing.assert_frame_equal(env.enveloppes_conventions(base), env.enveloppes_conventions(base, jour))


def test_env012_par_laureat_par_vague_par_territoire(base):
    porteurs = env.enveloppes_porteurs(base, AU).set_index("siren")
    cd = porteurs.loc[CD44]
    assert (cd["engagee_eur"], cd["consommee_eur"], cd["restante_eur"]) == (80_000, 9_700, 70_300)
    assert cd["part_etat"] == 0.5 and cd["vagues"] == "2019, 2020"  # its latest convention's
    assert (cd["debut_fenetre"], cd["fin_fenetre"]) == (date(2019, 10, 15), date(2021, 12, 31))
    assert cd["pass_prevus"] == 13_000 and cd["pass_distribues"] == 1_400
    assert not cd["distribues_estimes"]  # both conventions together: no split to estimate

    vagues = env.enveloppes_vagues(base, AU).set_index("vague")
    assert not vagues["enveloppe_fixee"].any() and set(vagues["enveloppe_texte"]) == {"non fixée"}
    assert (vagues.loc[2020, "engagee_eur"], vagues.loc[2020, "consommee_eur"]) == (21_000, 3_500)
    assert vagues.loc[2020, "restante_eur"] == 17_500 and vagues.loc[2020, "depassement_eur"] == 500
    assert vagues.loc[2020, "objectif_source"] == "conventions" and vagues.loc[2020, "pass_objectif"] == 3_150
    assert vagues["distribues_estimes"].all()  # one wave: the CD's split is an estimate

    loire = env.enveloppe_territoire(base, "departement", "44", AU)
    assert loire["sirens"] == (CD44,) and loire["engagee_eur"] == 80_000
    assert env.enveloppe_territoire(base, "departement", "29", AU)["nb_conventions"] == 0
    assert env.enveloppe_territoire(base, "departement", "999", AU) is None

    selection = env.enveloppe_selection(base, Filtres(types=("EPCI",)), AU)
    assert (selection["engagee_eur"], selection["consommee_eur"]) == (1_000, 1_000)
    assert selection["enveloppe_eur"] is None and not selection["toute_la_vague"]
    selection = env.enveloppe_selection(base, Filtres(vagues=(2019,)), AU)
    assert (selection["engagee_eur"], selection["nb_conventions"]) == (60_000, 1)


def test_env013_fixer_une_enveloppe_journalise(base):
    with pytest.raises(ValueError, match="Vague inconnue : 2021"):
        env.fixer_enveloppe(base, 2021, 1_000)
    with pytest.raises(ValueError, match="positif ou nul"):
        env.fixer_enveloppe(base, 2020, -1)
    env.fixer_enveloppe(base, 2020, 15_000_000, acteur="env-test")
    apres = env.fixer_enveloppe(base, 2020, objectif_pass=3_000, acteur="env-test")
    assert apres == {"vague": 2020, "montant_eur": 15_000_000, "objectif_pass": 3_000}
    entree = journal(base, 1)[0]
    assert (entree["action"], entree["acteur"], entree["cible"]) == (
        "enveloppe_fixee",
        "env-test",
        "vague 2020",
    )
    assert entree["details"] == {
        "avant": {"montant_eur": 15_000_000, "objectif_pass": None},
        "apres": {"montant_eur": 15_000_000, "objectif_pass": 3_000},
    }
    # Read unmemoised: the envelope shows at once.
    vague = env.enveloppes_vagues(base, AU).set_index("vague").loc[2020]
    assert vague["enveloppe_eur"] == 15_000_000 and vague["part_enveloppe_engagee"] == 21_000 / 15_000_000
    assert (vague["objectif_source"], vague["pass_objectif"]) == ("national", 3_000)
    assert vague["avancement_objectif"] == pytest.approx(320 / 3_000)
    with base.begin() as connection:  # leave the module's base as it was
        connection.execute(EnveloppeVague.__table__.delete())
    assert not base.connect().execute(select(EnveloppeVague.vague)).all()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(au=st.dates(date(2019, 6, 1), date(2023, 12, 31)))
def test_env014_invariants_a_toute_date(base, au):
    table = env.enveloppes_conventions(base, au)
    assert (table["consommee_eur"] >= 0).all() and (table["consommee_eur"] <= table["engagee_eur"]).all()
    assert (table["restante_eur"] >= 0).all()
    assert ((table["part_fenetre_ecoulee"] >= 0) & (table["part_fenetre_ecoulee"] <= 1)).all()
    national = env.enveloppe_selection(base, Filtres(), au)
    vagues = env.enveloppes_vagues(base, au)
    porteurs = env.enveloppes_porteurs(base, au)
    for colonne in ("engagee_eur", "versee_eur", "consommee_eur", "restante_eur", "pass_distribues"):
        total = table[colonne].sum()
        assert national[colonne] == pytest.approx(total)
        assert vagues[colonne].sum() == pytest.approx(total)
        assert (porteurs[colonne].sum() if len(porteurs) else 0) == pytest.approx(total)


def test_env015_cli_enveloppe(base):
    url = base.url.render_as_string(hide_password=False)
    ok = lancer_passnum("enveloppe", "--vague", "2020", "--montant", "1234567,50", url=url)
    assert ok.returncode == 0, ok.stderr
    assert "Vague 2020 : enveloppe 1 234 567,50 €, objectif non fixé (journalisé)." in ok.stdout.replace(
        "\u202f", " "
    ).replace("\u00a0", " ")
    assert journal(base, 1)[0]["details"]["apres"] == {"montant_eur": 1_234_567.5, "objectif_pass": None}
    liste = lancer_passnum("enveloppe", url=url)
    assert liste.returncode == 0, liste.stderr
    texte = liste.stdout.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Vague 2019 : enveloppe non fixée, objectif non fixé" in texte
    assert "Vague 2020 : enveloppe 1 234 567,50 €" in texte and "engagée 21 000 €" in texte
    for arguments, message in (
        (("--vague", "2018", "--montant", "5"), "Erreur : Vague inconnue : 2018"),
        (("--vague", "2020", "--montant", "-5"), "Erreur : Montant refusé"),
        (("--vague", "2020", "--montant", "beaucoup"), "Erreur : Montant illisible : « beaucoup »"),
        (("--montant", "5"), "Erreur : précisez la vague"),
    ):
        refus = lancer_passnum("enveloppe", *arguments, url=url)
        assert refus.returncode == 2 and message in refus.stderr, refus.stderr
    assert json.dumps(journal(base, 1)[0]["details"]["apres"]) == json.dumps(
        {"montant_eur": 1_234_567.5, "objectif_pass": None}
    )  # the refusals wrote nothing
    with base.begin() as connection:
        connection.execute(EnveloppeVague.__table__.delete())


def test_env016_la_demo_nationale_a_les_enveloppes_publiees(base):
    from dashboard.demo.chargement import ACTEUR_ENVELOPPES, _fixer_enveloppes

    _fixer_enveloppes(base)
    vagues = env.enveloppes_vagues(base, AU).set_index("vague")
    assert vagues.loc[2019, "enveloppe_eur"] == 10_000_000 and vagues.loc[2019, "objectif_pass"] == 1_000_000
    assert vagues.loc[2020, "enveloppe_eur"] == 15_000_000 and pd.isna(vagues.loc[2020, "objectif_pass"])
    assert vagues.loc[2019, "avancement_objectif"] == pytest.approx(1_200 / 1_000_000)
    entrees = journal(base, 2)
    assert {e["acteur"] for e in entrees} == {ACTEUR_ENVELOPPES} == {"démonstration"}
    with base.begin() as connection:
        connection.execute(EnveloppeVague.__table__.delete())


def test_env017_cartes_des_pages_sur_la_petite_base(base):
    from types import SimpleNamespace

    from dashboard.components.enveloppe import carte_enveloppe
    from dashboard.store.entites import entite
    from dashboard.vues.enveloppe import carte_entite, carte_nationale

    sources = SimpleNamespace(engine=base, geometries=None)
    cd = carte_entite(sources, entite(base, "porteur", CD44), AU)
    chiffres = {k: v.replace("\u202f", " ") for k, v in cd.chiffres}
    assert chiffres["Subvention engagée"] == "80 000 €" and chiffres["Restante"] == "70 300 €"
    assert chiffres["Fenêtre"] == "15/10/2019 → 31/12/2021" and cd.statut == "en retard"
    assert [v for v, _ in cd.par_convention] == ["Vague 2019", "Vague 2020"]
    assert cd.par_convention[1][1].replace("\u202f", " ") == (
        "part de l'État 50,0 %, engagée 20 000 €, consommée 2 500 € (12,5 %), restante 17 500 € ; fenêtre "
        "01/07/2020 → 31/01/2021 ; 200 pass distribués sur 3 000 prévus (6,7 %) : en retard"
    )
    assert carte_entite(sources, entite(base, "porteur", EPCI), AU).par_convention == ()
    loire = carte_entite(sources, entite(base, "departement", "44"), AU)
    assert "du lauréat dont le périmètre touche le territoire" in loire.perimetre
    assert carte_entite(sources, entite(base, "departement", "29"), AU).vide
    epci = carte_nationale(sources, Filtres(types=("EPCI",)), AU)
    assert "n'est pas montrée" in epci.perimetre and len(epci.barres) == 1
    assert "500 €" in epci.depassement.replace("\u202f", " ")
    rendu = carte_enveloppe(carte_nationale(sources, Filtres(), AU))
    assert rendu.id == "enveloppe" and "Enveloppe nationale non fixée" in rendu.children[1].children
