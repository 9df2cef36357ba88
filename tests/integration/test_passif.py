"""The operator's liabilities (issue 19, part 7): the optional `rembourse` column of the redemptions, its
monthly sums, the indicators, the pages' block and export, « Données figées depuis ». SQLite and
PostgreSQL; every figure computed by hand below."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest
from alembic import command
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import Engine, func, select

from dashboard.cli.indicateurs import pour_machine
from dashboard.components.fiche import page
from dashboard.components.passif import carte_nationale
from dashboard.domain.etat import EtatVue
from dashboard.domain.filtres import Filtres, lire_filtres
from dashboard.domain.formatage import euros, pourcentage
from dashboard.domain.indicateurs import totaliser
from dashboard.ingest.chargement import importer
from dashboard.store import entites, migration, sauvegarde
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteSansSiretMensuelle,
    ActiviteStructureMensuelle,
    Utilisation,
)
from dashboard.vues.fiche import calculer_fiche, exporter, tables_export
from dashboard.vues.passif import carte_nationale as vue_carte
from dashboard.vues.tableau import avec_type_et_region, colonnes_offertes
from tests.conftest import GEO_DIR
from tests.integration.test_import_fichiers import assert_agregats_exacts, importer_valides
from tests.integration.test_structures_sans_siret import CD44, COMMANDES, DISTRIBUTIONS, EPCI

CYBER = "44109000000015"
# CD44: 570 passes redeemed; 250 never paid back (200 + 50), 300 paid back, 20 unknown.
# The EPCI: 900 redeemed, its file never says.
UTILISATIONS = "siren_porteur;date;code_commune;siret_lieu;nom_lieu;nb_pass;Remboursé\n" + (
    f"{CD44};10/02/2020;44109;{CYBER};Cyber-base Nantes;300;oui\n"
    f"{CD44};11/02/2020;44184;;Espace numérique Saint-Nazaire;200;N\n"
    f"{CD44};12/02/2020;44109;{CYBER};Cyber-base Nantes;50;Non remboursé\n"
    f"{CD44};13/02/2020;44109;{CYBER};Cyber-base Nantes;20;\n"
    f"{EPCI};20/10/2020;74042;;Tiers-lieu de Bonneville;900;\n"
)


def _importer(engine: Engine, kind: str, contenu: str, nom: str):
    rapport = importer(engine, kind, contenu.encode(), nom_fichier=nom)
    assert rapport.accepte, rapport.texte()
    return rapport


@pytest.fixture(scope="module")
def base(moteur_module) -> Engine:
    initialiser(moteur_module, GEO_DIR)
    importer_valides(moteur_module, "syndicats", "laureats")
    _importer(moteur_module, "commandes", COMMANDES, "c.csv")
    _importer(moteur_module, "distributions", DISTRIBUTIONS, "d.csv")
    _importer(moteur_module, "utilisations", UTILISATIONS, "u.csv")
    return moteur_module


def _sources(engine: Engine) -> SimpleNamespace:
    return SimpleNamespace(engine=engine, geometries=None)


def _texte(composant) -> str:
    return json.dumps(composant.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_rem001_colonne_lue_et_agregats(base):
    with base.connect() as connection:
        lignes = connection.execute(
            select(Utilisation.nb_pass, Utilisation.rembourse).order_by(Utilisation.date)
        )
        assert [(n, r) for n, r in lignes] == [
            (300, True),
            (200, False),
            (50, False),
            (20, None),
            (900, None),
        ]
        sommes = {
            m.__tablename__: connection.execute(
                select(func.sum(m.pass_non_rembourses), func.sum(m.pass_rembourses))
            ).one()
            for m in (ActiviteMensuelle, ActiviteStructureMensuelle, ActiviteSansSiretMensuelle)
        }
    assert sommes["activite_mensuelle"] == (250, 300)
    assert sommes["activite_structure_mensuelle"] == (50, 300)  # the Cyber-base (SIRET)
    assert sommes["activite_sans_siret_mensuelle"] == (200, 0)  # Saint-Nazaire and Bonneville
    assert_agregats_exacts(base)  # the sums kept by the import equal a recomputation


@pytest.mark.parametrize(
    "valeur, attendu",
    [
        ("oui", True),
        ("Vrai", True),
        ("1", True),
        ("true", True),
        ("REMBOURSÉ", True),
        ("o", True),
        ("non", False),
        ("n", False),
        ("0", False),
        ("faux", False),
        ("False", False),
        ("non-remboursé", False),
        ("", None),
        ("  ", None),
    ],
)
def test_rem002_valeurs_acceptees(valeur, attendu):
    import pandas as pd

    from dashboard.ingest.valeurs import lire_oui_non

    lues, illisibles = lire_oui_non(pd.Series([valeur.strip()]))
    assert lues.tolist() == [attendu] and illisibles.tolist() == [False]


def test_rem003_valeur_illisible_refusee_rien_ecrit(base):
    with base.connect() as connection:
        avant = connection.scalar(select(func.count()).select_from(Utilisation))
    contenu = "siren_porteur;date;code_commune;nb_pass;rembourse\n" + (
        f"{CD44};14/02/2020;44109;3;oui\n{CD44};15/02/2020;44109;4;peut-être\n"
    )
    rapport = importer(base, "utilisations", contenu.encode(), nom_fichier="illisible.csv")
    assert not rapport.accepte
    (erreur,) = rapport.erreurs
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (3, "rembourse", "peut-être")
    assert erreur.motif.startswith("valeur illisible (attendu : oui/non")
    with base.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Utilisation)) == avant


def test_rem004_indicateurs_a_la_main_et_non_renseigne(base):
    porteurs = table_indicateurs(base, "porteur", "porteurs", Filtres()).set_index("code")
    assert porteurs.loc[CD44, "pass_non_rembourses"] == 250
    assert porteurs.loc[CD44, "montant_non_rembourse_eur"] == 2500.0
    assert porteurs.loc[CD44, "pass_rembourses"] == 300
    assert np.isnan(porteurs.loc[EPCI, "pass_non_rembourses"])  # its file never says: « non renseigné »
    assert np.isnan(porteurs.loc[EPCI, "montant_non_rembourse_eur"])
    # Territories: counted where the passes were redeemed.
    departements = table_indicateurs(base, "departement", "territoires", Filtres()).set_index("code")
    assert departements.loc["44", "pass_non_rembourses"] == 250
    assert np.isnan(departements.loc["74", "pass_non_rembourses"])
    # A period without any redemption that says: unknown, not 0.
    periode = lire_filtres({"periode": "2020-10..2020-12"})
    table = table_indicateurs(base, "porteur", "porteurs", periode).set_index("code")
    assert np.isnan(table.loc[CD44, "pass_non_rembourses"])
    assert table.loc[CD44, "pass_utilises"] == 0


def test_rem005_concordance_table_cli_export_fiche(base):
    table = table_indicateurs(base, "porteur", "porteurs", Filtres())
    cli = pour_machine(table).set_index("code")
    assert cli.loc[CD44, "pass_non_rembourses"] == 250 and cli.loc[CD44, "montant_non_rembourse_eur"] == 2500
    fiche = calculer_fiche(_sources(base), entites.entite(base, "porteur", CD44))
    assert fiche.ligne["pass_non_rembourses"] == 250
    titre, lieux, colonnes = tables_export(fiche)["passif"]
    assert titre == "Lieux de médiation : pass utilisés non remboursés"
    assert [
        (
            r.siret,
            r.nom,
            r.commune,
            r.pass_utilises,
            r.pass_non_rembourses,
            r.montant_non_rembourse_eur,
            r.pass_sans_information,
        )
        for r in lieux.itertuples()
    ] == [
        (
            None,
            "Espace numérique Saint-Nazaire (nom seul, non identifié)",
            "Saint-Nazaire",
            200,
            200,
            2000.0,
            0,
        ),
        (CYBER, "Cyber-base Nantes", "Nantes", 370, 50, 500.0, 20),
    ]
    assert lieux["pass_non_rembourses"].sum() == fiche.ligne["pass_non_rembourses"]
    assert [c for c, _ in colonnes][:5] == ["siret", "nom", "commune", "pass_utilises", "pass_non_rembourses"]
    assert fiche.passif.phrase == (
        f"250 pass utilisés non remboursés, soit {euros(2500)} dus à 2 lieux de médiation."
    )
    rendu = _texte(page(fiche))
    assert fiche.passif.phrase in rendu
    assert "Cyber-base Nantes" in rendu and "fiche-passif" in rendu
    # The territory where they were redeemed: the same places.
    departement = calculer_fiche(_sources(base), entites.entite(base, "departement", "44"))
    assert departement.passif.lieux["pass_non_rembourses"].tolist() == [200, 50]
    # The EPCI: no information, said so.
    epci = calculer_fiche(_sources(base), entites.entite(base, "porteur", EPCI))
    assert epci.passif.phrase.startswith("Non renseigné")
    assert epci.passif.lieux.empty


def test_rem006_donnees_figees_depuis_sur_la_fiche(base):
    # Data date: 20/10/2020 (the EPCI's last redemption); the CD44's last activity: 03/2020.
    fiche = calculer_fiche(_sources(base), entites.entite(base, "porteur", CD44))
    assert fiche.passif.figees.startswith(
        "Données figées depuis 03/2020 : dernier retour du lauréat le 12/03/2020."
    )
    rendu = _texte(page(fiche))
    assert "fiche-figees" in rendu and "Données figées depuis 03/2020" in rendu
    epci = calculer_fiche(_sources(base), entites.entite(base, "porteur", EPCI))
    assert epci.passif.figees is None
    assert "fiche-figees" not in _texte(page(epci))


def test_rem011_programme_acheve_avec_ses_pass_n_est_pas_fige(moteur_vierge):
    # The CD44's passes expire on 30/04/2020, a month after its last activity (03/2020): its programme
    # ended with them; the EPCI's, still valid, make the data date (20/10/2020) the reference.
    initialiser(moteur_vierge, GEO_DIR)
    importer_valides(moteur_vierge, "syndicats", "laureats")
    commandes = (
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;fin_validite\n"
        f"{CD44};15/01/2020;700;10;30/04/2020\n"
        f"{EPCI};15/09/2020;300;10;31/12/2021\n"
    )
    _importer(moteur_vierge, "commandes", commandes, "c.csv")
    _importer(moteur_vierge, "distributions", DISTRIBUTIONS, "d.csv")
    _importer(moteur_vierge, "utilisations", UTILISATIONS, "u.csv")
    from dashboard.store import passif

    assert passif.figees(moteur_vierge, CD44) is None
    assert CD44 not in passif.sirens_figes(moteur_vierge)
    # Had its passes stayed valid to the end of 2021, its silence since 03/2020 would be frozen data.
    assert passif.figees(moteur_vierge, EPCI, au=date(2021, 6, 30)).dernier_mois == date(2020, 10, 1)
    assert passif.sirens_figes(moteur_vierge, au=date(2021, 6, 30)) == {EPCI: date(2020, 10, 1)}


def test_rem007_carte_nationale(base):
    carte = vue_carte(_sources(base))
    # 250 unpaid, 2 500 €, 1 place with a SIRET, (1 470 − 250 − 300) ÷ 1 470 = 62,6 % without information.
    assert (carte.pass_non_rembourses, carte.montant, carte.lieux_concernes, carte.part_sans_information) == (
        "250",
        euros(2500),
        "1",
        pourcentage(920 / 1470),
    )
    assert pourcentage(920 / 1470) == "62,6\u00a0%" or pourcentage(920 / 1470).startswith("62,6")
    # The card and the table agree: its figures are the table's totals.
    totaux = totaliser(table_indicateurs(base, "porteur", "porteurs", Filtres()))
    assert (
        carte.montant == euros(totaux["montant_non_rembourse_eur"]) and totaux["pass_non_rembourses"] == 250
    )
    rendu = _texte(carte_nationale(_sources(base)))
    assert "Passif de l'opérateur" in rendu and "passif-montant" in rendu and carte.montant in rendu


def test_rem008_migration_0011_sur_une_base_0010_avec_des_lots(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    importer_valides(moteur_vierge, "syndicats", "laureats")
    _importer(moteur_vierge, "utilisations", UTILISATIONS, "u.csv")
    config = migration._config()
    with moteur_vierge.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
    assert migration.current_revision(moteur_vierge) == "0010"
    migration.upgrade(moteur_vierge)  # 0011, and what came after it
    assert migration.current_revision(moteur_vierge) == migration.head_revision()
    with moteur_vierge.connect() as connection:
        # The lines of lots loaded before the column stay unknown: NULL, and 0 in both sums.
        assert connection.scalar(select(func.count()).where(Utilisation.rembourse.is_not(None))) == 0
        assert connection.execute(
            select(
                func.sum(ActiviteMensuelle.pass_non_rembourses), func.sum(ActiviteMensuelle.pass_rembourses)
            )
        ).one() == (0, 0)
        assert connection.scalar(select(func.sum(ActiviteMensuelle.pass_utilises))) == 1470
    table = table_indicateurs(moteur_vierge, "porteur", "porteurs", Filtres()).set_index("code")
    assert np.isnan(table.loc[CD44, "pass_non_rembourses"])  # « non renseigné », not 0


def test_rem009_export_csv_et_colonne_du_tableau(base):
    ent = entites.entite(base, "porteur", CD44)
    fichier = exporter(_sources(base), ent.identifiant, "csv", "passif")
    texte = fichier.contenu.decode("utf-8-sig")
    assert "Espace numérique Saint-Nazaire (nom seul, non identifié)" in texte
    assert "Cyber-base Nantes" in texte and CYBER in texte
    assert "Pass non remboursés" in texte and "Montant non remboursé (€)" in texte
    # The national table: the laureate whose data stopped says since when.
    table = table_indicateurs(base, "porteur", "porteurs", Filtres())
    reperes = avec_type_et_region(base, EtatVue(), table).set_index("code")
    assert reperes.loc[CD44, "donnees_figees"] == "depuis 03/2020"
    assert reperes.loc[EPCI, "donnees_figees"] == ""
    assert ("donnees_figees", "Données figées") in colonnes_offertes(EtatVue())


def test_rem010_sauvegarde_et_restauration_gardent_le_remboursement(base, tmp_path):
    def lire() -> tuple:
        with base.connect() as connection:
            return (
                sorted(connection.execute(select(Utilisation.nb_pass, Utilisation.rembourse)).all(), key=str),
                connection.execute(
                    select(
                        func.sum(ActiviteMensuelle.pass_non_rembourses),
                        func.sum(ActiviteMensuelle.pass_rembourses),
                    )
                ).one(),
            )

    avant = lire()
    copie = sauvegarde.sauvegarder(base, tmp_path / "s.zip")
    sauvegarde.restaurer(
        base, copie.chemin, acteur="test", ecraser_donnees_reelles=True, dossier=tmp_path / "auto"
    )
    assert lire() == avant
    assert (200, False) in avant[0] and (20, None) in avant[0] and avant[1] == (250, 300)
