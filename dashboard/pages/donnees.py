"""`/donnees`: upload of the monthly files, French validation report before anything is written,
confirmation, import history, data-quality list, demo dataset and (for admins) the audit journal.

Validation and import run as Dash background callbacks (progress shown, the account checked again in the
job: dashboard.vues.donnees; a process per job, or Celery workers with PASSNUM_CACHE_URL). The upload
itself is taken by a plain callback that keeps the file in the database (dashboard.ingest.depot), bound to
the account, until it is validated and confirmed: the jobs only receive its checksum-based reference, and
any host may run them.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard.components import donnees as composants
from dashboard.domain.droits import CHARGER_DEMO, IMPORTER, exige
from dashboard.domain.vocabulaire import ECHELLES_DEMO_PAGE
from dashboard.pages import rappel
from dashboard.vues import donnees
from dashboard.web.acces.identite import AccesRefuse, autorise, principal_courant


def layout(contexte, /, **_params) -> html.Div:
    vue = donnees.donnees(contexte, principal_courant(contexte))
    sections = [html.H1("Données", className="h3 mt-3")]
    if vue.importer:
        sections += [*composants.section_import(vue.region, vue.taille_max), dcc.Store(id="donnees-depot")]
    else:
        sections.append(composants.lecture_seule())
    if vue.charger_demo:
        sections += composants.section_demo()
    sections += [
        html.H2("Historique des imports", className="h5 mt-5"),
        html.Div(composants.historique(vue.etat.lots), id="donnees-historique"),
        html.P(
            [
                "Retours mensuels attendus, reçus, en retard ou manquants de chaque lauréat : ",
                dcc.Link("calendrier des remontées", href="/calendrier", id="donnees-lien-calendrier"),
                ".",
            ],
            className="small mt-3",
        ),
        html.H2("Qualité des données", className="h5 mt-5"),
        html.Div(composants.qualite(vue.etat.problemes), id="donnees-qualite"),
    ]
    if vue.journal is not None:
        sections += composants.journal_audit(vue.journal)
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
# The demo's progress shows in its own block, under its button.
TACHE_DEMO = {
    **TACHE,
    "running": [
        (Output("donnees-demo-progression-zone", "style"), {"display": "block"}, {"display": "none"}),
        (Output("donnees-demo-charger", "disabled"), True, False),
        (Output("donnees-upload", "disabled"), True, False),
    ],
    "progress": [
        Output("donnees-demo-progression", "value"),
        Output("donnees-demo-progression-libelle", "children"),
    ],
}


def _executer(contexte, fichier: dict, dry_run: bool, set_progress):
    """Validate or import the pending file as the principal of the job — checked again in the job: the
    account may have been disabled since the request. The report and its rendering, or None and the
    refusal in French."""
    try:
        principal = autorise(contexte, IMPORTER)
        avancer = donnees.au_pourcent(set_progress)
        rapport = donnees.executer(contexte.settings, principal, fichier, dry_run, avancer)
    except (AccesRefuse, donnees.DepotInvalide) as exc:
        return None, composants.refus(str(exc))
    return rapport, composants.rapport(rapport, dry_run)


@rappel(
    output={"depot": Output("donnees-depot", "data"), "choisi": Output("donnees-fichier-choisi", "children")},
    inputs={
        "contenu": Input("donnees-upload", "contents"),
        "kind": Input("donnees-kind", "value"),
        "remplacer": Input("donnees-remplacer", "value"),
        "nom": State("donnees-upload", "filename"),
        "precedent": State("donnees-depot", "data"),
    },
    prevent_initial_call=True,
)
@exige(IMPORTER)
def deposer(contexte, contenu, kind, remplacer, nom, precedent):
    """The uploaded file, kept in the database for its account: its reference, or the refusal. The same
    file picked again, another type or « Remplacer » ticked: deposited and validated again, said so."""
    if not contenu:  # no file yet, or the upload was cleared after an import
        return {
            "depot": dash.no_update,
            "choisi": None if dash.ctx.triggered_id == "donnees-upload" else dash.no_update,
        }
    try:
        principal = autorise(contexte, IMPORTER)
        depot = donnees.deposer(contexte, principal, contenu, nom, kind, remplacer)
    except (AccesRefuse, donnees.DepotInvalide) as exc:
        return {"depot": {"refus": str(exc)}, "choisi": None}
    note = donnees.pourquoi_de_nouveau(dash.ctx.triggered_id, precedent, depot)
    return {"depot": depot, "choisi": composants.fichier_choisi(depot["nom"], depot["octets"], note)}


@rappel(
    output=Output("donnees-remplacer-zone", "is_open"),
    inputs={"remplacer": Input("donnees-remplacer", "value")},
)
def zone_remplacement(_contexte, remplacer):
    """The word confirming a replacement is asked for only when « Remplacer » is ticked."""
    return bool(remplacer)


@rappel(
    output={
        "rapport": Output("donnees-rapport", "children"),
        "fichier": Output("donnees-fichier", "data"),
        "confirmer_inactif": Output("donnees-confirmer", "disabled"),
    },
    inputs={"depot": Input("donnees-depot", "data")},
    **TACHE,
)
@exige(IMPORTER)
def valider(contexte, set_progress, depot):
    if not isinstance(depot, dict):
        return {"rapport": dash.no_update, "fichier": dash.no_update, "confirmer_inactif": dash.no_update}
    if "refus" in depot:
        return {"rapport": composants.refus(str(depot["refus"])), "fichier": None, "confirmer_inactif": True}
    rapport, vue = _executer(contexte, depot, True, set_progress)
    accepte = rapport is not None and rapport.accepte
    return {"rapport": vue, "fichier": depot if accepte else None, "confirmer_inactif": not accepte}


@rappel(
    output={
        "rapport": Output("donnees-rapport", "children", allow_duplicate=True),
        "confirmer_inactif": Output("donnees-confirmer", "disabled", allow_duplicate=True),
        "historique": Output("donnees-historique", "children"),
        "qualite": Output("donnees-qualite", "children"),
        "depot": Output("donnees-upload", "contents"),
        "remplacer": Output("donnees-remplacer", "value"),
        "mot": Output("donnees-remplacer-confirmation", "value"),
    },
    inputs={
        "clics": Input("donnees-confirmer", "n_clicks"),
        "fichier": State("donnees-fichier", "data"),
        "saisie": State("donnees-remplacer-confirmation", "value"),
    },
    **TACHE,
)
@exige(IMPORTER)
def confirmer(contexte, set_progress, clics, fichier, saisie=None):
    inchange = {
        "rapport": dash.no_update,
        "historique": dash.no_update,
        "qualite": dash.no_update,
        "remplacer": dash.no_update,
        "mot": dash.no_update,
    }
    if not fichier:
        return {**inchange, "confirmer_inactif": True, "depot": dash.no_update}
    refus = donnees.refus_remplacement(fichier, saisie)
    if refus is not None:  # the file stays pending: type the word and confirm again
        return {
            **inchange,
            "rapport": composants.refus(refus),
            "confirmer_inactif": False,
            "depot": dash.no_update,
        }
    rapport, vue = _executer(contexte, fichier, False, set_progress)
    if rapport is None:
        return {**inchange, "rapport": vue, "confirmer_inactif": True, "depot": dash.no_update}
    etat = donnees.etat_du_job(contexte.settings)  # the lists as they are now
    # Imported: the next file starts afresh (a replacement is never carried over to it by a box left
    # ticked and a word left typed).
    return {
        "rapport": vue,
        "confirmer_inactif": True,
        **_tableaux(etat),
        "depot": None,
        "remplacer": False,
        "mot": "",
    }


def _tableaux(etat: donnees.Etat) -> dict:
    return {"historique": composants.historique(etat.lots), "qualite": composants.qualite(etat.problemes)}


@rappel(
    output={
        "resultat": Output("donnees-demo-resultat", "children"),
        "historique": Output("donnees-historique", "children", allow_duplicate=True),
        "qualite": Output("donnees-qualite", "children", allow_duplicate=True),
    },
    inputs={
        "clics": Input("donnees-demo-charger", "n_clicks"),
        "echelle": State("donnees-demo-echelle", "value"),
        "confirmation": State("donnees-demo-confirmation", "value"),
    },
    **TACHE_DEMO,
)
@exige(CHARGER_DEMO)
def charger(contexte, set_progress, clics, echelle, confirmation=None):
    inchange = {"historique": dash.no_update, "qualite": dash.no_update}
    try:
        principal = autorise(contexte, CHARGER_DEMO)
    except AccesRefuse as exc:
        return {**inchange, "resultat": dbc.Alert(str(exc), color="danger")}
    if echelle not in ECHELLES_DEMO_PAGE:
        return {**inchange, "resultat": dbc.Alert("Échelle inconnue.", color="danger")}
    try:
        message, etat = donnees.charger(
            contexte.settings, principal, echelle, confirmation, donnees.au_pourcent(set_progress)
        )
    except donnees.DemoImpossible as exc:
        return {**inchange, "resultat": dbc.Alert(str(exc), color="danger")}
    return {"resultat": dbc.Alert(message, color="success"), **_tableaux(etat)}
