"""The page of a territory or a laureate, rendered from its view-model (dashboard.vues.fiche): trail,
identity, links, warnings, KPIs, charts with their PNG export, tables with their CSV/XLSX exports."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components import passif
from dashboard.components.enveloppe import carte_enveloppe
from dashboard.components.export import bouton_export, zone_message
from dashboard.components.graphique import config_graphique
from dashboard.components.kpis import cartes_kpis
from dashboard.components.prevision import bloc as bloc_prevision
from dashboard.components.tableau import tableau_html
from dashboard.domain.formatage import date_courte, euros, nombre, pourcentage
from dashboard.domain.liens import chemin
from dashboard.domain.vocabulaire import libelle_type
from dashboard.figures.graphiques import barres_structures, chronologie
from dashboard.store.entites import Entite
from dashboard.vues.fiche import (
    NB_STRUCTURES,
    Fiche,
    entonnoir_de,
    figure_cohortes,
    fil_ariane,
    pairs_affiches,
    phrase_communes_sans_lieu,
    phrases_lieux,
)

PAGE = "fiche"
NOTE_COHORTES = (
    "Estimation : sans numéros de pass, ils ne sont pas suivis un à un ; les utilisations sont "
    "rapprochées des distributions les plus anciennes (premier distribué, premier utilisé), sur les pass "
    "qui seront utilisés. Chaque courbe plafonne au taux d'utilisation."
)
NOTE_COHORTES_EXACTES = (
    "Exact : les pass sont numérotés, chacun est suivi de sa distribution à son utilisation."
)


def page(
    fiche: Fiche,
    vigilance: html.Section | None = None,
    notes: html.Section | None = None,
    public: bool = False,
) -> html.Div:
    """`vigilance`: the block of the entity's points de vigilance (dashboard.components.vigilance);
    `notes`: the block of its committee notes (dashboard.components.notes); `public`: the page a visitor
    without an account sees (PASSNUM_PUBLIC=1), without breakdowns by structure or place."""
    ent = fiche.entite
    detail = not public
    return html.Div(
        [
            dcc.Store(id="fiche-id", data=ent.identifiant),
            dcc.Download(id="fiche-telechargement"),
            zone_message("fiche-telechargement"),
            html.Nav(_fil(ent), **{"aria-label": "Fil d'Ariane"}, className="mt-3 small"),
            html.H1(ent.nom, className="h3 mt-1 mb-1"),
            html.P(fiche.identite, className="mb-2", id="fiche-identite"),
            _bloc_membres(fiche.membres) if not fiche.membres.empty else None,
            _liens(fiche, public),
            passif.bandeau_figees(fiche.passif),
            _bloc_alertes(fiche.alertes),
            vigilance,
            html.Div(cartes_kpis(fiche.kpis), id="kpis", className="mb-3"),
            carte_enveloppe(fiche.enveloppe) if fiche.enveloppe is not None else None,
            *_graphiques(fiche),
            notes,
            dbc.Row(
                [
                    dbc.Col(
                        _structures(fiche.distributeurs, "distributeurs", "Structures distributrices"), lg=6
                    ),
                    dbc.Col(_structures(fiche.lieux, "lieux", "Lieux de médiation"), lg=6),
                ],
                className="g-3",
            )
            if detail
            else None,
            passif.bloc(fiche.passif) if detail else None,
            _bloc_lieux_pass(fiche) if fiche.lieux_pass is not None and detail else None,
            _bloc_pairs(fiche),
            _bloc_laureats(fiche) if ent.niveau != "porteur" else _bloc_conventions(fiche),
        ],
        id="fiche",
    )


def _fil(ent: Entite) -> list:
    elements = []
    for nom, href in fil_ariane(ent):
        elements += [
            " › " if elements else None,
            dcc.Link(nom, href=href) if href else html.Span(nom, **{"aria-current": "page"}),
        ]
    return [e for e in elements if e is not None]


# Members named on a syndicat's page before « et N autres » (a syndicat may gather hundreds of communes).
NB_MEMBRES_NOMMES = 40
_MEMBRES = {
    "departement": ("Département membre", "Départements membres"),
    "epci": ("EPCI membre", "EPCI membres"),
    "commune": ("Commune membre", "Communes membres"),
}


def _bloc_membres(membres: pd.DataFrame) -> html.Section:
    """The members of a syndicat mixte, by level, each linked to its page (a commune has none)."""
    lignes = []
    for niveau, (singulier, pluriel) in _MEMBRES.items():
        groupe = membres[membres["niveau"] == niveau]
        if groupe.empty:
            continue
        noms = []
        for m in groupe.head(NB_MEMBRES_NOMMES).itertuples():
            noms += [
                ", " if noms else None,
                dcc.Link(m.nom, href=m.chemin) if isinstance(m.chemin, str) else m.nom,
            ]
        reste = len(groupe) - NB_MEMBRES_NOMMES
        if reste > 0:
            noms.append(f" et {nombre(reste)} {'autre' if reste == 1 else 'autres'}")
        titre = f"{singulier} : " if len(groupe) == 1 else f"{pluriel} ({nombre(len(groupe))}) : "
        lignes.append(html.Li([html.Strong(titre), *(n for n in noms if n is not None)]))
    return html.Section(
        [
            html.H2("Membres du syndicat mixte", className="visually-hidden"),
            html.Ul(lignes, className="list-unstyled mb-2"),
        ],
        id="fiche-membres",
    )


def _liens(fiche: Fiche, public: bool = False) -> html.Div:
    """Compare, map, present; the public page (PASSNUM_PUBLIC=1) only links to the map."""
    carte = dcc.Link(
        "Voir sur la carte", href=fiche.lien_carte, className="btn btn-outline-primary btn-sm me-2"
    )
    if public:
        return html.Div(carte, className="mb-3")
    return html.Div(
        [
            dcc.Link(
                "Comparer avec des pairs",
                href=fiche.lien_comparer,
                className="btn btn-primary btn-sm me-2",
                id="fiche-comparer",
            ),
            carte,
            dcc.Link(
                "Présenter",
                href=fiche.lien_presentation,
                className="btn btn-outline-primary btn-sm",
                id="fiche-presenter",
            ),
        ],
        className="mb-3",
    )


def _graphiques(fiche: Fiche) -> list:
    titre_chronologie = (
        "Activité mensuelle (au lieu de distribution ou d'utilisation)"
        if fiche.entite.niveau != "porteur"
        else "Activité mensuelle"
    )
    return [
        dbc.Row(
            [
                dbc.Col(
                    _graphique("entonnoir", "Du pass commandé au pass utilisé", entonnoir_de(fiche)), lg=5
                ),
                dbc.Col(
                    _graphique(
                        "chronologie",
                        titre_chronologie,
                        chronologie(
                            fiche.mensuel,
                            cumul=False,
                            notes=list(fiche.marqueurs_notes),
                            projection=fiche.projection,
                        ),
                    ),
                    lg=7,
                ),
            ],
            className="g-3",
        ),
        *([bloc_prevision(fiche.prevision)] if fiche.prevision else []),
        _graphique(
            "cohortes",
            "Cohortes : part des pass distribués un trimestre donné utilisés k mois après",
            figure_cohortes(fiche),
            note=NOTE_COHORTES_EXACTES if fiche.exacte else NOTE_COHORTES,
        ),
    ]


def _graphique(nom: str, titre: str, figure: dict, note: str | None = None) -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"),
                    bouton_export(PAGE, "png", nom, titre),
                ],
                className="d-flex align-items-end gap-2",
            ),
            dcc.Graph(
                id=f"fiche-{nom}",
                figure=figure,
                config=config_graphique(PAGE, nom),
                style={"height": "320px"},
            ),
            html.P(note, className="small text-body-secondary") if note else None,
        ]
    )


def _tableau_defilant(*args, **kwargs) -> html.Div:
    """A table that scrolls sideways inside its own box on a narrow screen (a phone), never the page."""
    return html.Div(tableau_html(*args, **kwargs), className="table-responsive", tabIndex=0)


def _entete_section(titre: str, nom: str, png: bool = False) -> html.Div:
    boutons = [bouton_export(PAGE, "png", nom, titre)] if png else []
    boutons.append(
        html.Div(
            [bouton_export(PAGE, "csv", nom, titre), bouton_export(PAGE, "xlsx", nom, titre)],
            className="d-flex gap-2",
        )
    )
    return html.Div(
        [html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"), *boutons],
        className="d-flex align-items-end gap-2",
    )


# Said when the entity has no pass of the role at all (lines without SIRET are rows of the table).
SANS_ACTIVITE = {
    "distributeurs": "Aucun pass distribué enregistré.",
    "lieux": "Aucun pass utilisé enregistré.",
}
NOTE_SANS_SIRET = (
    "Les lignes sans SIRET sont regroupées par le nom que donne le fichier, à défaut en « Non identifié » : "
    "elles comptent dans les parts, pas dans le nombre de structures distributrices ou de lieux actifs."
)


def _structures(repartition: pd.DataFrame, nom: str, titre: str) -> html.Section:
    if repartition.empty:
        corps = [html.P(SANS_ACTIVITE[nom], className="small")]
    else:
        lignes = [
            html.Tr(
                [
                    html.Td(r.nom),
                    html.Td(r.commune or "—"),
                    html.Td(nombre(r.nb_pass)),
                    html.Td(pourcentage(r.part)),
                ]
            )
            for r in repartition.head(NB_STRUCTURES).itertuples()
        ]
        reste = len(repartition) - NB_STRUCTURES
        corps = [
            dcc.Graph(
                id=f"fiche-{nom}",
                figure=barres_structures(repartition, NB_STRUCTURES),
                config=config_graphique(PAGE, nom),
                style={"height": "320px"},
            ),
            _tableau_defilant(
                ["Nom", "Commune", "Pass", "Part"], lignes, classe="table table-sm tableau-chiffres"
            ),
            html.P(
                f"{nombre(reste)} {'autre' if reste == 1 else 'autres'} dans l'export "
                f"({nombre(len(repartition))} au total).",
                className="small text-body-secondary",
            )
            if reste > 0
            else None,
            html.P(NOTE_SANS_SIRET, className="small text-body-secondary")
            if repartition["siret"].isna().any()
            else None,
        ]
    return html.Section([_entete_section(titre, nom, png=not repartition.empty), *corps])


def _bloc_lieux_pass(fiche: Fiche) -> html.Section:
    """Places accepting the Pass (list imported), the redemption places matched to it, and the communes
    where passes were handed out with no accepting place in their EPCI."""
    lieux = fiche.lieux_pass
    corps = [html.P(p, className="mb-1") for p in phrases_lieux(lieux)]
    if lieux.liste:
        hors = [
            html.Tr([html.Td(r.nom), html.Td(r.commune or "—"), html.Td(r.siret), html.Td(nombre(r.nb_pass))])
            for r in lieux.hors_liste.head(NB_STRUCTURES).itertuples()
        ]
        communes = [
            html.Tr([html.Td(r.commune), html.Td(r.epci), html.Td(nombre(r.pass_distribues))])
            for r in lieux.communes_sans_lieu.head(NB_STRUCTURES).itertuples()
        ]
        corps += [
            _entete_section("Lieux d'utilisation absents de la liste", "lieux_hors_liste"),
            _tableau_defilant(
                ["Nom", "Commune", "SIRET", "Pass utilisés"],
                hors,
                classe="table table-sm tableau-chiffres",
                id="fiche-lieux-hors-liste",
            )
            if hors
            else html.P("Aucun : chaque lieu d'utilisation identifié est dans la liste.", className="small"),
            _entete_section("Communes sans lieu acceptant le Pass dans leur EPCI", "communes_sans_lieu"),
            html.P(phrase_communes_sans_lieu(lieux), className="small", id="fiche-communes-sans-lieu-phrase"),
            _tableau_defilant(
                ["Commune", "EPCI", "Pass distribués"],
                communes,
                classe="table table-sm tableau-chiffres",
                id="fiche-communes-sans-lieu",
            )
            if communes
            else None,
        ]
    return html.Section(
        [html.H2("Lieux acceptant le Pass numérique", className="h6 mt-3 mb-1"), *corps],
        id="fiche-lieux-pass",
    )


def _ligne_pair(ent: Entite, p) -> html.Tr:
    if isinstance(p, int):  # peers left out between two shown rows
        texte = f"… {nombre(p)} {'autre pair' if p == 1 else 'autres pairs'} (dans l'export)"
        return html.Tr(html.Td(texte, colSpan=4, className="text-body-secondary"), className="pairs-ellipse")
    return html.Tr(
        [
            html.Td("—" if pd.isna(p.rang) else nombre(p.rang)),
            html.Td(html.Strong(p.nom) if p.est_entite else dcc.Link(p.nom, href=chemin(ent.niveau, p.code))),
            html.Td(nombre(p.population)),
            html.Td(pourcentage(p.valeur)),
        ],
        className="table-active" if p.est_entite else None,
        **({"aria-current": "true", "id": "fiche-pairs-entite"} if p.est_entite else {}),
    )


def _bloc_pairs(fiche: Fiche) -> html.Section:
    ent = fiche.entite
    lignes = [_ligne_pair(ent, p) for p in pairs_affiches(fiche.pairs)]
    population = "Population" if ent.niveau != "porteur" else "Population couverte"
    return html.Section(
        [
            _entete_section("Rang parmi les pairs comparables", "pairs"),
            html.P(fiche.rang, id="fiche-rang"),
            html.Div(
                tableau_html(
                    ["Rang", "Nom", population, "Taux d'utilisation"],
                    lignes,
                    classe="table table-sm tableau-chiffres",
                    id="fiche-pairs",
                ),
                className="table-responsive",
                tabIndex=0,
                **{"aria-label": "Pairs comparables"},
            ),
        ]
    )


def _bloc_laureats(fiche: Fiche) -> html.Section:
    lignes = [
        html.Tr(
            [
                html.Td(dcc.Link(r.nom, href=chemin("porteur", r.siren))),
                html.Td(libelle_type(r.type, pluriel=False, majuscule=True)),
                html.Td(r.vagues),
                html.Td(euros(r.subvention_etat_engagee_eur)),
            ]
        )
        for r in fiche.laureats.itertuples()
    ]
    corps = (
        _tableau_defilant(
            ["Lauréat", "Type", "Vagues", "Subvention État engagée"],
            lignes,
            classe="table table-sm tableau-chiffres",
        )
        if lignes
        else html.P("Aucun lauréat ne couvre ce territoire.", className="small")
    )
    return html.Section(
        [_entete_section("Lauréats dont le périmètre couvre ce territoire", "laureats"), corps]
    )


def _bloc_conventions(fiche: Fiche) -> html.Section:
    lignes = [
        html.Tr(
            [
                html.Td(str(c.vague)),
                html.Td(date_courte(c.date_convention) if pd.notna(c.date_convention) else "—"),
                html.Td(euros(c.budget_total_eur)),
                html.Td(euros(c.subvention_etat_eur)),
                html.Td(euros(c.subvention_versee_eur)),
                html.Td(nombre(c.pass_prevus) if pd.notna(c.pass_prevus) else "—"),
            ]
        )
        for c in fiche.conventions.itertuples()
    ]
    entetes = ["Vague", "Date", "Budget total", "Subvention État", "Subvention versée", "Pass prévus"]
    return html.Section(
        [
            _entete_section("Conventions", "conventions"),
            _tableau_defilant(entetes, lignes, classe="table table-sm tableau-chiffres"),
        ]
    )


def _bloc_alertes(alertes: list[str]) -> html.Div | None:
    if not alertes:
        return None
    return dbc.Alert(
        [
            html.H2("Fraîcheur et qualité des données", className="h6"),
            html.Ul([html.Li(a) for a in alertes], className="mb-0"),
        ],
        color="warning",
        id="fiche-alertes",
    )
