"""The words of the territory and laureate pages on the demo data: a syndicat's members, the tab's title,
French type labels, the laureate's own cards, the délai médian named a duration."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from sqlalchemy import insert, select

from dashboard import create_app
from dashboard.components.fiche import page as page_fiche
from dashboard.domain.formatage import nombre
from dashboard.domain.liens import chemin
from dashboard.settings import Settings
from dashboard.store.db import make_engine
from dashboard.store.schema import Porteur, SyndicatMembre
from dashboard.vues import fiche as vue_fiche


@pytest.fixture(scope="module")
def app_demo(base_demo):
    return create_app(base_demo)


@pytest.fixture(scope="module")
def contexte(app_demo):
    return app_demo.server.config["PASSNUM_CONTEXTE"]


def _syndicat(engine) -> str:
    with engine.connect() as connexion:
        return connexion.execute(
            select(Porteur.siren).where(Porteur.type == "SM").order_by(Porteur.siren)
        ).scalar()


def _liens(composant) -> list[tuple[str, str]]:
    """(text, href) of every link under a component."""
    trouves = []

    def parcourir(c):
        if hasattr(c, "href") and hasattr(c, "children") and isinstance(c.children, str):
            trouves.append((c.children, c.href))
        enfants = getattr(c, "children", None)
        for e in enfants if isinstance(enfants, list | tuple) else [enfants]:
            if e is not None and not isinstance(e, str | int | float):
                parcourir(e)

    parcourir(composant)
    return trouves


def _bloc(rendu, identifiant: str):
    return next(c for c in rendu.children if getattr(c, "id", None) == identifiant)


def test_mot015_page_d_un_syndicat_liste_ses_membres_avec_liens(contexte):
    siren = _syndicat(contexte.engine)
    with contexte.engine.connect() as connexion:
        attendus = connexion.execute(
            select(SyndicatMembre.niveau_membre, SyndicatMembre.code_membre).where(
                SyndicatMembre.siren_syndicat == siren
            )
        ).all()
    assert attendus, "the demo's syndicats have members"
    ent = vue_fiche.entite_de(contexte, "porteur", siren)
    fiche = vue_fiche.calculer_fiche(contexte, ent)
    membres = _bloc(page_fiche(fiche), "fiche-membres")
    liens = dict((href, nom) for nom, href in _liens(membres))
    for niveau, code in attendus:
        territoire = vue_fiche.entite_de(contexte, niveau, code)
        assert liens[chemin(niveau, code)] == territoire.nom
    # a territory's page has no members block
    finistere = vue_fiche.calculer_fiche(contexte, vue_fiche.entite_de(contexte, "departement", "29"))
    assert not any(getattr(c, "id", None) == "fiche-membres" for c in page_fiche(finistere).children)


def test_mot016_membres_epci_et_communes_d_un_syndicat(base_demo, tmp_path):
    """BANATIC perimeters name EPCIs and communes too: each EPCI linked to its page, a commune named."""
    copie = tmp_path / "copie.sqlite"
    shutil.copy(base_demo.resolved_database_url.removeprefix("sqlite:///"), copie)
    settings = Settings(**{**base_demo.__dict__, "database_url": f"sqlite:///{copie}"})
    engine = make_engine(f"sqlite:///{copie}")
    siren = _syndicat(engine)
    with engine.begin() as connexion:
        connexion.execute(
            insert(SyndicatMembre),
            [
                {"siren_syndicat": siren, "niveau_membre": "epci", "code_membre": "242900314"},
                {"siren_syndicat": siren, "niveau_membre": "commune", "code_membre": "29019"},
            ],
        )
    contexte = create_app(settings).server.config["PASSNUM_CONTEXTE"]
    fiche = vue_fiche.calculer_fiche(contexte, vue_fiche.entite_de(contexte, "porteur", siren))
    membres = fiche.membres.set_index("code")
    assert membres.loc["242900314", ["niveau", "nom", "chemin"]].tolist() == [
        "epci",
        "Brest Métropole",
        "/territoire/epci/242900314",
    ]
    assert membres.loc["29019", "nom"] == "Brest" and pd.isna(membres.loc["29019", "chemin"])
    bloc = _bloc(page_fiche(fiche), "fiche-membres")
    assert ("Brest Métropole", "/territoire/epci/242900314") in _liens(bloc)
    assert "Commune membre : " in str(bloc) and "'Brest'" in str(bloc)


def test_mot017_titre_de_l_onglet_et_types_en_francais(app_demo, contexte):
    client = app_demo.server.test_client()
    html = client.get("/territoire/departement/29").get_data(as_text=True)
    assert 'content="Finistère (29) — Pass numérique"' in html  # the page's title, in its meta tags
    import dash

    titres = {p["path_template"]: p["title"] for p in dash.page_registry.values() if p.get("path_template")}
    assert titres["/territoire/<niveau>/<code>"](niveau="departement", code="29") == (
        "Finistère (29) — Pass numérique"
    )
    assert titres["/territoire/<niveau>/<code>"](niveau="departement", code="999") == (
        "Page introuvable — Pass numérique"
    )
    siren = _syndicat(contexte.engine)
    nom = vue_fiche.entite_de(contexte, "porteur", siren).nom
    assert titres["/porteur/<siren>"](siren=siren) == f"{nom} (lauréat) — Pass numérique"
    brest = vue_fiche.entite_de(contexte, "epci", "242900314")
    assert brest.type_libelle == "Métropole (EPCI)"
    fiche = vue_fiche.calculer_fiche(contexte, brest)
    assert "métropoles (EPCI)" in fiche.rang and "epci —" not in fiche.rang.lower()
    assert "Métropole (EPCI) · code 242900314" in fiche.identite


def test_mot018_page_d_un_laureat_sans_carte_laureats(contexte):
    siren = _syndicat(contexte.engine)
    ent = vue_fiche.entite_de(contexte, "porteur", siren)
    cartes = vue_fiche.calculer_fiche(contexte, ent).kpis.chiffres
    assert "kpi-laureats" not in [c.id for c in cartes]
    assert (cartes[0].id, cartes[0].titre) == ("kpi-population_couverte", "Population couverte")
    assert cartes[0].valeur == nombre(ent.population)
    territoire = vue_fiche.calculer_fiche(contexte, vue_fiche.entite_de(contexte, "departement", "29"))
    assert territoire.kpis.chiffres[0].id == "kpi-laureats"


def test_mot019_methodologie_le_delai_median_est_une_duree():
    from dashboard.pages import methodologie

    table = methodologie._indicateurs()
    ligne = next(r for r in table.children[1].children if r.id == "methode-delai_median_mois")
    assert ligne.children[2].children == "durée (aplats classés)"
    ratios = [r.id for r in table.children[1].children if r.children[2].children.startswith("ratio")]
    assert "methode-delai_median_mois" not in ratios and "methode-euros_etat_par_habitant" in ratios
