"""The BANATIC export « périmètre des groupements » accepted as a `syndicats` file (ARCHITECTURE.md,
"Import file formats"): one line per member of each groupement, tab-separated Windows-1252 text without
quoting, or the national XLSX with the same headers; recognised by its headers (`N° SIREN`, `Siren membre`).

Only the syndicats mixtes are imported; the other groupements of the file (SIVU, SIVOM, the EPCI
themselves) only serve as members. The dozens of competence columns are never read (lecture.Selection).
Members are named by SIREN and resolved by dashboard.ingest.groupements; what cannot be resolved is told,
not refused — unless none of a syndicat's members is, since its perimeter would be empty.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.texte import sans_accents
from dashboard.ingest import groupements
from dashboard.ingest import valeurs as v
from dashboard.ingest.lecture import Selection, Tableau
from dashboard.ingest.perimetre import PerimetreRegional
from dashboard.ingest.rapport import Anomalie, Collecteur
from dashboard.ingest.validation import (
    OBLIGATOIRE,
    POUR_SA_REGION,
    Contexte,
    Reference,
    _coherence,
    _doublons,
)

SOURCE = "banatic"  # syndicat.source
LIBELLES = {  # the columns used, as BANATIC writes them
    "n_siren": "N° SIREN",
    "nom_du_groupement": "Nom du groupement",
    "nature_juridique": "Nature juridique",
    "type": "Type",
    "siren_membre": "Siren membre",
    "nom_membre": "Nom membre",
}
ALIAS = {
    "nsiren": "n_siren",
    "n_siren_groupement": "n_siren",
    "n_siren_du_groupement": "n_siren",
    "siren_groupement": "n_siren",
    "siren_du_groupement": "n_siren",
    "nom_groupement": "nom_du_groupement",
    "nature_juridique_du_groupement": "nature_juridique",
    "n_siren_membre": "siren_membre",
    "siren_du_membre": "siren_membre",
    "nom_du_membre": "nom_membre",
    "type_membre": "type",
    "type_de_membre": "type",
    "type_du_membre": "type",
}
SIGNATURE = frozenset({"n_siren", "siren_membre"})
# The date the file describes, when a column gives it (not "Date de création" nor "Date d'effet": those
# are each groupement's own dates).
COLONNES_DATE = frozenset(
    {
        "date_de_reference",
        "date_reference",
        "date_d_extraction",
        "date_de_l_extraction",
        "date_extraction",
        "date_d_export",
        "date_de_l_export",
        "date_export",
        "date_des_donnees",
    }
)
# A date in the file's name: banatic_perimetre_2024-01-01.csv, …_20240101…, …_01-01-2024…
DATES_DU_NOM = (
    re.compile(r"(?<!\d)(?P<a>(?:19|20)\d\d)[-_.]?(?P<m>[01]\d)[-_.]?(?P<j>[0-3]\d)(?!\d)"),
    re.compile(r"(?<!\d)(?P<j>[0-3]\d)[-_.](?P<m>[01]\d)[-_.](?P<a>(?:19|20)\d\d)(?!\d)"),
)
VIDE = (
    "aucun syndicat mixte du fichier n'a de membre identifié (ni commune, ni EPCI, ni groupement connu, ni "
    "département ou région) : leurs périmètres seraient vides"
)
NOM_MAX = 200


def canonique(entete: str) -> str:
    """A normalised header (lecture.normaliser_entete) → the name used here: `n°_siren` → `n_siren`."""
    cle = re.sub(r"[^a-z0-9]+", "_", entete).strip("_")
    return ALIAS.get(cle, cle)


def selection(entetes: list[str]) -> Selection | None:
    """For lecture.lire_fichier: the columns of a BANATIC file worth reading; None for another file."""
    canoniques = [canonique(e) for e in entetes]
    if not set(canoniques) >= SIGNATURE:
        return None
    utiles = set(LIBELLES) | COLONNES_DATE
    gardees = frozenset(e for e, c in zip(entetes, canoniques, strict=True) if c in utiles)
    return Selection(gardees, export=True)


def reconnaitre(tableau: Tableau) -> bool:
    return {canonique(c) for c in tableau.donnees.columns} >= SIGNATURE


def colonnes(tableau: Tableau, erreurs: Collecteur) -> bool:
    """The columns this import needs; False (with the anomaly) when one is missing or doubled."""
    canoniques = [canonique(c) for c in tableau.donnees.columns]
    doublons = sorted({c for c in canoniques if canoniques.count(c) > 1 and c in LIBELLES})
    for nom in doublons:
        erreurs.ajouter(Anomalie(1, LIBELLES[nom], None, "colonne présente plusieurs fois"))
    manquantes = [libelle for nom, libelle in LIBELLES.items() if nom not in canoniques]
    if manquantes:
        pluriel = "s" if len(manquantes) > 1 else ""
        trouvees = ", ".join(f"« {e} »" for e in tableau.entetes)
        erreurs.ajouter(
            Anomalie(
                1,
                None,
                None,
                f"colonne{pluriel} obligatoire{pluriel} absente{pluriel} du fichier BANATIC « périmètre des "
                f"groupements » : {', '.join(manquantes)}",
                f"en-têtes lus : {trouvees}",
            )
        )
    return not manquantes and not doublons


def est_syndicat_mixte(nature: str) -> bool:
    """ "Syndicat mixte fermé", "SMO", "SMF", "Syndicat mixte ouvert élargi"… (leniently)."""
    cle = re.sub(r"[^a-z]", "", sans_accents(nature))
    return cle == "sm" or cle.startswith(("smf", "smo", "syndicatmixte"))


def type_membre(texte: str) -> str:
    """BANATIC's `Type`: "Commune", "Groupement", "Autre organisme" → commune, groupement, autre."""
    cle = groupements.cle_nom(texte)
    for type_ in ("commune", "groupement", "autre"):
        if cle.startswith(type_):
            return type_
    return ""


def date_du_fichier(nom_fichier: str, tableau: Tableau, aujourd_hui: date) -> tuple[date | None, str]:
    """The date of the perimeters: a reference-date column (its latest date), else a date in the file's
    name; with where it was found, for the report."""
    for colonne, entete in zip(tableau.donnees.columns, tableau.entetes, strict=True):
        if canonique(colonne) in COLONNES_DATE:
            dates, _ = v.lire_dates(tableau.donnees[colonne])
            if dates.notna().any():
                return dates.max().date(), f"de la colonne « {entete} »"
    for motif in DATES_DU_NOM:
        for trouve in motif.finditer(nom_fichier):
            try:
                jour = date(int(trouve["a"]), int(trouve["m"]), int(trouve["j"]))
            except ValueError:
                continue
            if jour <= aujourd_hui:
                return jour, "du nom du fichier"
    return None, ""


def valider(
    tableau: Tableau,
    reference: Reference,
    erreurs: Collecteur,
    aujourd_hui: date,
    perimetre: PerimetreRegional | None = None,
    infos: list[str] | None = None,
    nom_fichier: str = "",
) -> pd.DataFrame:
    """The members of the file's syndicats mixtes in the `syndicats` import's form (siren_syndicat,
    nom_syndicat, niveau_membre, code_membre, code_brut, source, perimetre_au)."""
    ctx = Contexte(tableau.lignes, erreurs, reference, aujourd_hui, infos if infos is not None else [])
    brut = tableau.donnees.rename(columns=canonique)
    entetes = dict(zip(brut.columns, tableau.entetes, strict=True))
    lignes = pd.DataFrame(
        {
            "n_siren": brut["n_siren"].str.replace(r"\s", "", regex=True),
            "nom_du_groupement": brut["nom_du_groupement"],
            "nature_juridique": brut["nature_juridique"],
            "type": brut["type"].map(type_membre),
            "siren_membre": brut["siren_membre"].str.replace(r"\s", "", regex=True),
            "nom_membre": brut["nom_membre"],
        }
    )
    sm = lignes["nature_juridique"].map(est_syndicat_mixte).astype(bool)
    if len(lignes) and not sm.any():
        natures = ", ".join(sorted(set(lignes["nature_juridique"]) - {""})) or "aucune"
        erreurs.ajouter(
            Anomalie(
                None,
                entetes["nature_juridique"],
                None,
                "aucun syndicat mixte dans ce fichier BANATIC : rien à importer comme syndicat",
                f"natures juridiques lues : {natures}",
            )
        )
    _regles(ctx, brut, sm, entetes)
    annuaire = groupements.annuaire(
        reference.codes_communes().par_siren,
        reference.epci,
        reference.collectivites,
        reference.membres_syndicats,
        reference.noms,
        reference.departements_des_regions,
        reference.cog,
    )
    resultat = groupements.perimetres(lignes, sm, annuaire)
    _sans_membre(ctx, lignes, resultat, entetes["siren_membre"])
    au, origine = date_du_fichier(nom_fichier, tableau, aujourd_hui)
    membres = resultat.membres
    noms = lignes[sm].groupby("n_siren")["nom_du_groupement"].first()
    types = pd.DataFrame(
        {
            "siren_syndicat": membres["siren_syndicat"],
            "nom_syndicat": membres["siren_syndicat"].map(noms),
            "niveau_membre": membres["niveau_membre"],
            "code_membre": membres["code_membre"],
            "code_brut": membres["code_brut"],
            "source": SOURCE,
            "perimetre_au": au,
        }
    )
    if perimetre is not None:
        _region(ctx, types, membres["position"].to_numpy(), lignes, perimetre, entetes)
    ctx.informations[:0] = _entete(types, au, origine) + _non_utilise(tableau, lignes, sm)
    ctx.informations += resultat.informations
    return types


def _regles(ctx: Contexte, brut: pd.DataFrame, sm: pd.Series, entetes: dict[str, str]) -> None:
    """The syndicats mixtes' lines: a SIREN and a name, a single name per SIREN, no line twice."""
    siren, nom = entetes["n_siren"], entetes["nom_du_groupement"]
    ctx.signaler(sm & brut["n_siren"].eq(""), siren, None, OBLIGATOIRE)
    _, invalides = v.lire_identifiants(brut["n_siren"], 9)
    ctx.signaler(
        sm & invalides,
        siren,
        brut["n_siren"],
        "SIREN invalide : 9 chiffres dont une clé de contrôle (Luhn) valide attendus",
    )
    ctx.signaler(sm & brut["nom_du_groupement"].eq(""), nom, None, OBLIGATOIRE)
    ctx.signaler(
        sm & brut["nom_du_groupement"].str.len().gt(NOM_MAX),
        nom,
        brut["nom_du_groupement"],
        f"texte trop long ({NOM_MAX} caractères au plus)",
    )
    if not sm.any():
        return
    des_sm = Contexte(ctx.lignes[sm.to_numpy()], ctx.erreurs, ctx.reference, ctx.aujourd_hui)
    utilisees = brut.loc[sm, list(LIBELLES)].rename(columns=entetes).reset_index(drop=True)
    _coherence(des_sm, utilisees, siren, [nom], "syndicat nommé différemment")
    _doublons(des_sm, utilisees, "syndicats")


def _sans_membre(ctx: Contexte, lignes: pd.DataFrame, resultat: groupements.Perimetres, colonne: str) -> None:
    """A syndicat mixte none of whose members was identified is left aside and told as information (a
    national export holds thousands: one of them must not block the others; its members already in the
    database stay). When no syndicat of the file has an identified member, nothing can be imported: every
    line is refused, each with why its own member was not identified."""
    if not resultat.vides:
        return
    if not resultat.membres.empty:
        noms = [
            f"{siren} {lignes['nom_du_groupement'].iloc[positions[0]]}"
            for siren, positions in sorted(resultat.vides.items())
        ]
        n = len(noms)
        exemples = ", ".join(noms[:5]) + (f" et {nombre(n - 5)} autres" if n > 5 else "")
        ctx.informations.append(
            f"{nombre(n)} syndicat{'s' if n > 1 else ''} mixte{'s' if n > 1 else ''} laissé"
            f"{'s' if n > 1 else ''} de côté, aucun membre identifié (ni commune, ni EPCI, ni groupement "
            f"connu, ni département ou région) : {exemples}"
        )
        return
    masque = np.zeros(len(lignes), dtype=bool)
    details = np.full(len(lignes), None, dtype=object)
    for siren, positions in resultat.vides.items():
        masque[positions] = True
        nom = lignes["nom_du_groupement"].iloc[positions[0]]
        for p in positions:
            raison = resultat.raisons.get(p, "groupement dont aucun membre n'est identifié")
            details[p] = f"syndicat {siren} {nom} ; ce membre : {raison}"
    ctx.signaler(masque, colonne, lignes["siren_membre"], VIDE, details)


def _region(
    ctx: Contexte,
    types: pd.DataFrame,
    positions: np.ndarray,
    lignes: pd.DataFrame,
    perimetre: PerimetreRegional,
    entetes: dict[str, str],
) -> None:
    """A regional coordinator: every member in the région, no syndicat that has members elsewhere (its
    import would replace them); one error per line of the file, however many members it brought."""
    dehors = ~perimetre.membres_dans(types["niveau_membre"], types["code_membre"]).to_numpy()
    masque = np.zeros(len(lignes), dtype=bool)
    masque[positions[dehors]] = True
    ctx.signaler(
        masque,
        entetes["siren_membre"],
        lignes["siren_membre"],
        f"membre de syndicat hors de votre région ({perimetre.nom}) : {POUR_SA_REGION}",
    )
    debordants = np.zeros(len(lignes), dtype=bool)
    debordants[positions] = types["siren_syndicat"].isin(perimetre.syndicats_debordants).to_numpy()
    ctx.signaler(
        debordants & ~masque,
        entetes["n_siren"],
        lignes["n_siren"],
        f"syndicat ayant des membres hors de votre région ({perimetre.nom}) : son import remplacerait "
        "toute sa composition, ce que seule l'administration nationale peut faire",
    )


def _entete(types: pd.DataFrame, au: date | None, origine: str) -> list[str]:
    n = types["siren_syndicat"].nunique()
    quand = (
        f"périmètres au {date_courte(au)} (date tirée {origine})"
        if au
        else "périmètres sans date (ni colonne de date de référence, ni date dans le nom du fichier)"
    )
    return [
        f"Fichier BANATIC « périmètre des groupements » : {nombre(n)} syndicat{'s' if n > 1 else ''} "
        f"mixte{'s' if n > 1 else ''}, {nombre(len(types))} membre{'s' if len(types) > 1 else ''} "
        f"enregistré{'s' if len(types) > 1 else ''} ; {quand}"
    ]


def _non_utilise(tableau: Tableau, lignes: pd.DataFrame, sm: pd.Series) -> list[str]:
    """One sentence for the columns left unread, one for the groupements that are not syndicats mixtes."""
    phrases = []
    utiles = set(LIBELLES) | COLONNES_DATE
    ignorees = tableau.ignorees + [
        e for e, c in zip(tableau.entetes, tableau.donnees.columns, strict=True) if canonique(c) not in utiles
    ]
    if ignorees:
        exemples = ", ".join(f"« {e} »" for e in ignorees[:3]) + (" …" if len(ignorees) > 3 else "")
        phrases.append(
            f"{nombre(len(ignorees))} colonne{'s' if len(ignorees) > 1 else ''} du fichier non "
            f"utilisée{'s' if len(ignorees) > 1 else ''} (compétences, siège, présidence…) : {exemples}"
        )
    autres = lignes.loc[~sm & lignes["n_siren"].ne(""), ["n_siren", "nature_juridique"]]
    autres = autres.drop_duplicates("n_siren")
    if len(autres):
        natures = autres["nature_juridique"].replace("", "nature non renseignée").value_counts()
        detail = ", ".join(f"{nature} : {nombre(n)}" for nature, n in natures.items())
        debut = (
            "groupements qui ne sont pas des syndicats mixtes, non importés comme syndicats (membres d'un "
            "syndicat mixte, ce sont leurs propres membres qui comptent)"
            if len(autres) > 1
            else "groupement qui n'est pas un syndicat mixte, non importé comme syndicat (membre d'un "
            "syndicat mixte, ce sont ses propres membres qui comptent)"
        )
        phrases.append(f"{nombre(len(autres))} {debut} : {detail}")
    return phrases
