"""The national table's columns (the mapped indicator after the name, the chooser, headers with units),
its searched and sorted rows, its count, and its exports: the visible columns, in order, same rows."""

import csv
import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.domain.etat import EtatVue, lire_query
from dashboard.domain.indicateurs import PAR_ID, offerts
from dashboard.exports.estampille import EnteteExport
from dashboard.exports.tableurs import export_csv, export_xlsx
from dashboard.vues.tableau import (
    bloc_tableau,
    colonnes_export,
    colonnes_offertes,
    colonnes_tableau,
    colonnes_visibles,
    compte,
    entete,
    lignes_export,
    lignes_tableau,
    precisions_export,
    tri_de,
)

META = EnteteExport("Pass numérique", ("Vague : 2019",), None, "ANCT", datetime(2024, 1, 15, 9, 30))


def _table() -> pd.DataFrame:
    ids = [i.id for i in offerts("porteurs")]
    lignes = []
    for n, (nom, type_, region) in enumerate(
        [
            ("Ardèche", "Conseil départemental", "Auvergne-Rhône-Alpes"),
            ("CC du Val d'Ardenne", "EPCI", "Grand Est"),
            ("Finistère", "Conseil départemental", "Bretagne"),
            ("Syndicat de l'Aisne", "Syndicat mixte", "Hauts-de-France"),
        ]
    ):
        ligne = {"niveau": "porteur", "code": f"20000000{n}", "nom": nom, "type": type_, "region": region}
        ligne |= {i: float(10 * n + k) for k, i in enumerate(ids)}
        ligne |= {"taux_utilisation": [0.5, 0.25, None, 0.75][n], "pass_distribues": [300, 100, 200, 0][n]}
        lignes.append(ligne | {"donnees_incoherentes": False, "chiffres_exacts": n % 2 == 0})
    return pd.DataFrame(lignes)


def test_tab003_indicateur_de_la_carte_juste_apres_le_nom():
    for vue, indicateur in (("porteurs", "pass_utilises"), ("territoires", "lieux_actifs")):
        etat = EtatVue(vue=vue, niveau="epci", indicateur=indicateur)
        colonnes = [c["field"] for c in colonnes_tableau(etat)]
        assert colonnes[:4] == ["nom", indicateur, "type", "region"]
        assert colonnes.count(indicateur) == 1
    # chosen columns keep the table's order whatever the order of the address; the indicator stays
    etat = lire_query("?indicateur=part_etat&colonnes=pass_distribues,code,region")
    assert [c for c, _ in colonnes_visibles(etat)] == [
        "nom",
        "part_etat",
        "region",
        "code",
        "pass_distribues",
    ]
    # every optional column unticked: the address says "nom" (none would mean the default set)
    assert [c for c, _ in colonnes_visibles(lire_query("?colonnes=nom"))] == ["nom", "taux_utilisation"]
    # the default set (fits at 1366 px): the indicator of the map is not shown twice
    assert [c for c, _ in colonnes_visibles(EtatVue())] == [
        "nom",
        "taux_utilisation",
        "type",
        "region",
        "subvention_etat_engagee_eur",
        "pass_distribues",
        "pass_utilises",
    ]


def test_tab004_type_et_region_la_ou_ils_disent_quelque_chose():
    offertes = {
        n: [c for c, _ in colonnes_offertes(EtatVue(vue="territoires", niveau=n))]
        for n in ("region", "departement", "epci")
    }
    assert "type" not in offertes["region"] and "region" not in offertes["region"]
    assert "type" not in offertes["departement"] and "region" in offertes["departement"]
    assert {"type", "region"} <= set(offertes["epci"])
    assert dict(colonnes_offertes(EtatVue()))["code"] == "SIREN"


def test_tab005_entetes_en_francais_avec_leur_unite():
    titres = {
        c["field"]: c["headerName"]
        for c in colonnes_tableau(lire_query("?colonnes=type,region," + ",".join(PAR_ID)))
    }
    assert titres["pass_distribues"] == "Pass distribués"  # never « (pass) »
    assert titres["budget_total_eur"] == "Budget total (€)"
    assert titres["taux_utilisation"] == "Taux d'utilisation (%)"
    assert titres["delai_median_mois"] == "Délai médian distribution → utilisation (mois, estimé)"
    assert titres["type"] == "Type" and titres["region"] == "Région"
    assert entete(PAR_ID["taux_utilisation"], "territoires", exact=True) == "Taux d'utilisation (%, exact)"
    assert all("(pass)" not in t and "(lieux)" not in t for t in titres.values())


def test_tab006_tri_de_l_adresse_sur_sa_colonne_et_tri_demande_par_la_grille():
    colonnes = colonnes_tableau(lire_query("?tri=pass_distribues:desc"))
    assert {c["field"]: c["sort"] for c in colonnes if c["sort"]} == {"pass_distribues": "desc"}
    assert tri_de({"sortModel": [{"colId": "nom", "sort": "asc"}]}) == "nom:asc"
    assert tri_de({"sortModel": []}) == tri_de({}) == tri_de({"sortModel": [{"colId": 3}]}) == ""


def test_tab007_compte_des_lignes_avec_la_recherche():
    assert compte(EtatVue(), 156, 156) == "156 lauréats"
    assert compte(EtatVue(vue="territoires"), 12, 101) == "12 départements sur 101"
    assert compte(EtatVue(vue="territoires", niveau="epci"), 1234, 1234) == "1\u202f234 EPCI"
    assert compte(EtatVue(), 0, 56) == "aucun lauréat sur 56"


def test_tab008_export_memes_colonnes_memes_lignes_que_le_tableau():
    etat = lire_query(
        "?indicateur=pass_distribues&colonnes=type,code,taux_utilisation&tri=taux_utilisation:desc&recherche=ARDE"
    )
    table = _table()
    colonnes = colonnes_export(etat)
    visibles = colonnes_visibles(etat)
    assert colonnes[:-1] == visibles and colonnes[-1][0] == "chiffres_exacts"
    assert [c for c, _ in visibles] == [c["field"] for c in colonnes_tableau(etat)]
    grille = bloc_tableau(
        table,
        {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "taux_utilisation", "sort": "desc"}]},
        "ARDE",
    )
    lignes = lignes_export(table, etat)
    csv_ = list(
        csv.reader(io.StringIO(export_csv(lignes, colonnes, META).decode("utf-8-sig")), delimiter=";")
    )
    debut = csv_.index(
        [
            "Nom",
            "Pass distribués",
            "Type",
            "SIREN",
            "Taux d'utilisation (%)",
            "Chiffres exacts (pass numérotés)",
        ]
    )
    assert csv_[debut + 1 :] == [
        ["Ardèche", "300", "Conseil départemental", "200000000", "0,5", "oui"],
        ["CC du Val d'Ardenne", "100", "EPCI", "200000001", "0,25", "non"],
    ]
    assert [ligne["nom"] for ligne in grille["rowData"]] == ["Ardèche", "CC du Val d'Ardenne"]
    feuille = load_workbook(io.BytesIO(export_xlsx(lignes, colonnes, META))).active
    valeurs = [list(r) for r in feuille.iter_rows(values_only=True)]
    debut = next(i for i, r in enumerate(valeurs) if r[0] == "Nom")
    assert valeurs[debut + 1 :] == [
        ["Ardèche", 300, "Conseil départemental", "200000000", 0.5, True],
        ["CC du Val d'Ardenne", 100, "EPCI", "200000001", 0.25, False],
    ]
    assert precisions_export(etat) == [
        "Recherche dans le tableau : « ARDE »",
        "Tri : Taux d'utilisation (%), décroissant",
    ]


def test_rpl003_lignes_du_bloc_comme_les_enregistrements_pandas():
    """The block's records, built column by column: Python numbers and booleans, no data as null, the
    columns in order, as `to_dict("records")` gives them."""
    table = pd.DataFrame(
        {
            "code": ["75056", "13055"],
            "nom": ["Paris", None],
            "pass_distribues": [12.0, float("nan")],
            "rang": [1, 2],
            "donnees_incoherentes": [True, False],
            "region": pd.Series(["Île-de-France", ""], dtype=object),
        }
    )
    lignes = lignes_tableau(table)
    attendu = [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in ligne.items()}
        for ligne in table.to_dict("records")
    ]
    assert lignes == attendu
    assert [list(ligne) for ligne in lignes] == [list(table.columns)] * 2
    assert [type(v) for v in lignes[0].values()] == [str, str, float, int, bool, str]
    assert lignes[1]["nom"] is None and lignes[1]["pass_distribues"] is None
    assert lignes_tableau(table.iloc[:0]) == []


@pytest.mark.parametrize(
    ("tri", "recherche", "debut"),
    [
        ([], None, 0),
        ([{"colId": "type", "sort": "desc"}], None, 0),
        ([{"colId": "region", "sort": "asc"}], "ar", 1),
        ([{"colId": "taux_utilisation", "sort": "desc"}], "", 1),
        ([{"colId": "nom", "sort": "asc"}, {"colId": "type", "sort": "asc"}], None, 0),
    ],
)
def test_tab009_type_et_region_ajoutes_au_bloc_comme_a_toute_la_table(tri, recherche, debut):
    """Completing only the block's rows (type, région) gives the block of the completed table, also when
    the sort reads a completed column."""
    complete = _table()
    reperes = complete.set_index("code")[["type", "region"]]

    def completer(lignes: pd.DataFrame) -> pd.DataFrame:
        return lignes.join(reperes, on="code")

    table = complete.drop(columns=["type", "region"])
    requete = {"startRow": debut, "endRow": debut + 2, "sortModel": tri}
    attendu = bloc_tableau(completer(table), requete, recherche)
    assert bloc_tableau(table, requete, recherche, completer) == attendu
    assert len(attendu["rowData"]) >= 1 and "type" in attendu["rowData"][0]
