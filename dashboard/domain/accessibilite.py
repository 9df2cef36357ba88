"""The accessibility statement (RGAA 4.1) as data: the criteria that apply to this product, each with its
status and the ids of the tests that check it, the non-conformities with their workaround, the pages
audited, the method, the tools, the contact and the remedies. The page /accessibilite renders it; a unit
test checks that every test it cites exists in the suite: the statement says only what the tests prove.

Also the WCAG 2.1 contrast ratio (relative luminance), which the contrast tests of the palettes and of the
CSS theme use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Statut(Enum):
    CONFORME = "conforme"
    NON_CONFORME = "non conforme"
    NON_APPLICABLE = "non applicable"


@dataclass(frozen=True)
class Critere:
    numero: str  # RGAA 4.1, « thème.critère »
    intitule: str
    statut: Statut
    tests: tuple[str, ...]  # the test functions that check it (names in tests/)
    non_conformite: str | None = None  # what is not met (NON_CONFORME)
    contournement: str | None = None  # how to reach the same information meanwhile
    motif: str | None = None  # why it does not apply (NON_APPLICABLE)


# The tests the statement leans on (tests/browser, tests/unit): one name for each, cited below.
AXE_PAGES = (
    "test_rga001_axe_sans_violation_chaque_page_ordinateur",
    "test_rga002_axe_sans_violation_chaque_page_telephone",
)
PA11Y = ("test_rga010_pa11y_htmlcs_wcag2aa_chaque_page",)
MOTEURS = AXE_PAGES + PA11Y
CLAVIER = (
    "test_nav004_lien_d_evitement_au_clavier",
    "test_nat004_filtres_au_clavier_seul",
    "test_clv001_exporter_le_tableau_au_clavier",
    "test_clv002_descendre_dans_une_region_au_clavier",
    "test_tab103_choix_des_colonnes_au_clavier_garde_dans_l_adresse",
    "test_fic105_ajouter_et_retirer_au_clavier_l_adresse_suit",
    "test_pre101_au_clavier_chaque_diapo",
    "test_rch101_en_tete_au_clavier_taper_descendre_entree",
    "test_clv003_importer_un_fichier_au_clavier",
)

# The charts (dcc.Graph ids, a slide's number removed) that have no text alternative: none. Each chart's
# values are written out in a hidden paragraph it names (assets/graphique-description.js), each map is
# described by its summary sentence and its legend, its values are in the table. test_rga003 fails on a
# chart without any, unless it is declared here (and under criterion 1.6, as a non-conformity).
GRAPHIQUES_SANS_ALTERNATIVE: frozenset[str] = frozenset()

# The pa11y errors the statement declares (criterion 11.13): (page, HTML_CodeSniffer code, selector).
# test_rga010 fails on any other error, and on one of these that is gone (then the statement must change).
ERREURS_PA11Y_DECLAREES: frozenset[tuple[str, str, str]] = frozenset()

CRITERES: tuple[Critere, ...] = (
    Critere(
        "1.1",
        "Chaque image porteuse d'information a-t-elle une alternative textuelle ?",
        Statut.CONFORME,
        (*MOTEURS, "test_rga003_chaque_graphique_a_son_alternative_textuelle"),
    ),
    Critere(
        "1.6",
        "Chaque image porteuse d'information a-t-elle, si nécessaire, une description détaillée ?",
        Statut.CONFORME,
        ("test_rga003_chaque_graphique_a_son_alternative_textuelle",),
    ),
    Critere(
        "2.1",
        "Chaque cadre a-t-il un titre de cadre ?",
        Statut.NON_APPLICABLE,
        ("test_rga005_ni_cadre_ni_media",),
        motif="Aucune page ne contient de cadre (iframe).",
    ),
    Critere(
        "3.1",
        "Dans chaque page web, l'information ne doit pas être donnée uniquement par la couleur.",
        Statut.CONFORME,
        (
            "test_nav001_carte_nationale_des_departements",
            "test_cal201_grille_lisible_sans_la_couleur_filtres_et_relance",
        ),
    ),
    Critere(
        "3.2",
        "Dans chaque page web, le contraste entre la couleur du texte et la couleur de son arrière-plan "
        "est-il suffisamment élevé ?",
        Statut.CONFORME,
        (*MOTEURS, "test_ctr001_couleurs_de_texte_du_theme_contrastees"),
    ),
    Critere(
        "3.3",
        "Dans chaque page web, les couleurs utilisées dans les composants d'interface ou les éléments "
        "graphiques porteurs d'informations sont-elles suffisamment contrastées ?",
        Statut.NON_CONFORME,
        ("test_ctr002_classes_de_la_carte_contre_le_fond", "test_ctr003_reperes_graphiques_contrastes"),
        non_conformite=(
            "Carte : les classes claires de la palette séquentielle du DSFR (de #DBDAFF jusqu'au bleu "
            "moyen), le gris « sans donnée » (#A6A6A6, 2,4:1) et l'orange « données incohérentes » "
            "(#E4794A, 2,9:1) n'atteignent pas un contraste de 3:1 contre le fond blanc ; deux classes "
            "voisines ne se distinguent pas entre elles à 3:1."
        ),
        contournement=(
            "Chaque valeur de la carte est aussi dans le tableau synchronisé sous la carte (triable, "
            "cherchable, « données incohérentes » écrit en toutes lettres), dans la légende (bornes et "
            "effectif de chaque classe, en texte), dans la phrase de synthèse et dans les exports CSV et "
            "XLSX ; le survol et la page de chaque territoire donnent la valeur en clair."
        ),
    ),
    Critere(
        "4.1",
        "Chaque média temporel pré-enregistré a-t-il, si nécessaire, une transcription textuelle ou une "
        "audiodescription ?",
        Statut.NON_APPLICABLE,
        ("test_rga005_ni_cadre_ni_media",),
        motif="Aucune page ne contient de vidéo ni de son.",
    ),
    Critere(
        "5.6",
        "Pour chaque tableau de données, chaque en-tête de colonnes et chaque en-tête de lignes sont-ils "
        "correctement déclarés ?",
        Statut.CONFORME,
        MOTEURS,
    ),
    Critere(
        "5.7",
        "Pour chaque tableau de données, la technique appropriée permettant d'associer chaque cellule avec "
        "ses en-têtes est-elle utilisée ?",
        Statut.CONFORME,
        MOTEURS,
    ),
    Critere("6.1", "Chaque lien est-il explicite ?", Statut.CONFORME, MOTEURS),
    Critere("6.2", "Dans chaque page web, chaque lien a-t-il un intitulé ?", Statut.CONFORME, MOTEURS),
    Critere(
        "7.1",
        "Chaque script est-il, si nécessaire, compatible avec les technologies d'assistance ?",
        Statut.CONFORME,
        MOTEURS,
    ),
    Critere(
        "7.3",
        "Chaque script est-il contrôlable par le clavier et par tout dispositif de pointage ?",
        Statut.CONFORME,
        CLAVIER,
    ),
    Critere(
        "8.3", "Dans chaque page web, la langue par défaut est-elle présente ?", Statut.CONFORME, MOTEURS
    ),
    Critere("8.5", "Chaque page web a-t-elle un titre de page ?", Statut.CONFORME, MOTEURS),
    Critere(
        "9.1",
        "Dans chaque page web, l'information est-elle structurée par l'utilisation appropriée de titres ?",
        Statut.CONFORME,
        MOTEURS,
    ),
    Critere(
        "9.3",
        "Dans chaque page web, chaque liste est-elle correctement structurée ?",
        Statut.CONFORME,
        MOTEURS,
    ),
    Critere(
        "10.4",
        "Dans chaque page web, le texte reste-t-il lisible lorsque la taille des caractères est augmentée "
        "jusqu'à 200 %, au moins ?",
        Statut.CONFORME,
        ("test_rga004_zoom_200_pourcent_sans_perte",),
    ),
    Critere(
        "10.7",
        "Dans chaque page web, pour chaque élément recevant le focus, la prise de focus est-elle visible ?",
        Statut.CONFORME,
        ("test_clv001_exporter_le_tableau_au_clavier", "test_clv002_descendre_dans_une_region_au_clavier"),
    ),
    Critere("11.1", "Chaque champ de formulaire a-t-il une étiquette ?", Statut.CONFORME, MOTEURS),
    Critere(
        "11.13",
        "La finalité d'un champ de saisie peut-elle être déduite pour faciliter le remplissage automatique "
        "des champs avec les données de l'utilisateur ?",
        Statut.CONFORME,
        PA11Y,
    ),
    Critere(
        "12.6",
        "Les zones de regroupement de contenus présentes dans plusieurs pages web (en-tête, navigation "
        "principale, contenu principal, pied de page, moteur de recherche) peuvent-elles être atteintes ou "
        "évitées ?",
        Statut.CONFORME,
        (*AXE_PAGES, "test_nav004_lien_d_evitement_au_clavier"),
    ),
    Critere(
        "12.7",
        "Dans chaque page web, un lien d'évitement ou d'accès rapide à la zone de contenu principal est-il "
        "présent ?",
        Statut.CONFORME,
        ("test_nav004_lien_d_evitement_au_clavier",),
    ),
    Critere(
        "12.9",
        "Dans chaque page web, la navigation ne doit pas contenir de piège au clavier.",
        Statut.CONFORME,
        (*CLAVIER, "test_dsf002_le_tiroir_des_filtres_s_ouvre_marche_et_se_ferme_sur_echap"),
    ),
    Critere(
        "13.1",
        "Pour chaque page web, l'utilisateur a-t-il le contrôle de chaque limite de temps modifiant le "
        "contenu ?",
        Statut.CONFORME,
        ("test_pre102_un_lien_ouvre_sa_diapo_et_le_minuteur_avance",),
    ),
)

PAGES_AUDITEES: tuple[tuple[str, str], ...] = (
    ("Carte nationale", "/"),
    ("Page d'un territoire (département du Finistère)", "/territoire/departement/29"),
    ("Page d'un lauréat", "/porteur/242900314"),
    ("Comparer", "/comparer?ids=departement:29,departement:56"),
    ("Mode présentation", "/presentation"),
    ("Données", "/donnees"),
    ("Méthodologie", "/methodologie"),
    ("Points de vigilance", "/vigilance"),
    ("Calendrier des remontées", "/calendrier"),
    ("Déclaration d'accessibilité", "/accessibilite"),
    ("Connexion", "/connexion"),
)

DATE_AUDIT = "05/12/2026"
REFERENTIEL = "RGAA 4.1 (critères évalués ci-dessous), niveau WCAG 2.1 AA"
ETAT = "partiellement conforme"
# A placeholder mailbox: the administration that deploys the dashboard puts its own here.
CONTACT = "accessibilite@pass-numerique.example"

OUTILS: tuple[str, ...] = (
    "axe-core 4.12.1 (paquet PyPI axe-playwright-python 0.1.8), toutes ses règles, sur chaque page "
    "en 1920×1080 et en 390×844",
    "pa11y 9.1.1 avec HTML_CodeSniffer 2.6.0 (@pa11y/html_codesniffer), norme WCAG2AA, sur chaque page",
    "Chromium de Debian (156), sans interface, piloté par Selenium 4 et chromedriver",
    "Parcours au clavier seul (Tab, Entrée, Espace, flèches, Échap) des tâches : filtrer, descendre dans "
    "une région, exporter, comparer, présenter, importer un fichier",
    "Calcul des contrastes (luminance relative des WCAG 2.1) de chaque couleur de palette, de classe de la "
    "carte et du thème CSS contre son fond",
)

METHODE: tuple[str, ...] = (
    "L'audit est fait par la suite de tests du dépôt, à chaque changement : chaque critère ci-dessous "
    "nomme les tests qui le vérifient, et un test vérifie que chacun de ces tests existe. Un critère que "
    "les tests ne vérifient pas n'est pas déclaré.",
    "Deux moteurs automatiques lisent chaque page une fois rendue, ses grilles et graphiques chargés : "
    "axe-core sur un écran d'ordinateur et sur un écran de téléphone, HTML_CodeSniffer sur un écran "
    "d'ordinateur. La page de connexion et cette déclaration sont aussi lues sans compte.",
    "Des parcours au clavier seul vérifient le résultat de chaque tâche (adresse, état de la page, fichier "
    "téléchargé) ; un zoom à 200 % (fenêtre de 960×540 pixels CSS) vérifie qu'aucun contenu ni "
    "fonctionnalité n'est perdu ; chaque graphique a son alternative textuelle : ses valeurs écrites en "
    "toutes lettres (description reliée par aria-describedby), un tableau, ou, pour une carte, la phrase "
    "de synthèse et la légende, ses valeurs étant dans le tableau.",
    "Le taux de conformité est le nombre de critères conformes divisé par le nombre de critères "
    "applicables évalués.",
)

RECOURS: tuple[str, ...] = (
    "Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du site un "
    "défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services du portail et "
    "vous n'avez pas obtenu de réponse satisfaisante.",
    "Vous pouvez : écrire un message au Défenseur des droits (formulaire sur defenseurdesdroits.fr) ; "
    "contacter le délégué du Défenseur des droits dans votre région ; envoyer un courrier par la poste "
    "(gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
)


def applicables() -> tuple[Critere, ...]:
    return tuple(c for c in CRITERES if c.statut is not Statut.NON_APPLICABLE)


def non_conformites() -> tuple[Critere, ...]:
    return tuple(c for c in CRITERES if c.statut is Statut.NON_CONFORME)


def taux_conformite() -> float:
    """Criteria met ÷ applicable criteria (the RGAA's rate), 0–1."""
    criteres = applicables()
    return sum(c.statut is Statut.CONFORME for c in criteres) / len(criteres)


def tests_cites() -> frozenset[str]:
    return frozenset(t for c in CRITERES for t in c.tests)


def luminance(couleur: str) -> float:
    """WCAG 2.1 relative luminance of a colour `#RRGGBB`."""

    def canal(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(couleur[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * canal(r) + 0.7152 * canal(g) + 0.0722 * canal(b)


def contraste(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, 1–21."""
    claire, foncee = sorted((luminance(a), luminance(b)), reverse=True)
    return (claire + 0.05) / (foncee + 0.05)
