from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain.filtres import Filtres, Periode, Plage, lire_filtres

EXEMPLE = {
    "vague": "2019",
    "type": "CD,EPCI",
    "region": "52",
    "subvention": "10000-500000",
    "distribues": "0-50000",
    "taux": "0.2-0.8",
    "periode": "2020-01..2022-12",
}


def test_flt001_exemple_de_l_architecture():
    f = lire_filtres(EXEMPLE)
    assert f == Filtres(
        vagues=(2019,),
        types=("CD", "EPCI"),
        regions=("52",),
        subvention=Plage(10000, 500000),
        distribues=Plage(0, 50000),
        taux=Plage(0.2, 0.8),
        periode=Periode(date(2020, 1, 1), date(2022, 12, 1)),
    )
    assert f.parametres() == EXEMPLE


def test_flt002_absents_ou_vides_sans_filtre():
    assert lire_filtres({}) == Filtres()
    assert lire_filtres({"vague": "", "type": None}).parametres() == {}


def test_flt003_plages_ouvertes_et_doublons():
    f = lire_filtres({"subvention": "-20000", "distribues": "100-", "type": "cd,CD,sm"})
    assert f.subvention == Plage(None, 20000) and f.distribues == Plage(100, None)
    assert f.types == ("CD", "SM")
    assert f.subvention.contient(20000) and not f.subvention.contient(20000.01)


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"vague": "2021"}, "Vague inconnue « 2021 »"),
        ({"type": "COMMUNE"}, "Type de lauréat inconnu"),
        ({"region": "5"}, "Code de région invalide"),
        ({"subvention": "beaucoup"}, "attendu MIN-MAX"),
        ({"subvention": "500-10"}, "le minimum dépasse le maximum"),
        ({"taux": "0.2-x"}, "« x » n'est pas un nombre"),
        ({"periode": "2020-01"}, "attendu AAAA-MM..AAAA-MM"),
        ({"periode": "2020-13..2021-01"}, "mois inexistant"),
        ({"periode": "2022-01..2020-01"}, "le début est après la fin"),
    ],
)
def test_flt004_erreurs_en_francais(parametres, message):
    with pytest.raises(ValueError, match=message):
        lire_filtres(parametres)


@given(
    st.lists(st.sampled_from([2019, 2020]), unique=True),
    st.lists(st.sampled_from(["CR", "CD", "EPCI", "SM"]), unique=True),
    st.one_of(st.none(), st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)).map(sorted)),
    st.one_of(st.none(), st.tuples(st.floats(0, 1), st.floats(0, 1)).map(sorted)),
)
def test_flt005_aller_retour(vagues, types, subvention, taux):
    f = Filtres(
        vagues=tuple(vagues),
        types=tuple(types),
        subvention=Plage(*subvention) if subvention else None,
        taux=Plage(*taux) if taux else None,
    )
    assert lire_filtres(f.parametres()) == f


@pytest.mark.parametrize(
    ("taux", "message"),
    [
        ("0.8-0.2", "Plage de taux d'utilisation invalide (de 80 % à 20 %) : le minimum dépasse le maximum."),
        (
            "0.125-0.1",
            "Plage de taux d'utilisation invalide (de 12,5 % à 10 %) : le minimum dépasse le maximum.",
        ),
        ("0.2-1.5", "Plage de taux d'utilisation invalide : 150 % n'est pas entre 0 % et 100 %."),
    ],
)
def test_mot004_erreur_de_taux_en_pourcents_et_decimales_francaises(taux, message):
    with pytest.raises(ValueError) as erreur:
        lire_filtres({"taux": taux})
    assert str(erreur.value) == message
    assert "0." not in str(erreur.value) and "entre 0 et 1" not in str(erreur.value)


def test_mot005_le_panneau_de_filtres_dit_l_erreur_en_pourcents():
    from dashboard.components.filtres import etat_depuis_controles

    with pytest.raises(ValueError) as erreur:
        etat_depuis_controles({"taux-min": 80, "taux-max": 20})
    assert str(erreur.value) == (
        "Plage de taux d'utilisation invalide (de 80 % à 20 %) : le minimum dépasse le maximum."
    )
    with pytest.raises(
        ValueError, match=r"^Plage de taux d'utilisation invalide : 120 % n'est pas entre 0 % et 100 %\.$"
    ):
        etat_depuis_controles({"taux-min": 20, "taux-max": 120})
    assert etat_depuis_controles({"taux-min": 20, "taux-max": 80}).filtres.taux == Plage(0.2, 0.8)


def test_drl004_filtre_departement_texte_et_retour():
    filtres = lire_filtres({"region": "94", "departement": "2B, 2a"})
    assert filtres.departements == ("2B", "2A")
    assert filtres.parametres() == {"region": "94", "departement": "2B,2A"}
    assert lire_filtres(filtres.parametres()) == filtres
    assert lire_filtres({"departement": "971"}).departements == ("971",)
    assert Filtres().parametres() == {}
