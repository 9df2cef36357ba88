"""What the page of a territory (`/territoire/<niveau>/<code>`) or of a laureate (`/porteur/<siren>`)
shows, computed once: identity, KPIs, funnel, monthly series, cohort curves, distributing structures
and mediation places, rank among comparable peers, laureates of a territory or conventions of a laureate,
freshness and quality warnings. The page and its exports read the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from dashboard.domain import deck, liens, secret
from dashboard.domain.etat import EtatVue
from dashboard.domain.formatage import date_courte, effectif_texte, euros, nombre, pourcentage
from dashboard.domain.indicateurs import VISIBLES, est_exact, indicateur, totaliser
from dashboard.domain.mois import ecart_mois
from dashboard.domain.vocabulaire import TYPES_PORTEUR, libelle_nature_epci, libelle_niveau, libelle_type
from dashboard.exports import Fichier, image, tableur
from dashboard.exports.estampille import EnteteExport, entete
from dashboard.figures.graphiques import (
    barres_structures,
    chronologie,
    courbes_cohortes,
    entonnoir_des_totaux,
)
from dashboard.store import entites
from dashboard.store import lieux as lieux_store
from dashboard.store.entites import Entite
from dashboard.store.lieux import LieuxDuTerritoire
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.qualite import problemes_qualite
from dashboard.vues import Sources, notes, prevision
from dashboard.vues.enveloppe import CarteEnveloppe, carte_entite
from dashboard.vues.kpis import Chiffre, Kpis, kpis
from dashboard.vues.passif import Passif
from dashboard.vues.passif import calculer as calculer_passif
from dashboard.vues.passif import tables_export as tables_passif
from dashboard.vues.prevision import BlocPrevision

NB_STRUCTURES = 10
NB_PAIRS_COMPARES = 3
NB_PAIRS_EN_TETE = 10  # the peer table shows the first ones, then the entity among its neighbours
MOIS_SANS_ACTIVITE = 3  # no activity for this long before the data date: said on the page


@dataclass(frozen=True)
class Fiche:
    entite: Entite
    ligne: pd.Series  # the indicators
    mensuel: pd.DataFrame
    cohortes: pd.DataFrame
    distributeurs: pd.DataFrame
    lieux: pd.DataFrame
    pairs: pd.DataFrame
    laureats: pd.DataFrame  # laureates of the territory (empty for a laureate)
    lieux_pass: LieuxDuTerritoire | None  # the list of places accepting the Pass (a territory only)
    conventions: pd.DataFrame  # conventions of the laureate (empty for a territory)
    membres: pd.DataFrame  # members of a syndicat mixte: niveau, code, nom, chemin (None: no page)
    alertes: list[str]
    kpis: Kpis
    identite: str  # "Département · code 29 · 915 090 habitants · …"
    rang: str  # the entity's rank among its peers, in a sentence
    lien_comparer: str
    lien_carte: str
    lien_presentation: str
    enveloppe: CarteEnveloppe | None = None  # the State's money (dashboard.vues.enveloppe)
    passif: Passif | None = None  # the operator's liabilities (dashboard.vues.passif)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # the committee notes (vues.notes)
    marqueurs_notes: tuple[tuple[date, str], ...] = ()  # (date, text) of the notes, on the monthly chart
    projection: pd.DataFrame | None = None  # the forecast after the last month (dashboard.vues.prevision)
    prevision: BlocPrevision | None = None  # the « Prévision » block

    @property
    def incoherente(self) -> bool:
        """A laureate whose files report more passes redeemed than handed out (or handed out than
        ordered): no rate, no delay, no cohort."""
        return bool(self.ligne.get("donnees_incoherentes", False))

    @property
    def exacte(self) -> bool:
        """No figure of the page is an estimate: its laureates' passes are numbered (cohorts, delay,
        expired passes, waves followed pass by pass)."""
        return est_exact(self.ligne)


def entite_de(sources: Sources, niveau: str | None, code: str | None) -> Entite | None:
    return entites.entite(sources.engine, niveau or "", code or "")


def calculer_fiche(sources: Sources, ent: Entite, avec_notes: bool = True) -> Fiche:
    """Everything the entity's page shows; `avec_notes=False`: without the committee's notes (the
    public pages, PASSNUM_PUBLIC=1)."""
    engine = sources.engine
    porteur = ent.niveau == "porteur"
    mensuel = entites.serie_mensuelle(engine, ent)
    laureats = pd.DataFrame() if porteur else entites.laureats_du_territoire(engine, ent)
    conventions = entites.conventions_du_porteur(engine, ent.code) if porteur else pd.DataFrame()
    ligne = entites.indicateurs(engine, ent)
    pairs = entites.pairs(engine, ent)
    donnees = etat_donnees(engine)
    return Fiche(
        entite=ent,
        ligne=ligne,
        mensuel=mensuel,
        cohortes=entites.courbes_cohortes(engine, mensuel, ent),
        distributeurs=entites.repartition_structures(engine, ent, "distributeur"),
        lieux=entites.repartition_structures(engine, ent, "lieu"),
        pairs=pairs,
        laureats=laureats,
        lieux_pass=None if porteur else lieux_store.du_territoire(engine, ent.niveau, ent.code),
        conventions=conventions,
        membres=entites.membres_syndicat(engine, ent.code) if porteur else MEMBRES_VIDES,
        alertes=_alertes(sources, ent, mensuel, {ent.code} if porteur else set(laureats["siren"])),
        kpis=kpis(
            totaliser(pd.DataFrame([ligne])),
            None if porteur else len(laureats),  # "Lauréats 1" on a laureate's own page says nothing
            donnees.date_donnees,
            "porteurs" if porteur else "territoires",
            premiers=_chiffre_population(ent) if porteur else (),
        ),
        identite=_identite(ent, ligne, conventions),
        rang=_phrase_rang(ent, pairs),
        lien_comparer=_lien_comparer(ent, pairs),
        lien_carte=liens.carte_de(ent.niveau, ent.code, ent.region),
        lien_presentation=deck.presentation(
            EtatVue(), (*deck.DIAPOS_PAR_DEFAUT, ent.identifiant), len(deck.DIAPOS_PAR_DEFAUT) + 1
        ),
        enveloppe=carte_entite(sources, ent),
        passif=calculer_passif(sources, ent, ligne),
        notes=notes.table_export(sources, ent.identifiant, ent.nom),
        marqueurs_notes=tuple(notes.bloc(sources, ent.identifiant, None).marqueurs) if avec_notes else (),
        projection=prevision.projection(sources, ent, mensuel),
        prevision=prevision.bloc(sources, ent),
    )


MEMBRES_VIDES = pd.DataFrame(columns=["niveau", "code", "nom", "chemin"])


def _chiffre_population(ent: Entite) -> tuple[Chiffre, ...]:
    """A laureate's first card: the population its perimeter covers (where a territory's page counts
    its laureates)."""
    ind = indicateur("population_couverte")
    return (Chiffre("kpi-population_couverte", ind.libelle, ind.formater(ent.population)),)


def titre_page(ent: Entite | None) -> str:
    """The browser tab's title: `Finistère (29) — Pass numérique`, `Bretagne (région) — …`, `Brest
    Métropole (EPCI) — …`, `Mégalis Bretagne (lauréat) — …`."""
    if ent is None:
        return "Page introuvable — Pass numérique"
    precision = {"departement": ent.code, "region": "région", "epci": "EPCI"}.get(ent.niveau, "lauréat")
    return f"{ent.nom} ({precision}) — Pass numérique"


def fil_ariane(ent: Entite) -> list[tuple[str, str | None]]:
    """(name, path) of each step from the national map to the entity (path None: the page itself). A step
    named like the next one is the same place twice (the région Guadeloupe and its only département):
    only the nearer one is kept."""
    etapes = [
        ("Carte nationale", "/"),
        *((nom, liens.chemin(niveau, code)) for niveau, code, nom in ent.parents),
        (ent.nom, None),
    ]
    return [
        e
        for e, suivante in zip(etapes, [*etapes[1:], None], strict=True)
        if not suivante or e[0] != suivante[0]
    ]


def pairs_affiches(pairs: pd.DataFrame, en_tete: int = NB_PAIRS_EN_TETE) -> list[tuple | int]:
    """The rows of the peer table: the first `en_tete`, then the entity with its neighbours when it ranks
    below them — never hidden. A row is a named tuple of `pairs`; an int between rows is the number of
    peers left out there (shown as « … »)."""
    moi = pairs.index[pairs["est_entite"]]
    montres = set(range(min(en_tete, len(pairs))))
    if len(moi):
        i = pairs.index.get_loc(moi[0])
        montres |= {j for j in (i - 1, i, i + 1) if 0 <= j < len(pairs)}
    lignes: list[tuple | int] = []
    precedent = -1
    for j in sorted(montres):
        if j > precedent + 1:
            lignes.append(j - precedent - 1)
        lignes.append(next(pairs.iloc[[j]].itertuples()))
        precedent = j
    if precedent < len(pairs) - 1:
        lignes.append(len(pairs) - 1 - precedent)
    return lignes


def _identite(ent: Entite, ligne: pd.Series, conventions: pd.DataFrame) -> str:
    morceaux = [ent.type_libelle]
    if ent.niveau == "porteur":
        morceaux.append(f"SIREN {ent.code}")
        morceaux.append(f"{nombre(ent.population)} habitants couverts")
        if not conventions.empty:
            vagues = ", ".join(str(v) for v in conventions["vague"])
            morceaux.append(f"vague{'s' if len(conventions) > 1 else ''} {vagues}")
    else:
        morceaux.append(f"code {ent.code}")
        morceaux.append(f"{nombre(ent.population)} habitants")
        if ent.superficie_km2:
            morceaux.append(f"{nombre(ent.superficie_km2)} km²")
    morceaux.append(f"subvention État engagée : {euros(ligne.get('subvention_etat_engagee_eur'))}")
    return " · ".join(morceaux)


SANS_LISTE = (
    "Aucune liste de lieux de médiation importée (passnum import lieux FICHIER : standard des lieux de "
    "médiation numérique v0.1 / v0.2, ou services data·inclusion)."
)


def phrases_lieux(lieux: LieuxDuTerritoire) -> list[str]:
    """The territory page's sentences on the places accepting the Pass and the redemption places."""
    if not lieux.liste:
        return [SANS_LISTE]
    quand = f", liste mise à jour au {date_courte(lieux.mise_a_jour)}" if lieux.mise_a_jour else ""
    n = lieux.acceptant
    phrases = [
        f"{nombre(n)} {'lieu acceptant' if n == 1 else 'lieux acceptant'} le Pass numérique, soit "
        f"{indicateur('lieux_pass_pour_10000_habitants').formater(lieux.pour_10000)} pour 10 000 "
        f"habitants{quand}."
    ]
    if not lieux.pass_utilises:
        return [*phrases, "Aucun pass utilisé dans le territoire."]
    part = lambda k: pourcentage(k / lieux.pass_utilises)  # noqa: E731
    phrases.append(
        f"Pass utilisés dans le territoire : {nombre(lieux.pass_utilises)} ; lieux d'utilisation "
        f"identifiés par leur SIRET : {nombre(lieux.lieux_utilisation)}."
    )
    phrases.append(
        f"Dans la liste et acceptant le Pass : {_lieux(lieux.acceptant_utilisation)}, "
        f"{nombre(lieux.pass_chez_acceptant)} pass ({part(lieux.pass_chez_acceptant)}) ; dans la liste sans "
        f"mention du Pass : {_lieux(lieux.liste_sans_pass)}, {nombre(lieux.pass_liste_sans_pass)} pass ; "
        f"absents de la liste : {_lieux(len(lieux.hors_liste))}, {nombre(lieux.pass_hors_liste)} pass "
        f"({part(lieux.pass_hors_liste)})."
    )
    if lieux.pass_sans_siret:
        phrases.append(
            f"{nombre(lieux.pass_sans_siret)} pass utilisés sur des lignes sans SIRET ne peuvent pas être "
            "rapprochés de la liste."
        )
    return phrases


def _lieux(n: float) -> str:
    return effectif_texte(n, ("lieu", "lieux"))


def phrase_communes_sans_lieu(lieux: LieuxDuTerritoire) -> str:
    communes = lieux.communes_sans_lieu
    if communes.empty:
        return "Chaque commune où des pass ont été distribués a un lieu acceptant le Pass dans son EPCI."
    n = len(communes)
    return (
        f"{nombre(n)} commune{'s' if n > 1 else ''} où {nombre(int(communes['pass_distribues'].sum()))} "
        f"pass ont été distribués n'{'ont' if n > 1 else 'a'} aucun lieu acceptant le Pass dans leur EPCI."
    )


def figure_cohortes(fiche: Fiche) -> dict:
    """No curves for a laureate whose funnel is inconsistent: they would plateau at a meaningless rate."""
    sans_objet = "Données incohérentes : pas de courbes de cohortes" if fiche.incoherente else None
    return courbes_cohortes(fiche.cohortes, sans_objet=sans_objet)


def entonnoir_de(fiche: Fiche) -> dict:
    """A territory's figures are those of the territories view (activity where it took place)."""
    return entonnoir_des_totaux(fiche.ligne, par_lieu=fiche.entite.niveau != "porteur")


def type_des_pairs(ent: Entite) -> str:
    """What the peers share, in words (plural, lower case): `départements`, `métropoles (EPCI)`,
    `syndicats mixtes` — never a code (`type_pair` is `epci-ME`, `porteur-SM`)."""
    prefixe, _, type_ = ent.type_pair.partition("-")
    if ent.niveau == "porteur" and type_ in TYPES_PORTEUR:
        return libelle_type(type_, pluriel=True)
    if prefixe == "epci" and type_:
        return libelle_nature_epci(type_, pluriel=True, majuscule=False)
    return libelle_niveau(ent.niveau, pluriel=True)


def description_pairs(ent: Entite) -> str:
    population = "population couverte" if ent.niveau == "porteur" else "population"
    return f"même type : {type_des_pairs(ent)} ; {population} entre la moitié et le double"


def _phrase_rang(ent: Entite, pairs: pd.DataFrame) -> str:
    moi = pairs[pairs["est_entite"]]
    if moi.empty or pd.isna(moi["rang"].iloc[0]):
        return "Taux d'utilisation sans donnée : pas de rang parmi les pairs."
    rang = int(moi["rang"].iloc[0])
    ordinal = "1er" if rang == 1 else f"{rang}e"
    total = int(pairs["rang"].notna().sum())
    return (
        f"{ordinal} sur {total} {libelle_niveau(ent.niveau, pluriel=True)} comparables pour le taux "
        f"d'utilisation ({description_pairs(ent)})."
    )


def _alertes(sources: Sources, ent: Entite, serie: pd.DataFrame, sirens: set[str]) -> list[str]:
    """Data freshness (from the entity's monthly series) and the quality problems of its laureate(s)."""
    alertes = []
    date_donnees = etat_donnees(sources.engine).date_donnees
    actifs = (
        serie[(serie["pass_distribues"] > 0) | (serie["pass_utilises"] > 0)] if not serie.empty else serie
    )
    if actifs.empty:
        alertes.append("Aucune distribution ni utilisation enregistrée.")
    elif date_donnees is not None:
        alertes += _retard(actifs["mois"].max(), date_donnees)
    problemes = problemes_qualite(sources.engine)  # the whole list, once per data version
    for p in problemes[problemes["siren"].isin(sirens)].itertuples():
        qui = "" if ent.niveau == "porteur" else f"{p.nom} : "
        alertes.append(f"{p.probleme} — {qui}{p.detail}")
    return alertes


def _retard(dernier: pd.Timestamp, date_donnees: date) -> list[str]:
    retard = ecart_mois(dernier, date_donnees)
    if retard < MOIS_SANS_ACTIVITE:
        return []
    return [
        f"Dernière activité enregistrée en {dernier:%m/%Y}, {retard} mois avant la date des données "
        f"({date_courte(date_donnees)})."
    ]


def _lien_comparer(ent: Entite, pairs: pd.DataFrame) -> str:
    autres = pairs[~pairs["est_entite"] & pairs["valeur"].notna()]
    # The closest populations among the ranked peers.
    proches = autres.assign(ecart=(autres["population"] - ent.population).abs()).nsmallest(
        NB_PAIRS_COMPARES, "ecart"
    )
    return liens.comparer([ent.identifiant, *(liens.identifiant(ent.niveau, c) for c in proches["code"])])


# --- Exports -------------------------------------------------------------------------------------------


def entete_fiche(sources: Sources, ent: Entite, quoi: str) -> EnteteExport:
    return entete(
        sources.engine,
        f"Pass numérique — {ent.nom} ({ent.type_libelle}) — {quoi}",
        [f"{ent.type_libelle} : {ent.nom} ({ent.code})", "Toutes vagues, toute la période"],
    )


COLONNES_STRUCTURES = [
    ("siret", "SIRET"),
    ("nom", "Nom"),
    ("commune", "Commune"),
    ("nb_pass", "Pass"),
    ("part", "Part"),
]


def tables_export(fiche: Fiche) -> dict[str, tuple[str, pd.DataFrame, list[tuple[str, str]]]]:
    """name → (title, table, columns) of every table the page exports."""
    return {
        "indicateurs": (
            "Indicateurs",
            pd.DataFrame([{**fiche.ligne.to_dict(), "code": fiche.entite.code}]),  # the code is the index
            [("nom", "Nom"), ("code", "Code"), *((i.id, i.libelle) for i in VISIBLES)],
        ),
        "distributeurs": ("Structures distributrices", fiche.distributeurs, COLONNES_STRUCTURES),
        "lieux": ("Lieux de médiation", fiche.lieux, COLONNES_STRUCTURES),
        "lieux_hors_liste": (
            "Lieux d'utilisation absents de la liste des lieux acceptant le Pass",
            fiche.lieux_pass.hors_liste if fiche.lieux_pass else pd.DataFrame(columns=["siret"]),
            [("siret", "SIRET"), ("nom", "Nom"), ("commune", "Commune"), ("nb_pass", "Pass utilisés")],
        ),
        "communes_sans_lieu": (
            "Communes sans lieu acceptant le Pass dans leur EPCI",
            fiche.lieux_pass.communes_sans_lieu if fiche.lieux_pass else pd.DataFrame(columns=["code"]),
            [
                ("code", "Code"),
                ("commune", "Commune"),
                ("epci", "EPCI"),
                ("pass_distribues", "Pass distribués"),
            ],
        ),
        "pairs": (
            "Rang parmi les pairs",
            fiche.pairs,
            [
                ("rang", "Rang"),
                ("nom", "Nom"),
                ("code", "Code"),
                ("population", "Population"),
                ("valeur", "Taux d'utilisation"),
            ],
        ),
        "laureats": (
            "Lauréats du territoire",
            _types_en_clair(fiche.laureats),
            [
                ("siren", "SIREN"),
                ("nom", "Nom"),
                ("type", "Type"),
                ("vagues", "Vagues"),
                ("budget_total_eur", "Budget total"),
                ("subvention_etat_engagee_eur", "Subvention État engagée"),
            ],
        ),
        "conventions": (
            "Conventions",
            fiche.conventions,
            [
                ("vague", "Vague"),
                ("date_convention", "Date de la convention"),
                ("budget_total_eur", "Budget total"),
                ("subvention_etat_eur", "Subvention État"),
                ("subvention_versee_eur", "Subvention versée"),
                ("pass_prevus", "Pass prévus"),
            ],
        ),
        **tables_passif(fiche.passif),
        "notes": ("Notes du comité", fiche.notes, notes.COLONNES_EXPORT),
    }


def _types_en_clair(laureats: pd.DataFrame) -> pd.DataFrame:
    """The laureates with their type in words (`Conseil départemental`), never the code (`CD`)."""
    if "type" not in laureats:
        return laureats
    return laureats.assign(
        type=[
            libelle_type(t, pluriel=False, majuscule=True) if t in TYPES_PORTEUR else t
            for t in laureats["type"]
        ]
    )


def figures_export(fiche: Fiche) -> dict[str, tuple[str, dict]]:
    return {
        "entonnoir": ("Du pass commandé au pass utilisé", entonnoir_de(fiche)),
        "chronologie": (
            "Activité mensuelle",
            chronologie(
                fiche.mensuel, cumul=False, notes=list(fiche.marqueurs_notes), projection=fiche.projection
            ),
        ),
        "cohortes": ("Cohortes", figure_cohortes(fiche)),
        "distributeurs": ("Structures distributrices", barres_structures(fiche.distributeurs, NB_STRUCTURES)),
        "lieux": ("Lieux de médiation", barres_structures(fiche.lieux, NB_STRUCTURES)),
    }


# Breakdowns by structure or place: what leaves the building is published under the statistical-secrecy
# rule (dashboard.domain.secret), the page itself shows the whole to signed-in agents.
# name → (the count, the columns derived from it).
SOUS_SECRET = {
    "distributeurs": ("nb_pass", ("part",)),
    "lieux": ("nb_pass", ("part",)),
    "lieux_hors_liste": ("nb_pass", ()),
    "communes_sans_lieu": ("pass_distribues", ()),  # a commune's passes: often one structure's
}


def exporter(
    sources: Sources, identifiant, format_: str, nom: str, avec_notes: bool = True
) -> Fichier | None:
    """The table or chart `nom` of the entity's page; None for an unknown entity, table or chart.
    `avec_notes=False`: the committee's notes left out (PASSNUM_PUBLIC=1)."""
    try:
        ent = entites.entite(sources.engine, *liens.lire_identifiant(identifiant))
    except ValueError:
        return None
    if ent is None:
        return None
    fiche = calculer_fiche(sources, ent, avec_notes)
    if format_ == "png":
        if nom in SOUS_SECRET:  # a hidden count is no bar
            fiche = replace(
                fiche,
                distributeurs=secret.sans_les_secrets(fiche.distributeurs),
                lieux=secret.sans_les_secrets(fiche.lieux),
            )
        figures = figures_export(fiche)
        if nom not in figures:
            return None
        titre, figure = figures[nom]
        return image(
            figure, _entete_export(sources, ent, titre, nom), [ent.nom, nom], sources.geometries.dossier
        )
    tables = tables_export(fiche)
    if nom not in tables:
        return None
    titre, table, colonnes = tables[nom]
    if nom in SOUS_SECRET:
        table = secret.appliquer(table, *SOUS_SECRET[nom])
    return tableur(format_, table, colonnes, _entete_export(sources, ent, titre, nom), [ent.nom, nom])


def _entete_export(sources: Sources, ent: Entite, titre: str, nom: str) -> EnteteExport:
    entete_ = entete_fiche(sources, ent, titre)
    if nom in SOUS_SECRET:
        entete_ = replace(entete_, filtres=[*entete_.filtres, secret.MENTION])
    return entete_
