"""A commune found by its postcode and its name, when a file gives no INSEE code (lieux de médiation).

The names are compared normalised (case, accents, hyphens and apostrophes, "St"/"Ste" for
"Saint"/"Sainte", articles, "Cedex", "15e arrondissement" → "15"), against the current communes and the
arrondissements that carry the postcode (table `code_commune`), and the communes déléguées or associées
of those communes (a place still written "Freigné, 44540" is in Vallons-de-l'Erdre). A name that no
commune of the postcode bears is looked for in the postcode's département (a CEDEX or mistyped postcode):
found there once, it is accepted and told; found nowhere, or several times, the line is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, select

from dashboard.domain.texte import sans_accents
from dashboard.store.schema import CodeCommune, Territoire

ARTICLES = frozenset({"le", "la", "les", "l", "d", "de", "du", "des"})
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

# Why a line is refused, or what was found (None: found by the postcode and the name, the usual case).
TROUVEE = None
PAR_DEPARTEMENT = "commune retrouvée par son nom dans le département du code postal"
INTROUVABLE = "commune introuvable : aucune commune de ce nom sous ce code postal ni dans son département"
AMBIGUE = "commune ambiguë : plusieurs communes de ce nom sous ce code postal (code_insee nécessaire)"
SANS_CODE_POSTAL = "commune introuvable : ni code_insee, ni code postal valide (5 chiffres)"
SANS_NOM = "commune introuvable : ni code_insee, ni nom de commune"


def normaliser_nom(nom: object) -> str:
    """ "Saint-Herblain" and "ST HERBLAIN CEDEX" → "saint herblain"; "L'Haÿ-les-Roses" → "hay roses";
    "Paris 15e Arrondissement" → "paris 15"."""
    texte = sans_accents(nom).replace("œ", "oe").replace("æ", "ae")
    texte = re.sub(r"\bcedex\b.*$", "", texte)
    texte = re.sub(r"\barrondissement\b", " ", texte)
    texte = re.sub(r"\b(\d+)\s*(?:er|eme|e)\b", r"\1", texte)
    mots = [ABREVIATIONS.get(m, m) for m in re.findall(r"[a-z0-9]+", texte)]
    return " ".join(m for m in mots if m not in ARTICLES)


def departements_du_code_postal(code_postal: str) -> tuple[str, ...]:
    """ "44800" → ("44",); Corsica's "20…" → ("2A", "2B"); overseas "974…" → ("974",)."""
    if code_postal.startswith("20"):
        return ("2A", "2B")
    if code_postal.startswith("97"):
        return (code_postal[:3],)
    return (code_postal[:2],)


@dataclass(frozen=True)
class CommunesParNom:
    """Normalised names → today's commune codes, by postcode and by département."""

    par_code_postal: Mapping[str, Mapping[str, frozenset[str]]]
    par_departement: Mapping[str, Mapping[str, frozenset[str]]]

    @classmethod
    def lire(cls, connection: Connection) -> CommunesParNom:
        codes = pd.read_sql(
            select(
                CodeCommune.code,
                CodeCommune.nature,
                CodeCommune.code_actuel,
                CodeCommune.nom,
                CodeCommune.codes_postaux,
            ),
            connection,
        )
        communes = pd.read_sql(
            select(Territoire.code, Territoire.nom, Territoire.code_departement).where(
                Territoire.niveau == "commune"
            ),
            connection,
        )
        return cls.depuis_tables(codes, communes)

    @classmethod
    def depuis_tables(cls, codes: pd.DataFrame, communes: pd.DataFrame) -> CommunesParNom:
        """`codes`: code, nature, code_actuel, nom, codes_postaux (table code_commune); `communes`: code,
        nom, code_departement of today's communes (table territoire)."""
        departement = dict(zip(communes["code"], communes["code_departement"], strict=True))
        # Every name a current commune is known by: its own, its arrondissements', its former parts'.
        noms = pd.concat(
            [
                communes[["code", "nom"]].rename(columns={"code": "code_actuel"}),
                codes.loc[codes["nom"].fillna("") != "", ["code_actuel", "nom"]],
            ],
            ignore_index=True,
        ).drop_duplicates()
        noms["cle"] = noms["nom"].map(normaliser_nom)
        postaux = codes.loc[codes["codes_postaux"].fillna("") != "", ["code_actuel", "codes_postaux"]]
        cp_de = (
            postaux.assign(cp=postaux["codes_postaux"].str.split(";"))
            .explode("cp")
            .drop_duplicates(["code_actuel", "cp"])
        )
        par_cp: dict[str, dict[str, set[str]]] = {}
        for cp, code, cle in cp_de.merge(noms, on="code_actuel")[["cp", "code_actuel", "cle"]].itertuples(
            index=False
        ):
            par_cp.setdefault(cp.strip(), {}).setdefault(cle, set()).add(code)
        par_dep: dict[str, dict[str, set[str]]] = {}
        for code, cle in noms[["code_actuel", "cle"]].itertuples(index=False):
            if code in departement:
                par_dep.setdefault(departement[code], {}).setdefault(cle, set()).add(code)
        gel = lambda d: {k: {n: frozenset(c) for n, c in v.items()} for k, v in d.items()}  # noqa: E731
        return cls(gel(par_cp), gel(par_dep))

    def trouver(self, code_postal: str, nom: str) -> tuple[str | None, str | None]:
        """(today's code or None, what happened: TROUVEE, PAR_DEPARTEMENT, or the refusal's reason)."""
        if not re.fullmatch(r"\d{5}", code_postal or ""):
            return None, SANS_CODE_POSTAL
        cle = normaliser_nom(nom)
        if not cle:
            return None, SANS_NOM
        codes = self.par_code_postal.get(code_postal, {}).get(cle, frozenset())
        if len(codes) == 1:
            return next(iter(codes)), TROUVEE
        if len(codes) > 1:
            return None, AMBIGUE
        codes = frozenset().union(
            *(
                self.par_departement.get(d, {}).get(cle, frozenset())
                for d in departements_du_code_postal(code_postal)
            )
        )
        if len(codes) == 1:
            return next(iter(codes)), PAR_DEPARTEMENT
        return None, AMBIGUE if codes else INTROUVABLE
