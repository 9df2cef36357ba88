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
