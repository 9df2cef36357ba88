"""The one configuration of every chart: French toolbar, no cloud, our stamped PNG export only."""

import json

from dash import html

from dashboard.components.export import id_export
from dashboard.components.graphique import (
    BOUTON_EXPORT,
    TITRE_EXPORT,
    config_graphique,
    declencheurs_png,
)
from dashboard.figures.locale import LOCALE_FR


def test_gra001_aucun_bouton_de_nuage_ni_appareil_photo_de_plotly():
    config = config_graphique("national", "entonnoir")
    assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
    assert config["displaylogo"] is False and config["showLink"] is False and config["sendData"] is False
    retires = set(config["modeBarButtonsToRemove"])
    # plotly's own PNG (unstamped, made in the browser), the cloud, selections with no use here
    assert {"toImage", "sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"} <= retires
    assert "cloud" not in json.dumps(config).lower().replace("showsendtocloud", "").replace(
        "senddatatocloud", ""
    )


def test_gra002_locale_francaise_avec_son_dictionnaire():
    config = config_graphique()
    assert config["locale"] == "fr"
    assert config["locales"]["fr"] is LOCALE_FR
    assert config["locales"]["fr"]["dictionary"]["Zoom in"] == "Zoom avant"
    assert config["locales"]["fr"]["format"]["decimal"] == ","


def test_gra003_bouton_d_export_estampille_vers_le_bouton_png_de_la_page():
    (bouton,) = config_graphique("fiche", "cohortes")["modeBarButtonsToAdd"]
    assert bouton["name"] == BOUTON_EXPORT and bouton["title"] == TITRE_EXPORT == "Télécharger l'image (PNG)"
    assert bouton["passnumExport"] == id_export("fiche", "png", "cohortes")
    assert bouton["passnumExport"] == {"type": "export", "page": "fiche", "format": "png", "nom": "cohortes"}
    # Without a page, no image export at all (the deck's charts): no button, and plotly's is removed.
    sans = config_graphique()
    assert "modeBarButtonsToAdd" not in sans and "toImage" in sans["modeBarButtonsToRemove"]


def test_gra004_declencheurs_caches_un_par_graphique():
    bloc = declencheurs_png("national", ["carte", "entonnoir"])
    assert bloc.hidden is True
    assert [b.id for b in bloc.children] == [
        id_export("national", "png", "carte"),
        id_export("national", "png", "entonnoir"),
    ]
    assert all(isinstance(b, html.Button) for b in bloc.children)
