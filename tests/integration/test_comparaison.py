"""The comparison page's figures against hand-computed values: each entity's indicators and per-inhabitant
ratios, the national and regional medians of its kind, and its CSV/XLSX exports carrying the same numbers."""

import base64
import csv
import io
import math
import statistics

import pytest
from openpyxl import load_workbook

from dashboard import create_app
from dashboard.domain.filtres import Filtres
from dashboard.store.donnees import noms_territoires, programme
from dashboard.store.indicateurs import table_indicateurs
from dashboard.vues import comparaison
from tests.conftest import client_rappels
from tests.rappels import corps_rappel

DEPARTEMENTS = ["departement:29", "departement:56", "departement:75"]


@pytest.fixture(scope="module")
def app_demo(base_demo):
    app = create_app(base_demo)
    app.server.test_client().get("/")
    return app


@pytest.fixture(scope="module")
def contexte(app_demo):
    return app_demo.server.config["PASSNUM_CONTEXTE"]


def _mediane(valeurs) -> float:
    """The median of the values that exist, by the textbook definition (NaN when there is none)."""
    presentes = [float(v) for v in valeurs if v is not None and not math.isnan(v)]
    return statistics.median(presentes) if presentes else math.nan


def _egal(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _par_mille(ligne) -> float:
    population = ligne["population_couverte"]
    return ligne["pass_utilises"] * 1000 / population if population > 0 else math.nan


def test_cmp001_departements_valeurs_et_medianes_calculees_a_la_main(contexte):
    entites, ignores = comparaison.lire_ids(contexte, ",".join(DEPARTEMENTS))
    assert ignores == [] and [e.code for e in entites] == ["29", "56", "75"]
    table = comparaison.comparer(contexte, entites, ignores).table.set_index("identifiant")
    tous = table_indicateurs(contexte.engine, "departement", "territoires", Filtres())
    regions = {e.code: e.region for e in entites}
    for ent in entites:
        ligne = table.loc[ent.identifiant]
        moi = tous.set_index("code").loc[ent.code]
        assert _egal(ligne["taux_utilisation"], moi["taux_utilisation"])
        assert _egal(ligne["pass_utilises_pour_1000_habitants"], _par_mille(moi))
        de_sa_region = [c for c in tous["code"] if _region_du_departement(contexte, c) == regions[ent.code]]
        regionaux = tous[tous["code"].isin(de_sa_region)]
        for colonne in ("taux_utilisation", "taux_distribution", "pass_pour_1000_habitants"):
            assert _egal(ligne[f"{colonne}__national"], _mediane(tous[colonne]))
            assert _egal(ligne[f"{colonne}__regional"], _mediane(regionaux[colonne]))
        par_mille = [_par_mille(r) for _, r in tous.iterrows()]
        assert _egal(ligne["pass_utilises_pour_1000_habitants__national"], _mediane(par_mille))


def _region_du_departement(contexte, code: str) -> str | None:
    departements = noms_territoires(contexte.engine, "departement").set_index("code")["code_region"]
    return departements.get(code)


def test_cmp002_laureats_medianes_parmi_ceux_du_meme_type(contexte):
    laureats = table_indicateurs(contexte.engine, "porteur", "porteurs", Filtres())
    types = programme(contexte.engine).conventions.drop_duplicates("siren").set_index("siren")["type"]
    cd = laureats[laureats["code"].map(types) == "CD"]
    choisis = [f"porteur:{s}" for s in cd.sort_values("pass_utilises", ascending=False)["code"].head(2)]
    entites, ignores = comparaison.lire_ids(contexte, ",".join(choisis))
    table = comparaison.comparer(contexte, entites, ignores).table
    attendue = _mediane(cd["taux_utilisation"])
    assert len(table) == 2
    assert all(_egal(v, attendue) for v in table["taux_utilisation__national"])
    assert not _egal(attendue, _mediane(laureats["taux_utilisation"]))  # the kind matters


def _exporter(app, format_: str, ids: list[str]) -> dict | None:
    bouton = {"type": "export", "page": "comparer", "format": format_, "nom": "tableau"}
    corps = corps_rappel(
        app,
        "comparer-telechargement",
        {"comparer-ids.data": ids},
        declencheur=(bouton, "n_clicks"),
        composants=[(bouton, "n_clicks", 1)],
    )
    reponse = client_rappels(app).post("/_dash-update-component", json=corps)
    assert reponse.status_code in (200, 204)
    if reponse.status_code == 204 or "filename" not in reponse.get_data(as_text=True):
        return None
    return reponse.get_json()["response"]["comparer-telechargement"]["data"]


def _nombre_csv(texte: str) -> float:
    return float(texte.replace(",", ".")) if texte else math.nan


def _comme_exporte(valeur, colonne: str) -> float:
    """The value rounded as the exports write it (half up, the column's decimals)."""
    from dashboard.domain.formatage import arrondi
    from dashboard.exports.tableurs import decimales

    valeur = float(valeur)
    return valeur if math.isnan(valeur) else float(arrondi(valeur, decimales(colonne)))


def test_cmp003_exports_portent_les_memes_nombres(app_demo, contexte):
    entites, ignores = comparaison.lire_ids(contexte, ",".join(DEPARTEMENTS))
    attendu = comparaison.comparer(contexte, entites, ignores).table.set_index("identifiant")
    fichier = _exporter(app_demo, "csv", DEPARTEMENTS)
    assert fichier["filename"].startswith("pass-numerique-comparaison-tableau-")
    texte = base64.b64decode(fichier["content"]).decode("utf-8-sig")
    assert "DÉMONSTRATION" in texte and "Comparés : Finistère (departement:29)" in texte
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    entete = next(i for i, ligne in enumerate(lignes) if ligne[:2] == ["Nom", "Identifiant"])
    colonnes = dict(comparaison.colonnes_export())
    indices = {cle: lignes[entete].index(titre) for cle, titre in colonnes.items()}
    rangs = {ligne[1]: ligne for ligne in lignes[entete + 1 :] if ligne}
    assert set(rangs) == set(DEPARTEMENTS)
    for identifiant, ligne in rangs.items():
        for cle in ("taux_utilisation", "taux_utilisation__national", "taux_utilisation__regional"):
            exporte = _nombre_csv(ligne[indices[cle]])
            assert _egal(exporte, _comme_exporte(attendu.loc[identifiant, cle], cle))
            assert math.isnan(exporte) or abs(exporte - attendu.loc[identifiant, cle]) <= 0.0005  # 0,1 %

    xlsx = _exporter(app_demo, "xlsx", DEPARTEMENTS)
    feuille = load_workbook(io.BytesIO(base64.b64decode(xlsx["content"]))).active
    valeurs = [[c.value for c in r] for r in feuille.iter_rows()]
    entete_x = next(i for i, ligne in enumerate(valeurs) if ligne[:2] == ["Nom", "Identifiant"])
    colonne = valeurs[entete_x].index(colonnes["pass_utilises_pour_1000_habitants__regional"])
    for ligne in valeurs[entete_x + 1 :]:
        if ligne[1] in attendu.index:
            cle = "pass_utilises_pour_1000_habitants__regional"
            assert _egal(float(ligne[colonne]), _comme_exporte(attendu.loc[ligne[1], cle], cle))


def test_cmp004_pas_d_export_sous_deux_entites_ou_d_identifiant_forge(app_demo):
    assert _exporter(app_demo, "csv", ["departement:29"]) is None
    assert _exporter(app_demo, "csv", ["departement:999", "'; DROP TABLE porteur; --"]) is None
    assert _exporter(app_demo, "xlsx", "departement:29,departement:56") is None  # not a list
