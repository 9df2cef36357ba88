from datetime import date

import pytest

from dashboard.domain.classification import Methode
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
