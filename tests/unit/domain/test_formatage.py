from datetime import date

import pytest
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import formatage

NNBSP = "\u202f"  # narrow no-break space: the French group separator of CLDR


def test_fmt001_nombre_groupe_par_milliers():
    assert formatage.nombre(1234567) == f"1{NNBSP}234{NNBSP}567"
    assert formatage.nombre(207.34, 1) == "207,3"
    assert formatage.nombre(0) == "0"


def test_fmt002_pourcentage_virgule_et_espace():
    texte = formatage.pourcentage(0.123)
    assert texte.replace("\u00a0", " ").replace(NNBSP, " ") == "12,3 %"
    assert formatage.pourcentage(1).startswith("100,0")


def test_fmt003_euros_sans_centimes_par_defaut():
    texte = formatage.euros(68000)
    assert texte.replace("\u00a0", " ").replace(NNBSP, " ") == "68 000 €"
    assert formatage.euros(12.5, centimes=True).replace("\u00a0", " ") == "12,50 €"


def test_fmt004_date_courte():
    assert formatage.date_courte(date(2020, 10, 15)) == "15/10/2020"


@pytest.mark.parametrize("absent", [None, float("nan")])
def test_fmt005_valeur_absente_est_un_tiret(absent):
    assert formatage.nombre(absent) == formatage.NON_RENSEIGNE
    assert formatage.pourcentage(absent) == formatage.NON_RENSEIGNE
    assert formatage.euros(absent) == formatage.NON_RENSEIGNE


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_fmt006_nombre_relu_a_l_identique(n):
    texte = formatage.nombre(n)
    assert int(texte.replace(NNBSP, "").replace("\u2212", "-")) == n


# Babel (CLDR fr_FR) is the reference the fast formatter must reproduce character for character.
valeurs = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(-(10**12), 10**12),
    st.sampled_from([0.125, 2.675, 0.005, -0.0, 1e-7, 0.0449999, 99999.95]),
)


@given(valeurs, st.integers(0, 3))
def test_fmt007_nombre_identique_a_babel(valeur, decimales):
    motif = "#,##0" + ("." + "0" * decimales if decimales else "")
    assert formatage.nombre(valeur, decimales) == format_decimal(valeur, format=motif, locale="fr_FR")


@given(valeurs.filter(lambda v: abs(v) < 1e12), st.integers(0, 2))
def test_fmt008_pourcentage_identique_a_babel(valeur, decimales):
    motif = "#,##0" + ("." + "0" * decimales if decimales else "") + " %"
    assert formatage.pourcentage(valeur, decimales) == format_percent(valeur, format=motif, locale="fr_FR")


@given(valeurs, st.booleans())
def test_fmt009_euros_identique_a_babel(valeur, centimes):
    motif = "#,##0.00 ¤" if centimes else "#,##0 ¤"
    attendu = format_currency(valeur, "EUR", format=motif, currency_digits=False, locale="fr_FR")
    assert formatage.euros(valeur, centimes) == attendu
