"""The briefing deck read from its address: slides, current slide, timer, filters; bad input → defaults."""

from urllib.parse import parse_qsl, urlparse

from dashboard.domain.deck import AUTO_MIN, DIAPOS_PAR_DEFAUT, MAX_DIAPOS, lire_deck


def test_pre001_deck_par_defaut():
    deck = lire_deck({})
    assert deck.diapos == DIAPOS_PAR_DEFAUT and deck.courante == 1 and deck.auto == 0 and not deck.ignores


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
