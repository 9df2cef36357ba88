"""The columns of each KIND of import file (ARCHITECTURE.md, "Import file formats")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Nature = Literal[
    "siren",
    "siret",
    "texte",
    "entier",
    "montant",
    "date",
    "date_libre",
    "commune",
    "type",
    "vague",
    "niveau",
    "numero",  # a pass serial (read by dashboard.ingest.numeros)
    "plage",  # a serial or a range of serials "1200-1209" in one cell (idem)
    "oui_non",  # yes/no (oui/non, 1/0, vrai/faux, remboursé…); empty = unknown
]


@dataclass(frozen=True)
class Colonne:
    nom: str
    nature: Nature
    obligatoire: bool = False
    longueur_max: int | None = None  # text columns: the width of the database column


def _c(nom: str, nature: Nature, obligatoire: bool = False, longueur_max: int | None = None) -> Colonne:
    return Colonne(nom, nature, obligatoire, longueur_max)


# Optional pass numbers of a line (dashboard.ingest.numeros): the inclusive range, or one cell.
NUMEROS = (
    _c("premier_numero", "numero"),
    _c("dernier_numero", "numero"),
    _c("numero_cheque", "plage"),
    _c("numero_pass", "plage"),
)
# Other names of columns, as headers read once normalised (dashboard.ingest.lecture.nom_colonne).
ALIAS_ENTETES = {
    "numero_de_cheque": "numero_cheque",
    "numero_du_cheque": "numero_cheque",
    "numero_de_pass": "numero_pass",
    "numero_du_pass": "numero_pass",
    "remboursement": "rembourse",
    "rembourse_au_lieu": "rembourse",
    "pass_rembourse": "rembourse",
    "pass_rembourses": "rembourse",
}


SCHEMAS: dict[str, tuple[Colonne, ...]] = {
    "laureats": (
        _c("siren", "siren", True),
        _c("nom", "texte", True, 200),
        _c("type", "type", True),
        _c("code_territoire", "texte", True, 9),
        _c("vague", "vague", True),
        _c("date_convention", "date"),
        _c("budget_total_eur", "montant", True),
        _c("subvention_etat_eur", "montant", True),
        _c("subvention_versee_eur", "montant"),
        _c("pass_prevus", "entier"),
    ),
    "syndicats": (
        _c("siren_syndicat", "siren", True),
        _c("nom_syndicat", "texte", True, 200),
        _c("niveau_membre", "niveau", True),
        _c("code_membre", "texte", True, 9),
    ),
    "commandes": (
        _c("siren_porteur", "siren", True),
        _c("date_commande", "date", True),
        _c("nb_carnets", "entier", True),
        _c("pass_par_carnet", "entier", True),
        _c("valeur_faciale_eur", "montant"),
        # An expiry date lies in the future: checked against the order date, not against today.
        _c("fin_validite", "date_libre"),
        # The wave of the order, when the file says it (else the convention in force at the order date).
        _c("vague", "vague"),
        *NUMEROS,
    ),
    "distributions": (
        _c("siren_porteur", "siren", True),
        _c("date", "date", True),
        _c("code_commune", "commune", True),
        _c("siret_structure", "siret"),
        _c("nom_structure", "texte", False, 200),
        _c("nb_pass", "entier", True),
        _c("public", "texte", False, 100),
        *NUMEROS,
    ),
    "utilisations": (
        _c("siren_porteur", "siren", True),
        _c("date", "date", True),
        _c("code_commune", "commune", True),
        _c("siret_lieu", "siret"),
        _c("nom_lieu", "texte", False, 200),
        _c("nb_pass", "entier", True),
        *NUMEROS,
        # Whether the operator paid the place back for these passes (empty: the file does not say).
        _c("rembourse", "oui_non"),
    ),
}

EVENEMENTS = {"distributions": "distribution", "utilisations": "utilisation"}
# The SIRET column of an event file, and the role its structure plays.
STRUCTURES = {
    "distributions": ("siret_structure", "nom_structure", "distributeur"),
    "utilisations": ("siret_lieu", "nom_lieu", "lieu"),
}

NIVEAUX_MEMBRE = {"departement": "departement", "epci": "epci", "commune": "commune"}
PASS_PAR_CARNET = (5, 10)
VALEUR_FACIALE_DEFAUT = 10.0
