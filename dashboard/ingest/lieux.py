"""`passnum import lieux`: the lieux de médiation numérique, from the national standard (v0.1, v0.2) or
data·inclusion's services, in CSV, XLSX or JSON (a list of objects); the format is told by the headers.

A place accepts the Pass numérique when the file says so in one of the ways these formats have: v0.1
`conditions_acces` "Accepte le Pass numérique", the APTIC label (v0.1 `labels_nationaux`, v0.2
`formations_labels`), v0.2 `dispositif_programmes_nationaux` "Pass numérique", data·inclusion `frais`
`pass-numerique`; `motif_pass` says which. Its commune comes from `code_insee` (any vintage, resolved to
today's commune) or else from its postcode and name. An import adds the new places and updates the known
ones (same identifiant) unless the database holds a more recent update of them; places absent from the
file stay. Other columns of the formats are ignored silently.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from dashboard.domain.formatage import nombre
from dashboard.domain.progression import Progression
from dashboard.domain.texte import sans_accents
from dashboard.ingest import valeurs as v
from dashboard.ingest.codes_postaux import PAR_DEPARTEMENT, CommunesParNom
from dashboard.ingest.communes import CodesCommunes, informations, resoudre
from dashboard.ingest.ecriture import upsert
from dashboard.ingest.lecture import (
    FichierIllisible,
    Limites,
    Tableau,
    decoder,
    lire_fichier,
    normaliser_entete,
    verifier_cellules,
)
from dashboard.ingest.perimetre import PerimetreRegional
from dashboard.ingest.rapport import Anomalie, Collecteur, RapportImport
from dashboard.store.schema import Lieu

KIND = "lieux"
FORMATS = {
    "v0.1": "Standard des lieux de médiation numérique v0.1",
    "v0.2": "Standard des lieux de médiation numérique v0.2",
    "data·inclusion": "data·inclusion, schéma des services",
}
# Columns only one format has (normalised headers): what tells the format.
MARQUES_V02 = frozenset(
    {
        "frais_a_charge",
        "dispositif_programmes_nationaux",
        "formations_labels",
        "autres_formations_labels",
        "modalites_acces",
        "modalite_acces",
        "itinerance",
        "publics_specifiquement_adresses",
        "prise_en_charge_specifique",
        "fiche_acces_libre",
        "courriels",
    }
)
MARQUES_V01 = frozenset(
    {"pivot", "conditions_acces", "labels_nationaux", "labels_autres", "publics_accueillis", "accessibilite"}
)
MARQUES_DATA_INCLUSION = frozenset(
    {"structure_id", "frais", "frais_precisions", "thematiques", "modes_accueil", "zone_eligibilite", "types"}
)
OBLIGATOIRES = ("id", "nom")
# Where a place says it accepts the Pass: column → (how its cell splits, the reason stored).
SIGNES_PASS = {
    "conditions_acces": (r"[;|]", "conditions d'accès"),
    "frais_a_charge": (r"[;|]", "frais à charge"),
    "dispositif_programmes_nationaux": (r"[;|,]", "dispositif Pass numérique"),
    "frais": (r"[;|,]", "frais « pass-numerique »"),
}
COLONNES_LABELS = ("labels_nationaux", "formations_labels", "autres_formations_labels", "labels_autres")
MOTIF_APTIC = "label APTIC"
COLONNES_DISPOSITIFS = ("dispositif_programmes_nationaux",)
LONGUEURS = {"id": 200, "nom": 300}
TRONQUES = {"commune": 200, "adresse": 400, "labels": 400}
DATE_DE_REPLI = pd.Timestamp("1970-01-01")  # what failed conversions publish (measured in the national file)
RNA = re.compile(r"W\d{9}")
COLONNES_LIEU = (
    "identifiant",
    "format",
    "pivot",
    "siret",
    "nom",
    "code_commune",
    "code_commune_brut",
    "code_postal",
    "commune",
    "adresse",
    "latitude",
    "longitude",
    "accepte_pass",
    "motif_pass",
    "labels",
    "date_maj",
)


# --- Reading -----------------------------------------------------------------------------------------


def lire(contenu: bytes, limites: Limites | None = None) -> Tableau:
    """CSV and XLSX through the common reader; JSON (a list of objects, or {"items": [...]}) here."""
    limites = limites or Limites()
    debut = contenu.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if debut in (b"[", b"{"):
        return _lire_json(contenu, limites)
    return lire_fichier(contenu, KIND, limites=limites)


def _lire_json(contenu: bytes, limites: Limites) -> Tableau:
    texte, encodage = decoder(contenu)
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        raise FichierIllisible(
            f"JSON illisible : syntaxe invalide ligne {exc.lineno}, colonne {exc.colno}"
        ) from None
    if isinstance(donnees, dict):
        donnees = next((donnees[c] for c in ("items", "data", "results", "lieux") if c in donnees), None)
    if not isinstance(donnees, list):
        raise FichierIllisible("JSON : une liste d'objets (un par lieu ou par service) attendue")
    limites.verifier_lignes(len(donnees))
    entetes: dict[str, str] = {}
    for rang, objet in enumerate(donnees, start=1):
        if not isinstance(objet, dict):
            raise FichierIllisible(f"JSON : l'élément n° {rang} de la liste n'est pas un objet")
        for cle in objet:
            entetes.setdefault(str(cle), normaliser_entete(cle))
        limites.verifier_colonnes(len(entetes))
    limites.verifier_cellules(len(donnees), len(entetes))
    if not donnees:
        raise FichierIllisible("fichier vide (liste JSON sans objet)")
    normalises = list(entetes.values())
    doubles = sorted({n for n in normalises if normalises.count(n) > 1})
    if doubles:
        raise FichierIllisible(f"JSON : clés présentes sous plusieurs écritures : {', '.join(doubles)}")
    colonnes = {
        normalise: [_texte_json(objet.get(cle)) for objet in donnees] for cle, normalise in entetes.items()
    }
    description = f"JSON {encodage}, {nombre(len(donnees))} objets (le n° de ligne est le rang de l'objet)"
    tableau = pd.DataFrame(colonnes, dtype=object)
    verifier_cellules(tableau, np.arange(1, len(donnees) + 1), limites)
    return Tableau(tableau, np.arange(1, len(donnees) + 1), list(entetes), description)


def _texte_json(valeur: object) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "true" if valeur else "false"
    if isinstance(valeur, list):
        return ";".join(t for t in (_texte_json(x) for x in valeur) if t)
    if isinstance(valeur, dict):
        return json.dumps(valeur, ensure_ascii=False)
    return str(valeur).strip()


def detecter_format(colonnes: set[str]) -> str | None:
    """ "v0.1", "v0.2" or "data·inclusion" from the normalised headers; None when none fits."""
    if colonnes & MARQUES_DATA_INCLUSION and "pivot" not in colonnes:
        return "data·inclusion"
    if colonnes & MARQUES_V02:
        return "v0.2"
    if colonnes & MARQUES_V01 or colonnes & {"code_insee", "code_postal", "commune"}:
        return "v0.1"
    return None


# --- Validation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceLieux:
    """What a lieux file is checked against: commune codes of every vintage, names by postcode."""

    codes: CodesCommunes
    noms: CommunesParNom

    @classmethod
    def lire(cls, connection: Connection, codes: CodesCommunes) -> ReferenceLieux:
        return cls(codes, CommunesParNom.lire(connection))


@dataclass
class Verification:
    tableau: Tableau
    erreurs: Collecteur
    informations: list[str] = field(default_factory=list)
    format: str | None = None

    def signaler(self, masque, colonne: str | None, valeurs, motif: str, details=None) -> None:
        self.erreurs.ajouter_masque(masque, self.tableau.lignes, colonne, valeurs, motif, details)

    def dire(self, masque: pd.Series, phrase: str) -> None:
        """An information sentence "12 lieux : …" when the mask holds any line."""
        n = int(np.asarray(masque, dtype=bool).sum())
        if n:
            self.informations.append(f"{nombre(n)} lieu{'x' if n > 1 else ''} : {phrase}")


def verifier_colonnes(tableau: Tableau, erreurs: Collecteur) -> str | None:
    """The format of the file, or None (with the anomaly) when it cannot be read as a list of places."""
    presentes = list(tableau.donnees.columns)
    for nom in sorted({c for c in presentes if presentes.count(c) > 1}):
        erreurs.ajouter(Anomalie(1, nom, None, "colonne présente plusieurs fois"))
    trouvees = ", ".join(f"« {e} »" for e in tableau.entetes) or "aucune"
    manquantes = [c for c in OBLIGATOIRES if c not in presentes]
    if manquantes:
        pluriel = "s" if len(manquantes) > 1 else ""
        motif = f"colonne{pluriel} obligatoire{pluriel} absente{pluriel} : {', '.join(manquantes)}"
        erreurs.ajouter(Anomalie(1, None, None, motif, f"en-têtes trouvés : {trouvees}"))
        return None
    format_ = detecter_format(set(presentes))
    if format_ is None:
        erreurs.ajouter(
            Anomalie(
                1,
                None,
                None,
                "format non reconnu : ni le standard des lieux de médiation numérique (v0.1, v0.2), ni "
                "le schéma des services de data·inclusion (aucune colonne de commune ni colonne propre à "
                "un format)",
                f"en-têtes trouvés : {trouvees}",
            )
        )
        return None
    return None if erreurs else format_


def valider(
    tableau: Tableau,
    reference: ReferenceLieux,
    erreurs: Collecteur,
    aujourd_hui: date,
    perimetre: PerimetreRegional | None = None,
) -> tuple[pd.DataFrame | None, list[str]]:
    """The rows of table `lieu` (one per place) and the information sentences; errors go to `erreurs`."""
    format_ = verifier_colonnes(tableau, erreurs)
    if format_ is None:
        return None, []
    if tableau.donnees.empty:
        erreurs.ajouter(Anomalie(None, None, None, "aucune ligne de données sous la ligne d'en-tête"))
        return None, []
    ver = Verification(tableau, erreurs, [f"Format reconnu : {FORMATS[format_]}."], format_)
    brut = tableau.donnees
    texte = lambda c: brut[c] if c in brut else pd.Series("", index=brut.index, dtype=object)  # noqa: E731
    lieux = pd.DataFrame(index=brut.index)
    lieux["format"] = format_
    lieux["identifiant"] = _identifiants(ver, texte, format_)
    lieux["nom"] = _obligatoire(ver, texte("nom"), "nom")
    lieux["pivot"], lieux["siret"] = _pivots(ver, texte("siret" if format_ == "data·inclusion" else "pivot"))
    lieux["code_commune"], lieux["code_commune_brut"], lieux["code_postal"] = _communes(ver, texte, reference)
    for nom in ("commune", "adresse"):
        lieux[nom] = texte(nom).where(texte(nom) != "", None)
    lieux["latitude"] = _coordonnee(ver, texte("latitude"), "latitude", 90)
    lieux["longitude"] = _coordonnee(ver, texte("longitude"), "longitude", 180)
    lieux["date_maj"] = _dates(ver, texte("date_maj"), aujourd_hui)
    lieux["accepte_pass"], lieux["motif_pass"] = _pass(brut)
    lieux["labels"] = _labels(brut)
    if perimetre is not None:
        ver.signaler(
            lieux["code_commune"].notna() & ~lieux["code_commune"].isin(perimetre.communes),
            "code_insee",
            texte("code_insee"),
            f"lieu hors de votre région ({perimetre.nom}) : un coordinateur régional n'importe que les lieux "
            "de sa région",
        )
        ver.signaler(
            lieux["identifiant"].isin(perimetre.lieux_hors),
            "id",
            lieux["identifiant"],
            f"lieu déjà connu hors de votre région ({perimetre.nom}) : le déplacer ou le modifier revient à "
            "l'équipe nationale",
        )
    if erreurs:
        return None, ver.informations
    lieux = _regrouper_services(ver, lieux) if format_ == "data·inclusion" else lieux
    _tronquer(ver, lieux)
    acceptent = lieux["accepte_pass"]
    ver.informations.append(
        f"{nombre(int(acceptent.sum()))} lieu{'x' if acceptent.sum() > 1 else ''} acceptant le Pass "
        f"numérique sur {nombre(len(lieux))} ({_motifs_en_clair(lieux)})."
    )
    lieux = lieux[list(COLONNES_LIEU)].reset_index(drop=True).astype(object)
    return lieux.where(lieux.notna(), None), ver.informations


def valider_pour(
    rapport: RapportImport,
    tableau: Tableau,
    reference: ReferenceLieux,
    erreurs: Collecteur,
    aujourd_hui: date,
    perimetre: PerimetreRegional | None = None,
) -> pd.DataFrame | None:
    """`valider` for the importer: the format said after how the file was read, the sentences told."""
    lieux, infos = valider(tableau, reference, erreurs, aujourd_hui, perimetre)
    format_ = detecter_format(set(tableau.donnees.columns))
    if format_ is not None:
        rapport.description = f"{rapport.description} ; {FORMATS[format_]}".lstrip(" ;")
    rapport.informations += infos[1:]  # the format is in the description
    return lieux


def _obligatoire(ver: Verification, serie: pd.Series, colonne: str) -> pd.Series:
    ver.signaler(serie.eq(""), colonne, None, "valeur obligatoire manquante")
    longueur = LONGUEURS.get(colonne)
    if longueur:
        ver.signaler(
            serie.str.len().gt(longueur), colonne, serie, f"texte trop long ({longueur} caractères au plus)"
        )
    return serie


def _identifiants(ver: Verification, texte, format_: str) -> pd.Series:
    """The source's id, unique in the file. A data·inclusion file lists services: those of one structure
    (`structure_id`, within its `source`) are one place."""
    ids = texte("id")
    _obligatoire(ver, ids, "id")
    premieres = pd.Series(ver.tableau.lignes, index=ids.index).groupby(ids).transform("min")
    doubles = ids.ne("") & ids.duplicated(keep="first")
    ver.signaler(doubles, "id", ids, "identifiant en double", [f"déjà à la ligne {p}" for p in premieres])
    if format_ != "data·inclusion":
        return ids
    structure, source = texte("structure_id"), texte("source")
    cle = structure.where(source.eq(""), source + ":" + structure)
    identifiants = cle.where(structure.ne(""), ids)
    ver.signaler(
        identifiants.str.len().gt(200),
        "structure_id",
        structure,
        "identifiant trop long (200 caractères au plus)",
    )
    return identifiants


def _pivots(ver: Verification, pivots: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The pivot as written (SIRET or RNA), and the SIRET when it is 14 digits with a valid key."""
    sirets, invalides = v.lire_identifiants(pivots, 14)
    remplissage = sirets.fillna("").str.fullmatch(r"0{14}")
    rna = pivots.str.upper().str.replace(r"\s", "", regex=True).str.fullmatch(RNA.pattern)
    ver.dire(remplissage, "pivot « 00000000000000 » (valeur de remplissage) ignoré")
    ver.dire(rna, "pivot RNA (W + 9 chiffres) gardé comme pivot, sans SIRET")
    ver.dire(
        invalides & ~rna,
        "pivot ni SIRET valide (14 chiffres, clé de Luhn) ni RNA : gardé tel quel, sans SIRET",
    )
    sirets = sirets.where(~invalides & ~remplissage, None)
    return pivots.str.slice(0, 20).where(pivots.ne("") & ~remplissage, None), sirets


def _communes(ver: Verification, texte, reference: ReferenceLieux) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Today's commune from code_insee (any vintage), else from the postcode and the commune's name."""
    code_insee = v.completer_code(texte("code_insee").str.upper().str.replace(r"\s", "", regex=True), 5)
    resolution = resoudre(code_insee, reference.codes)
    ver.informations.extend(informations(resolution, reference.codes, "code_insee"))
    codes_postaux = v.completer_code(texte("code_postal").str.replace(r"\s", "", regex=True), 5)
    codes_postaux = codes_postaux.where(codes_postaux.str.fullmatch(r"[0-9]{5}"), None)
    codes = resolution.codes.where(~resolution.inconnus & code_insee.ne(""), None)
    a_chercher = codes.isna()
    noms = texte("commune")
    paires = pd.DataFrame({"cp": codes_postaux.fillna(""), "nom": noms})[a_chercher]
    trouves = {p: reference.noms.trouver(*p) for p in set(paires.itertuples(index=False, name=None))}
    resultats = [trouves[p] for p in paires.itertuples(index=False, name=None)]
    par_nom = pd.Series([r[0] for r in resultats], index=paires.index, dtype=object)
    raisons = pd.Series([r[1] for r in resultats], index=paires.index, dtype=object)
    codes = codes.where(~a_chercher, par_nom.reindex(codes.index))
    inconnu = a_chercher & resolution.inconnus & code_insee.ne("")
    ver.dire(inconnu & codes.notna(), "code_insee inconnu, commune retrouvée par le code postal et le nom")
    ver.dire(
        a_chercher & ~inconnu & codes.notna(), "sans code_insee, commune trouvée par le code postal et le nom"
    )
    ver.dire(raisons.eq(PAR_DEPARTEMENT), f"{PAR_DEPARTEMENT} (code postal CEDEX ou erroné)")
    echec = codes.isna()
    raisons = raisons.reindex(codes.index)
    valeurs = code_insee.where(code_insee.ne(""), (codes_postaux.fillna("") + " " + noms).str.strip())
    valeurs = valeurs.where(valeurs.ne(""), None)
    details = np.where(inconnu, "code_insee inconnu de toutes les années depuis 2015", None)
    for raison in raisons[echec].dropna().unique():
        ver.signaler(echec & raisons.eq(raison), "commune", valeurs, raison, details)
    return codes, resolution.bruts.where(~a_chercher, None), codes_postaux


def _coordonnee(ver: Verification, serie: pd.Series, colonne: str, borne: float) -> pd.Series:
    """Degrees with a decimal point or comma ("47.218" is 47,218°, never a thousands dot here)."""
    lisibles = serie.str.replace(",", ".", regex=False).str.fullmatch(r"[+-]?[0-9]+(?:\.[0-9]+)?")
    nombres = pd.to_numeric(serie.str.replace(",", ".", regex=False).where(lisibles), errors="coerce")
    ver.signaler(serie.ne("") & ~lisibles, colonne, serie, f"{colonne} illisible (nombre de degrés attendu)")
    ver.signaler(
        nombres.abs().gt(borne), colonne, serie, f"{colonne} hors de [−{borne:g} ; {borne:g}] degrés"
    )
    return nombres.astype(float)


def _dates(ver: Verification, serie: pd.Series, aujourd_hui: date) -> pd.Series:
    dates, illisibles = v.lire_dates(serie)
    ver.signaler(
        illisibles,
        "date_maj",
        serie,
        "date illisible (formats acceptés : JJ/MM/AAAA, AAAA-MM-JJ, MM/AAAA ou AAAA-MM)",
    )
    ver.signaler(dates > pd.Timestamp(aujourd_hui), "date_maj", serie, "date de mise à jour dans le futur")
    repli = dates.eq(DATE_DE_REPLI)
    ver.dire(repli, "date de mise à jour 01/01/1970 (valeur de repli d'une conversion) lue comme absente")
    dates = dates.where(~repli)
    return pd.Series([d.date() if pd.notna(d) else None for d in dates], index=serie.index, dtype=object)


# --- Accepting the Pass --------------------------------------------------------------------------------


def _elements(cellule: str, separateurs: str) -> list[str]:
    """The values of a multi-valued cell, normalised: "Accepte le Pass numérique : …" → "accepte le pass
    numerique : …", "pass-numerique" → "pass numerique"."""
    return [
        re.sub(r"[\s\-_'’]+", " ", sans_accents(e)).strip()
        for e in re.split(separateurs, cellule)
        if e.strip()
    ]


def _accepte(colonne: str, element: str) -> bool:
    if colonne in ("conditions_acces", "frais_a_charge"):
        return element.startswith("accepte le pass numerique") or element == "pass numerique"
    if colonne == "frais":
        return element in ("pass numerique", "accepte le pass numerique") or element.startswith(
            "accepte le pass"
        )
    return "pass numerique" in element  # dispositif_programmes_nationaux


def _pass(brut: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether each place accepts the Pass, and why (the reasons joined by ", ")."""
    motifs = [[] for _ in range(len(brut))]
    for colonne, (separateurs, motif) in SIGNES_PASS.items():
        if colonne in brut:
            _marquer(motifs, brut[colonne], _signe_pass(colonne, separateurs), motif)
    for colonne in COLONNES_LABELS:
        if colonne in brut:
            _marquer(motifs, brut[colonne], _signe_aptic, MOTIF_APTIC)
    raisons = pd.Series([", ".join(dict.fromkeys(m)) or None for m in motifs], index=brut.index, dtype=object)
    return raisons.notna(), raisons


def _signe_pass(colonne: str, separateurs: str):
    return lambda cellule: any(_accepte(colonne, e) for e in _elements(cellule, separateurs))


def _signe_aptic(cellule: str) -> bool:
    return any(e.startswith("aptic") for e in _elements(cellule, r"[;|,]"))


def _marquer(motifs: list[list[str]], serie: pd.Series, teste, motif: str) -> None:
    distincts = {c: teste(c) for c in serie.unique() if c}
    for i, cellule in enumerate(serie.tolist()):
        if cellule and distincts[cellule]:
            motifs[i].append(motif)


def _labels(brut: pd.DataFrame) -> pd.Series:
    """National labels and programmes, ";"-joined in the order the file gives them."""
    colonnes = [c for c in (*COLONNES_LABELS[:3], *COLONNES_DISPOSITIFS) if c in brut]
    if not colonnes:
        return pd.Series(None, index=brut.index, dtype=object)
    valeurs = []
    for cellules in zip(*(brut[c].tolist() for c in colonnes), strict=True):
        elements = [e.strip() for cellule in cellules for e in re.split(r"[;|]", cellule) if e.strip()]
        valeurs.append(";".join(dict.fromkeys(elements)) or None)
    return pd.Series(valeurs, index=brut.index, dtype=object)


def _motifs_en_clair(lieux: pd.DataFrame) -> str:
    motifs = lieux["motif_pass"].dropna().str.split(", ").explode().value_counts()
    if motifs.empty:
        return "aucune mention du Pass numérique dans le fichier"
    return ", ".join(f"{m} : {nombre(int(n))}" for m, n in motifs.items())


def _regrouper_services(ver: Verification, lieux: pd.DataFrame) -> pd.DataFrame:
    """data·inclusion lists services: one place per structure, accepting the Pass if one service does."""
    if not lieux["identifiant"].duplicated().any():
        return lieux
    groupes = lieux.groupby("identifiant", sort=False)
    premiers = groupes.first()
    premiers["accepte_pass"] = groupes["accepte_pass"].any()
    premiers["motif_pass"] = groupes["motif_pass"].agg(
        lambda m: ", ".join(dict.fromkeys(x for v_ in m.dropna() for x in v_.split(", "))) or None
    )
    premiers["labels"] = groupes["labels"].agg(
        lambda m: ";".join(dict.fromkeys(x for v_ in m.dropna() for x in v_.split(";"))) or None
    )
    ver.informations.append(
        f"{nombre(len(lieux))} services regroupés en {nombre(len(premiers))} lieux (même structure_id)."
    )
    return premiers.reset_index()


def _tronquer(ver: Verification, lieux: pd.DataFrame) -> None:
    for colonne, longueur in TRONQUES.items():
        longs = lieux[colonne].fillna("").str.len().gt(longueur)
        if longs.any():
            lieux.loc[longs, colonne] = lieux.loc[longs, colonne].str.slice(0, longueur)
            ver.dire(longs, f"{colonne} tronqué à {longueur} caractères")


# --- Loading -----------------------------------------------------------------------------------------

ETATS = {
    "ajoute": ("ajouté", "ajoutés"),
    "mis_a_jour": ("mis à jour (même identifiant)", "mis à jour (même identifiant)"),
    "garde": ("gardé tel quel", "gardés tels quels"),
}


def charger(
    connection: Connection, lieux: pd.DataFrame, lot_id: int, avancer: Progression
) -> tuple[list[str], pd.DataFrame]:
    """Upsert by identifiant: new places added, known ones replaced by the file's description unless the
    database holds a strictly more recent `date_maj` for them; places absent from the file stay."""
    connus = dict(connection.execute(select(Lieu.identifiant, Lieu.date_maj)).all())
    etats = []
    for identifiant, date_maj in zip(lieux["identifiant"], lieux["date_maj"], strict=True):
        if identifiant not in connus:
            etats.append("ajoute")
        elif connus[identifiant] is not None and date_maj is not None and connus[identifiant] > date_maj:
            etats.append("garde")
        else:
            etats.append("mis_a_jour")
    lieux = lieux.assign(etat=etats)
    ecrits = lieux[lieux["etat"] != "garde"][list(COLONNES_LIEU)].assign(import_lot_id=lot_id)
    lignes = [
        {k: (None if isinstance(x, float) and math.isnan(x) else x) for k, x in ligne.items()}
        for ligne in ecrits.to_dict("records")
    ]
    upsert(connection, Lieu, lignes, ["identifiant"])
    avancer("chargement", len(lieux), len(lieux))
    return [], lieux


def bilan(lieux: pd.DataFrame) -> list[str]:
    """What the load did, said in the report and the journal: "5 lieux ajoutés, 1 mis à jour (même
    identifiant), 1 gardé tel quel (la base en a une mise à jour plus récente) ; …"."""
    comptes = lieux["etat"].value_counts()
    morceaux = []
    for etat, (un, plusieurs) in ETATS.items():
        n = int(comptes.get(etat, 0))
        if n:
            morceaux.append(f"{nombre(n)} {'lieu' if n == 1 else 'lieux'} {un if n == 1 else plusieurs}")
    phrase = ", ".join(morceaux)
    if comptes.get("garde", 0):
        phrase += " (la base en a une mise à jour plus récente)"
    return [phrase + " ; les lieux absents du fichier restent en base."]
