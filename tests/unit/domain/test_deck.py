"""The briefing deck read from its address: slides, current slide, timer, filters; bad input → defaults."""

from urllib.parse import parse_qsl, urlparse

from dashboard.domain.deck import (
    AUTO_MIN,
    DECK_PAR_DEFAUT,
    MAX_DIAPOS,
    TERRITOIRE,
    TerritoireChoisi,
    lire_deck,
    presentation,
    selection_en_mots,
    territoire_choisi,
)
from dashboard.domain.etat import EtatVue, lire_etat


def test_pre001_deck_par_defaut():
    deck = lire_deck({})
    assert deck.diapos == DECK_PAR_DEFAUT and deck.courante == 1 and deck.auto == 0 and not deck.ignores


def test_pre002_diapos_choisies_territoire_et_filtres():
    deck = lire_deck(
        {
            "diapos": "carte,departement:29,resume",
            "diapo": "2",
            "auto": "30",
            "vague": "2019",
            "niveau": "epci",
        }
    )
    assert deck.diapos == ("carte", "departement:29", "resume") and deck.courante == 2 and deck.auto == 30
    assert deck.etat.filtres.vagues == (2019,) and deck.etat.niveau == "epci"
    # the address reopens the same deck
    relu = lire_deck(dict(parse_qsl(urlparse(deck.query()).query)))
    assert relu == deck


def test_pre003_entrees_absurdes_ramenees_aux_bornes_et_dites():
    deck = lire_deck(
        {"diapos": "carte,<script>,commune:1,resume", "diapo": "99", "auto": "1", "vague": "1999"}
    )
    assert deck.diapos == ("carte", "resume") and deck.courante == 2 and deck.auto == AUTO_MIN
    assert "<script>" in deck.ignores and "commune:1" in deck.ignores
    assert any("1999" in i for i in deck.ignores)  # the bad filter is said, the deck still opens
    assert lire_deck({"diapo": "x", "auto": "-5"}).courante == 1
    assert len(lire_deck({"diapos": ",".join(["carte"] * 40)}).diapos) == MAX_DIAPOS


# --- The selection in words, the chosen territory -------------------------------------------------

NOMS = {"53": "Bretagne", "28": "Normandie"}
NBSP, FINE = "\u00a0", "\u202f"


def test_dia001_sans_filtre_toute_la_france_toutes_vagues():
    assert selection_en_mots(EtatVue()) == "Toute la France, toutes vagues."
    # the view and its level are not a selection: the sentence stays the same
    assert selection_en_mots(lire_etat({"vue": "territoires", "niveau": "epci"}), NOMS) == (
        "Toute la France, toutes vagues."
    )


def test_dia002_bretagne_et_taux_en_pourcentages_francais():
    etat = lire_etat({"region": "53", "taux": "0.2-0.8"})
    assert selection_en_mots(etat, NOMS) == (
        f"Bretagne, toutes vagues, taux d'utilisation entre 20{NBSP}% et 80{NBSP}%."
    )
    # a bound that is not a whole percent keeps its decimal, with a comma; open bounds read « au moins »
    assert selection_en_mots(lire_etat({"taux": "0.125-"}), NOMS) == (
        f"Toute la France, toutes vagues, taux d'utilisation d'au moins 12,5{NBSP}%."
    )
    assert selection_en_mots(lire_etat({"taux": "-0.5"})).endswith(f"d'au plus 50{NBSP}%.")


def test_dia003_tous_les_filtres_dans_l_ordre_et_au_format_francais():
    etat = lire_etat(
        {
            "region": "53,28",
            "vague": "2019,2020",
            "type": "CD,EPCI",
            "subvention": "10000-500000",
            "distribues": "-50000",
            "periode": "2021-03..2021-12",
        }
    )
    assert selection_en_mots(etat, NOMS) == (
        "Bretagne et Normandie, vagues 2019 et 2020, conseils départementaux et EPCI, "
        f"subvention État entre 10{FINE}000{NBSP}€ et 500{FINE}000{NBSP}€, "
        f"pass distribués d'au plus 50{FINE}000, entre mars et décembre 2021."
    )
    # one wave, one type, a région without a known name, an open period
    autre = lire_etat({"region": "76", "vague": "2020", "type": "SM", "periode": "2022-01.."})
    assert selection_en_mots(autre, NOMS) == "Région 76, vague 2020, syndicats mixtes, depuis janvier 2022."


def test_dia004_le_deck_par_defaut_finit_sur_le_territoire_choisi():
    deck = lire_deck({})
    assert deck.diapos == DECK_PAR_DEFAUT
    assert deck.diapos == ("resume", "carte", "classement", "chronologie", TERRITOIRE)
    adresse = presentation(lire_etat({"region": "53"}))
    assert "diapos=resume,carte,classement,chronologie,territoire" in adresse and "region=53" in adresse
    # the address reopens the same deck, and `territoire` is a slide like the others
    assert lire_deck(dict(parse_qsl(urlparse(adresse).query))).diapos[-1] == TERRITOIRE
    assert lire_deck({"diapos": "territoire,carte"}).diapos == (TERRITOIRE, "carte")


def test_dia005_le_territoire_choisi_et_sa_regle_dite():
    candidats = [
        ("departement:29", "Finistère", 1200.0),
        ("departement:35", "Ille-et-Vilaine", 5000.0),
        ("departement:22", "Côtes-d'Armor", 5000.0),
        ("departement:56", "Morbihan", float("nan")),
    ]
    # one région in the selection: that région, whatever the figures
    choix = territoire_choisi(lire_etat({"region": "53"}), candidats)
    assert choix == TerritoireChoisi("region:53", "Territoire choisi : la région de la sélection.")
    # otherwise the most passes distributed (by name on a tie), the rule and the figure said
    choix = territoire_choisi(EtatVue(), candidats)
    assert choix.identifiant == "departement:22"
    assert choix.regle == (
        "Territoire choisi : le département qui a distribué le plus de pass dans la sélection "
        f"(5{FINE}000{NBSP}pass)."
    )
    regions = territoire_choisi(lire_etat({"region": "53,28"}), [("region:28", "Normandie", 3.0)])
    assert regions.identifiant == "region:28" and "la région qui a distribué" in regions.regle
    epci = territoire_choisi(EtatVue(), [("epci:200067197", "CA Quimper", 12.0)])
    assert "l'EPCI qui a distribué" in epci.regle
    # nothing distributed anywhere: no territory, and the slide says so
    rien = territoire_choisi(EtatVue(), [("departement:29", "Finistère", 0.0)])
    assert rien.identifiant is None and "Aucun territoire" in rien.regle


def test_com020_comite_ouvre_le_deck_sur_depuis_le_dernier_comite():
    from dashboard.domain.deck import DIAPOS_COMITE, date_du_comite, deck_canonique, preparer_comite

    deck = lire_deck({"comite": "dernier"})
    assert deck.diapos == (*DIAPOS_COMITE, *DECK_PAR_DEFAUT) and deck.courante == 1
    assert deck.comite == "dernier" and date_du_comite(deck) is None
    # The address keeps it, and reading it again gives the same deck (the slides are not added twice).
    relu = lire_deck(dict(parse_qsl(urlparse(deck.query()).query)))
    assert relu == deck
    datee = lire_deck({"comite": "2023-12-12", "diapos": "carte,notes_comite"})
    assert datee.diapos == ("comite", "notes_comite", "carte")
    assert str(date_du_comite(datee)) == "2023-12-12"
    assert "comite=2023-12-12" in datee.query()
    # What a briefing link grants: the same deck whatever slide is on screen.
    assert deck_canonique({"comite": "2023-12-12", "diapo": "3"}) == deck_canonique({"comite": "2023-12-12"})
    illisible = lire_deck({"comite": "12/12/2023"})
    assert illisible.comite is None and illisible.diapos == DECK_PAR_DEFAUT
    assert illisible.ignores == ("comite=12/12/2023",)
    assert preparer_comite() == (
        "/presentation?diapos=comite,notes_comite,resume,carte,classement,chronologie,territoire&diapo=1"
        "&comite=dernier"
    )
