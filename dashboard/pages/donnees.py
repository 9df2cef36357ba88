"""`/donnees`: upload of the monthly files, French validation report before anything is written,
confirmation, import history, data-quality list, demo dataset and (for admins) the audit journal.

Validation and import run as Dash background callbacks (a process per job, progress shown, the account
checked again in the job); the uploaded file waits in data/imports/ (dashboard.ingest.depot) between
validation and confirmation.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, html

from dashboard.components import donnees as composants
from dashboard.demo.chargement import DemoImpossible, charger_demo
from dashboard.domain.droits import ADMIN, CHARGER_DEMO, IMPORTER, exige
from dashboard.ingest import depot
from dashboard.pages import rappel
from dashboard.store.comptes import auditer, journal, nom_region
from dashboard.store.imports import derniers_lots
from dashboard.store.qualite import problemes_qualite
from dashboard.web.acces.identite import AccesRefuse, autorise, principal_courant


def layout(contexte, **_params) -> html.Div:
    principal = principal_courant(contexte)
    engine = contexte.engine
    sections = [html.H1("Données", className="h3 mt-3")]
    if principal is not None and principal.peut(IMPORTER):
        region = principal.region_imports
        sections += composants.section_import(region and (nom_region(engine, region) or region))
    else:
        sections.append(composants.lecture_seule())
    if principal is not None and principal.peut(CHARGER_DEMO):
        sections += composants.section_demo()
    sections += [
        html.H2("Historique des imports", className="h5 mt-5"),
        html.Div(composants.historique(derniers_lots(engine)), id="donnees-historique"),
        html.H2("Qualité des données", className="h5 mt-5"),
        html.Div(composants.qualite(problemes_qualite(engine)), id="donnees-qualite"),
    ]
    if principal is not None and principal.role == ADMIN:
        sections += composants.journal_audit(journal(engine, 100))
    return html.Div(sections)


PAGES = [
    {
        "module": "donnees",
        "path": "/donnees",
        "title": "Données — Pass numérique",
        "name": "Données",
        "layout": layout,
    }
]

EN_COURS = [
    (Output("donnees-progression-zone", "style"), {"display": "block"}, {"display": "none"}),
    (Output("donnees-upload", "disabled"), True, False),
]
PROGRESSION = [Output("donnees-progression", "value"), Output("donnees-progression-libelle", "children")]
TACHE = {"background": True, "running": EN_COURS, "progress": PROGRESSION, "prevent_initial_call": True}


def _executer(contexte, fichier: dict, dry_run: bool, set_progress):
    """Validate or import the pending file as the principal of the job — checked again in the job: the
    account may have been disabled since the request; a coordinator's file may only concern their région.
    Returns the report and its rendering, or None and the refusal in French."""
    try:
        principal = autorise(contexte, IMPORTER)
        chemin = depot.fichier_en_attente(contexte.settings, fichier)
    except (AccesRefuse, depot.DepotInvalide) as exc:
        return None, composants.refus(str(exc))
    with depot.moteur_du_job(contexte.settings) as engine:
        rapport = depot.executer(
            engine, chemin, fichier, principal.identifiant, principal.region_imports, dry_run, set_progress
        )
    if rapport.accepte != dry_run:  # refused at validation: nothing to confirm; imported: done
        chemin.unlink(missing_ok=True)
    return rapport, composants.rapport(rapport, dry_run)


@rappel(
    output={
        "rapport": Output("donnees-rapport", "children"),
        "fichier": Output("donnees-fichier", "data"),
        "confirmer_inactif": Output("donnees-confirmer", "disabled"),
    },
    inputs={
        "contenu": Input("donnees-upload", "contents"),
        "nom": State("donnees-upload", "filename"),
        "kind": State("donnees-kind", "value"),
        "remplacer": State("donnees-remplacer", "value"),
    },
    **TACHE,
)
@exige(IMPORTER)
def valider(contexte, set_progress, contenu, nom, kind, remplacer):
    if not contenu:  # the upload was cleared after an import
        return {"rapport": dash.no_update, "fichier": dash.no_update, "confirmer_inactif": dash.no_update}
    try:
        autorise(contexte, IMPORTER)  # before anything is written to the disk
        fichier = depot.mettre_en_attente(contexte.settings, contenu, nom, kind, remplacer)
    except (AccesRefuse, depot.DepotInvalide) as exc:
        return {"rapport": composants.refus(str(exc)), "fichier": None, "confirmer_inactif": True}
    rapport, vue = _executer(contexte, fichier, True, set_progress)
    accepte = rapport is not None and rapport.accepte
    return {"rapport": vue, "fichier": fichier if accepte else None, "confirmer_inactif": not accepte}


@rappel(
    output={
        "rapport": Output("donnees-rapport", "children", allow_duplicate=True),
        "confirmer_inactif": Output("donnees-confirmer", "disabled", allow_duplicate=True),
        "historique": Output("donnees-historique", "children"),
        "qualite": Output("donnees-qualite", "children"),
        "depot": Output("donnees-upload", "contents"),
    },
    inputs={"clics": Input("donnees-confirmer", "n_clicks"), "fichier": State("donnees-fichier", "data")},
    **TACHE,
)
@exige(IMPORTER)
def confirmer(contexte, set_progress, clics, fichier):
    inchange = {"rapport": dash.no_update, "historique": dash.no_update, "qualite": dash.no_update}
    if not fichier:
        return {**inchange, "confirmer_inactif": True, "depot": dash.no_update}
    rapport, vue = _executer(contexte, fichier, False, set_progress)
    if rapport is None:
        return {**inchange, "rapport": vue, "confirmer_inactif": True, "depot": dash.no_update}
    return {"rapport": vue, "confirmer_inactif": True, **_tableaux(contexte), "depot": None}


def _tableaux(contexte) -> dict:
    """The history and quality lists as they are now (read in the job's own connection)."""
    with depot.moteur_du_job(contexte.settings) as engine:
        return {
            "historique": composants.historique(derniers_lots(engine)),
            "qualite": composants.qualite(problemes_qualite(engine)),
        }


@rappel(
    output={
        "resultat": Output("donnees-demo-resultat", "children"),
        "historique": Output("donnees-historique", "children", allow_duplicate=True),
        "qualite": Output("donnees-qualite", "children", allow_duplicate=True),
    },
    inputs={
        "clics": Input("donnees-demo-charger", "n_clicks"),
        "echelle": State("donnees-demo-echelle", "value"),
    },
    **{**TACHE, "running": [*EN_COURS, (Output("donnees-demo-charger", "disabled"), True, False)]},
)
@exige(CHARGER_DEMO)
def charger(contexte, set_progress, clics, echelle):
    inchange = {"historique": dash.no_update, "qualite": dash.no_update}
    try:
        principal = autorise(contexte, CHARGER_DEMO)
    except AccesRefuse as exc:
        return {**inchange, "resultat": dbc.Alert(str(exc), color="danger")}
    if echelle not in composants.ECHELLES_DEMO:
        return {**inchange, "resultat": dbc.Alert("Échelle inconnue.", color="danger")}
    with depot.moteur_du_job(contexte.settings) as engine:
        try:
            charge = charger_demo(engine, contexte.settings.geo_dir, echelle, depot.au_pourcent(set_progress))
        except DemoImpossible as exc:
            return {**inchange, "resultat": dbc.Alert(str(exc), color="danger")}
        if charge:
            auditer(engine, principal.identifiant, "demo_chargee", cible=echelle)
    message = (
        f"Jeu de démonstration « {echelle} » chargé. Rechargez la page pour voir le badge."
        if charge
        else f"Le jeu de démonstration « {echelle} » est déjà chargé."
    )
    return {"resultat": dbc.Alert(message, color="success"), **_tableaux(contexte)}
