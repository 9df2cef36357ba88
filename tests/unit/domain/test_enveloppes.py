"""The State's money of a convention: share, consumption, window, status (computed by hand)."""

from __future__ import annotations

import math
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import enveloppes as e


def test_env001_part_de_l_etat_selon_la_vague():
    assert e.part_etat(2020, 30_000, 100_000) == 0.5  # flat rate, whatever the convention says
    assert e.part_etat(2019, 60_000, 100_000) == 0.6
    assert e.part_etat(2019, 7_900, 13_000) == 7_900 / 13_000
    assert e.part_etat(2019, 5_000, 0) == 0.0  # no budget: nothing to share


def test_env002_consommee_plafonnee_et_depassement_dit():
    c = e.consommation(0.6, 12_000, 60_000)
    assert (c.consommee_eur, c.restante_eur, c.depassement_eur) == (7_200, 52_800, 0)
    c = e.consommation(0.5, 3_000, 1_000)  # 300 passes at 10 €, half of it: 1 500 € for 1 000 € committed
    assert (c.consommee_eur, c.restante_eur, c.depassement_eur) == (1_000, 0, 500)
    c = e.consommation(0.5, math.nan, 1_000)
    assert (c.consommee_eur, c.restante_eur) == (0, 1_000)


def test_env003_fin_de_validite_et_fenetre():
    assert e.fin_validite(date(2020, 2, 20)) == date(2021, 1, 31)  # 31/12 + one month of tolerance
    assert e.fin_validite(date(2020, 1, 15), date(2021, 12, 31)) == date(2021, 12, 31)  # the file's
    assert e.debut_fenetre(2019, None) == date(2019, 1, 1)
    assert e.part_ecoulee(date(2020, 6, 1), date(2021, 1, 31), date(2020, 12, 31)) == 213 / 244
    assert e.part_ecoulee(date(2020, 6, 1), date(2021, 1, 31), date(2019, 12, 31)) == 0
    assert e.part_ecoulee(date(2020, 6, 1), date(2021, 1, 31), date(2023, 12, 31)) == 1
    assert math.isnan(e.part_ecoulee(None, date(2021, 1, 31), date(2020, 12, 31)))


def test_env004_statut_a_dix_points_pres():
    assert e.statut_objectif(0.80, 0.623) == e.EN_AVANCE
    assert e.statut_objectif(0.80, 0.873) == e.DANS_LES_TEMPS
    assert e.statut_objectif(0.50, 0.60) == e.DANS_LES_TEMPS  # exactly 10 points: still on time
    assert e.statut_objectif(0.12, 0.548) == e.EN_RETARD
    assert e.statut_objectif(math.nan, 0.5) == e.NON_EVALUABLE
    assert math.isnan(e.avancement(120, None)) and math.isnan(e.avancement(120, 0))
    assert e.avancement(120, 150) == 0.8
    assert "10 points" in e.REGLE_STATUT and "31 janvier" in e.REGLE_FENETRE


montants = st.floats(min_value=0, max_value=1e8, allow_nan=False)


@given(part=st.floats(min_value=0, max_value=1), commande=montants, engagee=montants)
def test_env005_invariant_consommee_entre_zero_et_engagee(part, commande, engagee):
    c = e.consommation(part, commande, engagee)
    assert 0 <= c.consommee_eur <= engagee
    assert c.restante_eur >= 0 and c.depassement_eur >= 0
    assert math.isclose(c.consommee_eur + c.restante_eur, engagee, rel_tol=1e-12, abs_tol=1e-6)
    assert math.isclose(c.consommee_eur + c.depassement_eur, part * commande, rel_tol=1e-9, abs_tol=1e-6)


@given(
    debut=st.dates(date(2019, 1, 1), date(2021, 12, 31)),
    duree=st.integers(1, 2000),
    au=st.dates(date(2018, 1, 1), date(2027, 12, 31)),
)
def test_env006_part_ecoulee_entre_zero_et_un(debut, duree, au):
    from datetime import timedelta

    part = e.part_ecoulee(debut, debut + timedelta(days=duree), au)
    assert 0 <= part <= 1
