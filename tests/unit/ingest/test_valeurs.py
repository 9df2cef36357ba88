"""The readers of French-formatted numbers, dates and identifiers (property-based where it matters)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dashboard.ingest.valeurs import completer_code, lire_dates, lire_entiers, lire_identifiants, lire_nombres

SEPARATEURS_MILLIERS = ["", " ", "\u00a0", "\u202f", "."]


def grouper(entier: int, separateur: str) -> str:
    chiffres = str(entier)
    groupes = []
    while len(chiffres) > 3:
        groupes.insert(0, chiffres[-3:])
        chiffres = chiffres[:-3]
    return separateur.join([chiffres, *groupes])


def lire_un(texte: str) -> tuple[float, bool]:
    valeurs, invalides = lire_nombres(pd.Series([texte], dtype=object))
    return valeurs.iloc[0], bool(invalides.iloc[0])


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(SEPARATEURS_MILLIERS))
def test_ing001_entier_groupe_relu_exactement(entier, separateur):
    valeurs, illisibles, non_entiers = lire_entiers(pd.Series([grouper(entier, separateur)], dtype=object))
    assert not illisibles.iloc[0]
    assert valeurs.iloc[0] == entier
    assert non_entiers.iloc[0] == (entier > 2**31 - 1)  # beyond a database INTEGER


@given(
    st.integers(min_value=0, max_value=10**10),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(SEPARATEURS_MILLIERS),
    st.sampled_from([",", "."]),
)
def test_ing002_decimal_francais_relu_exactement(entier, centimes, separateur, virgule):
    if separateur == "." and virgule == ".":
        virgule = ","  # a dot cannot be both the thousands and the decimal separator
    texte = f"{grouper(entier, separateur)}{virgule}{centimes:02d}"
    valeur, invalide = lire_un(texte)
    assert not invalide
    assert Decimal(repr(float(valeur))) == Decimal(f"{entier}.{centimes:02d}")


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), min_size=1).filter(lambda t: t.strip()))
def test_ing003_sans_chiffre_jamais_un_nombre(texte):
    valeur, invalide = lire_un(texte.strip(" \u00a0\u202f"))
    assert np.isnan(valeur)
    assert invalide or not texte.strip(" \u00a0\u202f")


@given(st.from_regex(r"[0-9]{1,4}([ .,;/a-z-]{1,2}[0-9]{1,4}){2,3}", fullmatch=True))
def test_ing004_melanges_mal_groupes_refuses(texte):
    # "12 34" or "1.2.3" are not groupings by thousands: never silently read as some number.
    valeur, invalide = lire_un(texte)
    groupes_ok = all(len(g) == 3 for g in texte.replace(",", " ").replace(".", " ").split()[1:])
    if not groupes_ok:
        assert invalide and np.isnan(valeur)


def test_ing005_exemples_de_bureau():
    textes = [
        "1 234",
        "1\u00a0234,5",
        "1.234.567,89",
        "12,0",
        "0.5",
        "1.500",
        "1 200 000 €",
        "",
        "1,2,3",
        "1 23",
        "--1",
    ]
    valeurs, invalides = lire_nombres(pd.Series(textes, dtype=object))
    assert valeurs.tolist()[:7] == [1234, 1234.5, 1234567.89, 12, 0.5, 1500, 1200000]
    assert np.isnan(valeurs.iloc[7]) and not invalides.iloc[7]  # empty: absent, not invalid
    assert invalides.tolist()[8:] == [True, True, True]


@given(
    st.dates(min_value=date(2019, 1, 1), max_value=date.today()),
    st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%m/%Y", "%Y-%m"]),
)
def test_ing006_date_relue_dans_chaque_format(jour, format_):
    dates, invalides = lire_dates(pd.Series([jour.strftime(format_)], dtype=object))
    attendu = jour if "%d" in format_ else jour.replace(day=1)
    assert not invalides.iloc[0]
    assert dates.iloc[0].date() == attendu


def test_ing007_dates_impossibles_ou_illisibles():
    textes = ["30/02/2020", "2020-13-01", "15.03.2020", "hier", "2020-03-01 00:00:00", "", "5/3/2021"]
    dates, invalides = lire_dates(pd.Series(textes, dtype=object))
    assert invalides.tolist() == [True, True, True, True, False, False, False]
    assert dates.iloc[4].date() == date(2020, 3, 1) and dates.iloc[6].date() == date(2021, 3, 5)
    assert pd.isna(dates.iloc[5])


def test_ing008_siren_siret_cle_de_luhn_et_la_poste():
    textes = [
        "224400028",
        "224 400 028",
        "224400029",
        "22440002",
        "",
        "35600000000038",
        "35600000000048",
        "A24400028",
    ]
    siren, siren_invalides = lire_identifiants(pd.Series(textes[:5], dtype=object), 9)
    assert siren.tolist() == ["224400028", "224400028", "224400029", "22440002", None]
    assert siren_invalides.tolist() == [False, False, True, True, False]
    _, siret_invalides = lire_identifiants(pd.Series(textes[5:], dtype=object), 14)
    assert siret_invalides.tolist() == [False, True, True]  # La Poste: sum of digits divisible by 5


def test_ing009_zeros_de_tete_rendus():
    codes = completer_code(pd.Series(["1001", "44109", "2A004", "", "7"], dtype=object), 5)
    assert codes.tolist() == ["01001", "44109", "2A004", "", "00007"]


def test_ing010_valeurs_distinctes_seulement():
    # A million-row column has few distinct values: reading them once must give the same answer per row.
    serie = pd.Series(["3", "1 200", "3", "x"] * 1000, dtype=object)
    valeurs, illisibles, _ = lire_entiers(serie)
    assert valeurs.iloc[:3].tolist() == [3, 1200, 3] and illisibles.sum() == 1000
    assert illisibles.iloc[3::4].all()
