"""The « Enveloppe » card: the State's money of a selection (the national view's, a territory's laureates',
a laureate's) — committed, paid, consumed, left, its window and the progress towards the passes planned,
with its status — as plain texts and shares (dashboard.store.enveloppes computes them)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

from dashboard.domain import enveloppes as regles
from dashboard.domain.filtres import Filtres
from dashboard.domain.formatage import date_courte, euros, nombre, pourcentage
from dashboard.store import enveloppes as store
from dashboard.store.entites import Entite
from dashboard.vues import Sources

# The DSFR colour of each status (assets/02-theme.css): its class on the badge.
CLASSES_STATUT = {
    regles.EN_AVANCE: "enveloppe-statut-avance",
    regles.DANS_LES_TEMPS: "enveloppe-statut-temps",
    regles.EN_RETARD: "enveloppe-statut-retard",
    regles.NON_EVALUABLE: "enveloppe-statut-inconnu",
}


@dataclass(frozen=True)
class Segment:
    libelle: str  # "Consommée"
    texte: str  # "4 816 491 € (76,5 %)"
    part: float  # of the bar, 0–1
    classe: str  # its CSS class (colour and pattern)


@dataclass(frozen=True)
class Barre:
    titre: str  # what the bar measures, "Subvention engagée : 6 298 400 €"
    segments: tuple[Segment, ...]
    texte: str  # the whole bar in a sentence (its accessible name)


@dataclass(frozen=True)
class CarteEnveloppe:
    titre: str
    perimetre: str  # what it counts
    chiffres: tuple[tuple[str, str], ...]  # (label, value): engagée, versée, consommée, restante, fenêtre
    barres: tuple[Barre, ...]  # consumed / left of committed; committed / rest of the national envelope
    avancement: str  # "586 475 pass distribués sur 1 000 000 prévus (58,6 %), 99,9 % de la fenêtre écoulée"
    statut: str  # « en avance », « dans les temps », « en retard », « non évaluable »
    classe_statut: str
    regle: str  # how the status is decided
    depassement: str | None = None  # the passes ordered beyond the subsidy committed
    vide: str | None = None  # no convention: the card says so and shows nothing else
    par_convention: tuple[tuple[str, str], ...] = ()  # a laureate's: (its wave, its figures in words)


def carte(
    somme: dict, titre: str, perimetre: str, enveloppe_eur: float | None = None, objectif_national=False
) -> CarteEnveloppe:
    """The card of a sum of conventions (dashboard.store.enveloppes.agreger); `enveloppe_eur`: the
    national envelope of the waves, when set, drawn as a second bar."""
    statut = somme["statut_objectif"]
    if not somme["nb_conventions"]:
        return CarteEnveloppe(
            titre, perimetre, (), (), "", statut, CLASSES_STATUT[statut], regles.REGLE_STATUT,
            vide="Aucune convention à la date de référence : pas d'enveloppe à suivre.",
        )  # fmt: skip
    engagee, consommee, restante = (somme[c] for c in ("engagee_eur", "consommee_eur", "restante_eur"))
    chiffres = [
        ("Subvention engagée", euros(engagee)),
        ("Versée", f"{euros(somme['versee_eur'])} ({pourcentage(somme['part_versee'])})"),
        ("Consommée", f"{euros(consommee)} ({pourcentage(somme['part_consommee'])})"),
        ("Restante", euros(restante)),
        ("Fenêtre", f"{date_courte(somme['debut_fenetre'])} → {date_courte(somme['fin_fenetre'])}"),
        (
            f"Écoulée au {date_courte(somme['date_reference'])}",
            pourcentage(somme["part_fenetre_ecoulee"]),
        ),
    ]
    barres = [_barre_consommation(engagee, consommee, restante)]
    if enveloppe_eur is not None and not _absent(enveloppe_eur):
        chiffres.insert(0, ("Enveloppe nationale", euros(enveloppe_eur)))
        barres.append(_barre_enveloppe(enveloppe_eur, engagee))
    depassement = None
    if somme["depassement_eur"] > 0.5:
        depassement = (
            f"Les pass commandés dépassent la subvention engagée de {euros(somme['depassement_eur'])} "
            "(part de l'État) : la consommée est plafonnée à l'engagée."
        )
    return CarteEnveloppe(
        titre=titre,
        perimetre=perimetre,
        chiffres=tuple(chiffres),
        barres=tuple(barres),
        avancement=_avancement(somme, objectif_national),
        statut=statut,
        classe_statut=CLASSES_STATUT[statut],
        regle=regles.REGLE_STATUT,
        depassement=depassement,
    )


def _barre_consommation(engagee: float, consommee: float, restante: float) -> Barre:
    part = regles.part(consommee, engagee)
    part = 0.0 if _absent(part) else part
    segments = (
        Segment("Consommée", f"{euros(consommee)} ({pourcentage(part)})", part, "enveloppe-consommee"),
        Segment("Restante", f"{euros(restante)} ({pourcentage(1 - part)})", 1 - part, "enveloppe-restante"),
    )
    return Barre(
        f"Subvention engagée : {euros(engagee)}",
        segments,
        f"Sur {euros(engagee)} engagés : consommée {segments[0].texte}, restante {segments[1].texte}.",
    )


def _barre_enveloppe(enveloppe: float, engagee: float) -> Barre:
    part = regles.part(engagee, enveloppe)
    part = 0.0 if _absent(part) else part
    visible = min(part, 1.0)
    segments = (
        Segment("Engagée", f"{euros(engagee)} ({pourcentage(part)})", visible, "enveloppe-engagee"),
        Segment(
            "Non engagée",
            f"{euros(max(enveloppe - engagee, 0))} ({pourcentage(max(1 - part, 0))})",
            1 - visible,
            "enveloppe-libre",
        ),
    )
    return Barre(
        f"Enveloppe nationale : {euros(enveloppe)}",
        segments,
        f"Sur l'enveloppe nationale de {euros(enveloppe)} : engagée {segments[0].texte}, "
        f"non engagée {segments[1].texte}.",
    )


def _avancement(somme: dict, objectif_national: bool) -> str:
    objectif = somme["pass_objectif"]
    distribues = f"{nombre(somme['pass_distribues'])} pass distribués"
    if somme.get("distribues_estimes"):
        distribues += (
            " (estimé : répartis entre les deux conventions d'un lauréat, premier entré, premier sorti)"
        )
    if _absent(objectif) or not objectif:
        return f"{distribues} ; pas de pass prévus connus : avancement non évaluable."
    quoi = (
        f"pour un objectif national de {nombre(objectif)} pass"
        if objectif_national
        else f"sur {nombre(objectif)} prévus par les conventions"
    )
    return (
        f"{distribues} {quoi} ({pourcentage(somme['avancement_objectif'])}) ; "
        f"{pourcentage(somme['part_fenetre_ecoulee'])} de la fenêtre écoulée."
    )


def _absent(valeur) -> bool:
    return valeur is None or (isinstance(valeur, float) and math.isnan(valeur))


# --- The cards of the pages -------------------------------------------------------------------------


def carte_entite(sources: Sources, ent: Entite, au: date | None = None) -> CarteEnveloppe:
    """The card of a territory's page (its laureates' conventions, whole) or a laureate's page."""
    somme = store.enveloppe_territoire(sources.engine, ent.niveau, ent.code, au)
    if ent.niveau == "porteur":
        perimetre = "Les conventions du lauréat (toutes vagues)."
    else:
        n = len(somme["sirens"])
        perimetre = (
            f"Les conventions des {nombre(n)} lauréats dont le périmètre touche le territoire, comptées en "
            "entier (un lauréat à cheval sur plusieurs territoires compte dans chacun)."
            if n != 1
            else "Les conventions du lauréat dont le périmètre touche le territoire, comptées en entier."
        )
    resultat = carte(somme, "Enveloppe de l'État", perimetre)
    if ent.niveau == "porteur" and somme["nb_conventions"] > 1:
        conventions = store.enveloppes_conventions(sources.engine, au)
        lignes = conventions[conventions["siren"] == ent.code].to_dict("records")
        resultat = replace(resultat, par_convention=tuple(ligne_convention(c) for c in lignes))
    return resultat


def ligne_convention(c: dict) -> tuple[str, str]:
    """A convention in words: `("Vague 2019", "engagée 92 800 €, consommée … ; en retard")`."""
    return (
        f"Vague {c['vague']}",
        f"part de l'État {pourcentage(c['part_etat'])}, engagée {euros(c['engagee_eur'])}, consommée "
        f"{euros(c['consommee_eur'])} ({pourcentage(c['part_consommee'])}), restante "
        f"{euros(c['restante_eur'])} ; fenêtre {date_courte(c['debut_fenetre'])} → "
        f"{date_courte(c['fin_fenetre'])} ; {nombre(c['pass_distribues'])} pass distribués sur "
        f"{nombre(c['pass_prevus'])} prévus ({pourcentage(c['avancement_objectif'])}) : "
        f"{c['statut_objectif']}",
    )


def carte_nationale(sources: Sources, filtres: Filtres, au: date | None = None) -> CarteEnveloppe:
    """The national view's card: the conventions its wave, type, région and subsidy filters keep (the
    period does not change a stock of money), beside the national envelope of the selected waves."""
    somme = store.enveloppe_selection(sources.engine, filtres, au)
    vagues = " et ".join(str(v) for v in somme["vagues"])
    if somme["toute_la_vague"]:
        perimetre = f"Toutes les conventions des vagues {vagues}, face à l'enveloppe nationale."
        if len(somme["vagues"]) == 1:
            perimetre = f"Toutes les conventions de la vague {vagues}, face à son enveloppe nationale."
        enveloppe = somme["enveloppe_eur"]
        if enveloppe is None:
            perimetre += " Enveloppe nationale non fixée (passnum enveloppe)."
    else:
        perimetre = (
            f"Les conventions (vagues {vagues}) des lauréats retenus par les filtres de type, de région ou "
            "de subvention ; l'enveloppe nationale n'est pas répartie par type ni par région et n'est pas "
            "montrée. La période ne change pas ces montants."
        )
        enveloppe = None
    national = somme["objectif_national"]
    return carte(somme, "Enveloppe de l'État", perimetre, enveloppe, objectif_national=national)
