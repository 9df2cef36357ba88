"""Points de vigilance from a real database (SQLite and PostgreSQL): three laureates imported from files
written here, every fact and point computed by hand below; the settings of the rules (checked,
journaled), the last committee and the points « nouveaux » since it; the page's view-model and export.

  A  CD Loire-Atlantique (224400028), wave 2019, convention 15/10/2019, subsidy 100 000 €, paid 10 000 €
     order 15/01/2020 1 000 passes valid until 31/12/2030; handed out 03/02/2020 600; redeemed 10/02/2020 100
  B  CR Pays de la Loire (234400034), wave 2020, convention 01/06/2020, 50 000 € paid in full
     order 15/07/2020 500 passes; handed out 10/08/2020 300 and 10/03/2021 100; redeemed 20/08/2020 200
     and 20/03/2021 50 (the data date: 20/03/2021)
  C  EPCI CC Faucigny-Glières (200000172), wave 2020, convention 01/06/2020, 40 000 €, paid 30 000 €
     order 15/07/2020 300 passes; handed out 05/10/2020 150; redeemed 20/10/2020 200 (more than handed
     out: inconsistent)

At the data date (03/2021):
  A: last return 02/2020, 13 months, passes valid (2030) and not all redeemed → sans_retour (13, « À
     vérifier »); 10 % of its subsidy paid 17 months after its convention → subvention_non_versee (90 000 €)
  B: nothing.  C: last return 10/2020, 5 months → sans_retour (« À jour »); inconsistent funnel (50 passes
     too many) → entonnoir_incoherent.  No (type, wave) group has 3 laureates: no utilisation_faible.
  Ranked (all of severity « moyenne »): the money first (A's 90 000 €), then the extent: C's funnel (50),
  A's silence (13), C's (5).
At the committee of 31/12/2020: A's silence (10 months) and subsidy (14 months), C's funnel, B's silence
(last return 08/2020: 4 months, since resolved); C's silence is 2 months then: the one point « nouveau ».
"""

from __future__ import annotations

import io
import json
from datetime import date
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import insert, select

from dashboard.domain.droits import COMPTE_LOCAL, Principal
from dashboard.domain.vigilance import Reglage, reglages_par_defaut
from dashboard.domain.vocabulaire import LECTEUR
from dashboard.ingest.chargement import importer
from dashboard.store import vigilance as store
from dashboard.store.comptes import journal
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Comite, RegleVigilance
from dashboard.vues import vigilance as vue
from tests.conftest import GEO_DIR, moteur_temporaire

A, B, C = "224400028", "234400034", "200000172"
FICHIERS = {
    "laureats": (
        "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;subvention_etat_eur;"
        "subvention_versee_eur;pass_prevus\n"
        f"{A};Département de Loire-Atlantique;CD;44;2019;15/10/2019;200000;100000;10000;1000\n"
        f"{B};Région Pays de la Loire;CR;52;2020;01/06/2020;100000;50000;50000;500\n"
        f"{C};CC Faucigny - Glières;EPCI;200000172;2020;01/06/2020;80000;40000;30000;300\n"
    ),
    "commandes": (
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;valeur_faciale_eur;fin_validite\n"
        f"{A};15/01/2020;100;10;10;31/12/2030\n"
        f"{B};15/07/2020;50;10;10;31/12/2030\n"
        f"{C};15/07/2020;30;10;10;31/12/2030\n"
    ),
    "distributions": (
        "siren_porteur;date;code_commune;nb_pass\n"
        f"{A};03/02/2020;44109;600\n"
        f"{B};10/08/2020;44109;300\n"
        f"{B};10/03/2021;44109;100\n"
        f"{C};05/10/2020;74042;150\n"
    ),
    "utilisations": (
        "siren_porteur;date;code_commune;nb_pass\n"
        f"{A};10/02/2020;44109;100\n"
        f"{B};20/08/2020;44109;200\n"
        f"{B};20/03/2021;44109;50\n"
        f"{C};20/10/2020;74042;200\n"
    ),
}
COMITE = date(2020, 12, 31)


def charger(engine) -> None:
    initialiser(engine, GEO_DIR)
    for kind, contenu in FICHIERS.items():
        rapport = importer(engine, kind, contenu.encode("utf-8"), nom_fichier=f"vig-{kind}.csv")
        assert rapport.accepte, rapport.texte()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("vigilance")) as moteur:
        charger(moteur)
        yield moteur


@pytest.fixture
def remis_a_zero(engine):
    """The rules and committees as the tests found them (none set), afterwards too."""
    yield engine
    with engine.begin() as connection:
        connection.execute(RegleVigilance.__table__.delete())
        connection.execute(Comite.__table__.delete())


def _cles(points: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(points["regle"], points["siren"], strict=True))


def test_vig101_faits_a_la_date_des_donnees(engine):
    faits = store.faits(engine)
    assert sorted(faits.index) == sorted([A, B, C])
    a, b, c = faits.loc[A], faits.loc[B], faits.loc[C]
    assert (a["type"], a["vague"], a["region"], b["region"]) == ("CD", 2019, "52", "52")
    assert (a["pass_commandes"], a["pass_distribues"], a["pass_utilises"]) == (1000, 600, 100)
    assert a["taux_utilisation"] == pytest.approx(100 / 600)
    assert (b["pass_distribues"], b["pass_utilises"]) == (400, 250)
    assert c["donnees_incoherentes"] and not a["donnees_incoherentes"] and pd.isna(c["taux_utilisation"])
    assert pd.Timestamp(a["dernier_retour"]) == pd.Timestamp("2020-02-01")
    assert (a["mois_sans_retour"], b["mois_sans_retour"], c["mois_sans_retour"]) == (13, 0, 5)
    assert a["mois_silence_validite"] == 13 and a["pass_en_circulation"]
    assert pd.Timestamp(a["fin_validite"]) == pd.Timestamp("2030-12-31")
    assert pd.Timestamp(a["date_reference"]) == pd.Timestamp("2021-03-20")
    assert (a["engagee_2019"], a["versee_2019"]) == (100000, 10000) and pd.isna(a["engagee_2020"])
    assert pd.Timestamp(a["date_convention_2019"]) == pd.Timestamp("2019-10-15")
    assert (a["subvention_etat_engagee_eur"], c["subvention_etat_versee_eur"]) == (100000, 30000)


def test_vig102_faits_a_une_date_passee_sans_rien_d_apres(engine):
    faits = store.faits(engine, COMITE)
    b = faits.loc[B]
    assert (b["pass_distribues"], b["pass_utilises"]) == (300, 200)  # nothing of 2021
    assert b["taux_utilisation"] == pytest.approx(200 / 300)
    assert (faits.loc[A, "mois_sans_retour"], faits.loc[C, "mois_sans_retour"]) == (10, 2)
    assert pd.Timestamp(faits.loc[A, "date_reference"]) == pd.Timestamp(COMITE)
    avant = store.faits(engine, date(2020, 3, 31))  # B and C have no convention yet
    assert list(avant.index) == [A]
    assert (avant.loc[A, "pass_commandes"], avant.loc[A, "pass_distribues"]) == (1000, 600)


def test_vig103_points_classes_a_la_main(engine):
    evaluation = store.evaluation(engine, regles=reglages_par_defaut())
    points = evaluation.points
    assert _cles(points) == [
        ("subvention_non_versee", A),
        ("entonnoir_incoherent", C),
        ("sans_retour", A),
        ("sans_retour", C),
    ]
    p = points.set_index(["regle", "siren"])
    assert p.loc[("subvention_non_versee", A), "montant_eur"] == 90000
    assert p.loc[("subvention_non_versee", A), "chiffre"] == "10,0 % versé"
    assert p.loc[("subvention_non_versee", A), "detail"].replace("\u202f", " ") == (
        "Vague 2019 : 10 000 € versés sur 100 000 € (10,0 %), convention du 15/10/2019."
    )
    assert p.loc[("sans_retour", A), "chiffre"] == "13 mois sans retour · fraîcheur « À vérifier »"
    assert p.loc[("sans_retour", C), "chiffre"] == "5 mois sans retour · fraîcheur « À jour »"
    assert p.loc[("entonnoir_incoherent", C), "detail"].startswith("200 pass utilisés pour 150 distribués")
    # The forecast is not there yet: said, no point.
    assert set(evaluation.sans_objet) == set()


def test_vig104_fournisseurs_ajoutent_leurs_colonnes(engine):
    from dashboard.store.enveloppes import enveloppes_porteurs
    from dashboard.store.prevision import prevision_porteurs

    def essai(_engine, au):
        return pd.DataFrame({"colonne_essai": [12000.0, 4000.0]}, index=pd.Index([B, C], name="siren"))

    store.FOURNISSEURS.append(essai)
    try:
        assert store.faits(engine).loc[B, "colonne_essai"] == 12000
    finally:
        store.FOURNISSEURS.remove(essai)
    assert "colonne_essai" not in store.faits(engine)
    # The envelopes' and the forecast's columns, as their modules compute them.
    faits = store.faits(engine)
    prevu = prevision_porteurs(engine).set_index("siren")
    enveloppes = enveloppes_porteurs(engine).set_index("siren")
    for siren in (B, C):
        assert faits.loc[siren, "etat_risque_eur"] == prevu.loc[siren, "etat_risque_eur"]
        assert faits.loc[siren, "part_consommee"] == enveloppes.loc[siren, "part_consommee"]
    evaluation = store.evaluation(engine, regles=reglages_par_defaut())
    assert "expiration" not in evaluation.sans_objet and "sous_consommation" not in evaluation.sans_objet


def test_vig105_reglages_valides_et_journalises(remis_a_zero):
    engine = remis_a_zero
    assert store.reglages(engine)["sans_retour"] == Reglage("sans_retour", True, {"mois": 3})
    with pytest.raises(ValueError, match="n'est pas un nombre"):
        store.modifier_regle(engine, "sans_retour", True, {"mois": "trois"}, "admin@exemple.fr")
    with pytest.raises(ValueError, match=r"Mois sans retour .* 0 mois n'est pas entre 1 mois et 60 mois"):
        store.modifier_regle(engine, "sans_retour", True, {"mois": 0}, "admin@exemple.fr")
    with pytest.raises(ValueError, match="entier"):
        store.modifier_regle(engine, "sans_retour", True, {"mois": 2.5}, "admin@exemple.fr")
    with pytest.raises(ValueError, match="Paramètre inconnu"):
        store.modifier_regle(engine, "sans_retour", True, {"seuil": 3}, "admin@exemple.fr")
    with pytest.raises(ValueError, match="inconnue"):
        store.modifier_regle(engine, "pas_une_regle", True, {}, "admin@exemple.fr")
    assert [e for e in journal(engine) if e["action"] == "regle_vigilance_modifiee"] == []

    store.modifier_regle(engine, "sans_retour", True, {"mois": 6}, "admin@exemple.fr")
    assert store.reglages(engine)["sans_retour"].parametres == {"mois": 6}
    assert _cles(store.points(engine)) == [
        ("subvention_non_versee", A),
        ("entonnoir_incoherent", C),
        ("sans_retour", A),  # C's 5 months no longer count
    ]
    store.modifier_regle(engine, "entonnoir_incoherent", False, {}, "admin@exemple.fr")
    assert ("entonnoir_incoherent", C) not in _cles(store.points(engine))
    entrees = [e for e in journal(engine) if e["action"] == "regle_vigilance_modifiee"]
    assert [e["cible"] for e in entrees] == ["entonnoir_incoherent", "sans_retour"]
    assert entrees[1]["acteur"] == "admin@exemple.fr"
    assert entrees[1]["details"] == {
        "avant": {"active": True, "parametres": {"mois": 3}},
        "apres": {"active": True, "parametres": {"mois": 6}},
    }
    # The same settings again: nothing written, nothing journaled.
    store.modifier_regle(engine, "sans_retour", True, {"mois": 6}, "admin@exemple.fr")
    assert len([e for e in journal(engine) if e["action"] == "regle_vigilance_modifiee"]) == 2


def test_vig106_reglage_ecrit_a_la_main_et_faux_donne_les_defauts(remis_a_zero):
    engine = remis_a_zero
    with engine.begin() as connection:
        connection.execute(
            insert(RegleVigilance).values(
                cle="sans_retour",
                active=False,
                parametres=json.dumps({"mois": -4}),
                modifie_le=pd.Timestamp.now(tz="UTC").to_pydatetime(),
                modifie_par="script",
            )
        )
    assert store.reglages(engine)["sans_retour"] == Reglage("sans_retour", False, {"mois": 3})


def test_vig107_dernier_comite_et_points_nouveaux(remis_a_zero):
    engine = remis_a_zero
    assert store.dernier_comite(engine) is None
    evaluation = store.evaluation(engine)
    assert not store.avec_nouveaux(engine, evaluation, None)["nouveau"].any()
    au_comite = store.points(engine, COMITE)
    assert _cles(au_comite) == [
        ("subvention_non_versee", A),
        ("entonnoir_incoherent", C),
        ("sans_retour", A),
        ("sans_retour", B),
    ]
    with engine.begin() as connection:
        for jour in (date(2020, 9, 30), COMITE):
            connection.execute(
                insert(Comite).values(
                    date=jour, cree_le=pd.Timestamp.now(tz="UTC").to_pydatetime(), cree_par="test"
                )
            )
    assert store.dernier_comite(engine) == COMITE
    assert store.dernier_comite(engine, avant=COMITE) == date(2020, 9, 30)
    marques = store.avec_nouveaux(engine, evaluation, store.dernier_comite(engine))
    assert _cles(marques[marques["nouveau"]]) == [("sans_retour", C)]
    # A committee after the data date (20/03/2021) saw today's data: nothing is new since.
    assert not store.avec_nouveaux(engine, evaluation, date(2021, 4, 15))["nouveau"].any()

    sources = SimpleNamespace(engine=engine)
    page = vue.calculer(sources, vue.FiltresVigilance(), COMPTE_LOCAL)
    assert page.rappel_comite == "Depuis le comité du 31/12/2020 : 1 nouveau point."
    assert page.total == 4 and page.peut_regler
    assert page.points["chemin"].tolist()[0] == f"/porteur/{A}"
    lecteur = Principal(LECTEUR, "lecteur@exemple.fr", "Lecteur")
    filtree = vue.calculer(sources, vue.lire_filtres({"regle": "sans_retour", "type": "EPCI"}), lecteur)
    assert _cles(filtree.points) == [("sans_retour", C)] and filtree.points["rang"].tolist() == [1]
    assert not filtree.peut_regler


def test_vig108_export_estampille(engine):
    sources = SimpleNamespace(engine=engine)
    fichier = vue.exporter(sources, {"regle": "sans_retour"}, "csv", "points")
    texte = fichier.contenu.decode("utf-8-sig")
    assert fichier.nom.startswith("pass-numerique-vigilance-") and fichier.nom.endswith(".csv")
    assert "Pass numérique — Points de vigilance" in texte and "Règle : Aucun retour récent" in texte
    assert "Date des données;20/03/2021" in texte
    lignes = [ligne for ligne in texte.splitlines() if ligne.startswith(("1;", "2;"))]
    assert [ligne.split(";")[3] for ligne in lignes] == [
        "Département de Loire-Atlantique",
        "CC Faucigny - Glières",
    ]
    assert vue.exporter(sources, {}, "png", "points") is None
    classeur = openpyxl.load_workbook(io.BytesIO(vue.exporter(sources, {}, "xlsx", "points").contenu))
    lignes = [[c for c in ligne] for ligne in classeur.active.iter_rows(values_only=True)]
    entete = next(i for i, ligne in enumerate(lignes) if ligne[0] == "Rang")
    assert [(ligne[2], ligne[4]) for ligne in lignes[entete + 1 :]] == [
        ("Subvention engagée peu versée", A),
        ("Données incohérentes", C),
        ("Aucun retour récent", A),
        ("Aucun retour récent", C),
    ]
    assert lignes[entete + 1][9] == 90000  # the money at stake, a number


def test_vig109_modifications_du_formulaire_et_droits(remis_a_zero):
    engine = remis_a_zero
    sources = SimpleNamespace(engine=engine)
    actuels = store.reglages(engine)
    modifs = vue.modifications(actuels, {"sans_retour": True}, {("sans_retour", "mois"): "6"})
    assert [m.texte() for m in modifs] == ["Aucun retour récent : mois sans retour 3 mois → 6 mois"]
    eteinte = vue.modifications(actuels, {"entonnoir_incoherent": False}, {})
    assert [m.texte() for m in eteinte] == ["Données incohérentes : désactivée"]
    pourcent = vue.modifications(actuels, {}, {("subvention_non_versee", "seuil_part"): "25"})
    assert pourcent[0].apres.parametres["seuil_part"] == 0.25
    assert pourcent[0].texte() == "Subvention engagée peu versée : part versée 50 % → 25 %"
    with pytest.raises(ValueError, match=r"Part versée .* 250 % n.est pas entre 0 % et 100 %"):
        vue.modifications(actuels, {}, {("subvention_non_versee", "seuil_part"): "250"})
    lecteur = Principal(LECTEUR, "lecteur@exemple.fr", "Lecteur")
    with pytest.raises(PermissionError):
        vue.appliquer(sources, lecteur, vue.demandes(modifs))
    assert store.reglages(engine)["sans_retour"].parametres == {"mois": 3}
    assert vue.appliquer(sources, COMPTE_LOCAL, vue.demandes(modifs)) == [modifs[0].texte()]
    assert store.reglages(engine)["sans_retour"].parametres == {"mois": 6}
    with engine.connect() as connection:
        ligne = connection.execute(select(RegleVigilance.modifie_par)).scalar_one()
    assert ligne == COMPTE_LOCAL.identifiant


def test_vig110_points_d_une_fiche(engine):
    from dashboard.components.vigilance import bloc_fiche
    from dashboard.store.entites import entite

    sources = SimpleNamespace(engine=engine)
    porteur = entite(engine, "porteur", A)
    points = vue.points_entite(sources, porteur)
    assert _cles(points) == [("subvention_non_versee", A), ("sans_retour", A)]
    assert vue.lien_entite(porteur, points) == "/vigilance?region=52"
    # Loire-Atlantique: the CD and the région cover it (B has no point), not the EPCI of Haute-Savoie.
    departement = entite(engine, "departement", "44")
    assert _cles(vue.points_entite(sources, departement)) == _cles(points)
    haute_savoie = vue.points_entite(sources, entite(engine, "departement", "74"))
    assert _cles(haute_savoie) == [("entonnoir_incoherent", C), ("sans_retour", C)]
    assert vue.lien_entite(entite(engine, "departement", "74"), haute_savoie) == "/vigilance?region=84"
    bloc = bloc_fiche(haute_savoie, porteur=False)
    texte = str(bloc.to_plotly_json())
    assert "Points de vigilance des lauréats du territoire" in texte and f"/porteur/{C}" in texte


def test_vig111_base_sans_laureat(base_sqlite_initialisee):
    from dashboard.components.vigilance import page
    from dashboard.store.db import make_engine

    engine = make_engine(base_sqlite_initialisee.resolved_database_url)
    assert store.faits(engine).empty
    evaluation = store.evaluation(engine)
    assert evaluation.points.empty and set(evaluation.sans_objet) == set()
    resultat = vue.calculer(SimpleNamespace(engine=engine), vue.FiltresVigilance(), None)
    assert resultat.total == 0 and resultat.regions == {}
    assert "Aucun point de vigilance pour cette sélection." in str(page(resultat).to_plotly_json())
