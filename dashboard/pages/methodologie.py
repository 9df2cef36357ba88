"""Methodology `/methodologie`: the definition and formula of every indicator (read from the registry, so
the page cannot drift from the code), the sources and the caveats of the estimates."""

from __future__ import annotations

from dash import html

from dashboard.components.enveloppe import methode_enveloppes
from dashboard.components.tableau import tableau_html
from dashboard.components.vigilance import methode as methode_vigilance
from dashboard.domain import calendrier, secret
from dashboard.domain.classification import PART_ZEROS
from dashboard.domain.formatage import euros, pourcentage
from dashboard.domain.indicateurs import INDICATEURS_PREVISION, SEUILS_METIER, VISIBLES, Nature, indicateur
from dashboard.exports.estampille import SOURCE_DONNEES, SOURCES_GEOGRAPHIE
from dashboard.exports.tableurs import DECIMALES_TAUX
from dashboard.store.entites import FACTEUR_PAIRS
from dashboard.vues import passif
from dashboard.vues.comite import METHODE as METHODE_COMITE

NATURES = {
    Nature.STOCK: "stock (cercles proportionnels sur la carte)",
    Nature.TAUX: "taux (aplats classés)",
    Nature.RATIO: "ratio (aplats classés)",
    Nature.DUREE: "durée (aplats classés)",
}


def _indicateurs() -> html.Table:
    lignes = [
        html.Tr(
            [
                html.Th(i.libelle, scope="row"),
                html.Td(i.unite),
                html.Td(NATURES[i.nature]),
                html.Td(html.Code(i.formule, className="formule")),
                html.Td(i.definition),
            ],
            id=f"methode-{i.id}",
        )
        for i in VISIBLES
    ]
    return tableau_html(
        ["Indicateur", "Unité", "Nature", "Formule", "Définition"], lignes, id="methode-indicateurs"
    )


def _indicateurs_prevision() -> html.Table:
    lignes = [
        html.Tr(
            [
                html.Th(f"{i.libelle} (estimé)", scope="row"),
                html.Td(i.unite),
                html.Td(html.Code(i.formule, className="formule")),
                html.Td(i.definition),
            ],
            id=f"methode-{i.id}",
        )
        for i in INDICATEURS_PREVISION
    ]
    return tableau_html(["Prévision", "Unité", "Formule", "Définition"], lignes, id="methode-previsions")


PREVISION = (
    "Méthode : par lauréat, après le dernier mois des données. Distributions futures : le rythme des 6 "
    "derniers mois du lauréat, amorti chaque mois par la tendance des lauréats comparables (même type, même "
    "vague : leurs 3 derniers mois contre les 3 précédents), ralenti dans les 6 derniers mois avant "
    "l'échéance de la commande comme l'ont été les commandes échues des lauréats comparables, et borné par "
    "le stock commandé encore valable (premier entré, premier sorti ; aucun pass distribué après "
    "l'échéance de sa commande). Utilisations futures : les pass distribués et pas encore utilisés de "
    "chaque mois suivent la courbe de cohorte des lauréats comparables (part d'un mois de distribution "
    "utilisée k mois après), recalée sur le taux d'utilisation propre du lauréat, jamais après "
    "l'échéance. Un pass ni utilisé ni distribué à l'échéance expire et est recrédité au commanditaire : "
    "× valeur faciale × part de l'État (2020 : 50 % ; 2019 : subvention ÷ budget), c'est l'argent de "
    "l'État à risque, au plus la subvention engagée.",
    "Intervalle (80 %) : 200 tirages par rééchantillonnage (bootstrap, graine fixe : mêmes résultats à "
    "chaque calcul) des lauréats comparables (courbe, tendance, ralentissement) et des mois du lauréat "
    "(son rythme et la variation d'un mois à l'autre) ; la prévision est le tirage médian, la fourchette "
    "va du 10e au 90e centile. Il ne mesure pas les ruptures (un lauréat qui s'arrête, une nouvelle "
    "commande) ni ce qui touche tous les lauréats à la fois : au national, il est trop étroit.",
    "Erreur mesurée (back-test, bench/prevision.py) : démonstration nationale coupée au 30/06/2023, "
    "juillet–décembre 2023 prévus puis comparés à la réalité. Au national, erreur absolue moyenne de "
    "1 228 pass utilisés par mois (MAPE pondérée 20,8 %) contre 4 380 (74,3 %) pour la prévision naïve "
    "« comme le mois dernier », et 2 405 pass distribués (63,5 %) contre 9 293 (245,3 %) ; par lauréat "
    "et par mois, 11 pass utilisés contre 29, et 17 pass distribués contre 60. Couverture de "
    "l'intervalle à 80 % : 80 % des valeurs mensuelles par lauréat (utilisés), 72 % (distribués) ; au "
    "national, aucun des 6 mois.",
    "Toutes ces valeurs sont estimées (« estimé » à côté de chacune) : une projection du rythme observé, "
    "pas un engagement ; les pass millésimés gardent la tolérance de leur commande (31/01).",
)


def _seuils() -> str:
    return "; ".join(
        f"{indicateur(i).libelle[:1].lower()}{indicateur(i).libelle[1:]} : "
        + " / ".join(pourcentage(s, 0) for s in seuils)
        for i, seuils in SEUILS_METIER.items()
    )


INTRODUCTION = (
    "Chaque chiffre du tableau de bord vient d'un seul registre d'indicateurs : le tableau ci-dessous est lu "
    "dans ce registre, il ne peut pas s'écarter du calcul."
)
TOTAUX = (
    "Totaux d'une sélection : les stocks sont additionnés, les taux et ratios recalculés à partir des sommes "
    "(jamais moyennés). « — » signifie « sans donnée », distinct de zéro."
)
VUES = (
    "Porteurs : une ligne par lauréat, sur son périmètre (région, département, EPCI ; celui d'un syndicat "
    "mixte est l'union des territoires de ses membres).",
    "Territoires : les distributions et utilisations sont comptées dans la commune où elles ont eu lieu, "
    "puis agrégées par EPCI, département ou région ; les communes sans EPCI forment la ligne « Communes "
    "hors EPCI », si bien que les trois niveaux ont les mêmes totaux.",
    "Budgets, subventions et commandes n'ont pas de lieu : dans la vue territoires, ils sont répartis entre "
    "les territoires du périmètre au prorata de leur population. Le taux de distribution et le coût État "
    "par pass utilisé n'y sont pas proposés : ils n'ont pas de sens par lieu.",
    "Taux d'utilisation (estimé) d'un territoire : la part des pass distribués dans le territoire qui ont "
    "été utilisés, où que ce soit, estimée par Σ des lauréats (pass distribués dans le territoire × taux "
    "d'utilisation du lauréat) ; jamais plus de 100 %. Les pass utilisés dans le territoire restent un "
    "stock (« pass utilisés sur place », en cercles).",
    "Filtre de région : seul ce qui se trouve dans les régions choisies est compté (un EPCI à cheval sur "
    "deux régions compte ses communes de la région) ; les cartes de chiffres décrivent toujours la même "
    "sélection que la carte et le tableau.",
)
ADDITIVITE = (
    "Vagues : une commande appartient à la vague que donne son fichier (colonne « vague », facultative), "
    "sinon à la convention en vigueur à sa date (la dernière signée avant elle ; une commande plus "
    "ancienne que toutes appartient à la première). Les pass distribués puis utilisés "
    "suivent leurs commandes, premier commandé, premier distribué, premier utilisé ; au-delà des pass "
    "commandés, ils vont à la vague de la dernière commande. Vague 2019 + vague 2020 = toutes vagues, pour "
    "chaque chiffre.",
    "Période : seuls les flux datés de la période comptent — pass commandés (date de commande), distribués "
    "et utilisés (mois de l'événement), expirés (fin de validité). Les montants d'une période sont la part "
    "de chaque convention au prorata de ses pass commandés dans la période ; la subvention versée, non "
    "datée, y est « — ». Une période « depuis » ou « jusqu'à » n'a qu'une borne.",
    "Taux : jamais un flux divisé par un stock d'une autre période. Le taux de distribution est la part des "
    "pass des commandes retenues qui ont été distribués depuis ; le taux d'utilisation, la part des pass "
    "distribués retenus qui ont été utilisés depuis ; le coût État par pass utilisé divise la subvention "
    "par les pass de ses commandes utilisés depuis. Chacun reste entre 0 et 100 %.",
    "Données incohérentes : un lauréat dont les fichiers déclarent plus de pass utilisés que distribués, ou "
    "distribués que commandés, garde ses comptes dans les totaux mais n'a ni taux ni délai ; il est dessiné "
    "à part (orange), hors des classes de la carte, des classements, des pairs et des médianes.",
)
ESTIMATIONS = (
    "Sans numéros de pass, les fichiers de l'opérateur ne suivent pas les pass un à un (comptes mensuels) : "
    "Le délai médian distribution → utilisation et les courbes de cohortes apparient les "
    "utilisations aux distributions les plus anciennes (premier distribué, premier utilisé), "
    "sur les pass distribués ramenés au taux d'utilisation de l'entité : avec un délai et un "
    "taux constants, le délai est retrouvé exactement ; chaque courbe de cohorte plafonne au "
    "taux d'utilisation.",
    "Pass expirés : pour chaque commande dont la validité est échue à la date des données, ses pass moins "
    "ceux qui ont été utilisés (premier commandé, premier utilisé) ; « — » quand aucune commande ne donne "
    "sa fin de validité.",
    f"Pairs comparables : même type (même niveau, même nature d'EPCI, ou lauréats de même type) et "
    f"population entre 1/{FACTEUR_PAIRS:g} et {FACTEUR_PAIRS:g} fois celle de l'entité (à défaut, les "
    "populations les plus proches).",
)
NUMEROS = (
    "Quand les fichiers portent les numéros des pass (colonnes premier_numero et dernier_numero, ou "
    "numero_cheque, numero_pass), chaque pass utilisé est rattaché à sa commande (donc à sa vague et à sa "
    "fin de validité), à sa distribution (mois, commune) et à son utilisation (mois) : la répartition par "
    "vague, les pass d'une commande distribués et utilisés, les pass expirés (non utilisés à la fin de "
    "validité de leur commande), le délai médian (du mois de distribution au mois d'utilisation de chaque "
    "pass), les cohortes et le taux d'utilisation d'un territoire (pass distribués dans le territoire puis "
    "utilisés, où que ce soit) sont alors des comptes, non des estimations.",
    "Un lauréat est numéroté quand toutes ses commandes, distributions et utilisations portent des "
    "numéros cohérents (une plage par ligne, de la longueur de ses pass, dans ses commandes, sans pass "
    "distribué ou utilisé deux fois). Un fichier peut mêler lignes numérotées et non numérotées, mais un "
    "lauréat qui a des lignes sans numéros reste estimé en entier (premier entré, premier sorti).",
    "Un chiffre est dit « exact » quand tous les lauréats de la sélection sont numérotés (ou n'ont ni "
    "distribué ni utilisé de pass), « estimé » sinon : dans les titres des indicateurs concernés (taux "
    "d'utilisation d'un territoire, pass expirés, délai médian), l'entonnoir, les cartes de chiffres, les "
    "courbes de cohortes et les exports (colonne « Chiffres exacts (pass numérotés) » ; `chiffres_exacts` "
    "de passnum indicateurs).",
)
GEOGRAPHIE = (
    "Contours simplifiés une seule fois (tolérance de 1 km), sur les communes d'un même EPCI dans un même "
    "département, puis fusionnés : les limites des régions, des départements et des EPCI coïncident, sans "
    "interstice entre niveaux, et les îles sans EPCI (Bréhat, Sein, Ouessant, Yeu) restent dans leur "
    "département et leur région."
)
LEGENDE = (
    f"Quand au moins {pourcentage(PART_ZEROS, 0)} des valeurs sont exactement nulles, les zéros forment une "
    "classe à part (« 0,0 % ») et les autres classes se partagent les valeurs non nulles.",
    "Une classe dont les deux bornes s'écrivent de la même façon est dite d'une seule valeur (« 50,0 % ») ; "
    "une classe vide est dite (« aucun département »).",
    "Deux classes calculées (quantiles, Jenks, intervalles égaux) dont les valeurs se lisent de la "
    "même façon à la précision affichée (plusieurs EPCI au taux de leur lauréat : « 19,4 % » et "
    "« 19,4 % ») n'en font qu'une : la légende ne montre jamais deux classes qu'elle ne sait pas "
    "distinguer. Les seuils choisis (seuils métier, classes figées) sont gardés tels quels.",
    "Les lauréats aux données incohérentes sont laissés hors des classes et de leurs bornes (un taux "
    "au-delà de 100 % n'étire plus la dernière classe) ; la légende les compte à part.",
)
ARRONDIS = (
    f"Les montants sont arrondis au centime le plus proche, 0,5 vers le haut ({euros(21.625, centimes=True)} "
    "pour 21,625 €) ; les grands montants sont affichés à l'euro, de la même façon.",
    "Les taux sont affichés au dixième de point le plus proche, 0,05 vers le haut "
    f"({pourcentage(0.1225)} pour 12,25 %) ; les délais au dixième de mois, les nombres de pass à l'unité, "
    "de la même façon.",
    "Les exports CSV et XLSX portent les valeurs arrondies de la même façon : euros au centime, pass en "
    f"nombres entiers, taux en fractions à {DECIMALES_TAUX} décimales (0,458 pour 45,8 %, le dixième de "
    "point affiché), délais au dixième de mois.",
    "Une part d'un total réparti (une commande ou une subvention partagée entre territoires au prorata de "
    "la population) est arrondie au plus fort reste : les parts d'un lauréat, en pass entiers et en "
    "euros au centime, font exactement son total.",
)
FICHIERS = (
    "Codes communes de tout millésime depuis 2015 : un ancien code (commune nouvelle, fusion, changement de "
    "département), une commune déléguée ou associée, un arrondissement municipal de Paris, Lyon ou Marseille "
    "est rattaché à la commune actuelle qui le contient (COG 2026) ; le rapport d'import le dit ligne par "
    "code converti et le code écrit est gardé à côté. Un code qui n'a jamais existé est refusé.",
    "Chiffres : seuls les chiffres 0 à 9 sont lus, dans les dates comme dans les nombres et les codes ; une "
    "valeur écrite avec d'autres chiffres (arabes orientaux « ١٢ », pleine chasse « １２ ») est refusée et "
    "nommée dans le rapport. Encodage : un fichier entier en UTF-8 ou en Windows-1252 ; un mélange des deux "
    "est refusé (ses accents seraient déformés), avec les lignes en cause. Les numéros de ligne sont ceux "
    "du fichier, une valeur entre guillemets sur plusieurs lignes comprise.",
)
LIEUX = (
    "Source : la liste des lieux de médiation numérique importée (passnum import lieux ou page Données) au "
    "standard national v0.1 ou v0.2 ou au schéma des services de data·inclusion. Un import ajoute les lieux "
    "nouveaux et met à jour ceux de même identifiant, sauf si la base en a une mise à jour plus récente ; "
    "les lieux absents du fichier restent.",
    "Un lieu accepte le Pass quand son fichier le dit : conditions d'accès « Accepte le Pass numérique » "
    "(v0.1), label APTIC, dispositif « Pass numérique » (v0.2), frais « pass-numerique » (data·inclusion). "
    "Le motif est gardé pour chaque lieu ; services d'une même structure data·inclusion : un seul lieu.",
    "Il est compté dans la commune de son adresse (code INSEE de tout millésime ramené à la commune "
    "actuelle, à défaut code postal et nom de la commune), donc dans un seul EPCI, département et région : "
    "les trois niveaux ont le même total.",
    "C'est un état de la liste, pas un flux : ni la vague, ni le type de lauréat, ni la subvention, ni la "
    "période ne le changent ; le filtre de région ne garde que les lieux des régions choisies. Un territoire "
    "qui a un lieu acceptant le Pass a sa ligne dans la vue territoires, même sans activité.",
    "Lieux pour 10 000 habitants : rapportés à toute la population du territoire ; pour une sélection, "
    "Σ des lieux ÷ Σ de la population des territoires listés (jamais une moyenne de densités).",
    "Vue porteurs : non proposés — un lieu accueille tout porteur de Pass, quel que soit le lauréat, et les "
    "périmètres se recouvrent (une région, un département, un EPCI du même lieu) : compter les lieux par "
    "lauréat compterait plusieurs fois le même lieu.",
    "Page d'un territoire : les lieux où des pass ont été utilisés (SIRET des fichiers d'utilisation) sont "
    "rapprochés de la liste par leur SIRET (acceptant le Pass, dans la liste sans mention du Pass, absents) "
    "; les lignes sans SIRET ne peuvent pas l'être. Communes sans lieu : communes où des pass ont été "
    "distribués (toute la période) dont l'EPCI n'a aucun lieu acceptant le Pass dans la liste (pour une "
    "commune hors EPCI, la commune elle-même).",
)
RAPPORT_COMITE = (
    "Rapport de comité (passnum rapport --comite AAAA-MM-JJ) : la synthèse nationale est celle de la "
    "carte (vue porteurs, sans filtre, à la date des données), chiffre par chiffre la somme de passnum "
    "indicateurs --niveau porteur.",
    "« Comité précédent » : le dernier comité enregistré avant celui du rapport ; ses chiffres sont ceux "
    "du filtre de période « jusqu'à » son mois (commandes, distributions, utilisations et montants "
    "jusqu'à la fin de ce mois), lus dans les données d'aujourd'hui : un fichier importé depuis pour un "
    "mois ancien les change. Ses taux portent sur les pass distribués (commandés, pour le taux de "
    "distribution) jusqu'à ce mois, et comptent ceux d'entre eux utilisés (distribués) depuis, jusqu'à la "
    "date des données : ce ne sont pas les taux qu'affichait le tableau de bord ce jour-là.",
    "Écart : chiffre d'aujourd'hui moins celui du comité précédent, arrondi comme affiché ; en points de "
    "pourcentage pour un taux.",
    "Notes du comité : les notes datées après le comité précédent et jusqu'au jour du comité, hors notes "
    "supprimées.",
)
EXPORTS = (
    "Chaque export (CSV, XLSX, PNG) porte ses filtres, la date des données et la source ; les données de "
    "démonstration sont signalées comme fictives partout."
)


def layout(_contexte=None, /, **_params) -> html.Div:
    classes = (
        "Quantiles (effectifs égaux), seuils naturels de Jenks, intervalles égaux, ou seuils métier ("
        f"{_seuils()}). Les classes peuvent être figées pendant que les filtres changent ; la légende donne "
        "les bornes et l'effectif de chaque classe."
    )
    return html.Div(
        [
            html.H1("Méthodologie", className="h3 mt-3"),
            html.P(INTRODUCTION),
            html.H2("Indicateurs", className="h5 mt-4"),
            html.Div(_indicateurs(), className="table-responsive"),
            html.P(TOTAUX, className="small"),
            methode_enveloppes(),
            html.H2("Deux vues des mêmes données", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in VUES]),
            html.H2("Des chiffres qui s'additionnent", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in ADDITIVITE], id="methode-additivite"),
            html.H2("Lieux de médiation numérique", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in LIEUX], id="methode-lieux"),
            html.H2("Estimations", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in ESTIMATIONS]),
            html.H2("Prévisions (estimées)", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in PREVISION], id="methode-prevision"),
            html.Div(_indicateurs_prevision(), className="table-responsive"),
            html.H2("Chiffres exacts : les numéros de pass", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in NUMEROS], id="methode-numeros"),
            html.H2("Calendrier des remontées", className="h5 mt-4", id="methode-calendrier"),
            html.P(calendrier.DEFINITION_SCORE, id="methode-score-completude"),
            html.Ul([html.Li(t) for t in calendrier.REGLES], id="methode-calendrier-regles"),
            html.H2("Secret statistique", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in secret.METHODE], id="methode-secret"),
            html.H2("Passif de l'opérateur", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in passif.METHODE], id="methode-passif"),
            html.H2("Classes de la carte", className="h5 mt-4"),
            html.P(classes),
            html.Ul([html.Li(t) for t in LEGENDE]),
            *methode_vigilance(),
            html.H2("Depuis le dernier comité", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in METHODE_COMITE], id="methode-comite"),
            html.H2("Arrondis", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in ARRONDIS]),
            html.H2("Rapport de comité", className="h5 mt-4"),
            html.Ul([html.Li(t) for t in RAPPORT_COMITE], id="methode-rapport-comite"),
            html.H2("Sources", className="h5 mt-4"),
            html.Ul(
                [
                    html.Li(f"Données du programme : {SOURCE_DONNEES}."),
                    html.Li(
                        f"Géographie : {SOURCES_GEOGRAPHIE} (détail dans data/geo/SOURCES.md). {GEOGRAPHIE}"
                    ),
                    *(html.Li(t) for t in FICHIERS),
                    html.Li(EXPORTS),
                ]
            ),
        ],
        id="methodologie",
    )


PAGES = [
    {
        "module": "methodologie",
        "path": "/methodologie",
        "title": "Méthodologie — Pass numérique",
        "name": "Méthodologie",
        "layout": layout,
    }
]
