"""A 2020 file naming merged communes and arrondissements municipaux (issue 16, item 1): accepted, told as
information, raw code kept, and its passes counted in today's communes, EPCIs and départements — on SQLite
and PostgreSQL. A code that never existed is still refused."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.domain.filtres import Filtres
from dashboard.ingest.chargement import importer
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import ActiviteMensuelle, Distribution, ImportLot
from tests.conftest import GEO_DIR

CD44, MGP = "224400028", "200054781"
LAUREATS = (
    "siren;nom;type;code_territoire;vague;budget_total_eur;subvention_etat_eur\n"
    f"{CD44};Département de Loire-Atlantique;CD;44;2020;100000;50000\n"
    f"{MGP};Métropole du Grand Paris;EPCI;{MGP};2020;100000;50000\n"
)
COMMANDES = (
    "siren_porteur;date_commande;nb_carnets;pass_par_carnet\n"
    f"{CD44};15/01/2020;100;10\n"
    f"{MGP};15/01/2020;100;10\n"
)
# Written in 2020: 44225 Freigné (commune déléguée of 44180 Vallons-de-l'Erdre since 2018), 49144 (a former
# code of the same commune, from Maine-et-Loire), 44109 Nantes (current), and Paris arrondissements.
DISTRIBUTIONS = (
    "siren_porteur;date;code_commune;nb_pass\n"
    f"{CD44};03/02/2020;44225;10\n"
    f"{CD44};04/02/2020;44225;5\n"
    f"{CD44};05/02/2020;49144;7\n"
    f"{CD44};05/02/2020;44109;20\n"
    f"{MGP};06/02/2020;75115;30\n"
    f"{MGP};06/03/2020;75101;4\n"
)
EPCI_ERDRE, EPCI_NANTES = "244400552", "244400404"


def _importer(engine: Engine, kind: str, contenu: str):
    rapport = importer(engine, kind, contenu.encode(), nom_fichier=f"{kind}_2020.csv")
    assert rapport.accepte, rapport.texte()
    return rapport


def test_cci001_fichier_2020_communes_fusionnees_et_arrondissements(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    for kind, contenu in (("laureats", LAUREATS), ("commandes", COMMANDES)):
        _importer(moteur_vierge, kind, contenu)
    rapport = _importer(moteur_vierge, "distributions", DISTRIBUTIONS)

    assert rapport.informations == [
        "2 lignes : commune déléguée convertie (code_commune), 44225 → 44180 Vallons-de-l'Erdre",
        "1 ligne : code ancien converti (code_commune), 49144 → 44180 Vallons-de-l'Erdre",
        "1 ligne : arrondissement municipal converti (code_commune), 75101 → 75056 Paris",
        "1 ligne : arrondissement municipal converti (code_commune), 75115 → 75056 Paris",
    ]
    assert "Informations (4) :" in rapport.texte()
    with moteur_vierge.connect() as connection:
        lignes = connection.execute(
            select(Distribution.code_commune, Distribution.code_commune_brut, Distribution.nb_pass).order_by(
                Distribution.id
            )
        ).all()
        agregats = connection.execute(
            select(ActiviteMensuelle.code_commune, ActiviteMensuelle.pass_distribues)
        ).all()
        journal = json.loads(
            connection.scalar(select(ImportLot.avertissements).order_by(ImportLot.id.desc()))
        )
    assert sorted(lignes) == sorted(
        [
            ("44180", "44225", 10),
            ("44180", "44225", 5),
            ("44180", "49144", 7),
            ("44109", None, 20),
            ("75056", "75115", 30),
            ("75056", "75101", 4),
        ]
    )
    assert (
        "information : 2 lignes : commune déléguée convertie (code_commune), 44225 → 44180 Vallons-de-l'Erdre"
        in journal
    )
    par_commune = pd.DataFrame(agregats, columns=["code", "n"]).groupby("code")["n"].sum()
    assert par_commune.to_dict() == {"44109": 20, "44180": 22, "75056": 34}

    # Today's territories receive the passes: communes, their EPCIs and départements.
    epci = table_indicateurs(moteur_vierge, "epci", "territoires", Filtres()).set_index("code")
    assert epci.loc[EPCI_ERDRE, "pass_distribues"] == 22
    assert epci.loc[EPCI_NANTES, "pass_distribues"] == 20
    assert epci.loc[MGP, "pass_distribues"] == 34
    dep = table_indicateurs(moteur_vierge, "departement", "territoires", Filtres()).set_index("code")
    assert dep.loc["44", "pass_distribues"] == 42 and dep.loc["75", "pass_distribues"] == 34
    assert "13" not in dep.index or not dep.loc["13", "pass_distribues"] > 0


def test_cci002_un_code_qui_n_a_jamais_existe_reste_refuse(moteur_vierge):
    initialiser(moteur_vierge, GEO_DIR)
    for kind, contenu in (("laureats", LAUREATS), ("commandes", COMMANDES)):
        _importer(moteur_vierge, kind, contenu)
    contenu = DISTRIBUTIONS + f"{CD44};05/02/2020;44999;3\n"
    rapport = importer(moteur_vierge, "distributions", contenu.encode(), nom_fichier="d.csv")
    assert not rapport.accepte
    assert [(a.ligne, a.colonne, a.valeur) for a in rapport.erreurs] == [(8, "code_commune", "44999")]
    assert rapport.erreurs[0].motif.startswith("code commune inconnu : ni commune actuelle, ni ancien code")
    assert rapport.informations  # told even when refused, but the text says only what blocks
    assert "Informations" not in rapport.texte()
    with moteur_vierge.connect() as connection:
        assert connection.scalar(select(Distribution.id).limit(1)) is None
