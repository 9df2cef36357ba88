"""The national view computed from its state on the demo dataset (what the callbacks return)."""

import csv
import io
import json
from dataclasses import replace

import pytest

from dashboard import create_app
from dashboard.components.filtres import valeurs_controles
from dashboard.domain.etat import EtatVue, lire_query
from dashboard.domain.indicateurs import totaliser
from dashboard.domain.palettes import SANS_DONNEE
from dashboard.store.donnees import noms_territoires, territoires
from dashboard.vues import nationale as national_calcul
from dashboard.vues.tableau import (
    avec_type_et_region,
    bloc_tableau,
    colonnes_export,
    colonnes_offertes,
    colonnes_visibles,
)
from tests.conftest import GEO_DIR, client_rappels
from tests.rappels import corps_rappel

MANIFESTE = json.loads((GEO_DIR / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def contexte(base_demo):
    return create_app(base_demo).server.config["PASSNUM_CONTEXTE"]


def _locations(figure) -> list[str]:
    return [c for t in _donnees(figure) if t["type"] == "choropleth" for c in t["locations"]]


def _donnees(figure) -> list[dict]:
    """The traces that carry values: not the grey base, the insets' frames nor the focus outline."""
    return [t for t in figure["data"] if t.get("hoverinfo") != "skip"]


def test_vna001_porteurs_chaque_laureat_dessine_kpis_egaux_au_tableau(contexte):
    vue = national_calcul.calculer(contexte, EtatVue())
    assert len(vue.table) == 56
    sirens = {ligne[0] for t in _donnees(vue.figure) for ligne in t["customdata"]}
    assert sirens == set(vue.table["code"])
    geojson = {t["geojson"] for t in vue.figure["data"] if "geojson" in t}
    assert geojson <= {"/geo/" + f for f in MANIFESTE["fichiers"].values()}
    totaux = totaliser(vue.table)
    assert totaux["pass_distribues"] == vue.table["pass_distribues"].sum()
    texte_kpis = str(vue.kpis)
    assert "56" in texte_kpis and "Données au 23/12/2023" in texte_kpis
    assert vue.resume.startswith("Au 23/12/2023, 56 lauréats")


def test_vna002_territoires_tous_les_departements_meme_sans_donnee(contexte):
    vue = national_calcul.calculer(contexte, lire_query("?vue=territoires&niveau=departement"))
    codes = _locations(vue.figure)
    assert len(codes) == len(set(codes)) == 101
    (trace,) = _donnees(vue.figure)  # "sans donnée" is the top (grey) step of the one trace's scale
    sans_donnee = int(trace["zmax"] - 0.5)
    assert trace["colorscale"][-1][1] == SANS_DONNEE
    attendu = 101 - vue.table["taux_utilisation"].notna().sum()
    assert attendu > 0 and trace["z"].count(sans_donnee) == attendu
    assert trace["customdata"].count("—") == attendu and "%{properties.nom}" in trace["hovertemplate"]


def test_vna003_lien_du_coordinateur_occitanie_vague_2019(contexte):
    etat = lire_query(
        "?vue=territoires&niveau=departement&region=76&vague=2019&indicateur=taux_utilisation"
        "&classes=quantiles"
    )
    vue = national_calcul.calculer(contexte, etat)
    occitanie = noms_territoires(contexte.engine, "departement")
    attendus = set(occitanie.loc[occitanie["code_region"] == "76", "code"])
    assert set(_locations(vue.figure)) == attendus and len(attendus) == 13
    assert set(vue.table["code"]) <= attendus
    assert "départements d'Occitanie" in vue.resume and "vague 2019" in vue.resume


def test_vna004_stock_en_cercles_proportionnels(contexte):
    vue = national_calcul.calculer(
        contexte, lire_query("?vue=territoires&niveau=region&indicateur=pass_distribues")
    )
    cercles = [t for t in vue.figure["data"] if t.get("name") == "cercles"]
    assert cercles, "a stock is drawn as circles, never as a choropleth of raw counts"
    assert all(t["type"] != "choropleth" or set(t.get("z") or [0]) <= {0} for t in vue.figure["data"])
    tailles = [s for t in cercles for s in t["marker"]["size"]]
    assert max(tailles) == pytest.approx(40)
    assert len(_locations(vue.figure)) == 18  # every région under the circles, Corse included


def test_vna005_seuils_metier_et_classes_figees(contexte):
    seuils = national_calcul.calculer(contexte, lire_query("?classes=seuils"))
    assert seuils.bornes[:2] == (0.4, 0.7)
    figees = national_calcul.calculer(contexte, lire_query("?bornes=0.3,0.5,0.9&vague=2020"))
    assert figees.bornes[:3] == (0.3, 0.5, 0.9)


def test_vna006_descendre_par_un_clic(contexte):
    regions = lire_query("?vue=territoires&niveau=region")
    departements = national_calcul.drill(regions, "76", contexte.engine)
    assert (departements.niveau, departements.filtres.regions) == ("departement", ("76",))
    epci = national_calcul.drill(departements, "31", contexte.engine)
    assert (epci.niveau, epci.filtres.regions) == ("epci", ("76",))
    assert national_calcul.drill(EtatVue(), "76", contexte.engine) == EtatVue()  # porteurs view: no drill


def test_vna007_entete_d_export(contexte):
    entete = national_calcul.entete_export(contexte, lire_query("?vague=2019&region=76"))
    assert "Vague : 2019" in entete.filtres and "Région : Occitanie" in entete.filtres
    assert "DÉMONSTRATION" in entete.source and entete.date_donnees.isoformat() == "2023-12-23"


def _poster(app, sortie: str, valeurs: dict, declencheur: str):
    """POST the body the browser sends for the callback writing `sortie`; returns its response."""
    corps = corps_rappel(app, sortie, valeurs, declencheur)
    reponse = client_rappels(app).post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
    return reponse


def _controles(query: str) -> dict:
    controles = valeurs_controles(lire_query(query))
    return {f"filtre-{n}.value": v for n, v in controles.items()} | {"chronologie-mode.value": "mensuel"}


@pytest.fixture(scope="module")
def app_demo(base_demo):
    app = create_app(base_demo)
    app.server.test_client().get("/")  # the pages' callbacks are registered at the first request
    return app


def test_vna008_un_filtre_recolore_la_carte_par_un_patch_de_valeurs(app_demo):
    """Same level and régions: the response carries the values only, never locations nor geometry."""
    controles = _controles("?vue=territoires&niveau=epci")
    premiere = _poster(app_demo, "carte.figure", controles, "filtre-vague.value")
    sortie = premiere.get_json()["response"]
    figure = sortie["carte"]["figure"]
    assert len(figure["data"][0]["locations"]) == 1255  # first drawing: the whole structure
    valeurs = _controles("?vue=territoires&niveau=epci&vague=2019") | {
        "carte-signature.data": sortie["carte-signature"]["data"],
        "national-query.data": sortie["national-query"]["data"],
    }
    seconde = _poster(app_demo, "carte.figure", valeurs, "filtre-vague.value")
    correctif = seconde.get_json()["response"]["carte"]["figure"]
    assert correctif["__dash_patch_update"] == "__dash_patch_update"
    chemins = {tuple(o["location"]) for o in correctif["operations"]}
    assert chemins == {("data", 0, c) for c in ("z", "zmax", "colorscale", "customdata", "hovertemplate")}
    texte = json.dumps(correctif)
    assert "locations" not in texte and "/geo/" not in texte
    assert len(json.dumps(correctif, ensure_ascii=False).encode()) < 30_000
    z = next(o["params"]["value"] for o in correctif["operations"] if o["location"][-1] == "z")
    assert len(z) == 1255 and z != figure["data"][0]["z"]  # 2019 only: other classes
    # the table's columns stay as they are (same view): the grid keeps its widths and sort
    assert "tableau" not in seconde.get_json()["response"]


def test_vna009_une_autre_region_redessine_la_carte(app_demo):
    sortie = _poster(
        app_demo, "carte.figure", _controles("?vue=territoires&niveau=departement"), "filtre-vague.value"
    ).get_json()["response"]
    valeurs = _controles("?vue=territoires&niveau=departement&region=53") | {
        "carte-signature.data": sortie["carte-signature"]["data"]
    }
    figure = _poster(app_demo, "carte.figure", valeurs, "filtre-region.value").get_json()["response"]["carte"]
    assert sorted(figure["figure"]["data"][0]["locations"]) == ["22", "29", "35", "56"]


def test_vna010_tableau_par_blocs_cherche_et_trie_cote_serveur(app_demo):
    requete = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "pass_distribues", "sort": "desc"}]}
    valeurs = {
        "tableau.getRowsRequest": requete,
        "national-query.data": "?vue=territoires&niveau=epci",
        "tableau-recherche.value": None,
    }
    reponse = _poster(app_demo, "tableau.getRowsResponse", valeurs, "tableau.getRowsRequest").get_json()
    bloc = reponse["response"]["tableau"]["getRowsResponse"]
    assert len(bloc["rowData"]) == 100 and bloc["rowCount"] > 100
    distribues = [ligne["pass_distribues"] for ligne in bloc["rowData"]]
    assert distribues == sorted(distribues, reverse=True)
    # a search ignores case and accents, on the name or the code
    valeurs["tableau-recherche.value"] = "ARDECHE"
    reponse = _poster(app_demo, "tableau.getRowsResponse", valeurs, "tableau.getRowsRequest").get_json()
    bloc = reponse["response"]["tableau"]["getRowsResponse"]
    assert bloc["rowCount"] == len(bloc["rowData"]) >= 1
    assert all("ardèche" in ligne["nom"].lower() for ligne in bloc["rowData"])


def test_vna011_bloc_tableau_garde_les_nombres_et_borne_la_demande():
    import pandas as pd

    table = pd.DataFrame(
        {
            "code": ["01", "02", "03"],
            "nom": ["Écully", "ecole", "Zèbre"],
            "taux_utilisation": [0.5, None, 0.2],
        },
    )
    bloc = bloc_tableau(table, {"startRow": 0, "endRow": 2, "sortModel": []}, "ÉC")
    assert [ligne["nom"] for ligne in bloc["rowData"]] == ["Écully", "ecole"] and bloc["rowCount"] == 2
    trie = bloc_tableau(
        table, {"startRow": 0, "endRow": 9, "sortModel": [{"colId": "taux_utilisation", "sort": "asc"}]}, None
    )
    assert [ligne["taux_utilisation"] for ligne in trie["rowData"]] == [0.2, 0.5, None]  # no data last
    nom = bloc_tableau(
        table, {"startRow": 0, "endRow": 9, "sortModel": [{"colId": "nom", "sort": "asc"}]}, None
    )
    assert [ligne["nom"] for ligne in nom["rowData"]] == ["ecole", "Écully", "Zèbre"]  # French order
    absurde = bloc_tableau(
        table, {"startRow": "x", "endRow": 10**9, "sortModel": [{"colId": "';drop"}]}, None
    )
    assert absurde["rowCount"] == 3 and len(absurde["rowData"]) == 3


def test_tab010_export_et_grille_memes_colonnes_memes_lignes(app_demo, contexte):
    """The grid's block for a sort and a search, and the CSV of the same address: the same columns in
    the same order, the same rows in the same order, the same type and région; the count says it, and
    the sort and the search go into the address."""
    query = "?vue=territoires&niveau=epci&colonnes=type,region,pass_distribues,code"
    requete = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "pass_distribues", "sort": "desc"}]}
    valeurs = {
        "tableau.getRowsRequest": requete,
        "national-query.data": query,
        "tableau-recherche.value": "com",
    }
    sortie = _poster(app_demo, "tableau.getRowsResponse", valeurs, "tableau.getRowsRequest").get_json()[
        "response"
    ]
    bloc = sortie["tableau"]["getRowsResponse"]
    adresse = sortie["national-query"]["data"]
    assert lire_query(adresse) == replace(lire_query(query), tri="pass_distribues:desc", recherche="com")
    assert "tri=pass_distribues:desc" in adresse and "recherche=com" in adresse
    total = len(national_calcul.table_de(contexte, lire_query(query)))
    assert sortie["tableau-compte"]["children"] == f"{bloc['rowCount']} EPCI sur {total}"
    assert 1 < bloc["rowCount"] < total and bloc["rowCount"] == len(bloc["rowData"])

    etat = lire_query(adresse)
    fichier = national_calcul.exporter(contexte, adresse, "csv")
    lignes = list(csv.reader(io.StringIO(fichier.contenu.decode("utf-8-sig")), delimiter=";"))
    debut = next(i for i, ligne in enumerate(lignes) if ligne[:1] == ["Nom"])
    entetes, *donnees = lignes[debut:]
    visibles = colonnes_visibles(etat, national_calcul.exacte(contexte, etat))
    assert entetes == [t for _, t in visibles] + ["Chiffres exacts (pass numérotés)"]
    assert entetes[:5] == ["Nom", "Taux d'utilisation (%, estimé)", "Type", "Région", "Code"]
    assert [ligne[:5] for ligne in donnees] == [
        [g["nom"], _csv_taux(g["taux_utilisation"]), g["type"], g["region"], g["code"]]
        for g in bloc["rowData"]
    ]
    assert [int(ligne[entetes.index("Pass distribués")]) for ligne in donnees] == [
        g["pass_distribues"] for g in bloc["rowData"]
    ]
    epci = [g for g in bloc["rowData"] if g["code"] != "hors-epci"]  # "Communes hors EPCI": no type
    assert {g["type"] for g in epci} <= {
        "Communauté de communes",
        "Communauté d'agglomération",
        "Communauté urbaine",
        "Métropole",
    }
    assert ["", "Recherche dans le tableau : « com »"] in lignes[:debut]
    table = avec_type_et_region(contexte.engine, etat, national_calcul.table_de(contexte, etat))
    regions = dict(zip(table["code"], table["region"], strict=True))
    assert all(regions[ligne[4]] == ligne[3] for ligne in donnees)
    assert all(regions[g["code"]] != "" for g in epci)


def _csv_taux(valeur) -> str:
    return "" if valeur is None else format(round(valeur, 3), "g").replace(".", ",")


@pytest.mark.parametrize(
    "query",
    [
        "?vue=porteurs",
        "?vue=territoires&niveau=departement&vague=2019",
        "?vue=territoires&niveau=epci&region=53&periode=2021-03..",
    ],
)
def test_vna020_la_page_la_cli_et_l_export_montrent_les_memes_chiffres(contexte, base_demo, query):
    """Every number of the table, as the page shows it (registry formatting), as `passnum indicateurs`
    writes it and as the CSV export writes it: the same value once rounded as displayed; the cards are
    the table's totals."""
    import csv
    import io

    from dashboard.domain.formatage import NON_RENSEIGNE
    from dashboard.domain.indicateurs import indicateur, offerts
    from tests.conftest import lancer_passnum

    etat = lire_query(query)
    etat = replace(etat, colonnes=tuple(c for c, _ in colonnes_offertes(etat)))  # every column
    vue = national_calcul.calculer(contexte, etat)
    entetes_export = dict(colonnes_export(etat, vue.exact))
    niveau = "porteur" if etat.vue == "porteurs" else etat.niveau
    arguments = [f"--{cle}={valeur}" for cle, valeur in etat.filtres.parametres().items()]
    cli = lancer_passnum(
        "indicateurs",
        "--niveau",
        niveau,
        "--vue",
        etat.vue,
        "--format",
        "json",
        *arguments,
        url=base_demo.resolved_database_url,
    )
    assert cli.returncode == 0, cli.stderr
    par_cli = {ligne["code"]: ligne for ligne in json.loads(cli.stdout)}
    fichier = national_calcul.exporter(contexte, etat.query(), "csv")
    lignes = list(csv.reader(io.StringIO(fichier.contenu.decode("utf-8-sig")), delimiter=";"))
    debut = next(i for i, ligne in enumerate(lignes) if ligne[:1] == ["Nom"])
    entetes, *donnees = lignes[debut:]
    code = entetes.index("SIREN" if etat.vue == "porteurs" else "Code")
    par_export = {ligne[code]: dict(zip(entetes, ligne, strict=True)) for ligne in donnees}
    assert set(par_cli) == set(par_export) == set(vue.table["code"])
    verifies = 0
    for ind in offerts(etat.vue):
        entete = entetes_export[ind.id]
        for _, ligne in vue.table.iterrows():
            affiche = ind.formater(ligne[ind.id])
            de_la_cli, de_l_export = par_cli[ligne["code"]][ind.id], par_export[ligne["code"]][entete]
            if affiche == NON_RENSEIGNE:
                assert de_la_cli is None and de_l_export == ""
                continue
            assert ind.formater(de_la_cli) == affiche, (ind.id, ligne["code"])
            assert ind.formater(float(de_l_export.replace(",", "."))) == affiche, (ind.id, ligne["code"])
            verifies += 1
    assert verifies > 100
    totaux = totaliser(vue.table)
    cartes = {c.id: c.valeur for c in vue.kpis.chiffres}
    for identifiant in (
        "pass_distribues",
        "pass_utilises",
        "subvention_etat_engagee_eur",
        "taux_utilisation",
    ):
        assert cartes[f"kpi-{identifiant}"] == indicateur(identifiant).formater(totaux[identifiant])


def test_drl030_clic_sur_un_departement_ouvre_ses_seuls_epci(contexte):
    bretagne = lire_query("?vue=territoires&niveau=departement&region=53")
    suite = national_calcul.clic(contexte, bretagne, {"points": [{"location": "29"}]})
    assert suite == lire_query("?vue=territoires&niveau=epci&region=53&departement=29")
    vue = national_calcul.calculer(contexte, suite)
    epci = noms_territoires(contexte.engine, "epci")
    reference = territoires(contexte.engine).loc["epci"]
    finistere = set(reference.index[reference["code_departement"] == "29"])
    assert len(finistere) == 21
    assert set(_locations(vue.figure)) == finistere  # not the 61 EPCI of Bretagne
    assert set(vue.table["code"]) <= finistere and len(vue.table) > 0
    assert set(epci.loc[epci["code"].isin(vue.table["code"]), "code_region"]) == {"53"}
    assert vue.departement == ("29", "Finistère") and vue.peut_remonter
    assert "21 EPCI du département Finistère (29)" in vue.resume
    # the KPIs and the export follow the département as every other filter
    region = national_calcul.calculer(contexte, lire_query("?vue=territoires&niveau=epci&region=53"))
    assert 0 < totaliser(vue.table)["pass_distribues"] < totaliser(region.table)["pass_distribues"]
    fichier = national_calcul.exporter(contexte, suite.query(), "csv")
    lignes = fichier.contenu.decode("utf-8-sig").splitlines()
    assert any("Finistère (29)" in ligne for ligne in lignes)  # the stamp names the département
    assert all(not t.get("name", "").startswith("encarts") for t in vue.figure["data"])
    assert national_calcul.clic(contexte, suite, {"points": [{"location": sorted(finistere)[0]}]}) == (
        f"/territoire/epci/{sorted(finistere)[0]}"
    )


def test_drl031_departement_d_une_autre_region_abandonne(contexte):
    etat = lire_query("?vue=territoires&niveau=epci&region=52&departement=29")
    assert national_calcul.departement_admis(contexte.engine, etat, ("29",)).filtres.departements == ()
    bretagne = lire_query("?vue=territoires&niveau=epci&region=53")
    assert national_calcul.departement_admis(contexte.engine, bretagne, ("29",)).filtres.departements == (
        "29",
    )


def test_drl032_porteurs_fond_encarts_focus_et_legende_des_couches(contexte):
    vue = national_calcul.calculer(contexte, lire_query("?focus=departement:29"))
    noms = [t.get("name") for t in vue.figure["data"]]
    assert noms[0] == "fond" and len(vue.figure["data"][0]["locations"]) == 101
    assert noms[-4:] == ["encarts", "encarts-noms", "focus-departement-halo", "focus-departement"]
    assert vue.figure["data"][-1]["locations"] == ["29"]
    assert [c.libelle for c in vue.legende.couches][-1] == "Territoire recherché"
    geo = vue.figure["layout"]["geo"]
    assert geo["lonaxis"]["range"][0] < -7.4 and geo["lonaxis"]["range"][1] > 9.5  # insets to Corsica
    region = national_calcul.calculer(contexte, lire_query("?region=53"))
    assert len(region.figure["data"][0]["locations"]) == 4  # the base: Bretagne's départements
    assert region.figure["layout"]["geo"]["lonaxis"]["range"][0] > -5.5  # no inset column


def test_drl033_focus_d_un_laureat_tout_son_perimetre(contexte):
    vue = national_calcul.calculer(contexte, EtatVue())
    couches = national_calcul.couches_porteurs_store(contexte.engine, EtatVue().filtres)
    siren = couches.loc[couches["type"] == "SM", "siren"].iloc[0]  # a syndicat: several pieces
    attendus = couches[couches["siren"] == siren]
    vue = national_calcul.calculer(contexte, lire_query(f"?focus=porteur:{siren}"))
    focus = [
        t for t in vue.figure["data"] if t.get("name", "").startswith("focus") and "halo" not in t["name"]
    ]
    assert sorted(c for t in focus for c in t["locations"]) == sorted(attendus["code"])
    assert {t["name"] for t in focus} == {f"focus-{n}" for n in attendus["niveau_geo"]}


@pytest.mark.parametrize(
    "query",
    [
        "?vue=territoires&niveau=departement&region=53&departement=29",
        "?vue=territoires&niveau=epci&region=53&departement=29",
        "?vue=porteurs&region=53&departement=29",
    ],
)
def test_drl034_activite_mensuelle_du_departement_descendu(contexte, query):
    """Drilled into Finistère, the monthly chart is Finistère's as the table and the KPIs are: its months
    add up to the selection's passes handed out, and they are fewer than Bretagne's."""
    etat = lire_query(query)
    vue = national_calcul.calculer(contexte, etat)
    region = national_calcul.calculer(contexte, replace(etat, filtres=replace(etat.filtres, departements=())))
    total = int(vue.mensuel["pass_distribues"].sum())
    assert total == round(totaliser(vue.table)["pass_distribues"])
    bretagne = int(region.mensuel["pass_distribues"].sum())
    # By territory, what happened in Finistère only; by laureate, those reaching it (here all but a few).
    assert 0 < total < bretagne if etat.vue == "territoires" else 0 < total <= bretagne


@pytest.mark.parametrize("query", ["?", "?vue=territoires&niveau=epci&region=53&indicateur=pass_distribues"])
def test_jsn001_composants_serialises_comme_dash_les_serialiserait(contexte, query):
    """The view's components serialised by the callback (`en_json`) are the bytes Dash's own serialiser
    writes for them, inside a response holding figures as well."""
    from plotly.io.json import to_json_plotly

    from dashboard.components import nationale as composants
    from dashboard.components.kpis import cartes_kpis
    from dashboard.components.legende import legende
    from dashboard.pages import en_json

    vue = national_calcul.calculer(contexte, lire_query(query))
    blocs = {"kpis": cartes_kpis(vue.kpis), "legende": legende(vue.legende), "fil": composants.fil(vue)}
    reponse = {"carte": vue.figure, **blocs}
    attendu = to_json_plotly(reponse)
    assert to_json_plotly({"carte": vue.figure, **{n: en_json(b) for n, b in blocs.items()}}) == attendu
    assert '"type":"Div"' in attendu.replace(" ", "")


@pytest.mark.parametrize(
    ("avant", "query"),
    [
        ("?", "?indicateur=pass_distribues&vague=2019"),
        ("?vue=territoires&niveau=epci&region=53", "?vue=territoires&niveau=epci&region=53&type=CD"),
        ("?vue=territoires&niveau=departement", "?vue=territoires&niveau=epci&region=53&departement=29"),
    ],
)
def test_cdr001_cadre_de_la_carte_memoise_egal_au_cadre_calcule(contexte, avant, query):
    """The map's frame kept for a place (`_cadre`, memoised) is the one computed afresh, after another
    state of the same place or not."""
    from dashboard.store.memoire import vider

    national_calcul.calculer(contexte, lire_query(avant))
    garde = national_calcul.calculer(contexte, lire_query(query)).figure
    vider()
    neuve = national_calcul.calculer(contexte, lire_query(query)).figure
    assert garde["layout"] == neuve["layout"] and "lonaxis" in garde["layout"]["geo"]
    assert garde["data"] == neuve["data"]
