"""The indicator registry: every indicator of the product, once (id, label, unit, formula, kind, format).

Base indicators are sums read from the aggregate tables; derived ones are computed here from the base
columns of any table (one row per laureate or per territory). Rates are fractions 0–1; a division by
zero gives "no data" (NaN), never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from dashboard.domain import formatage


class Nature(StrEnum):
    STOCK = "stock"  # an amount or a count: mapped as proportional circles, never as a raw choropleth
    TAUX = "taux"  # a rate 0–1: choropleth
    RATIO = "ratio"  # per inhabitant, per pass: choropleth
    DUREE = "duree"  # a duration (the median delay, in months): choropleth


@dataclass(frozen=True)
class Indicateur:
    id: str
    libelle: str
    unite: str
    nature: Nature
    formule: str
    definition: str
    formater: Callable[[float | None], str]
    # None: a base sum from the aggregates; else computed from the columns as float arrays
    calcul: Callable[[Mapping[str, np.ndarray]], np.ndarray] | None = None
    # The views that offer it (an indicator with no meaning in a view is not offered there), and its
    # label where it differs by view.
    vues: tuple[str, ...] = ("porteurs", "territoires")
    libelles_vue: Mapping[str, str] = field(default_factory=dict)
    visible: bool = True  # False: a base column the rates need, never shown
    decimales: int | None = None  # shown and exported with this many decimals (None: by its nature)
    sans_objet: str = ""  # why it is not offered in the views it is not in
    # The views where its value is an estimate unless the passes are numbered (the files carry pass
    # numbers: dashboard.store.numeros); its label there says « (estimé) », or « (exact) ».
    estime: tuple[str, ...] = ()

    @property
    def est_derive(self) -> bool:
        return self.calcul is not None

    def libelle_en(self, vue: str | None, exact: bool = False) -> str:
        """The label in the view `vue` (the porteurs view when None); `exact`: the figures shown are
        exact (every laureate of the selection has numbered passes), else an estimate says so."""
        vue = vue or "porteurs"
        libelle = self.libelles_vue.get(vue, self.libelle)
        if vue in self.estime:
            libelle += " (exact)" if exact else " (estimé)"
        return libelle

    def titre(self, vue: str | None = None, exact: bool = False) -> str:
        """The label with its unit, for a legend or a column title: `Taux d'utilisation (%)`,
        `Subvention État engagée (€)`; the unit is left out where the label says it already (`Pass
        distribués`, not `Pass distribués (pass)`; `€ État par habitant couvert`; `Lieux actifs`); an
        estimate says so in the same parentheses (`Délai médian distribution → utilisation (mois,
        estimé)`)."""
        vue = vue or "porteurs"
        libelle = self.libelles_vue.get(vue, self.libelle)
        precisions = [] if unite_dite(libelle, self.unite) else [self.unite]
        if vue in self.estime:
            precisions.append("exact" if exact else "estimé")
        return f"{libelle} ({', '.join(precisions)})" if precisions else libelle


def unite_dite(libelle: str, unite: str) -> bool:
    """Whether the label names the unit already: the unit's first word (`pass` of `pass/1 000 hab.`,
    `€` of `€/hab.`, `lieux`) is a word of the label, whatever its case."""
    premier = unite.split("/")[0].strip().casefold()
    return bool(premier) and premier in libelle.casefold().replace("'", " ").split()


def _ratio(
    numerateur: str, denominateur: str, facteur: float = 1.0
) -> Callable[[Mapping[str, np.ndarray]], np.ndarray]:
    def calcul(colonnes: Mapping[str, np.ndarray]) -> np.ndarray:
        den = colonnes[denominateur]
        return colonnes[numerateur] * facteur / np.where(den > 0, den, np.nan)

    return calcul


def _entier(valeur: float | None) -> str:
    return formatage.nombre(valeur)


def _mois(valeur: float | None) -> str:
    texte = formatage.nombre(valeur, 1)
    return texte if texte == formatage.NON_RENSEIGNE else f"{texte} mois"


VALEUR_FACIALE_EUR = 10.0  # the face value of a pass, at which the unpaid passes are valued

SANS_OBJET_LIEUX = (
    "un lieu de médiation accueille tout porteur de Pass, quel que soit le lauréat, et les périmètres se "
    "recouvrent : voir la vue « territoires »"
)

INDICATEURS: tuple[Indicateur, ...] = (
    Indicateur(
        "budget_total_eur",
        "Budget total",
        "€",
        Nature.STOCK,
        "Σ budget des conventions",
        "Coût total des projets conventionnés (part de l'État et part locale).",
        formatage.euros,
    ),
    Indicateur(
        "subvention_etat_engagee_eur",
        "Subvention État engagée",
        "€",
        Nature.STOCK,
        "Σ subvention État des conventions",
        "Subvention de l'État prévue par les conventions.",
        formatage.euros,
    ),
    Indicateur(
        "subvention_etat_versee_eur",
        "Subvention État versée",
        "€",
        Nature.STOCK,
        "Σ subvention versée",
        "Part de la subvention effectivement versée aux lauréats.",
        formatage.euros,
    ),
    Indicateur(
        "part_etat",
        "Part de l'État",
        "%",
        Nature.TAUX,
        "subvention engagée ÷ budget total",
        "Part du budget des projets financée par l'État.",
        formatage.pourcentage,
        _ratio("subvention_etat_engagee_eur", "budget_total_eur"),
    ),
    Indicateur(
        "pass_commandes",
        "Pass commandés",
        "pass",
        Nature.STOCK,
        "Σ carnets × pass par carnet",
        "Pass achetés auprès de l'émetteur.",
        _entier,
    ),
    Indicateur(
        "pass_distribues",
        "Pass distribués",
        "pass",
        Nature.STOCK,
        "Σ pass distribués",
        "Pass remis aux bénéficiaires par les structures distributrices.",
        _entier,
    ),
    Indicateur(
        "pass_utilises",
        "Pass utilisés",
        "pass",
        Nature.STOCK,
        "Σ pass utilisés",
        "Pass scannés dans un lieu de médiation numérique. Vue « territoires » : les pass scannés dans "
        "le territoire, d'où qu'ils viennent (un stock, dessiné en cercles).",
        _entier,
        libelles_vue={"territoires": "Pass utilisés sur place"},
    ),
    Indicateur(
        "pass_expires",
        "Pass expirés",
        "pass",
        Nature.STOCK,
        "Σ des commandes à validité échue : pass commandés − pass de la commande utilisés (premier entré, "
        "premier sorti ; avec les numéros de pass : utilisés avant la fin de validité)",
        "Pass arrivés en fin de validité sans avoir été utilisés, estimés ; exacts quand les pass sont "
        "numérotés. « — » quand la fin de validité des commandes n'est pas connue.",
        _entier,
        estime=("porteurs", "territoires"),
    ),
    Indicateur(
        "taux_distribution",
        "Taux de distribution",
        "%",
        Nature.TAUX,
        "pass des commandes retenues distribués depuis ÷ pass de ces commandes",
        "Part des pass commandés qui ont été remis à des bénéficiaires (premier commandé, premier "
        "distribué). Sans objet par territoire : une commande n'a pas de lieu.",
        formatage.pourcentage,
        _ratio("distribues_parmi_commandes", "pass_commandes"),
        vues=("porteurs",),
        sans_objet="une commande n'a pas de lieu",
    ),
    Indicateur(
        "taux_utilisation",
        "Taux d'utilisation",
        "%",
        Nature.TAUX,
        "pass distribués retenus utilisés depuis ÷ pass distribués retenus",
        "Part des pass distribués qui ont été utilisés depuis dans un lieu de médiation (premier "
        "distribué, premier utilisé), jamais plus de 100 %. Vue « territoires » : estimée, Σ des lauréats "
        "(pass distribués dans le territoire × taux d'utilisation du lauréat) ; exacte quand les pass "
        "sont numérotés (pass distribués dans le territoire puis utilisés, où que ce soit).",
        formatage.pourcentage,
        _ratio("utilises_parmi_distribues", "pass_distribues"),
        estime=("territoires",),
    ),
    Indicateur(
        "pass_pour_1000_habitants",
        "Pass distribués pour 1 000 habitants couverts",
        "pass/1 000 hab.",
        Nature.RATIO,
        "pass distribués × 1 000 ÷ population couverte",
        "Diffusion des pass rapportée à la population couverte : celle du périmètre du lauréat (vue "
        "« porteurs »), celle des communes couvertes du territoire (vue « territoires »).",
        lambda v: formatage.nombre(v, 1),
        _ratio("pass_distribues", "population_couverte", 1000.0),
    ),
    Indicateur(
        "euros_etat_par_habitant",
        "€ État par habitant couvert",
        "€/hab.",
        Nature.RATIO,
        "subvention engagée ÷ population couverte",
        "Effort de l'État rapporté à la population couverte (périmètre du lauréat, ou communes couvertes "
        "du territoire).",
        lambda v: formatage.euros(v, centimes=True),
        _ratio("subvention_etat_engagee_eur", "population_couverte"),
    ),
    Indicateur(
        "euros_etat_par_pass_utilise",
        "€ État par pass utilisé",
        "€/pass",
        Nature.RATIO,
        "subvention engagée ÷ pass des commandes retenues utilisés depuis",
        "Coût pour l'État de chaque pass effectivement utilisé, parmi les pass des commandes qu'il a "
        "financées. Sans objet par territoire : la subvention n'a pas de lieu.",
        lambda v: formatage.euros(v, centimes=True),
        _ratio("subvention_etat_engagee_eur", "utilises_parmi_commandes"),
        vues=("porteurs",),
        sans_objet="la subvention n'a pas de lieu",
    ),
    Indicateur(
        "delai_median_mois",
        "Délai médian distribution → utilisation",
        "mois",
        Nature.DUREE,
        "médiane des écarts en mois, appariement premier distribué / premier utilisé (avec les numéros "
        "de pass : chaque pass, de son mois de distribution à son mois d'utilisation)",
        "Temps typique entre la remise d'un pass et son utilisation, estimé ; exact quand les pass sont "
        "numérotés.",
        _mois,
        estime=("porteurs", "territoires"),
    ),
    Indicateur(
        "lieux_actifs",
        "Lieux actifs",
        "lieux",
        Nature.STOCK,
        "nombre de SIRET de lieux ayant scanné",
        "Lieux de médiation ayant scanné au moins un pass sur la période.",
        _entier,
    ),
    Indicateur(
        "structures_distributrices",
        "Structures distributrices",
        "structures",
        Nature.STOCK,
        "nombre de SIRET ayant distribué",
        "Structures ayant remis au moins un pass sur la période.",
        _entier,
    ),
    Indicateur(
        "lieux_acceptant_pass",
        "Lieux acceptant le Pass",
        "lieux",
        Nature.STOCK,
        "nombre de lieux de la liste importée qui acceptent le Pass numérique",
        "Lieux de médiation numérique de la liste nationale importée (standard v0.1 / v0.2, data·inclusion) "
        "qui acceptent le Pass numérique, comptés dans la commune de leur adresse. État de la liste : ni "
        "la vague, ni le type de lauréat, ni la période ne le changent. « — » sans liste importée.",
        _entier,
        vues=("territoires",),
        sans_objet=SANS_OBJET_LIEUX,
    ),
    Indicateur(
        "lieux_pass_pour_10000_habitants",
        "Lieux acceptant le Pass pour 10 000 habitants",
        "lieux/10 000 hab.",
        Nature.RATIO,
        "lieux acceptant le Pass × 10 000 ÷ population du territoire",
        "Densité des lieux où utiliser un Pass, rapportée à toute la population du territoire (population "
        "municipale, COG 2026), couverte ou non par un lauréat.",
        lambda v: formatage.nombre(v, 2),
        _ratio("lieux_acceptant_pass", "population_territoire", 10_000.0),
        vues=("territoires",),
        sans_objet=SANS_OBJET_LIEUX,
        decimales=2,  # a few tenths per 10 000 inhabitants: one decimal would show most territories at 0,0
    ),
    Indicateur(
        "population_couverte",
        "Population couverte",
        "habitants",
        Nature.STOCK,
        "Σ population municipale des communes du périmètre",
        "Habitants du périmètre (COG 2026).",
        _entier,
    ),
    # The whole population of a territory (of the selected régions), the base of the places' density.
    Indicateur(
        "population_territoire",
        "Population du territoire",
        "habitants",
        Nature.STOCK,
        "Σ population municipale des communes du territoire",
        "Habitants du territoire, couverts ou non (COG 2026).",
        _entier,
        vues=("territoires",),
        visible=False,
    ),
    # The cohorts of the rates (dashboard.store.attribution): sums like the others, never shown.
    *(
        Indicateur(identifiant, libelle, "pass", Nature.STOCK, libelle, libelle, _entier, visible=False)
        for identifiant, libelle in (
            ("distribues_parmi_commandes", "Pass des commandes retenues distribués depuis"),
            ("utilises_parmi_commandes", "Pass des commandes retenues utilisés depuis"),
            ("utilises_parmi_distribues", "Pass distribués retenus utilisés depuis"),
        )
    ),
    # The steering of the State's money (dashboard.domain.enveloppes, dashboard.store.enveloppes):
    # computed per convention at a reference date, shown on the « Enveloppe » cards of the pages, not
    # as columns of the indicator table (defined on /methodologie, section « Enveloppes et objectifs »).
    *(
        Indicateur(
            identifiant,
            libelle,
            unite,
            nature,
            formule,
            definition,
            formater,
            vues=(),
            visible=False,
            sans_objet="suivi de l'enveloppe : carte « Enveloppe » des pages, calculée par convention",
        )
        for identifiant, libelle, unite, nature, formule, definition, formater in (
            (
                "subvention_consommee_eur",
                "Subvention État consommée",
                "€",
                Nature.STOCK,
                "min(part de l'État × Σ pass commandés × valeur faciale ; subvention engagée), par "
                "convention",
                "Part de la subvention de l'État que les pass commandés au titre de la convention mobilisent "
                "(part de l'État : 50 % en 2020, subvention ÷ budget en 2019 ; valeur faciale 10 € le pass) "
                "; plafonnée à la subvention engagée, le dépassement est signalé à part.",
                formatage.euros,
            ),
            (
                "subvention_restante_eur",
                "Subvention État restante",
                "€",
                Nature.STOCK,
                "subvention engagée − subvention consommée (≥ 0)",
                "Ce que la convention peut encore mobiliser par de nouvelles commandes de pass.",
                formatage.euros,
            ),
            (
                "part_subvention_consommee",
                "Part de la subvention consommée",
                "%",
                Nature.TAUX,
                "Σ subvention consommée ÷ Σ subvention engagée",
                "Part de la subvention engagée déjà mobilisée par les commandes de pass.",
                formatage.pourcentage,
            ),
            (
                "part_fenetre_ecoulee",
                "Part de la fenêtre écoulée",
                "%",
                Nature.TAUX,
                "(date de référence − date de convention) ÷ (fin de validité des derniers pass − date de "
                "convention), bornée à 0–100 %",
                "Part du temps écoulé de la fenêtre de la convention : de sa date à la fin de validité de "
                "ses derniers pass (31 décembre de l'année de commande, tolérance au 31 janvier suivant, ou "
                "la fin de validité des fichiers).",
                formatage.pourcentage,
            ),
            (
                "avancement_objectif",
                "Avancement vers l'objectif",
                "%",
                Nature.TAUX,
                "pass distribués ÷ pass prévus (objectif national de la vague quand il est fixé)",
                "Pass distribués au titre de la convention (premier entré, premier sorti entre ses "
                "commandes) rapportés aux pass prévus ; comparé à la part écoulée de la fenêtre, il donne "
                "le statut « en avance », « dans les temps » ou « en retard » (± 10 points).",
                formatage.pourcentage,
            ),
        )
    ),
    # The operator's liabilities: passes redeemed that it never paid back to the places (it went into
    # liquidation on 16/01/2024). Known only where the files say (optional column `rembourse`).
    Indicateur(
        "pass_non_rembourses",
        "Pass utilisés non remboursés",
        "pass",
        Nature.STOCK,
        "Σ pass utilisés dont le fichier d'utilisations dit « non remboursé » (colonne rembourse)",
        "Pass scannés dans un lieu de médiation que l'opérateur du programme, placé en liquidation le "
        "16/01/2024, n'a jamais remboursés au lieu. Comptés au lieu d'utilisation (vue « territoires ») ; "
        "avec un filtre de vague, au prorata des pass utilisés de la vague (les fichiers ne disent pas la "
        "vague d'un remboursement). « — » (non renseigné) quand aucun pass utilisé n'a l'information ; "
        "les lignes sans information n'y sont jamais comptées.",
        _entier,
        libelles_vue={"territoires": "Pass utilisés sur place non remboursés"},
    ),
    Indicateur(
        "montant_non_rembourse_eur",
        "Montant non remboursé aux lieux",
        "€",
        Nature.STOCK,
        f"pass utilisés non remboursés × {VALEUR_FACIALE_EUR:.0f} € (valeur faciale d'un pass)",
        "Ce que l'opérateur doit aux lieux de médiation pour les pass qu'ils ont acceptés, à la valeur "
        "faciale du pass. « — » (non renseigné) quand aucun pass utilisé n'a l'information.",
        formatage.euros,
        lambda c: c["pass_non_rembourses"] * VALEUR_FACIALE_EUR,
    ),
    # The base of the share of redemptions with the information: never shown.
    Indicateur(
        "pass_rembourses",
        "Pass utilisés remboursés",
        "pass",
        Nature.STOCK,
        "Σ pass utilisés dont le fichier d'utilisations dit « remboursé »",
        "Pass scannés que l'opérateur a remboursés au lieu.",
        _entier,
        visible=False,
    ),
)

PAR_ID: dict[str, Indicateur] = {i.id: i for i in INDICATEURS}

# Business thresholds of the "seuils fixes" classification (e.g. redemption < 40 % / 40–70 % / > 70 %).
SEUILS_METIER: dict[str, tuple[float, ...]] = {
    "taux_utilisation": (0.4, 0.7),
    "taux_distribution": (0.4, 0.7),
    "part_etat": (0.5, 0.6),
}
IDS: tuple[str, ...] = tuple(PAR_ID)
# What a laureate whose files report more passes redeemed than handed out (or handed out than ordered)
# does not get: its counts stay, these mean nothing.
TAUX_SANS_OBJET_SI_INCOHERENT = (
    "taux_distribution",
    "taux_utilisation",
    "euros_etat_par_pass_utilise",
    "delai_median_mois",
)
VISIBLES: tuple[Indicateur, ...] = tuple(i for i in INDICATEURS if i.visible)


def offerts(vue: str | None) -> tuple[Indicateur, ...]:
    """The indicators shown in the view `vue` (the porteurs view when None)."""
    return tuple(i for i in VISIBLES if (vue or "porteurs") in i.vues)


BASES: tuple[str, ...] = tuple(i.id for i in INDICATEURS if not i.est_derive)


def indicateur(identifiant: str) -> Indicateur:
    try:
        return PAR_ID[identifiant]
    except KeyError:
        raise ValueError(f"Indicateur inconnu « {identifiant} ».") from None


def calculer_derives(base: pd.DataFrame) -> pd.DataFrame:
    """Add every derived indicator to a table holding the base columns; infinities become no data.
    Columns are computed side by side and the frame is built once (inserting them one by one into a
    DataFrame costs more than the arithmetic)."""
    colonnes = {c: base[c] for c in base.columns}
    colonnes.update(derives({b: base[b].to_numpy(dtype=float) for b in BASES if b in base}))
    return pd.DataFrame(colonnes, index=base.index)


def derives(nombres: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every derived indicator, from the base columns' values (floats); infinities become no data."""
    colonnes = {}
    for ind in INDICATEURS:
        if ind.calcul is not None:
            valeurs = ind.calcul(nombres)
            colonnes[ind.id] = np.where(np.isfinite(valeurs), valeurs, np.nan)
    return colonnes


def chiffres_exacts(table: pd.DataFrame) -> bool:
    """No estimate in the selection: every row's figures are exact (column `chiffres_exacts`, see
    dashboard.store.indicateurs). An empty selection is no exact figure."""
    return bool(len(table)) and "chiffres_exacts" in table and bool(table["chiffres_exacts"].eq(True).all())


def est_exact(totaux: Mapping[str, float]) -> bool:
    """The totals (`totaliser`) or the row of a selection with no estimate in it."""
    valeur = totaux.get("chiffres_exacts", False)
    return bool(valeur) and not pd.isna(valeur)


def totaliser(table: pd.DataFrame) -> pd.Series:
    """Totals of a selection: stocks summed, rates and ratios recomputed from the sums (never averaged).
    The median delay cannot be summed: it stays "no data" here. `chiffres_exacts`: 1.0 when no figure
    of the selection is an estimate (`chiffres_exacts`), else 0.0 (when the table says)."""
    sommes = {b: np.array([v]) for b, v in _sommes(table).items()}
    sommes["delai_median_mois"] = np.array([np.nan])
    incoherents = table.get("donnees_incoherentes")
    totaux = {b: float(v[0]) for b, v in sommes.items()}
    for ind in INDICATEURS:
        if ind.calcul is not None:
            valeur = float(ind.calcul(sommes)[0])
            totaux[ind.id] = valeur if np.isfinite(valeur) else np.nan
    if len(table) and incoherents is not None and _tous_vrais(incoherents):
        for taux in TAUX_SANS_OBJET_SI_INCOHERENT:  # a flagged laureate alone: its funnel means nothing
            totaux[taux] = np.nan
    if "chiffres_exacts" in table:
        totaux["chiffres_exacts"] = float(chiffres_exacts(table))
    return pd.Series(totaux)


SOMMABLES = tuple(b for b in BASES if b != "delai_median_mois")


def _sommes(table: pd.DataFrame) -> dict[str, float]:
    """`_somme` of every summable base column, read from the frame at once (the totals are taken twice
    at every filter change): each column's values contiguous, summed as pandas sums one column."""
    colonnes = table[list(SOMMABLES)]
    if len(table) > 1 and any(t == np.dtype(object) for t in colonnes.dtypes):
        return {b: _somme(table[b]) for b in SOMMABLES}
    nombres = np.asfortranarray(colonnes.to_numpy(dtype=float, na_value=np.nan))
    inconnus = np.isnan(nombres)
    tous_inconnus = inconnus.all(axis=0) if len(table) else np.zeros(len(SOMMABLES), dtype=bool)
    remplis = np.where(inconnus, 0.0, nombres)
    return {
        b: np.nan if tous_inconnus[j] else float(np.ascontiguousarray(remplis[:, j]).sum())
        for j, b in enumerate(SOMMABLES)
    }


def _somme(valeurs: pd.Series) -> float:
    """The sum of the known values; unknown (NaN) when every value of a non-empty column is unknown
    (expired passes when no order says its end of validity). On the float values, as pandas sums them
    (unknown values as 0, then numpy's sum), without pandas' overhead per column: the totals are taken
    twice at every filter change."""
    if valeurs.dtype == object:  # a frame built from loose values (a row of a page)
        if len(valeurs) and valeurs.isna().all():
            return np.nan
        return float(valeurs.sum())
    nombres = valeurs.to_numpy(dtype=float, na_value=np.nan)
    inconnus = np.isnan(nombres)
    if len(nombres) and inconnus.all():
        return np.nan
    return float(np.where(inconnus, 0.0, nombres).sum())


def _tous_vrais(valeurs: pd.Series) -> bool:
    """`valeurs.fillna(False).all()`: no data counts as false."""
    if valeurs.dtype == bool:
        return bool(valeurs.to_numpy().all())
    return bool(valeurs.fillna(False).all())


# --- Forecasts (dashboard.store.prevision): per laureate, always estimated, never summed from the
# aggregates nor offered on the map; listed on /methodologie after the others. ---------------------------


def _mois(valeur) -> str:
    return "" if valeur is None or pd.isna(valeur) else f"{valeur:%m/%Y}"


INDICATEURS_PREVISION: tuple[Indicateur, ...] = (
    Indicateur(
        "pass_expirant_prevus",
        "Pass qui expireront sans être utilisés",
        "pass",
        Nature.STOCK,
        "Σ commandes valables à la date des données : pass ni utilisés (ni distribués) à leur échéance",
        "Prévision (estimée) : pass des commandes encore valables (fin de validité de la commande, sinon "
        "31/12 de l'année suivante) que le rythme observé ne fera pas utiliser avant l'échéance ; "
        "recrédités au commanditaire. Fourchette : intervalle à 80 % (pass_expirant_bas, _haut).",
        _entier,
        visible=False,
        estime=("porteurs", "territoires"),
    ),
    Indicateur(
        "etat_risque_eur",
        "Argent de l'État à risque à l'expiration",
        "€",
        Nature.STOCK,
        "Σ pass qui expireront × valeur faciale × part de l'État (2020 : 50 % ; 2019 : subvention ÷ budget)",
        "Prévision (estimée) de la part de l'État des pass qui expireront sans être utilisés, au plus la "
        "subvention engagée. Fourchette : intervalle à 80 % (etat_risque_bas_eur, _haut_eur).",
        formatage.euros,
        visible=False,
        estime=("porteurs", "territoires"),
    ),
    Indicateur(
        "mois_rupture_stock",
        "Épuisement du stock commandé",
        "mois",
        Nature.DUREE,
        "premier mois où les distributions prévues atteignent le stock valable non distribué",
        "Prévision (estimée) : distributions au rythme des 6 derniers mois du lauréat, amorti par la "
        "tendance des lauréats comparables ; aucun mois si le stock expire avant d'être épuisé. "
        "Fourchette : intervalle à 80 %.",
        _mois,
        visible=False,
        estime=("porteurs", "territoires"),
    ),
    Indicateur(
        "mois_fin_enveloppe",
        "Enveloppe de l'État consommée",
        "mois",
        Nature.DUREE,
        "mois des données + subvention restante ÷ (part de l'État des commandes des 12 derniers mois ÷ 12)",
        "Prévision (estimée) : commandes au rythme des 12 derniers mois contre la subvention restante "
        "(subvention engagée − part de l'État des montants commandés) ; aucun mois sans commande récente. "
        "Fourchette : intervalle à 80 %.",
        _mois,
        visible=False,
        estime=("porteurs", "territoires"),
    ),
)
