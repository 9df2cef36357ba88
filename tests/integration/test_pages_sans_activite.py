"""Every territory page opens, on both engines: each région and each département, the EPCIs where nothing
happened, the comparison of territories without activity and the slides that include them. Under pandas 3
the page of a territory without activity was blank (a name refused in a row of numbers): the page callback
failed and the suite, which opened no such page, stayed green."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dashboard.domain.filtres import Filtres
from dashboard.store.db import make_engine
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.schema import Territoire
from tests.conftest import base_postgres_temporaire, client_rappels, settings_pour
from tests.rappels import corps_de

NB_EPCI = 40  # EPCIs without activity opened per engine, spread over the alphabet of their codes


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request, base_demo, tmp_path_factory):
    """The app on the small demo dataset, on each engine."""
    from dashboard import create_app

    if request.param == "sqlite":
        yield create_app(base_demo)
        return
    from dashboard.demo.chargement import charger_demo
    from dashboard.store.initialisation import initialiser

    with base_postgres_temporaire() as url:
        settings = settings_pour(url, tmp_path_factory.mktemp("pg-demo"))
        engine = make_engine(url)
        initialiser(engine, settings.geo_dir)
        charger_demo(engine, settings.geo_dir, "small")
        engine.dispose()
        app = create_app(settings)
        yield app
        app.server.config["PASSNUM_CONTEXTE"].engine.dispose()


def _page(app, client, chemin: str, recherche: str = "") -> str:
    """The page as the pages callback renders it (what the browser shows): its JSON, or the test fails
    with the status (a failed callback answers without content)."""
    rappels = {c: r for c, r in app.callback_map.items() if "callback" in r}
    cle = next(c for c in rappels if c.startswith(".._pages_content"))
    corps = corps_de(cle, rappels[cle])
    corps["inputs"] = [
        {"id": "_pages_location", "property": "pathname", "value": chemin},
        {"id": "_pages_location", "property": "search", "value": recherche},
    ]
    corps["state"] = []
    reponse = client.post("/_dash-update-component", json=corps)
    assert reponse.status_code == 200, f"{chemin}{recherche} : statut {reponse.status_code}"
    return json.dumps(reponse.get_json(), ensure_ascii=False)


def _territoires(app, niveau: str) -> list[tuple[str, str]]:
    engine = app.server.config["PASSNUM_CONTEXTE"].engine
    with engine.connect() as connection:
        requete = select(Territoire.code, Territoire.nom).where(Territoire.niveau == niveau)
        lignes = connection.execute(requete.order_by(Territoire.code))
        return [(code, nom) for code, nom in lignes]


def _sans_activite(app, niveau: str) -> list[tuple[str, str]]:
    engine = app.server.config["PASSNUM_CONTEXTE"].engine
    table = table_indicateurs(engine, niveau, "territoires", Filtres())
    actifs = set(table.loc[table["pass_distribues"].fillna(0) > 0, "code"].astype(str))
    return [(code, nom) for code, nom in _territoires(app, niveau) if code not in actifs]


def _rendu(texte: str) -> str:
    """Dash escapes some characters of the JSON it answers (« / », quotes): compare names written the
    same way."""
    return json.dumps(texte, ensure_ascii=False)[1:-1]


@pytest.mark.parametrize("niveau", ["region", "departement"])
def test_pag001_la_page_de_chaque_region_et_departement_s_ouvre(site, niveau):
    client = client_rappels(site)
    territoires = _territoires(site, niveau)
    assert len(territoires) == {"region": 18, "departement": 101}[niveau]
    for code, nom in territoires:
        page = _page(site, client, f"/territoire/{niveau}/{code}")
        assert _rendu(nom) in page, f"{niveau} {code} : le nom « {nom} » manque à la page"
        assert "Page introuvable" not in page


def test_pag002_les_pages_d_epci_sans_activite_s_ouvrent(site):
    client = client_rappels(site)
    sans = _sans_activite(site, "epci")
    assert len(sans) >= NB_EPCI  # the demo leaves most EPCIs without a laureate
    pas = len(sans) // NB_EPCI
    for code, nom in sans[::pas][:NB_EPCI]:
        page = _page(site, client, f"/territoire/epci/{code}")
        assert _rendu(nom) in page, f"EPCI {code} : le nom « {nom} » manque à la page"
        assert "les pass sont numérotés" not in page  # no activity: neither exact nor estimated


def test_pag003_comparaison_et_diapositives_de_territoires_sans_activite(site):
    client = client_rappels(site)
    regions = _sans_activite(site, "region")
    departements = _sans_activite(site, "departement")
    epci = _sans_activite(site, "epci")
    assert regions and departements and epci  # Corse, Mayotte… in the demo
    choisis = [("region", regions[0]), ("departement", departements[0]), ("epci", epci[0])]
    ids = ",".join(f"{niveau}:{code}" for niveau, (code, _) in choisis)
    page = _page(site, client, "/comparer", f"?ids={ids}")
    for _, (_, nom) in choisis:
        assert _rendu(nom) in page, f"comparaison : « {nom} » manque"
    diapos = _page(site, client, "/presentation", f"?diapos=resume,{ids}&diapo=2")
    assert _rendu(choisis[0][1][1]) in diapos
