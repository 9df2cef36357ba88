"""The OpenAPI 3.1 document of /api/v1/ (`/api/v1/openapi.json`), built from the same registries as the
routes (levels, views, filters, indicators, scopes); the documentation page is rendered from it."""

from __future__ import annotations

from dashboard.domain.indicateurs import VISIBLES
from dashboard.domain.vocabulaire import NIVEAUX_TERRITORIAUX, PORTEES_API
from dashboard.web.api.autorisation import LIMITE_PAR_MINUTE

NIVEAUX = ["porteur", *NIVEAUX_TERRITORIAUX]
JSON = "application/json"

_NOMBRE = r"[0-9]+(\.[0-9]+)?"
_FRACTION = r"(0(\.[0-9]+)?|1(\.0+)?)"
_MOIS = r"[0-9]{4}-(0[1-9]|1[0-2])"
# name: (description, example, the form the codec reads; min ≤ max, start ≤ end are checked besides: 400)
FILTRES = {
    "vague": (
        "Vague(s) de l'appel à projets : 2019, 2020 ou 2019,2020.",
        "2019",
        r"^(2019|2020)(,(2019|2020))*$",
    ),
    "type": (
        "Types de lauréats, séparés par des virgules : CR, CD, EPCI, SM.",
        "CD,EPCI",
        r"^(CR|CD|EPCI|SM)(,(CR|CD|EPCI|SM))*$",
    ),
    "region": ("Code(s) de région, séparés par des virgules.", "53", r"^[0-9]{2}(,[0-9]{2})*$"),
    "subvention": (
        "Plage de subvention de l'État engagée, en euros : MIN-MAX (une borne peut manquer).",
        "10000-500000",
        f"^({_NOMBRE})?-({_NOMBRE})?$",
    ),
    "distribues": ("Plage de pass distribués : MIN-MAX.", "0-50000", f"^({_NOMBRE})?-({_NOMBRE})?$"),
    "taux": (
        "Plage de taux d'utilisation, en fraction de 0 à 1 : MIN-MAX.",
        "0.2-0.8",
        f"^{_FRACTION}?-{_FRACTION}?$",
    ),
    "periode": (
        "Flux de la période : AAAA-MM..AAAA-MM, AAAA-MM.. (depuis) ou ..AAAA-MM (jusqu'à).",
        "2020-01..2022-12",
        f"^({_MOIS}\\.\\.({_MOIS})?|\\.\\.{_MOIS})$",
    ),
}


def _parametre(nom: str, ou: str, description: str, schema: dict, requis: bool = False, exemple=None) -> dict:
    parametre = {"name": nom, "in": ou, "required": requis, "description": description, "schema": schema}
    if exemple is not None:
        parametre["example"] = exemple
    return parametre


def _reponse(description: str, schema_ref: str | None = None, csv: bool = False) -> dict:
    contenu = {JSON: {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}} if schema_ref else {}
    if csv:
        contenu["text/csv"] = {"schema": {"type": "string"}}
    return {"description": description, "content": contenu} if contenu else {"description": description}


def _erreurs(*statuts: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/Erreur{s}"} for s in statuts}


def _securite(portee: str | None, publique: bool, public: bool) -> list[dict]:
    requise = [{"jeton": [portee] if portee else []}]
    return [{}, *requise] if public and publique else requise


def _schemas() -> dict:
    ligne = {
        "niveau": {"type": "string", "enum": NIVEAUX},
        "code": {"type": "string", "description": "Code du territoire, ou SIREN du lauréat."},
        "nom": {"type": "string"},
    }
    for ind in VISIBLES:
        ligne[ind.id] = {
            "type": ["number", "null"],
            "description": f"{ind.libelle} ({ind.unite}). {ind.definition}",
        }
    ligne["donnees_incoherentes"] = {"type": "boolean", "description": "Tunnel incohérent : aucun taux."}
    ligne["chiffres_exacts"] = {"type": "boolean", "description": "Aucune estimation : pass numérotés."}
    parent = {
        "type": "object",
        "required": ["niveau", "code", "nom"],
        "properties": {"niveau": {"type": "string"}, "code": {"type": "string"}, "nom": {"type": "string"}},
    }
    donnees = {
        "date_donnees": {"type": ["string", "null"], "format": "date", "description": "Date des données."},
        "demo": {"type": "boolean", "description": "Vrai quand un jeu de démonstration est chargé."},
    }
    return {
        "Erreur": {
            "type": "object",
            "required": ["erreur"],
            "properties": {
                "erreur": {
                    "type": "object",
                    "required": ["statut", "message"],
                    "properties": {
                        "statut": {"type": "integer", "minimum": 400, "maximum": 599},
                        "message": {"type": "string", "description": "Le motif, en français."},
                    },
                }
            },
        },
        "LigneIndicateurs": {"type": "object", "required": ["niveau", "code", "nom"], "properties": ligne},
        "Indicateurs": {
            "type": "object",
            "required": ["niveau", "vue", "filtres", "date_donnees", "demo", "nombre", "donnees"],
            "properties": {
                "niveau": {"type": "string", "enum": NIVEAUX},
                "vue": {"type": "string", "enum": ["porteurs", "territoires"]},
                "filtres": {
                    "type": "object",
                    "description": "Les filtres compris, sous leur forme canonique.",
                    "additionalProperties": {"type": "string"},
                },
                **donnees,
                "nombre": {"type": "integer", "minimum": 0},
                "donnees": {"type": "array", "items": {"$ref": "#/components/schemas/LigneIndicateurs"}},
            },
        },
        "Parent": parent,
        "Entite": {
            "type": "object",
            "required": ["niveau", "code", "nom", "type", "parents", "liens"],
            "properties": {
                "niveau": {"type": "string", "enum": NIVEAUX},
                "code": {"type": "string"},
                "nom": {"type": "string"},
                "type": {"type": "string", "description": "Ex. « Département », « Conseil départemental »."},
                "population": {
                    "type": ["number", "null"],
                    "description": "Habitants (couverts, pour un lauréat).",
                },
                "superficie_km2": {"type": ["number", "null"]},
                "region": {"type": ["string", "null"]},
                "parents": {"type": "array", "items": {"$ref": "#/components/schemas/Parent"}},
                "type_porteur": {"type": "string", "enum": ["CR", "CD", "EPCI", "SM"]},
                "vagues": {"type": "array", "items": {"type": "integer"}},
                "liens": {
                    "type": "object",
                    "properties": {"page": {"type": "string"}, "series": {"type": "string"}},
                },
            },
        },
        "Serie": {
            "type": "object",
            "required": ["niveau", "code", "nom", "date_donnees", "demo", "donnees"],
            "properties": {
                "niveau": {"type": "string", "enum": NIVEAUX},
                "code": {"type": "string"},
                "nom": {"type": "string"},
                **donnees,
                "donnees": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["mois", "pass_distribues", "pass_utilises"],
                        "properties": {
                            "mois": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "pass_distribues": {"type": "integer"},
                            "pass_utilises": {"type": "integer"},
                        },
                    },
                },
            },
        },
    }


MESSAGES_ERREURS = {
    400: "Paramètre inconnu, répété ou illisible (le message dit lequel).",
    401: "Jeton absent, inconnu, révoqué ou expiré.",
    403: "Le jeton n'a pas la portée de cette route.",
    404: "Territoire ou lauréat inconnu, ou adresse inconnue.",
    405: "Méthode autre que GET.",
    429: f"Plus de {LIMITE_PAR_MINUTE} requêtes par minute pour ce jeton : attendre Retry-After secondes.",
    500: "Erreur interne (consignée).",
}


def _reponses_erreurs() -> dict:
    reponses = {}
    for statut, description in MESSAGES_ERREURS.items():
        reponse = _reponse(description, "Erreur")
        if statut == 429:
            reponse["headers"] = {
                "Retry-After": {"description": "Secondes à attendre.", "schema": {"type": "integer"}}
            }
        reponses[f"Erreur{statut}"] = reponse
    return reponses


def document(public: bool, adresse: str | None = None) -> dict:
    """The OpenAPI 3.1 document; `public`: PASSNUM_PUBLIC=1 (the aggregated routes need no token);
    `adresse`: PASSNUM_URL, when known (else the server is this one, relative)."""
    niveau_chemin = _parametre(
        "niveau", "path", "Niveau de l'entité.", {"type": "string", "enum": NIVEAUX}, True, "departement"
    )
    code_chemin = _parametre(
        "code",
        "path",
        "Code du territoire (région, département, EPCI) ou SIREN du lauréat.",
        {"type": "string"},
        True,
        "29",
    )
    format_ = _parametre(
        "format",
        "query",
        "Format de la réponse.",
        {"type": "string", "enum": ["json", "csv"], "default": "json"},
    )
    indicateurs = [
        _parametre(
            "niveau",
            "query",
            "Une ligne par entité de ce niveau.",
            {"type": "string", "enum": NIVEAUX},
            True,
            "departement",
        ),
        _parametre(
            "vue",
            "query",
            "porteurs : chiffres des lauréats, répartis sur leurs périmètres ; territoires : activité "
            "au lieu où elle a eu lieu (défaut : porteurs au niveau porteur, territoires sinon).",
            {"type": "string", "enum": ["porteurs", "territoires"]},
        ),
        format_,
        *(
            _parametre(nom, "query", d, {"type": "string", "pattern": forme}, exemple=e)
            for nom, (d, e, forme) in FILTRES.items()
        ),
    ]
    erreurs = _erreurs(400, 401, 403, 429, 500)
    routes = {
        "/indicateurs": {
            "get": {
                "operationId": "lireIndicateurs",
                "summary": "Tableau des indicateurs",
                "description": "Le tableau du tableau de bord, une ligne par entité, avec les filtres de "
                "l'adresse du tableau de bord : les mêmes chiffres que `passnum indicateurs`.",
                "tags": ["Indicateurs"],
                "security": _securite("indicateurs", True, public),
                "parameters": indicateurs,
                "responses": {
                    "200": _reponse("Le tableau (JSON ou CSV).", "Indicateurs", csv=True),
                    **erreurs,
                },
            }
        },
        "/entites/{niveau}/{code}": {
            "get": {
                "operationId": "lireEntite",
                "summary": "Identité d'un territoire ou d'un lauréat",
                "description": "Nom, niveau, type, population, territoires parents (et, d'un lauréat, son "
                "type et ses vagues). Un lauréat demande toujours un jeton.",
                "tags": ["Entités"],
                "security": _securite("entites", True, public),
                "parameters": [niveau_chemin, code_chemin],
                "responses": {"200": _reponse("L'entité.", "Entite"), **_erreurs(404), **erreurs},
            }
        },
        "/entites/{niveau}/{code}/series": {
            "get": {
                "operationId": "lireSerie",
                "summary": "Série mensuelle d'un territoire ou d'un lauréat",
                "description": "Pass distribués et utilisés par mois, du premier mois d'activité au dernier "
                "mois des données, mois sans activité compris (zéros). Un lauréat demande toujours un jeton.",
                "tags": ["Entités"],
                "security": _securite("series", True, public),
                "parameters": [niveau_chemin, code_chemin, format_],
                "responses": {
                    "200": _reponse("La série (JSON ou CSV).", "Serie", csv=True),
                    **_erreurs(404),
                    **erreurs,
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "lireOpenapi",
                "summary": "Ce document OpenAPI 3.1",
                "tags": ["Documentation"],
                "security": _securite(None, True, public),
                "responses": {
                    "200": {"description": "Le document.", "content": {JSON: {"schema": {"type": "object"}}}},
                    **_erreurs(401, 429),
                },
            }
        },
        "/": {
            "get": {
                "operationId": "lireDocumentation",
                "summary": "Documentation (page HTML en français)",
                "tags": ["Documentation"],
                "security": _securite(None, True, public),
                "responses": {
                    "200": {
                        "description": "La page.",
                        "content": {"text/html": {"schema": {"type": "string"}}},
                    },
                    "302": {"description": "Sans jeton ni session : vers la page de connexion."},
                    **_erreurs(401, 429),
                },
            }
        },
    }
    portees = "\n".join(f"- `{p}` : {libelle}" for p, libelle in PORTEES_API.items())
    ouverture = (
        "Ce service est en mode public : le tableau des indicateurs, l'identité et les séries des "
        "territoires répondent sans jeton ; un lauréat demande un jeton."
        if public
        else "Chaque requête porte un jeton : `Authorization: Bearer <jeton>`."
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Pass numérique — API de données ouvertes",
            "version": "1.0.0",
            "description": (
                "Les chiffres agrégés du tableau de bord de pilotage du Pass numérique. "
                f"{ouverture} Les jetons sont créés par l'équipe nationale (`passnum jetons add`), avec des "
                f"portées :\n{portees}\n\nAu plus {LIMITE_PAR_MINUTE} requêtes par minute et par jeton (429 "
                "et Retry-After au-delà). Chaque erreur répond en JSON et en français : "
                '`{"erreur": {"statut": 404, "message": "…"}}`.'
            ),
            "license": {
                "name": "Licence Ouverte 2.0",
                "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            },
        },
        "servers": [{"url": f"{adresse or ''}/api/v1"}],
        "security": [{"jeton": []}],
        "tags": [
            {"name": "Indicateurs"},
            {"name": "Entités"},
            {"name": "Documentation"},
        ],
        "paths": routes,
        "components": {
            "securitySchemes": {
                "jeton": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "pn_<préfixe>_<secret>",
                    "description": "Jeton d'API (`passnum jetons add`) ; portées : "
                    + ", ".join(PORTEES_API)
                    + ".",
                }
            },
            "schemas": _schemas(),
            "responses": _reponses_erreurs(),
        },
    }
