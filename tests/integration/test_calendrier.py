"""The reporting calendar on a tiny base whose every status is computed by hand, on SQLite and PostgreSQL.

Two laureates, imported through the importer, then each lot's date of import written directly:
- the CD of Loire-Atlantique (first order 15/01/2020, passes valid until 31/05/2020);
- the CC Faucigny - Glières (first order 10/02/2020, no end of validity).

lot 1, distributions, imported 10/02/2020: CD 20/01/2020
lot 2, utilisations,  imported 20/03/2020: CD 10/02/2020, CC 15/02/2020
lot 3, distributions, imported 14/04/2020: CD 05/03/2020 and 25/01/2020, CC 28/03/2020
lot 4, distributions, imported 01/06/2020: CC 02/05/2020 and 20/05/2020 (the data date: 20/05/2020)

Deadlines: January 15/02, February 15/03, March 15/04, April 15/05, May 15/06.
"""

import base64
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from dashboard.domain.calendrier import A_VENIR, MANQUANT, RECU, RETARD
from dashboard.ingest.chargement import importer
from dashboard.store import memoire
from dashboard.store.calendrier import calendrier, synthese
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ImportLot
from dashboard.vues import calendrier as vue
from tests.conftest import GEO_DIR

CD, CC = "224400028", "200000172"

LAUREATS = (
    "siren;nom;type;code_territoire;vague;date_convention;budget_total_eur;subvention_etat_eur\n"
    "224400028;Département de Loire-Atlantique;CD;44;2019;15/10/2019;100000;50000\n"
    "200000172;CC Faucigny - Glières;EPCI;200000172;2020;01/06/2020;80000;40000\n"
)
COMMANDES = (
    "siren_porteur;date_commande;nb_carnets;pass_par_carnet;valeur_faciale_eur;fin_validite\n"
    "224400028;15/01/2020;100;10;10;31/05/2020\n"
    "200000172;10/02/2020;20;10;10;\n"
)
EN_TETE = "siren_porteur;date;code_commune;nb_pass\n"
LOTS = [
    ("distributions", "224400028;20/01/2020;44109;10\n", datetime(2020, 2, 10, 9, tzinfo=UTC)),
    (
        "utilisations",
        "224400028;10/02/2020;44109;5\n200000172;15/02/2020;74042;5\n",
        datetime(2020, 3, 20, 9, tzinfo=UTC),
    ),
    (
        "distributions",
        "224400028;05/03/2020;44109;10\n224400028;25/01/2020;44109;10\n200000172;28/03/2020;74042;20\n",
        datetime(2020, 4, 14, 9, tzinfo=UTC),
    ),
    (
        "distributions",
        "200000172;02/05/2020;74042;10\n200000172;20/05/2020;74042;10\n",
        datetime(2020, 6, 1, 9, tzinfo=UTC),
    ),
]


@pytest.fixture(scope="module")
def base(moteur_module):
    initialiser(moteur_module, GEO_DIR)
    for kind, contenu in (("laureats", LAUREATS), ("commandes", COMMANDES)):
        assert importer(moteur_module, kind, contenu.encode(), nom_fichier=f"{kind}.csv").accepte
    for i, (kind, lignes, moment) in enumerate(LOTS):
        rapport = importer(moteur_module, kind, (EN_TETE + lignes).encode(), nom_fichier=f"lot{i}.csv")
        assert rapport.accepte, rapport.texte()
        with moteur_module.begin() as connection:
            connection.execute(
                update(ImportLot).where(ImportLot.id == rapport.import_lot_id).values(importe_le=moment)
            )
    memoire.vider()
    return moteur_module


def _statuts(engine, au=None) -> dict:
    table = calendrier(engine, au)
    return {(s, f"{m:%Y-%m}"): (st, r) for s, m, st, r in table.itertuples(index=False)}


def test_cal101_statuts_a_la_date_des_donnees(base):
    assert _statuts(base) == {
        (CD, "2020-01"): (RECU, date(2020, 2, 10)),  # lot 3's January line came later: the first counts
        (CD, "2020-02"): (RETARD, date(2020, 3, 20)),
        (CD, "2020-03"): (RECU, date(2020, 4, 14)),
        (CD, "2020-04"): (MANQUANT, None),
        (CD, "2020-05"): (A_VENIR, None),  # due 15/06, after the data date
        (CC, "2020-02"): (RETARD, date(2020, 3, 20)),
        (CC, "2020-03"): (RECU, date(2020, 4, 14)),
        (CC, "2020-04"): (MANQUANT, None),
        (CC, "2020-05"): (RECU, date(2020, 6, 1)),  # imported after the data date: it counts, unless `au`
    }


def test_cal102_synthese_score_et_relance(base):
    s = synthese(base).set_index("siren")
    cd, cc = s.loc[CD], s.loc[CC]
    assert (cd.mois_attendus, cd.mois_echus, cd.mois_recus, cd.mois_en_retard, cd.mois_manquants) == (
        5,
        4,
        2,
        1,
        1,
    )
    assert cd.score == pytest.approx(3 / 4)
    assert (cd.dernier_mois_recu, cd.dernier_retour) == (date(2020, 3, 1), date(2020, 4, 14))
    assert (cd.mois_sans_retour, bool(cd.a_relancer), cd.manquants_recents) == (1, True, (date(2020, 4, 1),))
    # The May return is in, but not past due yet: neither counted nor scored.
    assert (cc.mois_attendus, cc.mois_echus, cc.mois_recus, cc.mois_en_retard, cc.mois_manquants) == (
        4,
        3,
        1,
        1,
        1,
    )
    assert cc.score == pytest.approx(2 / 3)
    assert (cc.dernier_mois_recu, cc.dernier_retour, bool(cc.a_relancer)) == (
        date(2020, 5, 1),
        date(2020, 6, 1),
        True,
    )


def test_cal103_date_de_reference_passee(base):
    """On 16/03/2020, February was due the day before and lot 2 (20/03) had not come: missing; March is
    still to come; lots 3 and 4 do not exist yet."""
    assert _statuts(base, date(2020, 3, 16)) == {
        (CD, "2020-01"): (RECU, date(2020, 2, 10)),
        (CD, "2020-02"): (MANQUANT, None),
        (CD, "2020-03"): (A_VENIR, None),
        (CC, "2020-02"): (MANQUANT, None),
        (CC, "2020-03"): (A_VENIR, None),
    }
    s = synthese(base, date(2020, 3, 16)).set_index("siren")
    assert s.loc[CD, "score"] == pytest.approx(1 / 2) and s.loc[CC, "score"] == 0
    assert bool(s.loc[CD, "a_relancer"]) and bool(s.loc[CC, "a_relancer"])
    # On 20/04/2020: every month past due is in (February late), nobody to chase up.
    s = synthese(base, date(2020, 4, 20)).set_index("siren")
    assert list(s["score"]) == [1.0, 1.0] and not s["a_relancer"].any()
    assert s.loc[CD, "mois_en_retard"] == 1 and s.loc[CD, "mois_echus"] == 3


def test_cal104_vue_filtres_et_export(base, tmp_path):
    """The page's model: filtered by type and wave; the export has one row per laureate to chase up."""

    class Sources:
        engine = base
        geometries = None

    tout = vue.calculer(Sources(), {})
    assert [ligne.siren for ligne in tout.lignes] == [CC, CD]  # by score, lowest first
    assert list(tout.relance["siren"]) == [CC, CD]
    assert list(tout.relance["derniers_manquants"]) == ["04/2020", "04/2020"]
    cellules = {c.mois: c for c in tout.lignes[1].cellules}
    assert cellules[date(2020, 2, 1)].texte == "02/2020 : reçu en retard, le 20/03/2020"
    assert cellules[date(2020, 2, 1)].lettre == "R"
    assert cellules[date(2019, 12, 1)].statut is None
    assert [ligne.siren for ligne in vue.calculer(Sources(), {"type": "EPCI"}).lignes] == [CC]
    assert [ligne.siren for ligne in vue.calculer(Sources(), {"vague": "2019"}).lignes] == [CD]
    assert [ligne.siren for ligne in vue.calculer(Sources(), {"region": "84"}).lignes] == [CC]

    fichier = vue.exporter(Sources(), {"type": "CD"}, "csv", "relance")
    texte = fichier.contenu.decode("utf-8-sig").splitlines()
    assert texte[0] == "Pass numérique — calendrier des remontées — lauréats à relancer"
    assert "Filtres;Type : Conseil départemental" in texte
    entete = texte.index(";".join(t for _, t in vue.COLONNES_RELANCE))
    lignes = [ligne.split(";") for ligne in texte[entete + 1 :]]
    assert lignes == [
        [
            "Département de Loire-Atlantique",
            CD,
            "Conseil départemental",
            "Pays de la Loire",
            "04/2020",
            "1",
            "01/03/2020",
            "14/04/2020",
            "0,75",
        ]
    ]
    tout_csv = vue.exporter(Sources(), {}, "csv", "relance").contenu.decode("utf-8-sig").splitlines()
    entete = tout_csv.index(";".join(t for _, t in vue.COLONNES_RELANCE))
    assert len(tout_csv[entete + 1 :]) == len(tout.relance) == 2
    xlsx = vue.exporter(Sources(), {}, "xlsx", "relance")
    assert xlsx.nom.endswith(".xlsx") and xlsx.contenu[:2] == b"PK"
    assert vue.exporter(Sources(), {}, "png", "relance") is None

    # A past reference date (the address's `au`): on 16/03/2020 both had February missing.
    passe = vue.calculer(Sources(), {"au": "2020-03-16", "mois": "24"})
    assert passe.reference == date(2020, 3, 16) and passe.mois[-1] == date(2020, 3, 1)
    assert list(passe.relance["derniers_manquants"]) == ["02/2020", "02/2020"]
    assert vue.lire_filtres({"au": "pas une date"})["au"] is None

    # A laureate's page: its row over its 24 latest months owed (up to May 2020).
    mois, ligne = vue.ligne_fiche(Sources(), CD)
    assert len(mois) == 24 and mois[-1] == date(2020, 5, 1)
    assert [c.lettre for c in ligne.cellules[-5:]] == ["T", "R", "T", "M", "·"]
    assert ligne.resume == "3 mois reçus sur 4 échus (1 en retard), 1 manquant" and ligne.a_relancer
    assert vue.ligne_fiche(Sources(), "999999999") is None


def test_cal105_page_filtre_et_export_par_les_rappels(base, tmp_path):
    """Through the app: the page and a laureate's page answer, the filter callback redraws the grid, the
    export callback sends the stamped list of the laureates to chase up."""
    from dashboard import create_app
    from tests.conftest import client_rappels, settings_pour
    from tests.rappels import corps_rappel

    app = create_app(settings_pour(base.url.render_as_string(hide_password=False), tmp_path))
    client = client_rappels(app)
    assert client.get("/calendrier?type=CD&au=2020-03-16").status_code == 200
    mise_en_page = client.get("/_dash-layout")
    assert mise_en_page.status_code == 200

    corps = corps_rappel(
        app,
        "calendrier-contenu",
        {
            "calendrier-type.value": "EPCI",
            "calendrier-region.value": "*",
            "calendrier-vague.value": "*",
            "calendrier-mois.value": "12",
            "calendrier-tri.value": "nom",
            "calendrier-filtres.data": {"au": None},
        },
        declencheur="calendrier-type.value",
    )
    reponse = client.post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    sortie = reponse.get_json()["response"]
    assert sortie["calendrier-filtres"]["data"]["type"] == "EPCI"
    assert CC in str(sortie["calendrier-contenu"]["children"])
    assert CD not in str(sortie["calendrier-contenu"]["children"])

    bouton = {"type": "export", "page": "calendrier", "format": "csv", "nom": "relance"}
    corps = corps_rappel(
        app,
        "calendrier-telechargement",
        {"calendrier-filtres.data": sortie["calendrier-filtres"]["data"]},
        declencheur=(bouton, "n_clicks"),
        composants=[(bouton, "n_clicks", 1)],
    )
    reponse = client.post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    donnees = reponse.get_json()["response"]["calendrier-telechargement"]["data"]
    assert donnees["filename"].startswith("pass-numerique-calendrier-a-relancer-")
    texte = base64.b64decode(donnees["content"]).decode("utf-8-sig").splitlines()
    assert "Filtres;Type : EPCI" in texte
    entete = texte.index(";".join(t for _, t in vue.COLONNES_RELANCE))
    assert [ligne.split(";")[1] for ligne in texte[entete + 1 :]] == [CC]


def test_cal106_un_import_remplace_garde_sa_premiere_date(base):
    """Lot 2 replaced on 01/05/2020 by the same file (what `--remplacer` writes: a new lot naming the
    one it replaces, the lines moved to it): February still came in on 20/03/2020, late, not on 01/05."""
    from sqlalchemy import insert, select

    from dashboard.store.schema import Utilisation

    avant = _statuts(base)
    with base.begin() as connection:
        lot2 = connection.scalar(select(ImportLot.id).where(ImportLot.fichier == "lot1.csv"))
        nouveau = connection.execute(
            insert(ImportLot)
            .values(
                kind="utilisations",
                fichier="lot1.csv",
                checksum="remplacement",
                lignes=2,
                importe_le=datetime(2020, 5, 1, 9, tzinfo=UTC),
                remplace_lot_id=lot2,
            )
            .returning(ImportLot.id)
        ).scalar_one()
        connection.execute(update(ImportLot).where(ImportLot.id == lot2).values(remplace=True))
        connection.execute(
            update(Utilisation).where(Utilisation.import_lot_id == lot2).values(import_lot_id=nouveau)
        )
    try:
        apres = _statuts(base)  # a new lot: a new data version
        assert apres == avant
        assert apres[(CD, "2020-02")] == (RETARD, date(2020, 3, 20))
    finally:
        with base.begin() as connection:
            connection.execute(
                update(Utilisation).where(Utilisation.import_lot_id == nouveau).values(import_lot_id=lot2)
            )
            connection.execute(update(ImportLot).where(ImportLot.id == lot2).values(remplace=False))
            connection.execute(ImportLot.__table__.delete().where(ImportLot.id == nouveau))
        memoire.vider()
