"""What `/vigilance` and the « Points de vigilance » block of each page show: the ranked points (filtered
by rule, région and laureate type), each with its rule, figure and link, « nouveau » since the last
committee; the rules as set, and for an administrator their settings (checked, confirmed, journaled)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from dashboard.domain import liens
from dashboard.domain import vigilance as domaine
from dashboard.domain.droits import REGLER_VIGILANCE, Principal
from dashboard.domain.filtres import Filtres
from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.vigilance import Parametre, Reglage
from dashboard.domain.vocabulaire import TYPES_PORTEUR, libelle_type
from dashboard.exports import Fichier, tableur
from dashboard.exports.estampille import entete
from dashboard.store import vigilance as store
from dashboard.store.donnees import COLONNE_NIVEAU, noms_regions
from dashboard.store.entites import Entite
from dashboard.store.indicateurs import laureats_et_perimetre
from dashboard.vues import Sources

TOUTES = ""  # the « all » option of a filter


@dataclass(frozen=True)
class FiltresVigilance:
    regle: str = TOUTES
    region: str = TOUTES
    type: str = TOUTES

    def parametres(self) -> dict[str, str]:
        return {c: v for c, v in (("regle", self.regle), ("region", self.region), ("type", self.type)) if v}


def adresse(filtres: FiltresVigilance) -> str:
    """`/vigilance?regle=sans_retour&region=53`: the list's permalink."""
    requete = urlencode(filtres.parametres())
    return "/vigilance" + (f"?{requete}" if requete else "")


def lire_filtres(
    parametres: Mapping[str, object], regions: Mapping[str, str] | None = None
) -> FiltresVigilance:
    """The filters of an address (`?regle=sans_retour&region=53&type=EPCI`); an unknown value is no
    filter."""

    def valeur(cle: str, permises) -> str:
        texte = parametres.get(cle)
        return texte if isinstance(texte, str) and texte in permises else TOUTES

    return FiltresVigilance(
        valeur("regle", domaine.PAR_CLE),
        valeur("region", regions if regions is not None else {}),
        valeur("type", TYPES_PORTEUR),
    )


@dataclass(frozen=True)
class RegleAffichee:
    regle: domaine.Regle
    reglage: Reglage
    en_clair: str
    nb_points: int
    sans_objet: str  # why it gives no point now ("" when it does give points)


@dataclass(frozen=True)
class VueVigilance:
    points: pd.DataFrame  # the filtered points, ranked (rang), with their texts and links
    total: int  # points before the filters
    comite: date | None
    nouveaux: int  # new points since the committee (before the filters)
    rappel_comite: str
    regles: list[RegleAffichee]
    regions: dict[str, str]  # code → name, the régions that have points
    filtres: FiltresVigilance
    peut_regler: bool


def rappel_comite(comite: date | None, nouveaux: int) -> str:
    """« Depuis le comité du 15/11/2023 : 3 nouveaux points. »"""
    if comite is None:
        return "Aucun comité enregistré : pas de points « nouveaux » à signaler."
    if nouveaux == 0:
        return f"Depuis le comité du {date_courte(comite)} : aucun nouveau point."
    pluriel = "nouveaux points" if nouveaux > 1 else "nouveau point"
    return f"Depuis le comité du {date_courte(comite)} : {nombre(nouveaux)} {pluriel}."


def _enrichir(
    points: pd.DataFrame, regions: Mapping[str, str], reglages: Mapping[str, Reglage]
) -> pd.DataFrame:
    """Rank, labels, the rule in plain words as set, link and names of the région and type of each
    point."""
    regles = domaine.PAR_CLE
    return points.assign(
        rang=range(1, len(points) + 1),
        libelle_regle=[regles[r].libelle for r in points["regle"]],
        libelle_gravite=[domaine.GRAVITES[g] for g in points["gravite"]],
        regle_en_clair=[regles[r].en_clair(reglages[r].parametres) for r in points["regle"]],
        chemin=[liens.chemin("porteur", s) for s in points["siren"]],
        nom_region=[regions.get(r, "—") if isinstance(r, str) else "—" for r in points["region"]],
        libelle_type=[
            libelle_type(t, pluriel=False, majuscule=True) if isinstance(t, str) else "—"
            for t in points["type"]
        ],
    )


def calculer(sources: Sources, filtres: FiltresVigilance, principal: Principal | None) -> VueVigilance:
    engine = sources.engine
    evaluation = store.evaluation(engine)
    comite = store.dernier_comite(engine)
    tous = store.avec_nouveaux(engine, evaluation, comite)
    noms = noms_regions(engine)
    tous = _enrichir(tous, noms, evaluation.reglages)
    filtres_points = _filtrer(tous, filtres)
    regles = [
        RegleAffichee(
            r,
            evaluation.reglages[r.cle],
            r.en_clair(evaluation.reglages[r.cle].parametres),
            int((tous["regle"] == r.cle).sum()),
            evaluation.sans_objet.get(r.cle, ""),
        )
        for r in domaine.REGLES
    ]
    presentes = sorted({r for r in tous["region"] if isinstance(r, str)}, key=lambda c: noms.get(c, c))
    return VueVigilance(
        points=filtres_points,
        total=len(tous),
        comite=comite,
        nouveaux=int(tous["nouveau"].sum()),
        rappel_comite=rappel_comite(comite, int(tous["nouveau"].sum())),
        regles=regles,
        regions={c: noms.get(c, c) for c in presentes},
        filtres=filtres,
        peut_regler=principal is not None and principal.peut(REGLER_VIGILANCE),
    )


def _filtrer(points: pd.DataFrame, filtres: FiltresVigilance) -> pd.DataFrame:
    garde = pd.Series(True, index=points.index)
    if filtres.regle:
        garde &= points["regle"] == filtres.regle
    if filtres.region:
        garde &= points["region"] == filtres.region
    if filtres.type:
        garde &= points["type"] == filtres.type
    return points[garde.to_numpy()].assign(rang=lambda t: range(1, len(t) + 1))


def filtres_en_clair(filtres: FiltresVigilance, regions: Mapping[str, str]) -> list[str]:
    textes = []
    if filtres.regle:
        textes.append(f"Règle : {domaine.PAR_CLE[filtres.regle].libelle}")
    if filtres.region:
        textes.append(f"Région : {regions.get(filtres.region, filtres.region)}")
    if filtres.type:
        textes.append(f"Type : {libelle_type(filtres.type, pluriel=True, majuscule=True)}")
    return textes


# --- The block of a territory's or laureate's page ----------------------------------------------------


def points_entite(sources: Sources, ent: Entite) -> pd.DataFrame:
    """The points of the laureate, or of the laureates whose perimeter covers part of the territory,
    ranked, with `nouveau` since the last committee."""
    engine = sources.engine
    evaluation = store.evaluation(engine)
    points = evaluation.points
    if ent.niveau == "porteur":
        sirens = {ent.code}
    else:
        _, perimetre = laureats_et_perimetre(engine, Filtres())
        sirens = set(perimetre.loc[perimetre[COLONNE_NIVEAU[ent.niveau]] == ent.code, "siren"].astype(str))
    evaluation = domaine.Evaluation(
        points[points["siren"].isin(sirens)].reset_index(drop=True),
        evaluation.sans_objet,
        evaluation.reglages,
    )
    tous = store.avec_nouveaux(engine, evaluation, store.dernier_comite(engine))
    return _enrichir(tous, noms_regions(engine), evaluation.reglages)


def lien_entite(ent: Entite, points: pd.DataFrame) -> str:
    """The list of /vigilance that holds the entity's points: filtered to the région of the territory,
    or of the laureate (the région the points give it: of most of its perimeter's population)."""
    region = ent.region if ent.niveau != "porteur" or points.empty else points["region"].iloc[0]
    return adresse(FiltresVigilance(region=region if isinstance(region, str) else TOUTES))


# --- Export -----------------------------------------------------------------------------------------------

COLONNES_EXPORT = [
    ("rang", "Rang"),
    ("libelle_gravite", "Gravité"),
    ("libelle_regle", "Règle"),
    ("nom", "Lauréat"),
    ("siren", "SIREN"),
    ("libelle_type", "Type"),
    ("nom_region", "Région"),
    ("chiffre", "Chiffre"),
    ("valeur", "Valeur"),
    ("montant_eur", "Montant en jeu (€)"),
    ("detail", "Détail"),
    ("regle_en_clair", "Règle en clair"),
    ("nouveau_texte", "Nouveau depuis le dernier comité"),
]


def exporter(sources: Sources, cle, format_: str, _nom: str) -> Fichier | None:
    """The filtered list (the filters of the page, `cle`), stamped."""
    if format_ not in ("csv", "xlsx"):
        return None
    noms = noms_regions(sources.engine)
    filtres = lire_filtres(cle if isinstance(cle, dict) else {}, noms)
    vue = calculer(sources, filtres, None)
    table = vue.points.assign(nouveau_texte=["oui" if n else "non" for n in vue.points["nouveau"]])
    precisions = filtres_en_clair(filtres, noms)
    if vue.comite:
        precisions.append(f"Nouveaux : depuis le comité du {date_courte(vue.comite)}")
    en_tete = entete(sources.engine, "Pass numérique — Points de vigilance", precisions)
    return tableur(format_, table, COLONNES_EXPORT, en_tete, ["vigilance"])


# --- Settings ---------------------------------------------------------------------------------------------


def saisie(p: Parametre, valeur: float) -> str:
    """The value as typed in its field: percents as percents (`50`), French decimals."""
    if p.unite == "%":
        valeur = round(valeur * 100, 6)
    return domaine.nombre_court(valeur).replace("\u202f", " ")


def lire_saisie(p: Parametre, texte) -> object:
    """The stored value of a typed one (percents back to fractions); the text as is when unreadable, for
    the check to say so."""
    valeur = domaine.lire_nombre(texte)
    if valeur is None:
        return texte if texte not in (None, "") else "(vide)"
    return valeur / 100 if p.unite == "%" else valeur


@dataclass(frozen=True)
class Modification:
    cle: str
    avant: Reglage
    apres: Reglage

    def texte(self) -> str:
        r = domaine.PAR_CLE[self.cle]
        morceaux = []
        if self.avant.active != self.apres.active:
            morceaux.append("activée" if self.apres.active else "désactivée")
        for p in r.parametres:
            a, b = self.avant.parametres[p.cle], self.apres.parametres[p.cle]
            if a != b:
                morceaux.append(f"{p.libelle.lower()} {p.texte(a)} → {p.texte(b)}")
        return f"{r.libelle} : {', '.join(morceaux)}"


def modifications(
    actuels: Mapping[str, Reglage], actives: Mapping[str, bool], valeurs: Mapping[tuple[str, str], object]
) -> list[Modification]:
    """The changes the form asks for, each checked (ValueError in French, naming the rule and the
    parameter); `valeurs`: {(rule, parameter): typed text}."""
    resultat = []
    for r in domaine.REGLES:
        avant = actuels[r.cle]
        saisis = {
            p.cle: lire_saisie(p, valeurs[(r.cle, p.cle)]) for p in r.parametres if (r.cle, p.cle) in valeurs
        }
        apres = Reglage(
            r.cle, bool(actives.get(r.cle, avant.active)), domaine.valider_parametres(r.cle, saisis)
        )
        if apres.active != avant.active or dict(apres.parametres) != dict(avant.parametres):
            resultat.append(Modification(r.cle, avant, apres))
    return resultat


def preparer(
    sources: Sources, actives: Mapping[str, bool], valeurs: Mapping[tuple[str, str], object]
) -> list[Modification]:
    return modifications(store.reglages(sources.engine), actives, valeurs)


def appliquer(sources: Sources, principal: Principal, demandes: list[dict]) -> list[str]:
    """Write the confirmed changes as `principal` (who must be allowed: PermissionError otherwise),
    each checked again and journaled; their texts."""
    if not principal.peut(REGLER_VIGILANCE):
        raise PermissionError("Seul un administrateur peut modifier les règles de vigilance.")
    textes = []
    actuels = store.reglages(sources.engine)
    for demande in demandes:
        cle = demande.get("cle")
        if cle not in domaine.PAR_CLE:
            raise ValueError(f"Règle de vigilance inconnue « {cle} ».")
        apres = store.modifier_regle(
            sources.engine,
            cle,
            bool(demande.get("active")),
            dict(demande.get("parametres") or {}),
            principal.identifiant,
        )
        textes.append(Modification(cle, actuels[cle], apres).texte())
    return textes


def demandes(modifs: list[Modification]) -> list[dict]:
    """The changes as the page keeps them between the check and the confirmation."""
    return [{"cle": m.cle, "active": m.apres.active, "parametres": dict(m.apres.parametres)} for m in modifs]
