"""Points de vigilance: THE registry of the rules (key, label, rule in plain words with its thresholds,
default parameters and their bounds, severity) and their evaluation on the facts of each laureate.

Pure Python. The facts are one row per laureate (index: siren), read by dashboard.store.vigilance at a
reference date; each rule reads only its columns and, when one is missing (the module that provides it is
not there), is said « sans objet » with the reason, and gives no point. Each point: the rule, the
laureate, its figure (a number and its French text), a sentence, the money at stake (€, NaN when the rule
has none) and the extent (for the ranking among points of equal severity without money).

Ranking: severity (haute, moyenne, basse), then money at stake, then extent, then name.
Percent parameters are fractions 0–1 (as every rate of the project), shown as percents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dashboard.domain.formatage import date_courte, euros, nombre, pourcentage
from dashboard.domain.mois import ecart_mois

HAUTE, MOYENNE, BASSE = 1, 2, 3
GRAVITES = {HAUTE: "Haute", MOYENNE: "Moyenne", BASSE: "Basse"}
VAGUES_FAITS = (
    2019,
    2020,
)  # the per-wave columns of the facts (engagee_2019, versee_2019, date_convention_2019)
MIN_PAIRS = 3  # laureates with a rate in a (type, wave) group, below which there is no median to compare to

COLONNES_POINTS = [
    "regle",
    "siren",
    "nom",
    "type",
    "region",
    "gravite",
    "valeur",
    "chiffre",
    "detail",
    "montant_eur",
    "ampleur",
]


# --- Freshness levels of the State (< 6 / 6–12 / 12–18 / > 18 months) ---------------------------------


@dataclass(frozen=True)
class Fraicheur:
    cle: str
    libelle: str
    description: str


A_JOUR = Fraicheur("a_jour", "À jour", "moins de 6 mois")
A_SURVEILLER = Fraicheur("a_surveiller", "À surveiller", "de 6 à moins de 12 mois")
A_VERIFIER = Fraicheur("a_verifier", "À vérifier", "de 12 à 18 mois")
A_ACTUALISER = Fraicheur("a_actualiser", "À actualiser", "plus de 18 mois, ou aucun retour")
FRAICHEURS = (A_JOUR, A_SURVEILLER, A_VERIFIER, A_ACTUALISER)


def fraicheur(mois: float | None) -> Fraicheur:
    """The freshness level of data whose last return is `mois` whole months old (None or NaN: no return
    at all): < 6 « À jour », 6 to < 12 « À surveiller », 12 to 18 « À vérifier », > 18 « À actualiser »."""
    if mois is None or (isinstance(mois, float) and math.isnan(mois)):
        return A_ACTUALISER
    if mois < 6:
        return A_JOUR
    if mois < 12:
        return A_SURVEILLER
    if mois <= 18:
        return A_VERIFIER
    return A_ACTUALISER


def mois_depuis(dernier: date | None, reference: date) -> int | None:
    """Whole months from the month of the last return to the month of the reference date."""
    if dernier is None or pd.isna(dernier):
        return None
    return ecart_mois(pd.Timestamp(dernier).date(), reference)


def _decimales(valeur: float) -> int:
    """The fewest decimals (two at most) that write the value as it is to two decimals."""
    return next(d for d in (0, 1, 2) if round(float(valeur), d) == round(float(valeur), 2))


def nombre_court(valeur: float) -> str:
    """`0,5`, `0,25`, `3`: French decimals, no more than needed (two at most)."""
    return nombre(valeur, _decimales(valeur))


# --- Parameters and settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Parametre:
    cle: str
    libelle: str
    unite: str  # "€", "%", "mois", "×"
    defaut: float
    minimum: float
    maximum: float
    entier: bool = False

    def texte(self, valeur: float) -> str:
        """`5 000 €`, `50 %`, `3 mois`, `0,5`."""
        if self.unite == "%":
            return pourcentage(valeur, _decimales(valeur * 100))
        if self.unite == "€":
            return euros(valeur)
        if self.unite == "mois":
            return f"{nombre(valeur)} mois"
        return nombre_court(valeur)

    def bornes(self) -> str:
        return f"entre {self.texte(self.minimum)} et {self.texte(self.maximum)}"


@dataclass(frozen=True)
class Reglage:
    """A rule as set: on or off, and its parameters (every one, defaults filled in)."""

    cle: str
    active: bool
    parametres: Mapping[str, float]


@dataclass(frozen=True)
class Regle:
    cle: str
    libelle: str
    gabarit: str  # the rule in plain words, thresholds as {parametre}
    gravite: int
    parametres: tuple[Parametre, ...]
    colonnes: tuple[str, ...]  # the facts it reads
    evaluer: Callable[[pd.DataFrame, Mapping[str, float]], pd.DataFrame]
    sans_objet: str = ""  # why it may lack its facts (the module providing them)
    note: str = ""  # how it is computed, beyond the rule

    def en_clair(self, parametres: Mapping[str, float] | None = None) -> str:
        valeurs = {**self.defauts(), **(parametres or {})}
        return self.gabarit.format(**{p.cle: p.texte(valeurs[p.cle]) for p in self.parametres})

    def defauts(self) -> dict[str, float]:
        return {p.cle: p.defaut for p in self.parametres}

    def manquantes(self, faits: pd.DataFrame) -> list[str]:
        return [c for c in self.colonnes if c not in faits.columns]

    @property
    def libelle_gravite(self) -> str:
        return GRAVITES[self.gravite]


def _points(
    faits: pd.DataFrame, garde, valeur, chiffre, detail, montant=np.nan, ampleur=np.nan
) -> pd.DataFrame:
    """The points of the kept laureates: `valeur`, `montant`, `ampleur` arrays (or scalars) over all the
    facts; `chiffre` and `detail` functions of a row of the kept facts (with its `valeur`)."""
    garde = np.asarray(garde, dtype=bool)
    n = len(faits)
    choisis = faits[garde].assign(
        valeur=np.broadcast_to(np.asarray(valeur, dtype=float), n)[garde],
        montant_eur=np.broadcast_to(np.asarray(montant, dtype=float), n)[garde],
        ampleur=np.broadcast_to(np.asarray(ampleur, dtype=float), n)[garde],
    )
    lignes = [
        {
            "siren": siren,
            "nom": f.get("nom", siren),
            "type": f.get("type"),
            "region": f.get("region"),
            "valeur": f["valeur"],
            "chiffre": chiffre(f),
            "detail": detail(f),
            "montant_eur": f["montant_eur"],
            "ampleur": f["ampleur"],
        }
        for siren, f in choisis.iterrows()
    ]
    return pd.DataFrame(lignes, columns=[c for c in COLONNES_POINTS if c not in ("regle", "gravite")])


def _nombres(faits: pd.DataFrame, colonne: str) -> np.ndarray:
    return pd.to_numeric(faits[colonne], errors="coerce").to_numpy(dtype=float)


# --- The rules ---------------------------------------------------------------------------------------


def _expiration(faits: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    risque = _nombres(faits, "etat_risque_eur")
    return _points(
        faits,
        np.nan_to_num(risque, nan=-1) > p["seuil_eur"],
        risque,
        lambda f: euros(f["valeur"]),
        lambda f: f"{euros(f['valeur'])} de subvention de l'État à risque d'expiration (prévision).",
        montant=risque,
        ampleur=risque,
    )


def _sous_consommation(faits: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    part = _nombres(faits, "part_consommee")
    ecoulee = _nombres(faits, "part_fenetre_ecoulee")
    garde = (np.nan_to_num(part, nan=2) < p["seuil_part"]) & (np.nan_to_num(ecoulee) > p["fenetre_ecoulee"])
    engagee = _nombres(faits, "subvention_etat_engagee_eur") if "subvention_etat_engagee_eur" in faits else 0
    reste = np.clip(1 - part, 0, 1) * engagee

    def detail(f) -> str:
        fin = f.get("fin_fenetre")
        fin_texte = f", fin de la fenêtre le {date_courte(pd.Timestamp(fin).date())}" if _date(fin) else ""
        return (
            f"{pourcentage(f['valeur'])} de la subvention consommée, fenêtre écoulée à "
            f"{pourcentage(f['part_fenetre_ecoulee'])}{fin_texte}."
        )

    return _points(
        faits, garde, part, lambda f: pourcentage(f["valeur"]), detail, montant=reste, ampleur=1 - part
    )


def _date(valeur) -> bool:
    return valeur is not None and not pd.isna(valeur)


def _sans_retour(faits: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    """No return for `mois` months or more while the passes were valid (measured up to the end of their
    validity, or the reference date when earlier: a campaign that ended with its passes is not silent),
    passes still unredeemed; a laureate with orders and no return at all too."""
    silence = _nombres(faits, "mois_silence_validite")  # NaN: no return at all
    circulation = faits["pass_en_circulation"].fillna(False).to_numpy(dtype=bool)
    commandes = np.nan_to_num(_nombres(faits, "pass_commandes"))
    garde = circulation & (commandes > 0) & (np.isnan(silence) | (silence >= p["mois"]))
    ampleur = np.where(np.isnan(silence), 1000.0, silence)  # no return at all: the longest silence

    def chiffre(f) -> str:
        niveau = fraicheur(f["mois_sans_retour"]).libelle
        if pd.isna(f["valeur"]):
            return f"aucun retour · fraîcheur « {niveau} »"
        return f"{nombre(f['valeur'])} mois sans retour · fraîcheur « {niveau} »"

    def detail(f) -> str:
        fin = f.get("fin_validite")
        dernier = f.get("dernier_retour")
        if not _date(dernier):
            return "Aucune distribution ni utilisation enregistrée pour des pass commandés."
        texte = (
            f"Dernière distribution ou utilisation en {pd.Timestamp(dernier):%m/%Y} "
            f"({nombre(f['mois_sans_retour'])} mois avant la date de référence)"
        )
        if _date(fin) and pd.Timestamp(fin) < pd.Timestamp(f["date_reference"]):
            return (
                texte
                + f", alors que ses pass étaient valables jusqu'au {date_courte(pd.Timestamp(fin).date())}."
            )
        return texte + ", alors que ses pass sont encore valables."

    return _points(faits, garde, silence, chiffre, detail, ampleur=ampleur)


def mediane_des_pairs(faits: pd.DataFrame) -> pd.Series:
    """The median redemption rate of each laureate's group (same type, same wave), over the laureates of
    the group with a rate and consistent data; NaN when fewer than MIN_PAIRS of them."""
    taux = pd.to_numeric(faits["taux_utilisation"], errors="coerce")
    valides = taux.where(~faits["donnees_incoherentes"].fillna(False).astype(bool))
    groupes = [faits["type"].astype(object), faits["vague"].astype(object)]
    medianes = valides.groupby(groupes, dropna=False).transform("median")
    effectifs = valides.groupby(groupes, dropna=False).transform("count")
    return medianes.where(effectifs >= MIN_PAIRS)


def _utilisation_faible(faits: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    taux = _nombres(faits, "taux_utilisation")
    mediane = mediane_des_pairs(faits).to_numpy(dtype=float)
    incoherent = faits["donnees_incoherentes"].fillna(False).to_numpy(dtype=bool)
    garde = ~incoherent & (np.nan_to_num(taux, nan=np.inf) < p["facteur"] * np.nan_to_num(mediane, nan=-1))
    faits = faits.assign(_mediane=mediane)
    return _points(
        faits,
        garde,
        taux,
        lambda f: pourcentage(f["valeur"]),
        lambda f: (
            f"Taux d'utilisation {pourcentage(f['valeur'])} pour une médiane de {pourcentage(f['_mediane'])} "
            f"des lauréats de même type et de la vague {_vague(f.get('vague'))}."
        ),
        ampleur=1 - taux / np.where(mediane > 0, mediane, np.nan),
    )


def _vague(valeur) -> str:
    return str(int(valeur)) if _date(valeur) else "—"


def _entonnoir_incoherent(faits: pd.DataFrame, _p: Mapping[str, float]) -> pd.DataFrame:
    commandes, distribues, utilises = (
        _nombres(faits, c) for c in ("pass_commandes", "pass_distribues", "pass_utilises")
    )
    garde = faits["donnees_incoherentes"].fillna(False).to_numpy(dtype=bool)
    exces = np.maximum(utilises - distribues, distribues - commandes)

    def detail(f) -> str:
        morceaux = []
        if f["pass_utilises"] > f["pass_distribues"]:
            morceaux.append(
                f"{nombre(f['pass_utilises'])} pass utilisés pour {nombre(f['pass_distribues'])} distribués"
            )
        if f["pass_distribues"] > f["pass_commandes"]:
            morceaux.append(
                f"{nombre(f['pass_distribues'])} pass distribués pour {nombre(f['pass_commandes'])} commandés"
            )
        return (" ; ".join(morceaux) or "Données incohérentes") + " : aucun taux n'est calculé."

    return _points(
        faits, garde, exces, lambda f: f"{nombre(f['valeur'])} pass en trop", detail, ampleur=exces
    )


def _subvention_non_versee(faits: pd.DataFrame, p: Mapping[str, float]) -> pd.DataFrame:
    """Per wave: a convention signed at least `mois` months before the reference date whose subsidy is
    paid below the threshold; the laureate's point sums its waves."""
    reference = faits["date_reference"]
    n = len(faits)
    engagee_tot, versee_tot = np.zeros(n), np.zeros(n)
    vagues: list[list[str]] = [[] for _ in range(n)]
    for v in VAGUES_FAITS:
        if f"engagee_{v}" not in faits:
            continue
        engagee = np.nan_to_num(_nombres(faits, f"engagee_{v}"))
        versee = np.nan_to_num(_nombres(faits, f"versee_{v}"))
        anciennete = np.array(
            [
                ecart_mois(pd.Timestamp(d).date(), pd.Timestamp(r).date()) if _date(d) and _date(r) else -1
                for d, r in zip(faits[f"date_convention_{v}"], reference, strict=True)
            ]
        )
        garde = (engagee > 0) & (anciennete >= p["mois"]) & (versee < p["seuil_part"] * engagee)
        engagee_tot += np.where(garde, engagee, 0)
        versee_tot += np.where(garde, versee, 0)
        for i in np.flatnonzero(garde):
            vagues[i].append(
                f"vague {v} : {euros(versee[i])} versés sur {euros(engagee[i])} "
                f"({pourcentage(versee[i] / engagee[i])}), convention du "
                f"{date_courte(pd.Timestamp(faits[f'date_convention_{v}'].iloc[i]).date())}"
            )
    garde = engagee_tot > 0
    part = np.divide(versee_tot, engagee_tot, out=np.full(n, np.nan), where=garde)
    faits = faits.assign(_vagues=[_majuscule(" ; ".join(v) + ".") for v in vagues])
    return _points(
        faits,
        garde,
        part,
        lambda f: f"{pourcentage(f['valeur'])} versé",
        lambda f: f["_vagues"],
        montant=engagee_tot - versee_tot,
        ampleur=1 - part,
    )


def _majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


PREVISION = "la prévision de l'argent à risque n'est pas encore disponible"
ENVELOPPES = "la consommation des enveloppes n'est pas encore disponible"

REGLES: tuple[Regle, ...] = (
    Regle(
        "expiration",
        "Argent de l'État à risque d'expiration",
        "La prévision d'argent de l'État à risque d'expiration (pass qui expireront sans être utilisés) "
        "dépasse {seuil_eur}.",
        HAUTE,
        (Parametre("seuil_eur", "Seuil", "€", 5000, 0, 10_000_000),),
        ("etat_risque_eur",),
        _expiration,
        sans_objet=PREVISION,
        note="Montant en jeu : l'argent à risque prévu.",
    ),
    Regle(
        "sous_consommation",
        "Subvention sous-consommée",
        "Moins de {seuil_part} de la subvention consommée alors que la fenêtre de la convention est "
        "écoulée à plus de {fenetre_ecoulee}.",
        HAUTE,
        (
            Parametre("seuil_part", "Part consommée", "%", 0.75, 0, 1),
            Parametre("fenetre_ecoulee", "Fenêtre écoulée", "%", 0.75, 0, 1),
        ),
        ("part_consommee", "part_fenetre_ecoulee", "fin_fenetre"),
        _sous_consommation,
        sans_objet=ENVELOPPES,
        note="Montant en jeu : la subvention engagée non consommée.",
    ),
    Regle(
        "subvention_non_versee",
        "Subvention engagée peu versée",
        "Moins de {seuil_part} de la subvention engagée d'une convention versé, {mois} ou plus après la "
        "date de la convention.",
        MOYENNE,
        (
            Parametre("seuil_part", "Part versée", "%", 0.5, 0, 1),
            Parametre("mois", "Délai après la convention", "mois", 12, 0, 120, entier=True),
        ),
        (
            "date_reference",
            *(f"{c}_{v}" for v in VAGUES_FAITS for c in ("engagee", "versee", "date_convention")),
        ),
        _subvention_non_versee,
        note=(
            "Par convention (vague), puis additionné pour le lauréat. Les versements ne sont pas datés : la "
            "règle lit le montant versé connu à la date des données. Montant en jeu : la subvention "
            "engagée non versée des conventions retenues."
        ),
    ),
    Regle(
        "sans_retour",
        "Aucun retour récent",
        "Aucune distribution ni utilisation pendant {mois} ou plus alors que les pass commandés étaient "
        "encore valables (et pas tous utilisés).",
        MOYENNE,
        (Parametre("mois", "Mois sans retour", "mois", 3, 1, 60, entier=True),),
        (
            "mois_silence_validite",
            "mois_sans_retour",
            "pass_en_circulation",
            "pass_commandes",
            "dernier_retour",
            "fin_validite",
            "date_reference",
        ),
        _sans_retour,
        note=(
            "Mois comptés du mois du dernier retour au mois où les pass ont cessé d'être valables (la date "
            "de référence s'ils le sont encore) : une campagne terminée avec la validité de ses pass n'est "
            "pas silencieuse. Fraîcheur (du dernier retour à la date de référence) : "
            + " ; ".join(f"« {f.libelle} » {f.description}" for f in FRAICHEURS)
            + ". Classement : les plus longs silences d'abord."
        ),
    ),
    Regle(
        "entonnoir_incoherent",
        "Données incohérentes",
        "Les fichiers du lauréat déclarent plus de pass utilisés que distribués, ou distribués que "
        "commandés.",
        MOYENNE,
        (),
        ("donnees_incoherentes", "pass_commandes", "pass_distribues", "pass_utilises"),
        _entonnoir_incoherent,
        note="Ses taux ne sont pas calculés ; il est tenu hors des médianes et des classements.",
    ),
    Regle(
        "utilisation_faible",
        "Utilisation faible",
        "Taux d'utilisation inférieur à {facteur} fois la médiane des lauréats de même type et de même "
        "vague.",
        BASSE,
        (Parametre("facteur", "Facteur de la médiane", "×", 0.5, 0, 1),),
        ("taux_utilisation", "donnees_incoherentes", "type", "vague"),
        _utilisation_faible,
        note=(
            "Taux d'utilisation = pass utilisés ÷ pass distribués jusqu'à la date de référence. Vague : "
            "celle de la première convention du lauréat. Médiane sur les lauréats du groupe (lui compris) "
            f"qui ont un taux et des données cohérentes, à partir de {MIN_PAIRS} lauréats."
        ),
    ),
)
PAR_CLE = {r.cle: r for r in REGLES}


def regle(cle: str) -> Regle:
    try:
        return PAR_CLE[cle]
    except KeyError:
        raise ValueError(f"Règle de vigilance inconnue « {cle} ».") from None


def reglages_par_defaut() -> dict[str, Reglage]:
    return {r.cle: Reglage(r.cle, True, r.defauts()) for r in REGLES}


def valider_parametres(cle: str, parametres: Mapping[str, object]) -> dict[str, float]:
    """The rule's parameters, every one (defaults filled in), checked: a number within its bounds, a
    whole number where it must be; ValueError with a French message otherwise."""
    r = regle(cle)
    connus = {p.cle: p for p in r.parametres}
    inconnus = [c for c in parametres if c not in connus]
    if inconnus:
        raise ValueError(f"Paramètre inconnu pour la règle « {r.libelle} » : {', '.join(inconnus)}.")
    valeurs = r.defauts()
    for c, brut in parametres.items():
        p = connus[c]
        valeur = lire_nombre(brut)
        if valeur is None:
            raise ValueError(f"{p.libelle} (« {r.libelle} ») : « {brut} » n'est pas un nombre.")
        if not p.minimum <= valeur <= p.maximum:
            raise ValueError(f"{p.libelle} (« {r.libelle} ») : {p.texte(valeur)} n'est pas {p.bornes()}.")
        if p.entier and not float(valeur).is_integer():
            raise ValueError(f"{p.libelle} (« {r.libelle} ») : un nombre entier de mois est attendu.")
        valeurs[c] = int(valeur) if p.entier else float(valeur)
    return valeurs


def lire_nombre(brut) -> float | None:
    if isinstance(brut, bool):
        return None
    if isinstance(brut, int | float):
        return None if math.isnan(brut) or math.isinf(brut) else float(brut)
    if isinstance(brut, str):
        texte = brut.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            valeur = float(texte)
        except ValueError:
            return None
        return None if math.isnan(valeur) or math.isinf(valeur) else valeur
    return None


# --- Evaluation, ranking, what is new ------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    points: pd.DataFrame  # COLONNES_POINTS, ranked
    sans_objet: dict[str, str] = field(default_factory=dict)  # rule key → why it gives no point
    reglages: Mapping[str, Reglage] = field(default_factory=dict)


def evaluer(faits: pd.DataFrame, reglages: Mapping[str, Reglage] | None = None) -> Evaluation:
    """Every active rule on the facts, its points ranked; the rules lacking their facts said so."""
    reglages = {**reglages_par_defaut(), **(reglages or {})}
    morceaux, sans_objet = [], {}
    for r in REGLES:
        reglage = reglages[r.cle]
        if not reglage.active:
            continue
        manquantes = r.manquantes(faits)
        if manquantes:
            if r.sans_objet or not faits.empty:  # no laureate at all: nothing to say but that
                sans_objet[r.cle] = r.sans_objet or f"colonnes absentes : {', '.join(manquantes)}"
            continue
        points = r.evaluer(faits, {**r.defauts(), **reglage.parametres})
        if not points.empty:
            morceaux.append(points.assign(regle=r.cle, gravite=r.gravite))
    return Evaluation(classer(_concat(morceaux)), sans_objet, reglages)


def _concat(morceaux: list[pd.DataFrame]) -> pd.DataFrame:
    if not morceaux:
        return pd.DataFrame(columns=COLONNES_POINTS)
    return pd.concat(morceaux, ignore_index=True)[COLONNES_POINTS]


def classer(points: pd.DataFrame) -> pd.DataFrame:
    """Severity first (haute, moyenne, basse), then the money at stake, then the extent (largest first,
    unknown last), then the name and the rule: a stable order."""
    if points.empty:
        return points.reset_index(drop=True)
    cles = points.assign(
        _montant=-pd.to_numeric(points["montant_eur"], errors="coerce").fillna(-np.inf),
        _ampleur=-pd.to_numeric(points["ampleur"], errors="coerce").fillna(-np.inf),
    )
    ordre = cles.sort_values(["gravite", "_montant", "_ampleur", "nom", "regle"], kind="stable").index
    return points.loc[ordre].reset_index(drop=True)


def cles_points(points: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(points["regle"], points["siren"], strict=True))


def nouveaux(points_maintenant: pd.DataFrame, points_au_comite: pd.DataFrame) -> pd.DataFrame:
    """The points of now that were not points at the committee (same rule, same laureate)."""
    anciens = cles_points(points_au_comite)
    garde = [
        (r, s) not in anciens
        for r, s in zip(points_maintenant["regle"], points_maintenant["siren"], strict=True)
    ]
    return points_maintenant[np.asarray(garde, dtype=bool)]


def marquer_nouveaux(points_maintenant: pd.DataFrame, points_au_comite: pd.DataFrame | None) -> pd.DataFrame:
    """The points with a column `nouveau` (False for all when there is no committee to compare to)."""
    if points_au_comite is None:
        return points_maintenant.assign(nouveau=False)
    anciens = cles_points(points_au_comite)
    return points_maintenant.assign(
        nouveau=[
            (r, s) not in anciens
            for r, s in zip(points_maintenant["regle"], points_maintenant["siren"], strict=True)
        ]
    )
