"""The ranked list of the points de vigilance (on /vigilance and on each page), the rules as set (read
only, or the administrator's form), and the methodology section read from the registry."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.export import bouton_export
from dashboard.domain import vigilance as domaine
from dashboard.domain.formatage import nombre
from dashboard.domain.vocabulaire import TYPES_PORTEUR, libelle_type
from dashboard.vues.vigilance import RegleAffichee, VueVigilance, saisie

PAGE = "vigilance"
TOUT = "tout"  # the value of a filter's « all » option (an unknown value is no filter)
# White on the theme's error and warning colours, dark on grey: contrasts of at least 4.5:1.
COULEURS_GRAVITE = {
    domaine.HAUTE: "bg-danger text-white",
    domaine.MOYENNE: "bg-warning text-white",
    domaine.BASSE: "text-bg-secondary",
}
LECTURE_SEULE = "Seul un administrateur peut modifier les règles ; elles sont affichées ici en lecture seule."


def effectif_points(n: int) -> str:
    return "aucun point" if n == 0 else f"{nombre(n)} point{'s' if n > 1 else ''}"


def _point(p, avec_laureat: bool = True) -> html.Li:
    gravite = html.Span(
        [html.Span("Gravité ", className="visually-hidden"), p.libelle_gravite],
        className=f"badge {COULEURS_GRAVITE[p.gravite]} me-2",
    )
    nouveau = (
        html.Span("Nouveau depuis le dernier comité", className="badge bg-primary text-white me-2")
        if p.nouveau
        else None
    )
    titre = [
        gravite,
        nouveau,
        html.Strong(p.libelle_regle, className="me-2"),
    ]
    if avec_laureat:
        titre += ["— ", dcc.Link(p.nom, href=p.chemin, className="vigilance-lien fw-semibold")]
    contenu = html.Div(
        [
            html.Div([t for t in titre if t is not None], className="mb-1"),
            html.Div(
                [html.Span(p.chiffre, className="vigilance-chiffre fw-semibold me-2"), html.Span(p.detail)],
            ),
            html.Div(
                [
                    html.Span(f"{p.libelle_type} · {p.nom_region} · ", className="me-1")
                    if avec_laureat
                    else None,
                    html.Span(f"Règle : {p.regle_en_clair}"),
                ],
                className="small text-body-secondary",
            ),
        ],
        className="ms-2 flex-grow-1",
    )
    return html.Li(
        contenu,
        className="list-group-item d-flex align-items-start vigilance-point",
        **{"data-regle": p.regle, "data-siren": p.siren},
    )


PREMIERS = 50  # points shown before « Afficher les N points »


def liste(
    points: pd.DataFrame,
    avec_laureat: bool = True,
    identifiant: str = "vigilance-liste",
    limite: int | None = None,
) -> html.Ol | html.P:
    if points.empty:
        return html.P(
            "Aucun point de vigilance pour cette sélection.", id=identifiant, className="text-body-secondary"
        )
    montres = points if limite is None else points.head(limite)
    return html.Ol(
        [_point(p, avec_laureat) for p in montres.itertuples()],
        className="list-group list-group-numbered",
        id=identifiant,
    )


def compte(vue: VueVigilance, limite: int | None = None) -> str:
    n = len(vue.points)
    texte = effectif_points(n).capitalize() + ("." if n == vue.total else f" sur {nombre(vue.total)}.")
    if limite is not None and n > limite:
        texte += f" Les {nombre(limite)} premiers sont affichés ; l'export donne la liste entière."
    return texte


def bouton_tout(n: int, tout: bool) -> dict:
    """The text and style of the button that shows every point (hidden when they all are)."""
    if n <= PREMIERS:
        # hidden, but named all the same (HTML_CodeSniffer reads hidden buttons too: RGAA 7.1)
        return {"texte": "Afficher tous les points", "style": {"display": "none"}}
    texte = f"Afficher les {nombre(PREMIERS)} premiers" if tout else f"Afficher les {nombre(n)} points"
    return {"texte": texte, "style": {}}


def _select(identifiant: str, libelle: str, options: list[tuple[str, str]], valeur: str) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(libelle, html_for=identifiant, className="small mb-1"),
            dbc.Select(
                id=identifiant,
                options=[{"label": "Toutes" if identifiant != "vigilance-type" else "Tous", "value": TOUT}]
                + [{"label": t, "value": v} for v, t in options],
                value=valeur or TOUT,
            ),
        ],
        md=4,
    )


def filtres(vue: VueVigilance) -> dbc.Row:
    return dbc.Row(
        [
            _select(
                "vigilance-regle",
                "Règle",
                [(r.regle.cle, r.regle.libelle) for r in vue.regles],
                vue.filtres.regle,
            ),
            _select("vigilance-region", "Région", list(vue.regions.items()), vue.filtres.region),
            _select(
                "vigilance-type",
                "Type de lauréat",
                [(t, libelle_type(t, pluriel=True, majuscule=True)) for t in TYPES_PORTEUR],
                vue.filtres.type,
            ),
        ],
        className="g-2 mb-3",
        id="filtres",
    )


def entete_liste() -> html.Div:
    return html.Div(
        [
            html.P(id="vigilance-compte", className="mb-0 me-auto", role="status"),
            bouton_export(PAGE, "csv", "points", "Points de vigilance"),
            bouton_export(PAGE, "xlsx", "points", "Points de vigilance", classe="ms-1"),
        ],
        className="d-flex align-items-center gap-1 mb-2",
    )


# --- Rules -------------------------------------------------------------------------------------------------


def _etat_regle(r: RegleAffichee) -> str:
    if not r.reglage.active:
        return "désactivée"
    if r.sans_objet:
        return f"sans objet pour l'instant : {r.sans_objet}"
    return effectif_points(r.nb_points)


def _regle_lecture(r: RegleAffichee) -> html.Li:
    return html.Li(
        [
            html.Div(
                [
                    html.Strong(r.regle.libelle, className="me-2"),
                    html.Span(
                        r.regle.libelle_gravite,
                        className=f"badge {COULEURS_GRAVITE[r.regle.gravite]} me-2",
                    ),
                    html.Span(_etat_regle(r), className="small"),
                ]
            ),
            html.Div(r.en_clair),
            html.Div(r.regle.note, className="small text-body-secondary") if r.regle.note else None,
        ],
        className="list-group-item",
        id=f"vigilance-regle-{r.regle.cle}",
    )


def _champ(r: RegleAffichee, p: domaine.Parametre) -> dbc.Col:
    unite = "%" if p.unite == "%" else p.unite
    return dbc.Col(
        html.Label(
            [
                html.Span(
                    [
                        f"{p.libelle} ({unite})",
                        html.Span(f" — {r.regle.libelle}", className="visually-hidden"),
                    ],
                    className="small d-block",
                ),
                dbc.Input(
                    id={"type": "vigilance-parametre", "regle": r.regle.cle, "parametre": p.cle},
                    value=saisie(p, r.reglage.parametres[p.cle]),
                    type="text",
                    inputMode="decimal",
                    size="sm",
                ),
                html.Span(p.bornes(), className="small text-body-secondary d-block"),
            ],
            className="d-block",
        ),
        xs=6,
        md=3,
    )


def _regle_edition(r: RegleAffichee) -> html.Li:
    return html.Li(
        [
            dbc.Checkbox(
                id={"type": "vigilance-active", "regle": r.regle.cle},
                value=r.reglage.active,
                label=[html.Strong(r.regle.libelle), f" — {_etat_regle(r)}"],
                className="mb-1",
            ),
            html.Div(r.en_clair, className="mb-1"),
            dbc.Row([_champ(r, p) for p in r.regle.parametres], className="g-2 mb-1")
            if r.regle.parametres
            else None,
            html.Div(r.regle.note, className="small text-body-secondary") if r.regle.note else None,
        ],
        className="list-group-item",
        id=f"vigilance-regle-{r.regle.cle}",
    )


def regles_modifiables(vue: VueVigilance) -> list[html.Li]:
    return [_regle_edition(r) for r in vue.regles]


def regles(vue: VueVigilance) -> html.Section:
    if not vue.peut_regler:
        return html.Section(
            [
                html.H2("Règles", className="h5 mt-4"),
                html.P(LECTURE_SEULE, className="small", id="vigilance-lecture-seule"),
                html.Ul([_regle_lecture(r) for r in vue.regles], className="list-group"),
            ],
            id="vigilance-regles",
        )
    return html.Section(
        [
            html.H2("Règles", className="h5 mt-4"),
            html.P(
                "Activez ou désactivez une règle, changez ses seuils, puis « Enregistrer » : les changements "
                "sont vérifiés et demandés en confirmation, puis inscrits au journal.",
                className="small",
            ),
            html.Ul(regles_modifiables(vue), className="list-group mb-2", id="vigilance-regles-liste"),
            dbc.Button("Enregistrer", id="vigilance-enregistrer", color="primary", size="sm"),
            html.Div(id="vigilance-verification", className="mt-2", role="status", **{"aria-live": "polite"}),
            html.Div(
                [
                    dbc.Button(
                        "Confirmer", id="vigilance-confirmer", color="danger", size="sm", className="me-2"
                    ),
                    dbc.Button("Annuler", id="vigilance-annuler", color="secondary", outline=True, size="sm"),
                ],
                id="vigilance-confirmation",
                style={"display": "none"},
                className="mt-2",
            ),
            html.Div(id="vigilance-resultat", className="mt-2", role="status", **{"aria-live": "polite"}),
            dcc.Store(id="vigilance-demandes"),
        ],
        id="vigilance-regles",
    )


def verification(textes: list[str]) -> dbc.Alert:
    if not textes:
        return dbc.Alert("Aucun changement à enregistrer.", color="info", className="mb-0")
    return dbc.Alert(
        [
            html.P("Vous allez modifier :", className="mb-1"),
            html.Ul([html.Li(t) for t in textes], className="mb-1"),
            html.P("Confirmez pour enregistrer (la modification est inscrite au journal).", className="mb-0"),
        ],
        color="warning",
        className="mb-0",
        id="vigilance-a-confirmer",
    )


def erreur(texte: str) -> dbc.Alert:
    return dbc.Alert(texte, color="danger", className="mb-0", id="vigilance-erreur")


def succes(textes: list[str]) -> dbc.Alert:
    return dbc.Alert(
        [
            html.P("Règles enregistrées :", className="mb-1"),
            html.Ul([html.Li(t) for t in textes], className="mb-0"),
        ],
        color="success",
        className="mb-0",
        id="vigilance-enregistre",
    )


def page(vue: VueVigilance) -> html.Div:
    sans_objet = [r for r in vue.regles if r.sans_objet and r.reglage.active]
    return html.Div(
        [
            dcc.Download(id="vigilance-telechargement"),
            html.H1("Points de vigilance", className="h3 mt-3"),
            html.P(
                "Ce qui demande une action, classé par gravité puis par montant en jeu ou ampleur. Chaque "
                "point dit sa règle et son chiffre ; définitions et seuils sur la page Méthodologie.",
                className="mb-2",
            ),
            html.P(vue.rappel_comite, id="vigilance-comite", className="fw-semibold"),
            dbc.Alert(
                [
                    html.Strong("Règles sans objet pour l'instant : "),
                    "; ".join(f"{r.regle.libelle} ({r.sans_objet})" for r in sans_objet),
                    ".",
                ],
                color="light",
                className="small border",
                id="vigilance-sans-objet",
            )
            if sans_objet
            else None,
            filtres(vue),
            dcc.Store(id="vigilance-filtres", data=vue.filtres.parametres()),
            dcc.Store(id="vigilance-version", data=0),
            html.Div(id="vigilance-url", hidden=True),
            html.Div(id="vigilance-url-fait", hidden=True),
            entete_liste(),
            html.Div(liste(vue.points, limite=PREMIERS), id="vigilance-points"),
            dbc.Button(
                bouton_tout(len(vue.points), False)["texte"],
                id="vigilance-tout",
                color="primary",
                outline=True,
                size="sm",
                className="mt-2",
                style=bouton_tout(len(vue.points), False)["style"],
            ),
            regles(vue),
        ],
        id="vigilance",
    )


# --- A page's block and the methodology -------------------------------------------------------------------


NB_POINTS_FICHE = 10  # points listed on a page before « et N autres »


def bloc_fiche(points: pd.DataFrame, porteur: bool, lien: str = "/vigilance") -> html.Section:
    """The entity's points (its laureates' for a territory), the first NB_POINTS_FICHE of them, and the
    link to the whole list (`lien`: filtered to the entity's région)."""
    titre = "Points de vigilance" if porteur else "Points de vigilance des lauréats du territoire"
    reste = len(points) - NB_POINTS_FICHE
    suite = f"Et {nombre(reste)} autre{'s' if reste > 1 else ''} : voir la liste" if reste > 0 else None
    return html.Section(
        [
            html.H2(titre, className="h5 mt-3"),
            liste(
                points, avec_laureat=not porteur, identifiant="fiche-vigilance-liste", limite=NB_POINTS_FICHE
            )
            if not points.empty
            else html.P("Aucun point de vigilance.", className="text-body-secondary"),
            dcc.Link(suite or "Tous les points de vigilance", href=lien, className="small"),
        ],
        id="fiche-vigilance",
        className="mb-3",
    )


def methode() -> list:
    """The section of /methodologie: every rule, its default thresholds, severity and computation; the
    freshness levels; the ranking and « nouveau »."""
    lignes = [
        html.Li(
            [
                html.Strong(f"{r.libelle} "),
                f"(gravité {r.libelle_gravite.lower()}) : {r.en_clair()}",
                " Paramètres par défaut, modifiables par un administrateur : "
                + "; ".join(f"{p.libelle.lower()} {p.texte(p.defaut)} ({p.bornes()})" for p in r.parametres)
                + "."
                if r.parametres
                else "",
                f" {r.note}" if r.note else "",
                f" Sans objet tant que {r.sans_objet}." if r.sans_objet else "",
            ],
            id=f"methode-vigilance-{r.cle}",
        )
        for r in domaine.REGLES
    ]
    return [
        html.H2("Points de vigilance", className="h5 mt-4"),
        html.P(
            "Chaque règle est évaluée pour chaque lauréat à la date des données ; ses points sont classés "
            "par gravité (haute, moyenne, basse), puis par montant en jeu, puis par ampleur. Un point est "
            "« nouveau depuis le dernier comité » s'il n'était pas un point à la date du comité (mêmes "
            "règles et seuils, données d'alors : mois et commandes jusqu'à cette date). Les seuils en "
            "vigueur sont sur la page Vigilance."
        ),
        html.Ul(lignes, id="methode-vigilance"),
        html.P("Niveaux de fraîcheur des données (du dernier retour à la date de référence) :"),
        html.Ul(
            [html.Li(f"{f.libelle} : {f.description}.") for f in domaine.FRAICHEURS], id="methode-fraicheur"
        ),
    ]
