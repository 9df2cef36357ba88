import decimal
import re
from datetime import date
from decimal import Decimal

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


# Babel (CLDR fr_FR) is the reference the fast formatter must reproduce character for character, under the
# project's rounding (half up: Babel follows the decimal context) and without the sign of a rounded zero.


def _babel(fonction, valeur, **options) -> str:
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):
        texte = fonction(valeur, locale="fr_FR", **options)
    return texte.removeprefix("-") if not re.search("[1-9]", texte) else texte


valeurs = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(-(10**12), 10**12),
    st.sampled_from([0.125, 2.675, 0.005, -0.0, 1e-7, 0.0449999, 99999.95]),
)


@given(valeurs, st.integers(0, 3))
def test_fmt007_nombre_identique_a_babel(valeur, decimales):
    motif = "#,##0" + ("." + "0" * decimales if decimales else "")
    assert formatage.nombre(valeur, decimales) == _babel(format_decimal, valeur, format=motif)


@given(valeurs.filter(lambda v: abs(v) < 1e12), st.integers(0, 2))
def test_fmt008_pourcentage_identique_a_babel(valeur, decimales):
    motif = "#,##0" + ("." + "0" * decimales if decimales else "") + " %"
    assert formatage.pourcentage(valeur, decimales) == _babel(format_percent, valeur, format=motif)


@given(valeurs, st.booleans())
def test_fmt009_euros_identique_a_babel(valeur, centimes):
    motif = "#,##0.00 ¤" if centimes else "#,##0 ¤"
    attendu = _babel(format_currency, valeur, currency="EUR", format=motif, currency_digits=False)
    assert formatage.euros(valeur, centimes) == attendu


# --- Rounding: half up (away from zero), on the decimal the reader sees --------------------------------


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        (lambda: formatage.euros(21.625, centimes=True), "21,63 €"),
        (lambda: formatage.euros(-21.625, centimes=True), "-21,63 €"),
        (lambda: formatage.euros(2.675, centimes=True), "2,68 €"),  # the float is 2.67499999…
        (lambda: formatage.euros(0.5), "1 €"),
        (lambda: formatage.euros(-0.001, centimes=True), "0,00 €"),  # no "-0,00 €"
        (lambda: formatage.pourcentage(0.1225), "12,3 %"),
        (lambda: formatage.pourcentage(-0.1225), "-12,3 %"),
        (lambda: formatage.pourcentage(0.00045), "0,0 %"),
        (lambda: formatage.nombre(2.5), "3"),
        (lambda: formatage.nombre(0.5), "1"),
        (lambda: formatage.nombre(-2.5), "-3"),
        (lambda: formatage.nombre(-0.4), "0"),
        (lambda: formatage.nombre(0.05, 1), "0,1"),
    ],
)
def test_arr001_affichage_arrondi_au_plus_proche_cinq_vers_le_haut(texte, attendu):
    assert texte().replace(NNBSP, " ").replace("\u00a0", " ") == attendu


def test_arr002_arrondi_decimal_sur_la_forme_lue():
    assert formatage.arrondi(21.625, 2) == Decimal("21.63")
    assert formatage.arrondi(0.1225, 1, decalage=2) == Decimal("12.3")
    assert formatage.arrondi(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert formatage.arrondi(-0.0001, 2) == Decimal("0.00") and not formatage.arrondi(-0.0001, 2).is_signed()
    assert formatage.arrondi(0.123456789, 8) == Decimal("0.12345679")  # beyond the precomputed steps
    assert formatage.arrondi(1e300, 2) == Decimal("1e300")  # no InvalidOperation beyond 28 digits


@given(st.integers(-(10**9), 10**9), st.integers(0, 3))
def test_arr003_un_cinq_final_s_eloigne_de_zero_quelle_que_soit_sa_forme_binaire(entier, decimales):
    """|entier| + 0,5 unit of the last place kept (21.625 to the cent), as a float: always rounded up in
    absolute value, even when the binary float is just below (2.675 is 2.67499999…)."""
    signe = -1 if entier < 0 else 1
    valeur = signe * float(Decimal(abs(entier) * 10 + 5).scaleb(-decimales - 1))
    attendu = signe * (Decimal(abs(entier)) + 1).scaleb(-decimales)
    assert formatage.arrondi(valeur, decimales) == attendu


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(0, 4))
def test_arr004_arrondi_a_moins_d_une_demi_unite(valeur, decimales):
    ecart = abs(formatage.arrondi(valeur, decimales) - Decimal(repr(valeur)))
    assert ecart <= Decimal(5).scaleb(-decimales - 1)


@pytest.mark.parametrize(
    ("niveau", "textes"),
    [
        ("departement", ("aucun département", "1 département", "2 départements")),
        ("epci", ("aucun EPCI", "1 EPCI", "2 EPCI")),
        ("region", ("aucune région", "1 région", "2 régions")),
        ("porteur", ("aucun lauréat", "1 lauréat", "2 lauréats")),
    ],
)
def test_lgd001_effectifs_au_singulier_au_pluriel_et_aucun(niveau, textes):
    from dashboard.domain.vocabulaire import effectif_niveau

    assert tuple(formatage.effectif_texte(n, effectif_niveau(niveau)) for n in (0, 1, 2)) == textes
    assert formatage.effectif_texte(1234, effectif_niveau(niveau)).startswith(f"1{NNBSP}234 ")


def test_fmt040_unite_insecable_dans_un_texte_qui_passe_a_la_ligne():
    from dashboard.domain.formatage import insecable

    assert insecable("de 13,4 % à 33,1 %") == "de 13,4\u202f% à 33,1\u202f%"
    assert insecable("jusqu'à 68\u202f000 €") == "jusqu'à 68\u202f000\u202f€"
    assert insecable("sans donnée") == "sans donnée"


@given(st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1))
def test_rpl001_un_entier_ecrit_sans_decimal_comme_par_l_arrondi(n):
    """A count skips Decimal: the same text as the rounding rule gives (floats, ints, negative zero)."""
    for valeur in (n, float(n)):
        attendu = f"{formatage.arrondi(valeur):,.0f}".replace(",", formatage.ESPACE_FINE)
        assert formatage.nombre(valeur) == attendu
        assert formatage.euros(valeur) == attendu + " €"
    assert formatage.nombre(-0.0) == "0"


@given(
    st.one_of(
        st.floats(-1e10, 1e10, allow_nan=False),
        st.integers(-(10**7), 10**7).map(lambda n: n / 1000),
        st.integers(0, 10**6).map(lambda n: n / 200),
    ),
    st.integers(0, 3),
    st.sampled_from([0, 2]),
)
def test_fmt041_le_chemin_rapide_ecrit_ce_que_l_arrondi_decimal_ecrit(valeur, decimales, decalage):
    """Far from a half unit, float arithmetic gives the text of the Decimal rule; near one it declines."""
    rapide = formatage._chiffres_loin_d_un_cinq(valeur, decimales, decalage)
    attendu = f"{formatage.arrondi(valeur, decimales, decalage):,.{decimales}f}"
    assert rapide in (None, attendu.replace(",", formatage.ESPACE_FINE).replace(".", ","))
    assert formatage._chiffres_loin_d_un_cinq(0.1225, 1, 2) is None  # a tie: Decimal decides
