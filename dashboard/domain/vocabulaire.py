"""The programme's vocabulary, defined once: territorial levels, laureate types, waves, file kinds, roles,
audit actions and the metadata keys of the database. Every module that names one of them reads it here.
"""

from __future__ import annotations

# --- Levels --------------------------------------------------------------------------------------------

NIVEAUX_TERRITORIAUX = ("region", "departement", "epci")
# The communes outside any EPCI (four islands) form one row of the EPCI level, so that the levels
# partition the territory.
HORS_EPCI = "hors-epci"
NOM_HORS_EPCI = "Communes hors EPCI"
"""The levels of the map and of the territory pages (communes are only aggregated)."""
NIVEAU_INFERIEUR = {"region": "departement", "departement": "epci"}
NIVEAU_SUPERIEUR = {v: k for k, v in NIVEAU_INFERIEUR.items()}

_LIBELLES_NIVEAUX = {
    "region": ("région", "régions"),
    "departement": ("département", "départements"),
    "epci": ("EPCI", "EPCI"),
    "commune": ("commune", "communes"),
    "porteur": ("lauréat", "lauréats"),
}
NIVEAUX_FEMININS = frozenset({"region", "commune"})


def libelle_niveau(niveau: str, pluriel: bool = False, majuscule: bool = False) -> str:
    """`département`, `départements`, `Départements`, `EPCI`, `lauréat`…"""
    texte = _LIBELLES_NIVEAUX[niveau][1 if pluriel else 0]
    return texte[0].upper() + texte[1:] if majuscule else texte


def effectif_niveau(niveau: str) -> tuple[str, str]:
    """(singular, plural) to count entities of a level: `1 département`, `3 départements`."""
    return _LIBELLES_NIVEAUX[niveau]


NATURES_EPCI = {
    "CC": "communauté de communes",
    "CA": "communauté d'agglomération",
    "CU": "communauté urbaine",
    "ME": "métropole",
}
_NATURES_EPCI_PLURIEL = {
    "CC": "communautés de communes",
    "CA": "communautés d'agglomération",
    "CU": "communautés urbaines",
    "ME": "métropoles",
}


def libelle_nature_epci(nature: str | None, pluriel: bool = False, majuscule: bool = True) -> str:
    """The type of an EPCI as users read it: `Métropole (EPCI)`, `communautés de communes (EPCI)`; an
    unknown or missing nature (a code never shown raw): `EPCI`."""
    if nature not in NATURES_EPCI:
        return "EPCI"
    texte = (_NATURES_EPCI_PLURIEL if pluriel else NATURES_EPCI)[nature]
    texte = texte[0].upper() + texte[1:] if majuscule else texte
    return f"{texte} (EPCI)"


# --- Laureates -----------------------------------------------------------------------------------------

TYPES_PORTEUR = ("CR", "CD", "EPCI", "SM")
_LIBELLES_TYPES = {
    "CR": ("conseil régional", "conseils régionaux"),
    "CD": ("conseil départemental", "conseils départementaux"),
    "EPCI": ("EPCI", "EPCI"),
    "SM": ("syndicat mixte", "syndicats mixtes"),
}
NIVEAU_DU_TYPE = {"CR": "region", "CD": "departement", "EPCI": "epci"}
"""The territory a laureate of each type covers (a syndicat mixte covers the union of its members)."""
ALIAS_TYPES = {
    "cr": "CR",
    "conseil_regional": "CR",
    "region": "CR",
    "cd": "CD",
    "conseil_departemental": "CD",
    "departement": "CD",
    "epci": "EPCI",
    "sm": "SM",
    "syndicat_mixte": "SM",
}
"""What import files may write in the `type` column (after normalisation), and the type it means."""


def libelle_type(type_: str, pluriel: bool = True, majuscule: bool = False) -> str:
    """`conseils départementaux`, `Conseil départemental`, `syndicat mixte`…"""
    texte = _LIBELLES_TYPES[type_][1 if pluriel else 0]
    return texte[0].upper() + texte[1:] if majuscule else texte


VAGUES = (2019, 2020)
"""The waves of the call for projects."""

# --- Import files --------------------------------------------------------------------------------------

KINDS = {
    "laureats": "Lauréats (une ligne par convention)",
    "syndicats": "Syndicats mixtes et leurs membres",
    "commandes": "Commandes de carnets",
    "distributions": "Distributions de pass",
    "utilisations": "Utilisations de pass",
    "lieux": "Lieux de médiation numérique (standard v0.1 / v0.2, data·inclusion)",
}
"""The kinds of import file (`passnum import KIND`), with their French label."""
ORDRE_IMPORT = ("syndicats", "laureats", "commandes", "distributions", "utilisations", "lieux")
"""A syndicat before its convention, a laureate before its orders, distributions and redemptions (the
lieux de médiation depend on nothing: last, where the demo loads them)."""
ECHELLES_DEMO = {
    "small": "Petit (56 lauréats)",
    "national": "National (156 lauréats, 2,7 millions de pass)",
    "x10": "National × 10 (156 lauréats, 27 millions de pass)",
}
"""The demo datasets (`passnum init --demo`, `passnum demo --scale`)."""
ECHELLES_DEMO_PAGE = {k: ECHELLES_DEMO[k] for k in ("small", "national")}
"""Those the data page loads (x10, for scale tests, takes minutes: the command line only)."""
ORDRE_CONSEILLE = (
    "Ordre conseillé : syndicats, lauréats, commandes, distributions, utilisations ; les lieux de médiation "
    "à tout moment."
)

# --- Accounts and journal ------------------------------------------------------------------------------

ADMIN, COORDINATEUR, LECTEUR = "admin", "coordinateur", "lecteur"
ROLES = {
    ADMIN: "Administrateur national",
    COORDINATEUR: "Coordinateur régional",
    LECTEUR: "Lecteur",
}
LIEN = "lien"
"""Not an account: a visitor holding a signed, expiring, read-only link to one briefing deck."""
DUREES_LIEN = {1: "1 jour", 7: "7 jours", 30: "30 jours"}
"""How long a briefing link may last, in days."""

ACTIONS_AUDIT = {
    "import": "Import",
    "import_refuse": "Import refusé",
    "demo_chargee": "Jeu de démonstration chargé",
    "demo_refusee": "Jeu de démonstration refusé (données réelles)",
    "import_remplace": "Import remplacé",
    "sauvegarde": "Sauvegarde",
    "restauration": "Restauration d'une sauvegarde",
    "compte_ajoute": "Compte créé",
    "compte_desactive": "Compte désactivé",
    "compte_active": "Compte réactivé",
    "connexion": "Connexion",
    "connexion_refusee": "Connexion refusée",
    "connexion_bloquee": "Connexion bloquée (trop d'essais)",
    "deconnexion": "Déconnexion",
    "connexion_proconnect": "Connexion par ProConnect",
    "proconnect_non_accorde": "Connexion ProConnect refusée : accès non accordé",
    "proconnect_refusee": "Connexion ProConnect refusée : réponse invalide ou expirée",
    "proconnect_lie": "Identité ProConnect liée au compte",
    "compte_cree_proconnect": "Compte créé à la première connexion ProConnect (règle par SIRET)",
    "regle_siret_ajoutee": "Règle d'accès par SIRET ajoutée",
    "regle_siret_retiree": "Règle d'accès par SIRET retirée",
    "lien_cree": "Lien de présentation créé",
    "enveloppe_fixee": "Enveloppe ou objectif d'une vague fixé",
    "regle_vigilance_modifiee": "Règle de vigilance modifiée",
    "comite_ajoute": "Comité de pilotage ajouté",
    "comite_supprime": "Comité de pilotage supprimé",
    "note_ajoutee": "Note de comité ajoutée",
    "note_supprimee": "Note de comité supprimée",
    "note_restauree": "Note de comité restaurée",
    "rapport_envoye": "Rapport de comité envoyé",
    "jeton_api_cree": "Jeton d'API créé",
    "jeton_api_revoque": "Jeton d'API révoqué",
}
"""Every action the audit journal records, with its French label."""

PORTEES_API = {
    "indicateurs": "Tableau des indicateurs (par lauréat, région, département ou EPCI)",
    "entites": "Identité d'un territoire ou d'un lauréat",
    "series": "Séries mensuelles d'un territoire ou d'un lauréat",
}
"""The scopes a token of the open-data API may hold (`passnum jetons add --portees`), with their label."""

# --- Metadata of the database (table `metadonnee`) -----------------------------------------------------

CLE_DEMO = "donnees_demo"
"""`small` / `national` while a demo dataset is loaded."""
CLE_DATE_DONNEES = "date_donnees"
"""The data date: the latest distribution or redemption, ISO `AAAA-MM-JJ`."""
CLE_EMPREINTE_REFERENCE = "reference_territoires_sha256"
"""The checksum of the reference geography loaded."""
