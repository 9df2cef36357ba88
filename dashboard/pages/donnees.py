"""`/donnees`: upload of the monthly files, French validation report before anything is written,
confirmation, import history and data-quality list.

Validation and import run as Dash background callbacks (a subprocess per job, progress shown); the
uploaded file waits in data/imports/ between validation and confirmation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html
from sqlalchemy import Engine, select

from dashboard.acces.roles import ADMIN, CHARGER_DEMO, IMPORTER, Principal, exige
from dashboard.acces.web import principal_courant
from dashboard.components.tableau import tableau_html
from dashboard.contexte import Contexte
from dashboard.domain.formatage import nombre
from dashboard.exports import PARIS
from dashboard.settings import Settings
from dashboard.store.comptes import auditer, journal, nom_region
from dashboard.store.db import make_engine
from dashboard.store.qualite import problemes_qualite
from dashboard.store.schema import ImportLot

KINDS = {
    "laureats": "Lauréats (une ligne par convention)",
    "syndicats": "Syndicats mixtes et leurs membres",
    "commandes": "Commandes de carnets",
    "distributions": "Distributions de pass",
    "utilisations": "Utilisations de pass",
}
ECHELLES_DEMO = ("small", "national")
ACTIONS_AUDIT = {
    "import": "Import",
    "import_refuse": "Import refusé",
    "demo_chargee": "Jeu de démonstration chargé",
    "compte_ajoute": "Compte créé",
    "compte_desactive": "Compte désactivé",
    "compte_active": "Compte réactivé",
    "connexion": "Connexion",
    "connexion_refusee": "Connexion refusée",
    "connexion_bloquee": "Connexion bloquée (trop d'essais)",
    "deconnexion": "Déconnexion",
    "lien_cree": "Lien de présentation créé",
}
ORDRE_CONSEILLE = "Ordre conseillé : syndicats, lauréats, commandes, distributions, utilisations."
TAILLE_MAX = 200 * 1024 * 1024
TAILLE_MAX_DEPOT = TAILLE_MAX * 4 // 3 + 1024 * 1024  # the file travels base64-encoded in a callback


EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
EN_ATTENTE = re.compile(r"^[0-9a-f]{64}$")
ATTENTE_MAX_S = 24 * 3600


class DepotInvalide(ValueError):
    """An upload or a confirmation the server cannot take as it is (said in French to the user)."""


def mettre_en_attente(settings: Settings, contenu_base64, nom, kind, remplacer) -> dict:
    """Keep an uploaded file until it is confirmed, named by its checksum (never by the user's name).
    What the page keeps in the browser names it by that checksum only: a forged confirmation can
    designate no other file of the server."""
    if not isinstance(contenu_base64, str) or "," not in contenu_base64:
        raise DepotInvalide("Fichier illisible : déposez-le de nouveau.")
    if kind not in KINDS:
        raise DepotInvalide("Type de fichier inconnu.")
    nom = nom if isinstance(nom, str) and nom.strip() else "fichier"
    extension = Path(nom).suffix.lower()
    if extension not in EXTENSIONS:
        raise DepotInvalide("Seuls les fichiers CSV (.csv, .txt, .tsv) et XLSX (.xlsx) sont acceptés.")
    try:
        donnees = base64.b64decode(contenu_base64.split(",", 1)[1], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise DepotInvalide("Fichier illisible : déposez-le de nouveau.") from exc
    empreinte = hashlib.sha256(donnees).hexdigest()
    dossier = settings.data_dir / "imports"
    dossier.mkdir(parents=True, exist_ok=True)
    _purger(dossier)
    (dossier / (empreinte + extension)).write_bytes(donnees)
    return {
        "empreinte": empreinte,
        "extension": extension,
        "nom": nom[:200],
        "kind": kind,
        "remplacer": bool(remplacer),
    }


def _purger(dossier: Path) -> None:
    """Files validated but never confirmed do not pile up: a day is long enough to confirm."""
    limite = time.time() - ATTENTE_MAX_S
    for fichier in dossier.iterdir():
        if fichier.is_file() and fichier.stat().st_mtime < limite:
            fichier.unlink(missing_ok=True)


def fichier_en_attente(settings: Settings, fichier) -> Path:
    """The pending file a confirmation names, after checking every part of the name it sent."""
    if not isinstance(fichier, dict) or fichier.get("kind") not in KINDS:
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    empreinte, extension = fichier.get("empreinte"), fichier.get("extension")
    if not isinstance(empreinte, str) or not EN_ATTENTE.match(empreinte) or extension not in EXTENSIONS:
        raise DepotInvalide("Confirmation invalide : déposez de nouveau le fichier.")
    chemin = settings.data_dir / "imports" / (empreinte + extension)
    if not chemin.is_file():
        raise DepotInvalide("Ce fichier n'est plus en attente : déposez-le de nouveau.")
    return chemin


@contextmanager
def moteur_du_job(settings: Settings) -> Iterator[Engine]:
    """Background jobs run in their own process: never reuse the parent's connection pool there."""
    engine = make_engine(settings.resolved_database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _suivi(set_progress):
    """Importer progress → the page's progress bar, at most once per percent."""
    dernier = {"pct": -1}

    def progression(etape: str, fait: int, total: int) -> None:
        pct = int(100 * fait / total) if total else 100
        if pct != dernier["pct"]:
            dernier["pct"] = pct
            set_progress((pct, f"{etape} — {pct} %"))

    return progression


def executer(engine: Engine, chemin: Path, fichier: dict, principal: Principal, dry_run: bool, set_progress):
    """Validate or import as this principal: a coordinator's file may only concern their région."""
    from dashboard.ingest.chargement import importer

    return importer(
        engine,
        fichier["kind"],
        chemin.read_bytes(),
        nom_fichier=str(fichier.get("nom") or chemin.name)[:200],
        dry_run=dry_run,
        remplacer=bool(fichier.get("remplacer")),
        utilisateur=principal.identifiant,
        progression=_suivi(set_progress),
        region_autorisee=principal.region_imports,
    )


def autorise(contexte: Contexte, permission: str) -> Principal:
    """The principal a background job acts for, checked again in the job itself: the account may have
    been disabled since the request, and the job runs in a process of its own."""
    principal = principal_courant(contexte)
    if principal is None or not principal.peut(permission):
        raise DepotInvalide("Votre compte ne permet pas cette action.")
    return principal


def refus(exc: DepotInvalide) -> html.Div:
    return html.Div(dbc.Alert(str(exc), color="danger", className="mb-2"), id="donnees-resultat")


def vue_rapport(rapport, dry_run: bool) -> html.Div:
    if not rapport.accepte:
        titre, couleur = (
            "Fichier refusé : rien n'a été écrit. Corrigez les lignes ci-dessous puis recommencez.",
            "danger",
        )
    elif dry_run:
        titre, couleur = f"Fichier valide : {nombre(rapport.lignes)} lignes prêtes à importer.", "success"
    else:
        titre, couleur = (
            f"Import réalisé : {nombre(rapport.lignes)} lignes (lot n° {rapport.import_lot_id}).",
            "success",
        )
    corps = [dbc.Alert(titre, color=couleur, className="mb-2")]
    if rapport.erreurs or rapport.avertissements:
        corps.append(html.Pre(rapport.texte(), className="rapport-import", tabIndex="0"))
    return html.Div(corps, id="donnees-resultat")


def table_historique(engine: Engine) -> html.Div | html.Table:
    with engine.connect() as connection:
        lots = connection.execute(
            select(
                ImportLot.id,
                ImportLot.importe_le,
                ImportLot.kind,
                ImportLot.fichier,
                ImportLot.lignes,
                ImportLot.utilisateur,
                ImportLot.checksum,
                ImportLot.remplace_lot_id,
            )
            .order_by(ImportLot.id.desc())
            .limit(50)
        ).all()
    if not lots:
        return html.P("Aucun import pour l'instant.", className="text-body-secondary")
    lignes = [
        html.Tr(
            [
                html.Td(lot.id),
                html.Td(lot.importe_le.strftime("%d/%m/%Y %H:%M")),
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
    entetes = ("N°", "Date (UTC)", "Type", "Fichier", "Lignes", "Par", "Empreinte", "Remplace le lot")
    return tableau_html(entetes, lignes, "table table-sm table-striped")


def table_qualite(engine: Engine) -> html.Div | html.Table:
    problemes = problemes_qualite(engine)
    if problemes.empty:
        return html.P("Aucun problème détecté.", className="text-body-secondary")
    lignes = [
        html.Tr([html.Th(p.nom, scope="row"), html.Td(p.siren), html.Td(p.probleme), html.Td(p.detail)])
        for p in problemes.itertuples()
    ]
    return tableau_html(("Lauréat", "SIREN", "Problème", "Détail"), lignes, "table table-sm")


def layout(contexte: Contexte, **_params) -> html.Div:
    principal = principal_courant(contexte)
    sections = [html.H1("Données", className="h3 mt-3")]
    if principal is not None and principal.peut(IMPORTER):
        sections += section_import(contexte, principal)
    else:
        sections.append(
            dbc.Alert(
                "Votre rôle (lecture seule) ne permet pas d'importer de fichier : "
                "demandez-le à l'équipe nationale ou à votre coordinateur régional.",
                color="secondary",
                className="mt-3",
                id="donnees-lecture-seule",
            )
        )
    if principal is not None and principal.peut(CHARGER_DEMO):
        sections += section_demo()
    sections += [
        html.H2("Historique des imports", className="h5 mt-5"),
        html.Div(table_historique(contexte.engine), id="donnees-historique"),
        html.H2("Qualité des données", className="h5 mt-5"),
        html.Div(table_qualite(contexte.engine), id="donnees-qualite"),
    ]
    if principal is not None and principal.role == ADMIN:
        sections += [
            html.H2("Journal d'audit", className="h5 mt-5"),
            html.P(
                "Imports, chargements de démonstration, comptes, connexions et liens de présentation "
                "(100 derniers événements).",
                className="text-body-secondary",
            ),
            html.Div(table_audit(contexte.engine), id="donnees-audit"),
        ]
    return html.Div(sections)


def section_import(contexte: Contexte, principal: Principal) -> list:
    perimetre = []
    if principal.region_imports:
        region = nom_region(contexte.engine, principal.region_imports) or principal.region_imports
        perimetre = [
            dbc.Alert(
                f"Coordinateur régional : vos fichiers ne peuvent concerner que les lauréats de la région "
                f"{region}. Un fichier qui en mentionne un autre est refusé en entier.",
                color="info",
                id="donnees-perimetre",
            )
        ]
    return [
        html.H2("Importer un fichier", className="h5 mt-4"),
        *perimetre,
        html.P(
            [
                "Fichiers CSV ou XLSX aux formats de la commande ",
                html.Code("passnum import"),
                ". ",
                ORDRE_CONSEILLE,
            ],
            className="text-body-secondary",
        ),
        dbc.Row(
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
                dbc.Col(
                    dcc.Upload(
                        id="donnees-upload",
                        max_size=TAILLE_MAX,
                        multiple=False,
                        className="zone-depot",
                        children=html.Div(
                            [
                                "Glisser-déposer le fichier ici, ou ",
                                html.Span("choisir un fichier", className="lien"),
                            ]
                        ),
                    ),
                    md=5,
                ),
                dbc.Col(
                    dbc.Checkbox(
                        id="donnees-remplacer",
                        value=False,
                        label="Remplacer un import précédent de ce même fichier",
                    ),
                    md=3,
                ),
            ],
            className="g-3 align-items-end",
        ),
        html.Div(
            [
                html.Progress(
                    id="donnees-progression",
                    value=0,
                    max=100,
                    className="w-100",
                    **{"aria-label": "Progression de la validation ou de l'import"},
                ),
                html.Div(id="donnees-progression-libelle", className="small", **{"aria-live": "polite"}),
            ],
            id="donnees-progression-zone",
            className="mt-3",
            style={"display": "none"},
        ),
        html.Div(id="donnees-rapport", className="mt-3", role="status", **{"aria-live": "polite"}),
        dbc.Button(
            "Confirmer l'import", id="donnees-confirmer", color="primary", disabled=True, className="mt-2"
        ),
        dcc.Store(id="donnees-fichier"),
    ]


def section_demo() -> list:
    return [
        html.H2("Jeu de démonstration", className="h5 mt-5"),
        html.P(
            "Données fictives, générées puis importées comme de vrais fichiers ; refusé si la base "
            "contient des données réelles. Le jeu chargé remplace le précédent.",
            className="text-body-secondary",
        ),
        dbc.Row(
            [
                dbc.Col(
                    dbc.RadioItems(
                        id="donnees-demo-echelle",
                        value="small",
                        inline=True,
                        options=[
                            {"label": "Petit (56 lauréats)", "value": "small"},
                            {
                                "label": "National (156 lauréats, 2,7 millions de pass)",
                                "value": "national",
                            },
                        ],
                    ),
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
        html.Div(id="donnees-demo-resultat", className="mt-2", role="status"),
    ]


def table_audit(engine: Engine) -> html.Div | html.Table:
    evenements = journal(engine, 100)
    if not evenements:
        return html.P("Aucun événement.", className="text-body-secondary")
    lignes = [
        html.Tr(
            [
                html.Td(e["moment"].astimezone(PARIS).strftime("%d/%m/%Y %H:%M")),
                html.Td(e["acteur"]),
                html.Td(ACTIONS_AUDIT.get(e["action"], e["action"])),
                html.Td(e["cible"] or "—"),
                html.Td(e["adresse"] or "—"),
            ]
        )
        for e in evenements
    ]
    return tableau_html(("Date", "Par", "Action", "Objet", "Adresse"), lignes, "table table-sm table-striped")


def enregistrer(app: Dash, contexte: Contexte) -> None:
    settings = contexte.settings
    dash.register_page(
        "donnees",
        path="/donnees",
        title="Données — Pass numérique",
        name="Données",
        layout=lambda **params: layout(contexte, **params),
    )
    en_cours = [
        (Output("donnees-progression-zone", "style"), {"display": "block"}, {"display": "none"}),
        (Output("donnees-upload", "disabled"), True, False),
    ]
    progression = [Output("donnees-progression", "value"), Output("donnees-progression-libelle", "children")]

    @app.callback(
        Output("donnees-rapport", "children"),
        Output("donnees-fichier", "data"),
        Output("donnees-confirmer", "disabled"),
        Input("donnees-upload", "contents"),
        State("donnees-upload", "filename"),
        State("donnees-kind", "value"),
        State("donnees-remplacer", "value"),
        background=True,
        running=en_cours,
        progress=progression,
        prevent_initial_call=True,
    )
    @exige(IMPORTER)
    def valider(set_progress, contenu, nom, kind, remplacer):
        if not contenu:  # the upload was cleared after an import
            return dash.no_update, dash.no_update, dash.no_update
        try:
            principal = autorise(contexte, IMPORTER)
            fichier = mettre_en_attente(settings, contenu, nom, kind, remplacer)
            chemin = fichier_en_attente(settings, fichier)
        except DepotInvalide as exc:
            return refus(exc), None, True
        with moteur_du_job(settings) as engine:
            rapport = executer(engine, chemin, fichier, principal, True, set_progress)
        if not rapport.accepte:  # nothing to confirm: the file is not kept
            chemin.unlink(missing_ok=True)
        return vue_rapport(rapport, dry_run=True), fichier if rapport.accepte else None, not rapport.accepte

    @app.callback(
        Output("donnees-rapport", "children", allow_duplicate=True),
        Output("donnees-confirmer", "disabled", allow_duplicate=True),
        Output("donnees-historique", "children"),
        Output("donnees-qualite", "children"),
        Output("donnees-upload", "contents"),
        Input("donnees-confirmer", "n_clicks"),
        State("donnees-fichier", "data"),
        background=True,
        running=en_cours,
        progress=progression,
        prevent_initial_call=True,
    )
    @exige(IMPORTER)
    def confirmer(set_progress, _clics, fichier):
        if not fichier:
            return dash.no_update, True, dash.no_update, dash.no_update, dash.no_update
        try:
            principal = autorise(contexte, IMPORTER)
            chemin = fichier_en_attente(settings, fichier)
        except DepotInvalide as exc:
            return refus(exc), True, dash.no_update, dash.no_update, dash.no_update
        with moteur_du_job(settings) as engine:
            rapport = executer(engine, chemin, fichier, principal, False, set_progress)
            if rapport.accepte:
                chemin.unlink(missing_ok=True)
            return (
                vue_rapport(rapport, dry_run=False),
                True,
                table_historique(engine),
                table_qualite(engine),
                None,
            )

    @app.callback(
        Output("donnees-demo-resultat", "children"),
        Output("donnees-historique", "children", allow_duplicate=True),
        Output("donnees-qualite", "children", allow_duplicate=True),
        Input("donnees-demo-charger", "n_clicks"),
        State("donnees-demo-echelle", "value"),
        background=True,
        running=[*en_cours, (Output("donnees-demo-charger", "disabled"), True, False)],
        progress=progression,
        prevent_initial_call=True,
    )
    @exige(CHARGER_DEMO)
    def charger(set_progress, _clics, echelle):
        from dashboard.demarrage import DemoImpossible, charger_demo

        try:
            principal = autorise(contexte, CHARGER_DEMO)
        except DepotInvalide as exc:
            return dbc.Alert(str(exc), color="danger"), dash.no_update, dash.no_update
        if echelle not in ECHELLES_DEMO:
            return dbc.Alert("Échelle inconnue.", color="danger"), dash.no_update, dash.no_update
        with moteur_du_job(settings) as engine:
            try:
                charge = charger_demo(engine, settings.geo_dir, echelle, _suivi(set_progress))
            except DemoImpossible as exc:
                return dbc.Alert(str(exc), color="danger"), dash.no_update, dash.no_update
            if charge:
                auditer(engine, principal.identifiant, "demo_chargee", cible=echelle)
            message = (
                f"Jeu de démonstration « {echelle} » chargé. Rechargez la page pour voir le badge."
                if charge
                else f"Le jeu de démonstration « {echelle} » est déjà chargé."
            )
            return dbc.Alert(message, color="success"), table_historique(engine), table_qualite(engine)
