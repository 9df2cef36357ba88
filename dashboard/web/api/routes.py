"""The routes of /api/v1/: the indicator table (the very table of `passnum indicateurs`, through its code:
dashboard.cli.indicateurs.table_machine / texte_machine, the filters read by the one codec), an entity's
identity and its monthly series (the functions of the territory and laureate pages). Aggregates only:
no breakdown by structure or by place leaves through the API."""

from __future__ import annotations

import json

import pandas as pd
from flask import Response, request

from dashboard.cli.indicateurs import FILTRES_CLI, table_machine, texte_machine
from dashboard.domain.filtres import lire_filtres
from dashboard.domain.vocabulaire import NIVEAUX_TERRITORIAUX
from dashboard.store import entites
from dashboard.store.memoire import une_lecture
from dashboard.store.metadonnees import etat_donnees
from dashboard.web.api.erreurs import ErreurApi, reponse_json

NIVEAUX = ("porteur", *NIVEAUX_TERRITORIAUX)
VUES = ("porteurs", "territoires")
FORMATS = ("json", "csv")
PARAMETRES_INDICATEURS = ("niveau", "vue", "format", *FILTRES_CLI)
INCONNUS = {"niveau": "Niveau inconnu", "vue": "Vue inconnue", "format": "Format inconnu"}
INCONNUE = "Aucun territoire ni lauréat ne correspond à ce code : {niveau} « {code} »."


def parametres(permis: tuple[str, ...]) -> dict[str, str]:
    """The query parameters, each once, all known: a typo (`regions=`) is a 400, not a silent "no filter"."""
    inconnus = sorted(set(request.args) - set(permis))
    if inconnus:
        raise ErreurApi(
            400,
            f"Paramètre inconnu « {inconnus[0]} » : paramètres permis {', '.join(permis) or 'aucun'}.",
        )
    repetes = [cle for cle in request.args if len(request.args.getlist(cle)) > 1]
    if repetes:
        raise ErreurApi(
            400, f"Paramètre « {repetes[0]} » répété : séparez ses valeurs par des virgules (ex. 2019,2020)."
        )
    return {cle: request.args[cle] for cle in request.args}


def _choix(valeurs: dict[str, str], cle: str, permis: tuple[str, ...], defaut: str | None) -> str | None:
    valeur = valeurs.get(cle, "").strip() or defaut
    if valeur is not None and valeur not in permis:
        raise ErreurApi(400, f"{INCONNUS[cle]} « {valeur} » : {', '.join(permis)}.")
    return valeur


def _entete_donnees(engine) -> dict:
    etat = etat_donnees(engine)
    return {
        "date_donnees": etat.date_donnees.isoformat() if etat.date_donnees else None,
        "demo": etat.demo is not None,
    }


def _avec_lignes(entete: dict, lignes_json: str) -> Response:
    """The envelope, then the rows exactly as `passnum indicateurs --format json` writes them."""
    texte = json.dumps(entete, ensure_ascii=False)[:-1] + ', "donnees": ' + lignes_json.rstrip("\n") + "}"
    return reponse_json(texte)


def _csv(texte: str, nom: str) -> Response:
    reponse = Response(texte, mimetype="text/csv")
    reponse.headers["Content-Disposition"] = f'inline; filename="{nom}.csv"'
    return reponse


def indicateurs(contexte) -> Response:
    valeurs = parametres(PARAMETRES_INDICATEURS)
    if not valeurs.get("niveau", "").strip():
        raise ErreurApi(400, "Paramètre « niveau » manquant : porteur, region, departement ou epci.")
    niveau = _choix(valeurs, "niveau", NIVEAUX, None)
    vue = _choix(valeurs, "vue", VUES, None)
    format_ = _choix(valeurs, "format", FORMATS, "json")
    try:
        filtres = lire_filtres({cle: valeurs.get(cle) for cle in FILTRES_CLI})
        with une_lecture(contexte.engine):
            table = table_machine(contexte.engine, niveau, vue, filtres)
    except ValueError as exc:  # the codec's and the table's own French messages
        raise ErreurApi(400, str(exc)) from None
    texte = texte_machine(table, format_)
    if format_ == "csv":
        return _csv(texte, f"indicateurs-{niveau}")
    entete = {
        "niveau": niveau,
        "vue": vue or ("porteurs" if niveau == "porteur" else "territoires"),
        "filtres": filtres.parametres(),
        **_entete_donnees(contexte.engine),
        "nombre": len(table),
    }
    return _avec_lignes(entete, texte)


def _entite(contexte, niveau: str, code: str) -> entites.Entite:
    if niveau not in NIVEAUX:
        raise ErreurApi(400, f"Niveau inconnu « {niveau} » : {', '.join(NIVEAUX)}.")
    ent = entites.entite(contexte.engine, niveau, code)
    if ent is None:
        raise ErreurApi(404, INCONNUE.format(niveau=niveau, code=code))
    return ent


def _nombre(valeur: float | None) -> float | int | None:
    if valeur is None or pd.isna(valeur):
        return None
    return int(valeur) if float(valeur).is_integer() else float(valeur)


def identite(contexte, ent: entites.Entite) -> dict:
    """What the API says of an entity: its identity, never its figures by structure or place."""
    corps = {
        "niveau": ent.niveau,
        "code": ent.code,
        "nom": ent.nom,
        "type": ent.type_libelle,
        "population": _nombre(ent.population),
        "superficie_km2": _nombre(ent.superficie_km2),
        "region": ent.region,
        "parents": [{"niveau": n, "code": c, "nom": nom} for n, c, nom in ent.parents],
    }
    if ent.niveau == "porteur":
        conventions = entites.conventions_du_porteur(contexte.engine, ent.code)
        corps["type_porteur"] = ent.type_pair.removeprefix("porteur-")
        corps["vagues"] = sorted({int(v) for v in conventions["vague"]})
    corps["liens"] = {
        "page": ent.chemin,
        "series": f"/api/v1/entites/{ent.niveau}/{ent.code}/series",
    }
    return corps


def entite(contexte, niveau: str, code: str) -> Response:
    parametres(())
    with une_lecture(contexte.engine):
        ent = _entite(contexte, niveau, code)
        return reponse_json(identite(contexte, ent))


def serie(contexte, niveau: str, code: str) -> Response:
    format_ = _choix(parametres(("format",)), "format", FORMATS, "json")
    with une_lecture(contexte.engine):
        ent = _entite(contexte, niveau, code)
        mensuel = entites.serie_mensuelle(contexte.engine, ent)
    table = pd.DataFrame(
        {
            "mois": [f"{m:%Y-%m}" for m in mensuel["mois"]],
            "pass_distribues": [int(v) for v in mensuel["pass_distribues"]],
            "pass_utilises": [int(v) for v in mensuel["pass_utilises"]],
        },
        columns=["mois", "pass_distribues", "pass_utilises"],
    )
    if format_ == "csv":
        return _csv(table.to_csv(index=False, lineterminator="\n"), f"serie-{niveau}-{code}")
    entete = {"niveau": ent.niveau, "code": ent.code, "nom": ent.nom, **_entete_donnees(contexte.engine)}
    return reponse_json({**entete, "donnees": table.to_dict("records")})


def inconnue(_reste: str = "") -> Response:
    raise ErreurApi(404)
