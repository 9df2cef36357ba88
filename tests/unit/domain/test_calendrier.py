"""The reporting calendar's rules: deadlines, months owed, statuses, score, follow-up, demo delays."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dashboard.domain import calendrier as c
from dashboard.domain.calendrier import A_VENIR, MANQUANT, RECU, RETARD


def test_cal001_echeance_le_15_du_mois_suivant_inclus():
    assert c.echeance(date(2021, 12, 1)) == date(2022, 1, 15)
    assert c.echeance(date(2021, 3, 31)) == date(2021, 4, 15)
    assert not c.est_echu(date(2021, 3, 1), date(2021, 4, 15))  # the deadline day still in time
    assert c.est_echu(date(2021, 3, 1), date(2021, 4, 16))
    assert c.statut(date(2021, 3, 1), date(2021, 4, 15), date(2021, 5, 1)) == RECU
    assert c.statut(date(2021, 3, 1), date(2021, 4, 16), date(2021, 5, 1)) == RETARD
    assert c.statut(date(2021, 3, 1), None, date(2021, 4, 16)) == MANQUANT
    assert c.statut(date(2021, 3, 1), None, date(2021, 4, 15)) == A_VENIR
    # Received before the deadline has passed: received, not "to come".
    assert c.statut(date(2021, 3, 1), date(2021, 4, 2), date(2021, 4, 3)) == RECU


def test_cal002_mois_attendus_de_la_premiere_commande_a_la_fin_de_validite():
    mois = c.mois_attendus(date(2020, 11, 20), date(2021, 2, 28), date(2023, 12, 30))
    assert mois == [date(2020, 11, 1), date(2020, 12, 1), date(2021, 1, 1), date(2021, 2, 1)]
    # Still valid, or valid beyond the reference date: up to the reference's month.
    assert c.mois_attendus(date(2023, 11, 2), None, date(2023, 12, 30)) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
    ]
    assert len(c.mois_attendus(date(2023, 11, 2), date(2025, 1, 1), date(2023, 12, 30))) == 2
    assert c.mois_attendus(None, None, date(2023, 12, 30)) == []
    assert c.mois_attendus(date(2024, 1, 5), None, date(2023, 12, 30)) == []


def test_cal003_synthese_calculee_a_la_main():
    mois = [date(2021, m, 1) for m in range(1, 9)]
    statuts = [RECU, RETARD, MANQUANT, RECU, RECU, MANQUANT, MANQUANT, A_VENIR]
    s = c.synthese(mois, statuts, date(2021, 8, 20))  # July due 15/08: past; August to come
    assert (s.mois_attendus, s.mois_echus, s.mois_recus, s.mois_en_retard, s.mois_manquants) == (
        8,
        7,
        3,
        1,
        3,
    )
    assert s.score == 4 / 7
    assert s.dernier_mois_recu == date(2021, 5, 1)
    assert s.mois_sans_retour == 2
    assert s.a_relancer and s.manquants_recents == (date(2021, 6, 1), date(2021, 7, 1))
    # The latest three past due all in: no follow-up, whatever came before.
    s = c.synthese(mois[:6], [MANQUANT, MANQUANT, MANQUANT, RECU, RETARD, RECU], date(2021, 7, 16))
    assert not s.a_relancer and s.mois_sans_retour == 0 and s.score == 0.5
    # Nothing past due: no score.
    s = c.synthese([date(2021, 8, 1)], [A_VENIR], date(2021, 8, 20))
    assert s.score is None and s.mois_echus == 0 and not s.a_relancer


def test_cal004_delai_de_demonstration_deterministe_et_melange():
    assert c.delai_demo("200018166", date(2021, 3, 1)) == c.delai_demo("200018166", date(2021, 3, 1))
    delais = [c.delai_demo(f"2000{i:05d}", date(2021, 1 + i % 12, 1)) for i in range(2000)]
    assert min(delais) >= 1 and max(delais) <= 75
    en_retard = sum(d >= 20 for d in delais) / len(delais)
    assert 0.15 < en_retard < 0.25
    assert c.reception_demo("1", date(2021, 3, 1), date(2021, 3, 28)) == date(2021, 3, 28) + timedelta(
        days=c.delai_demo("1", date(2021, 3, 1))
    )


@given(
    debut=st.dates(date(2019, 6, 1), date(2023, 6, 1)),
    duree=st.integers(0, 40),
    au=st.dates(date(2019, 6, 1), date(2024, 6, 1)),
    receptions=st.lists(st.one_of(st.none(), st.integers(-10, 120)), max_size=60),
)
def test_cal005_recus_retard_manquants_font_les_mois_echus(debut, duree, au, receptions):
    """Whatever the months and the receptions (days after the month's start, or none): received + late
    + missing = past due, and the score lies in [0, 1]."""
    fin_validite = None if duree == 0 else debut + timedelta(days=30 * duree)  # 0: still valid
    mois = c.mois_attendus(debut, fin_validite, au)
    statuts = []
    for i, m in enumerate(mois):
        jours = receptions[i] if i < len(receptions) else None
        recu = None if jours is None else m + timedelta(days=max(jours, 0))
        statuts.append(c.statut(m, recu if recu is None or recu <= au else None, au))
    s = c.synthese(mois, statuts, au)
    assert s.mois_recus + s.mois_en_retard + s.mois_manquants == s.mois_echus <= s.mois_attendus
    assert s.score is None if s.mois_echus == 0 else 0 <= s.score <= 1
    assert s.mois_sans_retour <= s.mois_manquants
    assert s.a_relancer == bool(s.manquants_recents)
