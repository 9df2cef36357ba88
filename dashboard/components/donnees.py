"""The data page's blocks: the upload with its progress and report, the demo dataset, the import history,
the data-quality list and the audit journal."""

from __future__ import annotations

from datetime import UTC, datetime

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.tableau import tableau_html
from dashboard.domain.formatage import PARIS, nombre
from dashboard.domain.vocabulaire import ACTIONS_AUDIT, ECHELLES_DEMO_PAGE, KINDS, ORDRE_CONSEILLE
from dashboard.ingest.rapport import RapportImport
from dashboard.store.imports import LotImporte

INFORMATIONS_MAX = 100  # sentences shown; the CLI report and the import journal keep them all
DATE_PARIS = "Date (heure de Paris)"


def heure_de_paris(moment: datetime) -> str:
    """A moment of the database (UTC, with or without its zone) as Paris reads it: 04/12/2026 17:22."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def refus(message: str) -> html.Div:
    return html.Div(dbc.Alert(message, color="danger", className="mb-2"), id="donnees-resultat")


def rapport(resultat: RapportImport, dry_run: bool) -> html.Div:
    """The French validation report of a file: accepted (ready, or imported) or refused, line by line."""
    if not resultat.accepte:
        titre = "Fichier refusé : rien n'a été écrit. Corrigez les lignes ci-dessous puis recommencez."
        couleur = "danger"
    elif dry_run:
        titre, couleur = f"Fichier valide : {nombre(resultat.lignes)} lignes prêtes à importer.", "success"
    else:
        titre = f"Import réalisé : {nombre(resultat.lignes)} lignes (lot n° {resultat.import_lot_id})."
        couleur = "success"
    corps = [dbc.Alert(titre, color=couleur, className="mb-2")]
    if resultat.accepte and resultat.informations:
        corps.append(informations(resultat.informations))
    if resultat.erreurs or resultat.avertissements:
        texte = resultat.texte(avec_informations=False)
        corps.append(html.Pre(texte, className="rapport-import", tabIndex="0"))
    return html.Div(corps, id="donnees-resultat")


def informations(phrases: list[str]) -> html.Section:
    """What the import converted or left aside without refusing the file (a former commune code, a
    BANATIC member it could not identify): a titled list, reachable and scrollable with the keyboard."""
    items = [html.Li(phrase) for phrase in phrases[:INFORMATIONS_MAX]]
    if len(phrases) > INFORMATIONS_MAX:
        reste = len(phrases) - INFORMATIONS_MAX
        items.append(html.Li(f"… et {nombre(reste)} autre{'s' if reste > 1 else ''}"))
    return html.Section(
        [
            html.H3(
                f"Informations ({nombre(len(phrases))})", id="donnees-informations-titre", className="h6"
            ),
            html.P(
                "Conversions faites et éléments laissés de côté, sans refus du fichier.",
                className="small text-body-secondary mb-1",
            ),
            html.Ul(items, className="rapport-informations", tabIndex="0"),
        ],
        id="donnees-informations",
        className="mb-2",
        **{"aria-labelledby": "donnees-informations-titre"},
    )


def historique(lots: list[LotImporte]) -> html.Div | html.P:
    if not lots:
        return html.P("Aucun import pour l'instant.", className="text-body-secondary")
    lignes = [
        html.Tr(
            [
                html.Td(lot.id),
                html.Td(heure_de_paris(lot.importe_le)),
                html.Td(KINDS.get(lot.kind, lot.kind)),
                html.Td(lot.fichier),
                html.Td(nombre(lot.lignes), className="nombre"),
                html.Td(lot.utilisateur or "—"),
                html.Td(html.Code(lot.checksum[:12]), title=lot.checksum),
                html.Td(lot.remplace_lot_id or "—"),
            ]
        )
        for lot in lots
    ]
    entetes = ("N°", DATE_PARIS, "Type", "Fichier", "Lignes", "Par", "Empreinte", "Remplace le lot")
    return _defilant(tableau_html(entetes, lignes, "table table-sm table-striped"))


def _defilant(table: html.Table) -> html.Div:
    """A wide table scrolls inside its box on a phone instead of widening the page."""
    return html.Div(table, className="table-responsive")


def qualite(problemes: pd.DataFrame) -> html.Div | html.P:
    if problemes.empty:
        return html.P("Aucun problème détecté.", className="text-body-secondary")
    lignes = [
        html.Tr([html.Th(p.nom, scope="row"), html.Td(p.siren), html.Td(p.probleme), html.Td(p.detail)])
        for p in problemes.itertuples()
    ]
    return _defilant(tableau_html(("Lauréat", "SIREN", "Problème", "Détail"), lignes, "table table-sm"))


def audit(evenements: list[dict]) -> html.Div | html.P:
    if not evenements:
        return html.P("Aucun événement.", className="text-body-secondary")
    lignes = [
        html.Tr(
            [
                html.Td(heure_de_paris(e["moment"])),
                html.Td(e["acteur"]),
                html.Td(ACTIONS_AUDIT.get(e["action"], e["action"])),
                html.Td(e["cible"] or "—"),
                html.Td(e["adresse"] or "—"),
            ]
        )
        for e in evenements
    ]
    entetes = (DATE_PARIS, "Par", "Action", "Objet", "Adresse")
    return _defilant(tableau_html(entetes, lignes, "table table-sm table-striped"))


def lecture_seule() -> dbc.Alert:
    return dbc.Alert(
        "Votre rôle (lecture seule) ne permet pas d'importer de fichier : "
        "demandez-le à l'équipe nationale ou à votre coordinateur régional.",
        color="secondary",
        className="mt-3",
        id="donnees-lecture-seule",
    )


def section_import(region: str | None, taille_max: int) -> list:
    """region: the name of a regional coordinator's région (their files may only concern it); taille_max:
    the largest file accepted, in bytes."""
    perimetre = []
    if region:
        perimetre = [
            dbc.Alert(
                f"Coordinateur régional : vos fichiers ne peuvent concerner que les lauréats de la région "
                f"{region}. Un fichier qui en mentionne un autre est refusé en entier.",
                color="info",
                id="donnees-perimetre",
            )
        ]
    consigne = [
        "Fichiers CSV ou XLSX (JSON aussi pour les lieux de médiation) aux formats de la commande ",
        html.Code("passnum import"),
        ". ",
        ORDRE_CONSEILLE,
    ]
    return [
        html.H2("Importer un fichier", className="h5 mt-4"),
        *perimetre,
        html.P(consigne, className="text-body-secondary"),
        _depot(taille_max),
        _progression("donnees", "Progression de la validation ou de l'import"),
        html.Div(id="donnees-rapport", className="mt-3", role="status", **{"aria-live": "polite"}),
        dbc.Button(
            "Confirmer l'import", id="donnees-confirmer", color="primary", disabled=True, className="mt-2"
        ),
        dcc.Store(id="donnees-fichier"),
    ]


def _depot(taille_max: int) -> dbc.Row:
    zone = dcc.Upload(
        id="donnees-upload",
        max_size=taille_max,
        multiple=False,
        className="zone-depot",
        children=html.Div(
            ["Glisser-déposer le fichier ici, ou ", html.Span("choisir un fichier", className="lien")]
        ),
    )
    choisi = html.Div(id="donnees-fichier-choisi", className="small mt-1", **{"aria-live": "polite"})
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label("Type de fichier", html_for="donnees-kind"),
                    dbc.Select(
                        id="donnees-kind",
                        value="distributions",
                        options=[{"label": v, "value": k} for k, v in KINDS.items()],
                    ),
                ],
                md=4,
            ),
            dbc.Col([zone, choisi], md=5),
            dbc.Col(_remplacement(), md=3),
        ],
        className="g-3 align-items-start",
    )


def _remplacement() -> list:
    """« Remplacer l'import précédent »: ticking it validates the chosen file again as a replacement; the
    typed word, asked only then, confirms it (checked on the server)."""
    return [
        dbc.Checkbox(id="donnees-remplacer", value=False, label="Remplacer l'import précédent"),
        html.Div(
            "Pour un fichier déjà importé (même contenu) : ses lignes remplacent celles de l'import "
            "précédent.",
            className="small text-body-secondary",
        ),
        dbc.Collapse(
            [
                dbc.Label(
                    "Pour confirmer, tapez REMPLACER (une sauvegarde est prise avant)",
                    html_for="donnees-remplacer-confirmation",
                    className="small mb-0 mt-1",
                ),
                dbc.Input(
                    id="donnees-remplacer-confirmation",
                    type="text",
                    size="sm",
                    autoComplete="off",  # no placeholder: a grey REMPLACER looks typed already
                ),
            ],
            id="donnees-remplacer-zone",
            is_open=False,
        ),
    ]


def fichier_choisi(nom: str, octets: int, note: str | None = None) -> list:
    """The file the user picked, said under the drop zone: its name and size, and why it is validated
    again when it is (the same file picked twice, the type or the replacement changed): the page would
    otherwise seem not to react."""
    texte = ["Fichier choisi : ", html.Strong(nom), f" ({taille(octets)})"]
    if note:
        texte.append(f" — {note}")
    return texte


def taille(octets: int) -> str:
    """1 234 octets → « 1,2 Ko »; in French units (Ko, Mo)."""
    if octets < 1024:
        return f"{nombre(octets)} octet{'s' if octets > 1 else ''}"
    if octets < 1024 * 1024:
        return f"{nombre(octets / 1024, 1)} Ko"
    return f"{nombre(octets / 1024 / 1024, 1)} Mo"


def _progression(prefixe: str, libelle: str) -> html.Div:
    """A progress bar and its sentence, hidden until a job runs (one for the upload, one for the demo:
    each job's progress shows where it was started)."""
    return html.Div(
        [
            html.Progress(
                id=f"{prefixe}-progression", value=0, max=100, className="w-100", **{"aria-label": libelle}
            ),
            html.Div(id=f"{prefixe}-progression-libelle", className="small", **{"aria-live": "polite"}),
        ],
        id=f"{prefixe}-progression-zone",
        className="mt-3",
        style={"display": "none"},
    )


def section_demo() -> list:
    return [
        html.H2("Jeu de démonstration", className="h5 mt-5"),
        html.P(
            "Données fictives, générées puis importées comme de vrais fichiers ; refusé si la base "
            "contient des données réelles. Le jeu chargé remplace le précédent, sauvegardé avant dans "
            "data/sauvegardes/.",
            className="text-body-secondary",
        ),
        dbc.Row(
            [
                dbc.Col(
                    dbc.RadioItems(
                        id="donnees-demo-echelle",
                        value="small",
                        inline=True,
                        options=[{"label": v, "value": k} for k, v in ECHELLES_DEMO_PAGE.items()],
                    ),
                    md="auto",
                ),
                dbc.Col(
                    [
                        dbc.Label(
                            "Pour confirmer, tapez le nom du jeu (small ou national)",
                            html_for="donnees-demo-confirmation",
                            className="small mb-0",
                        ),
                        dbc.Input(id="donnees-demo-confirmation", type="text", size="sm", autoComplete="off"),
                    ],
                    md="auto",
                ),
                dbc.Col(
                    dbc.Button(
                        "Charger le jeu de démonstration",
                        id="donnees-demo-charger",
                        color="secondary",
                        outline=True,
                    ),
                    md="auto",
                ),
            ],
            className="g-3 align-items-center",
        ),
        _progression("donnees-demo", "Progression du chargement du jeu de démonstration"),
        html.Div(id="donnees-demo-resultat", className="mt-2", role="status"),
    ]


def journal_audit(evenements: list[dict]) -> list:
    return [
        html.H2("Journal d'audit", className="h5 mt-5"),
        html.P(
            "Imports, chargements de démonstration, comptes, connexions et liens de présentation "
            "(100 derniers événements).",
            className="text-body-secondary",
        ),
        html.Div(audit(evenements), id="donnees-audit"),
    ]
