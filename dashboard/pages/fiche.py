"""Territory page `/territoire/<niveau>/<code>` and laureate page `/porteur/<siren>`.

Both show one entity (dashboard.store.fiches): identity, KPIs, funnel, monthly timeline, cohort curves,
breakdown by distributing structure and by mediation place, rank among comparable peers, the laureates
of a territory or the conventions of a laureate, data freshness and quality warnings. Every chart exports
to PNG and every table to CSV/XLSX, stamped. An unknown code gives the French 404 page (status 404).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, Dash, Input, Output, State, dcc, html
from flask import Response, request

from dashboard.components.export import bouton_export, entete
from dashboard.components.graphique import config_graphique
from dashboard.components.kpis import cartes_kpis
from dashboard.components.tableau import tableau_html
from dashboard.contexte import Contexte
from dashboard.domain.formatage import date_courte, euros, nombre, pourcentage
from dashboard.domain.indicateurs import INDICATEURS, totaliser
from dashboard.domain.territoires import libelle_type
from dashboard.exports import EnteteExport, export_csv, export_xlsx, nom_fichier
from dashboard.figures.graphiques import barres_structures, chronologie, courbes_cohortes, entonnoir
from dashboard.pages import introuvable
from dashboard.store import fiches
from dashboard.store.fiches import Entite
from dashboard.store.memoire import memoiser, une_lecture
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.qualite import problemes_qualite

CHEMIN_FICHE = re.compile(r"^/(?:territoire/([a-z]+)/([^/]+)|porteur/([^/]+))/?$")
NB_STRUCTURES = 10
NB_PAIRS_COMPARES = 3
LIBELLES_NIVEAU_PLURIEL = {
    "region": "régions",
    "departement": "départements",
    "epci": "EPCI",
    "porteur": "lauréats",
}


@dataclass
class Fiche:
    """Everything the page shows, computed once: the layout and the exports read the same values."""

    entite: Entite
    ligne: pd.Series  # the indicators
    mensuel: pd.DataFrame
    cohortes: pd.DataFrame
    distributeurs: pd.DataFrame
    lieux: pd.DataFrame
    pairs: pd.DataFrame
    laureats: pd.DataFrame  # laureates of the territory (empty for a laureate)
    conventions: pd.DataFrame  # conventions of the laureate (empty for a territory)
    alertes: list[str]


def calculer_fiche(contexte: Contexte, ent: Entite) -> Fiche:
    engine = contexte.engine
    porteur = ent.niveau == "porteur"
    with une_lecture(engine):
        mensuel = fiches.serie_mensuelle(engine, ent)
        laureats = pd.DataFrame() if porteur else fiches.laureats_du_territoire(engine, ent)
        sirens = {ent.code} if porteur else set(laureats["siren"])
        return Fiche(
            entite=ent,
            ligne=fiches.indicateurs(engine, ent),
            mensuel=mensuel,
            cohortes=fiches.courbes_cohortes(engine, mensuel),
            distributeurs=fiches.repartition_structures(engine, ent, "distributeur"),
            lieux=fiches.repartition_structures(engine, ent, "lieu"),
            pairs=fiches.pairs(engine, ent),
            laureats=laureats,
            conventions=fiches.conventions_du_porteur(engine, ent.code) if porteur else pd.DataFrame(),
            alertes=_alertes(contexte, ent, mensuel, sirens),
        )


def entite_du_chemin(contexte: Contexte, chemin: str) -> Entite | None:
    correspondance = CHEMIN_FICHE.match(chemin or "")
    if not correspondance:
        return None
    niveau, code, siren = correspondance.groups()
    with une_lecture(contexte.engine):
        return fiches.entite(contexte.engine, "porteur" if siren else niveau, siren or code)


# --- Layout ------------------------------------------------------------------------------------------


def layout_territoire(contexte: Contexte, niveau: str | None = None, code: str | None = None, **_):
    with une_lecture(contexte.engine):
        ent = fiches.entite(contexte.engine, niveau or "", code or "")
    return _page(contexte, ent)


def layout_porteur(contexte: Contexte, siren: str | None = None, **_):
    with une_lecture(contexte.engine):
        ent = fiches.entite(contexte.engine, "porteur", siren or "")
    return _page(contexte, ent)


def _page(contexte: Contexte, ent: Entite | None) -> html.Div:
    if ent is None:
        return introuvable.layout(
            message="Aucun territoire ni lauréat ne correspond à cette adresse (code inconnu)."
        )
    fiche = calculer_fiche(contexte, ent)
    donnees = etat_donnees(contexte.engine)
    return html.Div(
        [
            dcc.Store(id="fiche-id", data=ent.identifiant),
            dcc.Download(id="fiche-telechargement"),
            html.Nav(_fil(ent), **{"aria-label": "Fil d'Ariane"}, className="mt-3 small"),
            html.H1(ent.nom, className="h3 mt-1 mb-1"),
            html.P(_identite(ent, fiche), className="mb-2", id="fiche-identite"),
            html.Div(
                [
                    dcc.Link(
                        "Comparer avec des pairs",
                        href=_lien_comparer(fiche),
                        className="btn btn-primary btn-sm me-2",
                        id="fiche-comparer",
                    ),
                    dcc.Link(
                        "Voir sur la carte",
                        href=_lien_carte(ent),
                        className="btn btn-outline-primary btn-sm me-2",
                    ),
                    dcc.Link(
                        "Présenter",
                        href=f"/presentation?diapos=resume,carte,classement,chronologie,{ent.identifiant}&diapo=5",
                        className="btn btn-outline-primary btn-sm",
                        id="fiche-presenter",
                    ),
                ],
                className="mb-3",
            ),
            _bloc_alertes(fiche.alertes),
            html.Div(
                cartes_kpis(
                    totaliser(pd.DataFrame([fiche.ligne])), _nb_laureats(fiche), donnees.date_donnees
                ),
                id="kpis",
                className="mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _graphique("entonnoir", "Du pass commandé au pass utilisé", _entonnoir(fiche)), lg=5
                    ),
                    dbc.Col(
                        _graphique(
                            "chronologie",
                            "Activité mensuelle (au lieu de distribution ou d'utilisation)"
                            if ent.niveau != "porteur"
                            else "Activité mensuelle",
                            chronologie(fiche.mensuel, cumul=False),
                        ),
                        lg=7,
                    ),
                ],
                className="g-3",
            ),
            _graphique(
                "cohortes",
                "Cohortes : part des pass distribués un trimestre donné utilisés k mois après",
                courbes_cohortes(fiche.cohortes),
                note=(
                    "Estimation : les pass ne sont pas suivis un à un ; les utilisations sont rapprochées "
                    "des distributions les plus anciennes (premier distribué, premier utilisé), sur les pass "
                    "qui seront utilisés. Chaque courbe plafonne au taux d'utilisation."
                ),
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _structures(fiche.distributeurs, "distributeurs", "Structures distributrices"), lg=6
                    ),
                    dbc.Col(_structures(fiche.lieux, "lieux", "Lieux de médiation"), lg=6),
                ],
                className="g-3",
            ),
            _bloc_pairs(fiche),
            _bloc_laureats(fiche) if ent.niveau != "porteur" else _bloc_conventions(fiche),
        ],
        id="fiche",
    )


def _fil(ent: Entite) -> list:
    elements = [dcc.Link("Carte nationale", href="/")]
    for niveau, code, nom in ent.parents:
        elements += [" › ", dcc.Link(nom, href=f"/territoire/{niveau}/{code}")]
    return [*elements, " › ", html.Span(ent.nom, **{"aria-current": "page"})]


def _identite(ent: Entite, fiche: Fiche) -> str:
    morceaux = [ent.type_libelle]
    if ent.niveau == "porteur":
        morceaux.append(f"SIREN {ent.code}")
        morceaux.append(f"{nombre(ent.population)} habitants couverts")
        if not fiche.conventions.empty:
            vagues = ", ".join(str(v) for v in fiche.conventions["vague"])
            morceaux.append(f"vague{'s' if len(fiche.conventions) > 1 else ''} {vagues}")
    else:
        morceaux.append(f"code {ent.code}")
        morceaux.append(f"{nombre(ent.population)} habitants")
        if ent.superficie_km2:
            morceaux.append(f"{nombre(ent.superficie_km2)} km²")
    morceaux.append(f"subvention État engagée : {euros(fiche.ligne.get('subvention_etat_engagee_eur'))}")
    return " · ".join(morceaux)


def _nb_laureats(fiche: Fiche) -> int:
    return 1 if fiche.entite.niveau == "porteur" else len(fiche.laureats)


def _entonnoir(fiche: Fiche) -> dict:
    ligne = fiche.ligne.fillna(0)
    return entonnoir(
        ligne["pass_commandes"], ligne["pass_distribues"], ligne["pass_utilises"], ligne["pass_expires"]
    )


def _graphique(nom: str, titre: str, figure: dict, note: str | None = None) -> html.Section:
    return html.Section(
        [
            html.Div(
                [
                    html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"),
                    bouton_export(
                        {"type": "fiche-png", "nom": nom}, "PNG", f"Télécharger « {titre} » en PNG"
                    ),
                ],
                className="d-flex align-items-end gap-2",
            ),
            dcc.Graph(
                id=f"fiche-{nom}",
                figure=figure,
                config=config_graphique(f"pass-numerique-{nom}"),
                style={"height": "320px"},
            ),
            html.P(note, className="small text-body-secondary") if note else None,
        ]
    )


def _boutons_tableau(nom: str, titre: str) -> html.Div:
    return html.Div(
        [
            bouton_export({"type": "fiche-csv", "nom": nom}, "CSV", f"Exporter « {titre} » en CSV"),
            bouton_export({"type": "fiche-xlsx", "nom": nom}, "XLSX", f"Exporter « {titre} » en XLSX"),
        ],
        className="d-flex gap-2",
    )


def _entete_section(titre: str, nom: str, png: bool = False) -> html.Div:
    boutons = [_boutons_tableau(nom, titre)]
    if png:
        boutons.insert(
            0, bouton_export({"type": "fiche-png", "nom": nom}, "PNG", f"Télécharger « {titre} » en PNG")
        )
    return html.Div(
        [html.H2(titre, className="h6 mt-3 mb-1 flex-grow-1"), *boutons],
        className="d-flex align-items-end gap-2",
    )


def _structures(repartition: pd.DataFrame, nom: str, titre: str) -> html.Section:
    if repartition.empty:
        corps = [html.P("Aucune activité enregistrée.", className="small")]
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
                config=config_graphique(f"pass-numerique-{nom}"),
                style={"height": "320px"},
            ),
            tableau_html(
                ["Nom", "Commune", "Pass", "Part"], lignes, classe="table table-sm tableau-chiffres"
            ),
            html.P(
                f"{nombre(reste)} autres dans l'export ({nombre(len(repartition))} au total).",
                className="small text-body-secondary",
            )
            if reste > 0
            else None,
        ]
    return html.Section([_entete_section(titre, nom, png=not repartition.empty), *corps])


def _bloc_pairs(fiche: Fiche) -> html.Section:
    ent, pairs = fiche.entite, fiche.pairs
    moi = pairs[pairs["est_entite"]]
    total = int(pairs["rang"].notna().sum())
    if moi.empty or pd.isna(moi["rang"].iloc[0]):
        phrase = "Taux d'utilisation sans donnée : pas de rang parmi les pairs."
    else:
        rang = int(moi["rang"].iloc[0])
        ordinal = "1er" if rang == 1 else f"{rang}e"
        phrase = (
            f"{ordinal} sur {total} {LIBELLES_NIVEAU_PLURIEL[ent.niveau]} comparables pour le taux "
            f"d'utilisation ({_description_pairs(ent)})."
        )
    lignes = [
        html.Tr(
            [
                html.Td("—" if pd.isna(p.rang) else nombre(p.rang)),
                html.Td(
                    html.Strong(p.nom)
                    if p.est_entite
                    else dcc.Link(p.nom, href=fiches.chemin(ent.niveau, p.code))
                ),
                html.Td(nombre(p.population)),
                html.Td(pourcentage(p.valeur)),
            ],
            className="table-active" if p.est_entite else None,
        )
        for p in pairs.itertuples()
    ]
    return html.Section(
        [
            _entete_section("Rang parmi les pairs comparables", "pairs"),
            html.P(phrase, id="fiche-rang"),
            html.Div(
                tableau_html(
                    [
                        "Rang",
                        "Nom",
                        "Population" if ent.niveau != "porteur" else "Population couverte",
                        "Taux d'utilisation",
                    ],
                    lignes,
                    classe="table table-sm tableau-chiffres",
                ),
                className="table-responsive",
                style={"maxHeight": "360px", "overflowY": "auto"},
                tabIndex=0,
                **{"aria-label": "Pairs comparables"},
            ),
        ]
    )


def _description_pairs(ent: Entite) -> str:
    quoi = ent.type_libelle.lower() if ent.niveau != "porteur" else f"lauréats {ent.type_libelle}"
    return f"même type : {quoi} ; population entre la moitié et le double"


def _bloc_laureats(fiche: Fiche) -> html.Section:
    lignes = [
        html.Tr(
            [
                html.Td(dcc.Link(r.nom, href=f"/porteur/{r.siren}")),
                html.Td(libelle_type(r.type, pluriel=False, majuscule=True)),
                html.Td(r.vagues),
                html.Td(euros(r.subvention_etat_engagee_eur)),
            ]
        )
        for r in fiche.laureats.itertuples()
    ]
    corps = (
        tableau_html(
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
            tableau_html(entetes, lignes, classe="table table-sm tableau-chiffres"),
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


def _alertes(contexte: Contexte, ent: Entite, serie: pd.DataFrame, sirens: set[str]) -> list[str]:
    """Data freshness (from the entity's monthly series) and the quality problems of its laureate(s)."""
    engine = contexte.engine
    alertes = []
    donnees = etat_donnees(engine)
    actifs = (
        serie[(serie["pass_distribues"] > 0) | (serie["pass_utilises"] > 0)] if not serie.empty else serie
    )
    if actifs.empty:
        alertes.append("Aucune distribution ni utilisation enregistrée.")
    elif donnees.date_donnees is not None:
        dernier = actifs["mois"].max()
        retard = (donnees.date_donnees.year - dernier.year) * 12 + donnees.date_donnees.month - dernier.month
        if retard >= 3:
            alertes.append(
                f"Dernière activité enregistrée en {dernier:%m/%Y}, {retard} mois avant la date des données "
                f"({date_courte(donnees.date_donnees)})."
            )
    problemes = memoiser(engine, problemes_qualite)  # the whole list, once per data version
    for p in problemes[problemes["siren"].isin(sirens)].itertuples():
        qui = "" if ent.niveau == "porteur" else f"{p.nom} : "
        alertes.append(f"{p.probleme} — {qui}{p.detail}")
    return alertes


def _lien_comparer(fiche: Fiche) -> str:
    autres = fiche.pairs[~fiche.pairs["est_entite"] & fiche.pairs["valeur"].notna()]
    # The closest populations among the ranked peers.
    proches = autres.assign(ecart=(autres["population"] - fiche.entite.population).abs()).nsmallest(
        NB_PAIRS_COMPARES, "ecart"
    )
    ids = [fiche.entite.identifiant, *(f"{fiche.entite.niveau}:{c}" for c in proches["code"])]
    return "/comparer?ids=" + ",".join(ids)


def _lien_carte(ent: Entite) -> str:
    if ent.niveau == "porteur":
        return f"/?vue=porteurs&region={ent.region}" if ent.region else "/?vue=porteurs"
    if ent.niveau == "region":
        return f"/?vue=territoires&niveau=departement&region={ent.code}"
    return f"/?vue=territoires&niveau={ent.niveau}&region={ent.region}"


# --- Exports -------------------------------------------------------------------------------------------


def entete_fiche(contexte: Contexte, ent: Entite, quoi: str) -> EnteteExport:
    return entete(
        contexte,
        f"Pass numérique — {ent.nom} ({ent.type_libelle}) — {quoi}",
        [f"{ent.type_libelle} : {ent.nom} ({ent.code})", "Toutes vagues, toute la période"],
    )


def tables_export(fiche: Fiche) -> dict[str, tuple[str, pd.DataFrame, list[tuple[str, str]]]]:
    """name → (title, table, columns) of every table the page exports."""
    indicateurs_ligne = pd.DataFrame([fiche.ligne])
    colonnes_structures = [
        ("siret", "SIRET"),
        ("nom", "Nom"),
        ("commune", "Commune"),
        ("nb_pass", "Pass"),
        ("part", "Part"),
    ]
    return {
        "indicateurs": (
            "Indicateurs",
            indicateurs_ligne,
            [("nom", "Nom"), ("code", "Code"), *((i.id, i.libelle) for i in INDICATEURS)],
        ),
        "distributeurs": ("Structures distributrices", fiche.distributeurs, colonnes_structures),
        "lieux": ("Lieux de médiation", fiche.lieux, colonnes_structures),
        "pairs": (
            "Rang parmi les pairs",
            fiche.pairs,
            [
                ("rang", "Rang"),
                ("nom", "Nom"),
                ("code", "Code"),
                ("population", "Population"),
                ("valeur", "Taux d'utilisation"),
            ],
        ),
        "laureats": (
            "Lauréats du territoire",
            fiche.laureats,
            [
                ("siren", "SIREN"),
                ("nom", "Nom"),
                ("type", "Type"),
                ("vagues", "Vagues"),
                ("budget_total_eur", "Budget total"),
                ("subvention_etat_engagee_eur", "Subvention État engagée"),
            ],
        ),
        "conventions": (
            "Conventions",
            fiche.conventions,
            [
                ("vague", "Vague"),
                ("date_convention", "Date de la convention"),
                ("budget_total_eur", "Budget total"),
                ("subvention_etat_eur", "Subvention État"),
                ("subvention_versee_eur", "Subvention versée"),
                ("pass_prevus", "Pass prévus"),
            ],
        ),
    }


def figures_export(fiche: Fiche) -> dict[str, tuple[str, dict]]:
    return {
        "entonnoir": ("Du pass commandé au pass utilisé", _entonnoir(fiche)),
        "chronologie": ("Activité mensuelle", chronologie(fiche.mensuel, cumul=False)),
        "cohortes": ("Cohortes", courbes_cohortes(fiche.cohortes)),
        "distributeurs": ("Structures distributrices", barres_structures(fiche.distributeurs, NB_STRUCTURES)),
        "lieux": ("Lieux de médiation", barres_structures(fiche.lieux, NB_STRUCTURES)),
    }


def enregistrer(app: Dash, contexte: Contexte) -> None:
    dash.register_page(
        "territoire",
        path_template="/territoire/<niveau>/<code>",
        title="Territoire — Pass numérique",
        name="Territoire",
        layout=lambda niveau=None, code=None, **params: layout_territoire(contexte, niveau, code),
    )
    dash.register_page(
        "porteur",
        path_template="/porteur/<siren>",
        title="Lauréat — Pass numérique",
        name="Lauréat",
        layout=lambda siren=None, **params: layout_porteur(contexte, siren),
    )

    @app.server.after_request
    def code_404_pour_une_fiche_inconnue(reponse: Response) -> Response:
        """Dash answers every page address with its index (200): an unknown code is a real 404."""
        fiche_demandee = request.method == "GET" and CHEMIN_FICHE.match(request.path)
        if fiche_demandee and reponse.status_code == 200 and entite_du_chemin(contexte, request.path) is None:
            reponse.status_code = 404
        return reponse

    @app.callback(
        Output("fiche-telechargement", "data"),
        Input({"type": "fiche-png", "nom": ALL}, "n_clicks"),
        Input({"type": "fiche-csv", "nom": ALL}, "n_clicks"),
        Input({"type": "fiche-xlsx", "nom": ALL}, "n_clicks"),
        State("fiche-id", "data"),
        prevent_initial_call=True,
    )
    def exporter(_png, _csv, _xlsx, identifiant):
        declencheur = dash.ctx.triggered_id
        if not isinstance(declencheur, dict) or not dash.ctx.triggered[0].get("value"):
            return dash.no_update  # a button just drawn, not pressed
        try:
            niveau, code = fiches.lire_identifiant(identifiant)
        except ValueError:
            return dash.no_update
        with une_lecture(contexte.engine):
            ent = fiches.entite(contexte.engine, niveau, code)
        if ent is None:
            return dash.no_update
        fiche = calculer_fiche(contexte, ent)
        nom, genre = declencheur.get("nom"), declencheur.get("type")
        maintenant = datetime.now(UTC)
        if genre == "fiche-png":
            from dashboard.exports_png import png_figure

            figures = figures_export(fiche)
            if nom not in figures:
                return dash.no_update
            titre, figure = figures[nom]
            contenu = png_figure(
                figure, entete_fiche(contexte, ent, titre), geo_dir=contexte.settings.geo_dir
            )
            return dcc.send_bytes(contenu, nom_fichier([ent.nom, nom], "png", maintenant))
        tables = tables_export(fiche)
        if nom not in tables:
            return dash.no_update
        titre, table, colonnes = tables[nom]
        entete = entete_fiche(contexte, ent, titre)
        if genre == "fiche-xlsx":
            return dcc.send_bytes(
                export_xlsx(table, colonnes, entete), nom_fichier([ent.nom, nom], "xlsx", maintenant)
            )
        return dcc.send_bytes(
            export_csv(table, colonnes, entete), nom_fichier([ent.nom, nom], "csv", maintenant)
        )
