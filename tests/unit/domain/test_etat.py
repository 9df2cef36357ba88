import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.classification import Methode, classer
from dashboard.domain.etat import EtatVue, lire_query

EXEMPLE = (
    "?vue=porteurs&niveau=departement&indicateur=taux_utilisation&vague=2019&type=CD,EPCI&region=52"
    "&subvention=10000-500000&distribues=0-50000&taux=0.2-0.8&periode=2020-01..2022-12&classes=quantiles"
)


def test_eta001_exemple_de_l_architecture():
    e = lire_query(EXEMPLE)
    assert (e.vue, e.niveau, e.indicateur, e.classes) == (
        "porteurs",
        "departement",
        "taux_utilisation",
        Methode.QUANTILES,
    )
    assert e.filtres.regions == ("52",) and e.filtres.periode.fin == date(2022, 12, 1)
    assert lire_query(e.query()) == e


def test_eta002_valeurs_par_defaut_absentes_de_l_adresse():
    assert lire_query("") == EtatVue()
    assert EtatVue().query() == ""
    assert lire_query("?vue=territoires&niveau=region&classes=jenks&bornes=0.4,0.7").query() == (
        "?vue=territoires&niveau=region&classes=jenks&bornes=0.4,0.7"
    )


def test_eta003_descendre_et_remonter():
    regions = lire_query("?vue=territoires&niveau=region")
    deps = regions.descendre("76")
    assert (deps.niveau, deps.filtres.regions) == ("departement", ("76",))
    epci = deps.descendre(None)
    assert (epci.niveau, epci.filtres.regions) == ("epci", ("76",))
    assert epci.descendre("76") == epci  # nothing below the EPCIs
    assert epci.remonter() == deps and deps.remonter() == regions


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?vue=carte", "Vue inconnue"),
        ("?niveau=commune", "Niveau inconnu"),
        ("?indicateur=bonheur", "Indicateur inconnu"),
        ("?classes=au_hasard", "Méthode de classes inconnue"),
        ("?bornes=0.7,0.4", "croissantes"),
        ("?bornes=a,b", "nombres séparés par des virgules"),
        ("?vague=1999", "Vague inconnue"),
    ],
)
def test_eta004_adresse_invalide_message_francais(query, message):
    with pytest.raises(ValueError, match=message):
        lire_query(query)


def test_mot006_bornes_figees_ecrites_court_dans_l_adresse():
    from dashboard.domain.etat import bornes_arrondies

    etat = EtatVue(bornes=(0.27499999999999997, 0.4, 0.7))
    assert etat.query() == "?bornes=0.275,0.4,0.7"
    assert lire_query(etat.query()).bornes == (0.275, 0.4, 0.7)
    # rounded up, never down: 0.7 would move the value 0.7000000000000001 itself one class down
    assert EtatVue(bornes=(0.7000000000000001,)).query() == "?bornes=0.7001"
    assert bornes_arrondies((0.123412, 0.5)) == ["0.1235", "0.5"]
    # two breaks closer than 4 digits tell apart: more digits, never the same break twice
    assert bornes_arrondies((0.12341, 0.12344)) == ["0.12341", "0.1235"]
    assert bornes_arrondies((1234.56, 98765.4)) == ["1235", "98770"]


_BORNES = st.lists(
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=6, unique=True
).map(sorted)
_VALEURS = st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_BORNES, _VALEURS)
def test_mot007_aller_retour_des_bornes_meme_classe_pour_chaque_valeur(bornes, valeurs):
    """Hypothesis: after the address round trip, the breaks are still strictly increasing, none moved by
    more than its 4th significant digit, and every value — the breaks themselves included (a Jenks break
    is a value) — falls in the same class, except a value within that rounding step above a break."""
    bornes = tuple(bornes)
    relues = lire_query(EtatVue(bornes=bornes).query()).bornes
    assert len(relues) == len(bornes)
    assert all(a < b for a, b in itertools.pairwise(relues))
    for b, r in zip(bornes, relues, strict=True):
        assert b <= r <= b + max(abs(b) * 1e-3, 1e-300) or r == b
    ecart = [
        v for v in (*valeurs, *bornes) if not any(b < v <= r for b, r in zip(bornes, relues, strict=True))
    ]
    avant = classer(ecart, Methode.SEUILS, seuils=bornes).indices
    apres = classer(ecart, Methode.SEUILS, seuils=relues).indices
    assert avant == apres


def test_drl001_departement_et_focus_aller_retour():
    query = "?vue=territoires&niveau=epci&region=53&departement=29&focus=departement:29"
    etat = lire_query(query)
    assert etat.filtres.departements == ("29",) and etat.focus == "departement:29"
    assert lire_query(etat.query()) == etat
    assert "departement=29" in etat.query() and "focus=departement:29" in etat.query()
    assert lire_query("?focus=porteur:200046977").focus == "porteur:200046977"
    assert lire_query("?departement=2a").filtres.departements == ("2A",)
    assert EtatVue().focus is None and "focus" not in EtatVue().query()


def test_drl002_descendre_au_departement_clique_puis_remonter_d_un_cran():
    deps = lire_query("?vue=territoires&niveau=departement&region=53")
    epci = deps.descendre_departement("29", "53")
    assert (epci.niveau, epci.filtres.regions, epci.filtres.departements) == ("epci", ("53",), ("29",))
    assert epci.remonter() == deps  # back to the départements of Bretagne, the département filter gone
    assert deps.remonter() == lire_query("?vue=territoires&niveau=region")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?focus=departement", "non compris"),
        ("?focus=commune:29019", "non compris"),
        ("?focus=epci:12", "non compris"),
        ("?departement=300", "Code de département invalide"),
    ],
)
def test_drl003_departement_ou_focus_invalides_message_francais(query, message):
    with pytest.raises(ValueError, match=message):
        lire_query(query)


def test_tab001_etat_du_tableau_aller_retour_par_l_adresse():
    etat = lire_query(
        "?vue=territoires&niveau=epci&region=53&tri=taux_utilisation:desc&recherche=Côte d'Or"
        "&colonnes=type,region,pass_distribues"
    )
    assert (etat.tri, etat.recherche, etat.colonnes) == (
        "taux_utilisation:desc",
        "Côte d'Or",
        ("type", "region", "pass_distribues"),
    )
    assert etat.filtres.regions == ("53",)
    assert (
        "tri=taux_utilisation:desc" in etat.query() and "colonnes=type,region,pass_distribues" in etat.query()
    )
    assert lire_query(etat.query()) == etat
    assert EtatVue(tri="nom:asc").query() == "?tri=nom:asc"
    assert lire_query("?tri=&recherche=&colonnes=") == EtatVue()  # empty: the defaults, not in the address


def test_tab002_adresse_du_tableau_illisible_message_francais():
    with pytest.raises(ValueError, match="Tri du tableau non compris « taux »"):
        lire_query("?tri=taux")
    with pytest.raises(ValueError, match="Tri du tableau non compris"):
        lire_query("?tri=inconnu:desc")
    with pytest.raises(ValueError, match="Colonnes du tableau inconnues : siret"):
        lire_query("?colonnes=type,siret")
    assert len(lire_query("?recherche=" + "a" * 500).recherche) == 100
