"""The report's pieces that need no database: differences in French, tables, entity names, the stamp, the
optional sections (a real module on sys.path) and the table of contents."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import formatage
from dashboard.domain.indicateurs import Nature
from dashboard.exports import rapport
from dashboard.exports.rapport import (
    Contexte,
    Section,
    ecart_texte,
    filtres_au,
    nom_entite,
    tableau_html,
)

NNBSP = "\u202f"


def test_rap001_ecarts_en_francais():
    assert ecart_texte(1234.0, formatage.nombre, Nature.STOCK) == f"+1{NNBSP}234"
    assert ecart_texte(-68000.0, formatage.euros, Nature.STOCK) == f"\u221268{NNBSP}000 €"
    assert ecart_texte(0.025, formatage.pourcentage, Nature.TAUX) == "+2,5 pts"
    assert ecart_texte(-0.012, formatage.pourcentage, Nature.TAUX) == "\u22121,2 pt"
    assert ecart_texte(0.0004, formatage.pourcentage, Nature.TAUX) == "0 pt"  # 0,04 point: shown as 0
    assert ecart_texte(0.4, formatage.nombre, Nature.STOCK) == "0"
    assert ecart_texte(np.nan, formatage.nombre, Nature.STOCK) == "—"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_rap002_le_signe_de_l_ecart_est_celui_de_la_difference_arrondie(ecart):
    texte = ecart_texte(ecart, formatage.nombre, Nature.STOCK)
    arrondi = float(formatage.arrondi(ecart, 0))
    if arrondi == 0:
        assert texte == "0"
    else:
        assert texte[0] == ("+" if ecart > 0 else "\u2212")
        assert texte[1:] == formatage.nombre(abs(ecart))


def test_rap003_tableau_d_une_dataframe():
    table = pd.DataFrame(
        {
            "nom": ["<script>alert(1)</script>", "Brest & co"],
            "pass": [1234, 5],
            "taux": [0.5, np.nan],
            "jour": [dt.date(2021, 3, 4), dt.date(2022, 12, 31)],
        }
    )
    page = tableau_html(
        table, {"taux": "taux_utilisation"}, {"nom": "Nom", "pass": "Pass"}, legende="Légende"
    )
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Brest &amp; co" in page and "<caption>Légende</caption>" in page
    assert '<th scope="col">Nom</th><th scope="col" class="n">Pass</th>' in page
    assert f'<td class="n">1{NNBSP}234</td>' in page and '<td class="n">5</td>' in page
    assert '<td class="n">50,0 %</td>' in page and '<td class="n">—</td>' in page  # the registry's format
    assert "<td>04/03/2021</td>" in page and "<td>31/12/2022</td>" in page
    assert tableau_html(table.iloc[0:0], vide="Rien.") == '<p class="vide">Rien.</p>'


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_rap004_aucun_texte_ne_sort_de_sa_cellule(textes):
    page = tableau_html(pd.DataFrame({"texte": textes}))
    assert page.count("<td>") == len(textes) and page.count("</td>") == len(textes)
    assert page.count("<") == page.count(">")


def test_rap005_noms_des_entites():
    assert nom_entite("national", None, None) == "National"
    assert nom_entite("departement", "29", "Finistère") == "Finistère (département)"
    assert nom_entite("region", "53", "Bretagne") == "Bretagne (région)"
    assert nom_entite("epci", "200000000", None) == "EPCI 200000000 (inconnu)"
    assert nom_entite("porteur", "224400028", "Département de Loire-Atlantique") == (
        "Département de Loire-Atlantique"
    )
    assert nom_entite("porteur", "224400028", None) == "Lauréat 224400028"


def test_rap006_estampille_en_heure_de_paris():
    contexte = Contexte(
        date_comite=dt.date(2024, 1, 15),
        date_donnees=dt.date(2023, 12, 31),
        genere_le=dt.datetime(2024, 7, 1, 21, 30, tzinfo=dt.UTC),  # summer: UTC+2
        demo=False,
    )
    assert contexte.estampille == (
        "Comité de pilotage du 15/01/2024 — données au 31/12/2023 — généré le 01/07/2024 à 23:30 (heure de "
        "Paris) — source : Opérateur du Pass numérique (imports mensuels)"
    )
    haut, bas = rapport._marges_html(contexte)
    assert contexte.estampille in bas and "fictives" not in bas + haut
    assert "pageNumber" in bas and "totalPages" in bas
    demo = rapport._marges_html(Contexte(dt.date(2024, 1, 15), None, contexte.genere_le, demo=True))
    assert (
        "Données de démonstration — fictives" in demo[0] and "Données de démonstration — fictives" in demo[1]
    )
    assert "aucune donnée d&#x27;activité" in demo[1]  # escaped like every text


def test_rap007_filtre_jusqu_au_mois_du_comite_precedent():
    assert filtres_au(None).parametres() == {}
    assert filtres_au(dt.date(2023, 10, 12)).parametres() == {"periode": "..2023-10"}


def test_rap009_le_sommaire_dit_les_sections_omises():
    produites = [
        (rapport.section_synthese, Section("Synthèse nationale", "<p>x</p>", "synthese")),
        (rapport.section_previsions, None),
    ]
    sommaire = rapport._sommaire(produites)
    assert '<li><a href="#synthese">Synthèse nationale</a></li>' in sommaire
    assert '<li class="omise">Prévisions — non disponible : section omise</li>' in sommaire
    assert [f.ancre for f in rapport.SECTIONS] == [
        "synthese",
        "notes",
        "graphiques",
        "enveloppes",
        "previsions",
        "vigilance",
        "calendrier",
    ]


def test_rap010_pages_d_un_pdf_de_chromium():
    pdf = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /X 1>>"
    assert rapport.nombre_de_pages(pdf) == 2
