from datetime import date

import pandas as pd

from dashboard.domain.filtres import Filtres, Periode, Plage, lire_filtres
from dashboard.domain.indicateurs import BASES, calculer_derives
from dashboard.domain.resume import de_region, filtres_en_clair, phrase_resume
from tests.unit.domain.test_indicateurs import avec_cohortes

NNBSP = "\u202f"
REGIONS = {
    "76": "Occitanie",
    "53": "Bretagne",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "11": "Île-de-France",
}
FIN_2023 = date(2023, 12, 31)


def _table(*lignes: dict) -> pd.DataFrame:
    """An indicator table as the store gives it: base columns (0 when not given), derived ones computed."""
    base = pd.DataFrame(
        [{**dict.fromkeys(BASES, 0.0), "delai_median_mois": float("nan"), **ligne} for ligne in lignes]
    )
    base.insert(0, "code", [f"{i:02d}" for i in range(len(base))])
    return calculer_derives(avec_cohortes(base))


def _douze_departements() -> pd.DataFrame:
    # 12 rows summing to 1 234 567 distributed, 2 000 000 ordered, 558 000 redeemed, 68 000 €
    lignes = [
        {
            "pass_distribues": 100_000,
            "pass_commandes": 160_000,
            "pass_utilises": 46_000,
            "subvention_etat_engagee_eur": 5_000,
        }
    ] * 11
    lignes.append(
        {
            "pass_distribues": 134_567,
            "pass_commandes": 240_000,
            "pass_utilises": 52_000,
            "subvention_etat_engagee_eur": 13_000,
        }
    )
    return _table(*lignes)


def test_res001_phrase_complete_au_format_francais():
    phrase = phrase_resume(
        _douze_departements(),
        "departement",
        "territoires",
        FIN_2023,
        Filtres(vagues=(2019,), regions=("76",)),
        REGIONS,
    )
    assert phrase == (
        f"Au 31/12/2023, 12 départements d'Occitanie, vague 2019 : 1{NNBSP}234{NNBSP}567 pass distribués, "
        f"dont 45,2 % utilisés ; 68{NNBSP}000 € de subvention État engagée."
    )
    # By laureate, the passes handed out are set against those ordered, with their rate.
    assert (
        f"1{NNBSP}234{NNBSP}567 pass distribués sur 2{NNBSP}000{NNBSP}000 commandés (61,7 %)"
        in phrase_resume(_douze_departements(), "porteur", "porteurs", FIN_2023, Filtres(), REGIONS)
    )


def test_res020_par_territoire_pas_de_taux_de_distribution_qui_ne_se_lit_pas_dans_la_phrase():
    """A territory's passes handed out are those handed out there; the rate of distribution is its
    laureates' (distributed among their orders): « 30 870 sur 43 342 (71,9 %) » would not divide."""
    table = _table(
        {"pass_distribues": 30_870, "pass_commandes": 43_342, "distribues_parmi_commandes": 31_163}
    )
    phrase = phrase_resume(table, "epci", "territoires", None, Filtres())
    assert "commandés" not in phrase and "%" in phrase and "71,9" not in phrase


def test_res002_aucune_ligne():
    vide = _table({}).iloc[0:0]
    assert phrase_resume(vide, "departement", "territoires", FIN_2023, Filtres()) == (
        "Aucun lauréat ne correspond aux filtres."
    )


def test_res003_singulier_et_sans_date():
    une = _table(
        {"pass_distribues": 1, "pass_commandes": 1, "pass_utilises": 0, "subvention_etat_engagee_eur": 10}
    )
    assert phrase_resume(une, "region", "territoires", None, Filtres()) == (
        "1 région : 1 pass distribué, dont 0,0 % utilisés ; 10 € de subvention État engagée."
    )
    assert phrase_resume(une, "epci", "territoires", None, Filtres()).startswith("1 EPCI : ")
    assert phrase_resume(une, "porteur", "porteurs", None, Filtres()).startswith("1 lauréat : ")


def test_res004_pluriels_des_niveaux():
    deux = _table({}, {})
    debuts = [
        phrase_resume(deux, n, "territoires", None, Filtres()).split(" : ")[0] for n in ("region", "epci")
    ]
    assert debuts == ["2 régions", "2 EPCI"]
    assert (
        phrase_resume(deux, "porteur", "porteurs", None, Filtres()).startswith("2 lauréats : aucun") is False
    )
    assert phrase_resume(deux, "porteur", "porteurs", None, Filtres()) == (
        "2 lauréats : 0 pass distribué ; 0 € de subvention État engagée."
    )


def test_res005_vue_porteurs_lauréats_et_types_en_toutes_lettres():
    trois = _table({"pass_distribues": 10, "pass_commandes": 40}, {}, {})
    assert phrase_resume(trois, "porteur", "porteurs", FIN_2023, Filtres(types=("CD",))) == (
        "Au 31/12/2023, 3 conseils départementaux : 10 pass distribués sur 40 commandés (25,0 %), "
        "dont 0,0 % utilisés ; 0 € de subvention État engagée."
    )
    debut = phrase_resume(trois, "porteur", "porteurs", FIN_2023, Filtres(types=("CD", "EPCI")))
    assert debut.startswith("Au 31/12/2023, 3 lauréats de type conseil départemental ou EPCI : ")
    un_cr = phrase_resume(trois.iloc[:1], "porteur", "porteurs", FIN_2023, Filtres(types=("CR",)))
    assert un_cr.startswith("Au 31/12/2023, 1 conseil régional : ")


def test_res006_vue_porteurs_par_territoire_accorde_au_genre():
    deux, une = _table({}, {}), _table({})
    filtres = Filtres(types=("SM",))
    assert phrase_resume(deux, "region", "porteurs", None, filtres).split(" : ")[0] == (
        "2 régions couvertes par les lauréats, lauréats de type syndicat mixte"
    )
    assert phrase_resume(une, "departement", "porteurs", None, Filtres()).split(" : ")[0] == (
        "1 département couvert par les lauréats"
    )


def test_res007_filtres_dans_la_phrase():
    filtres = lire_filtres(
        {
            "vague": "2019,2020",
            "region": "32,44,53",
            "subvention": "10000-",
            "distribues": "0-50000",
            "taux": "-0.8",
            "periode": "2020-01..2022-12",
        }
    )
    selection = phrase_resume(_table({}, {}), "epci", "territoires", None, filtres, REGIONS).split(" : ")[0]
    assert selection == (
        "2 EPCI des Hauts-de-France, du Grand Est et de Bretagne, vagues 2019 et 2020, "
        f"subvention État d'au moins 10{NNBSP}000 €, de 0 à 50{NNBSP}000 pass distribués, "
        "taux d'utilisation d'au plus 80,0 %, entre janvier 2020 et décembre 2022"
    )


def test_res008_region_au_niveau_region_et_code_sans_nom():
    une = _table({})
    assert phrase_resume(une, "region", "territoires", None, Filtres(regions=("76",)), REGIONS).startswith(
        "1 région (Occitanie) : "
    )
    assert phrase_resume(une, "departement", "territoires", None, Filtres(regions=("76",))).startswith(
        "1 département de la région 76 : "
    )
    un_mois = Filtres(periode=Periode(date(2021, 3, 1), date(2021, 3, 1)))
    assert phrase_resume(une, "departement", "territoires", None, un_mois).startswith(
        "1 département, en mars 2021 : "
    )


def test_res009_elision_des_noms_de_region():
    noms = {**REGIONS, "52": "Pays de la Loire", "24": "Centre-Val de Loire", "04": "La Réunion"}
    assert [de_region(c, noms) for c in ("76", "11", "32", "52", "44", "24", "53", "04")] == [
        "d'Occitanie",
        "d'Île-de-France",
        "des Hauts-de-France",
        "des Pays de la Loire",
        "du Grand Est",
        "du Centre-Val de Loire",
        "de Bretagne",
        "de La Réunion",
    ]


def test_res010_filtres_en_clair_pour_les_exports():
    filtres = Filtres(
        vagues=(2019,),
        types=("CD", "EPCI"),
        regions=("53", "76"),
        subvention=Plage(10_000, 500_000),
        distribues=Plage(None, 50_000),
        taux=Plage(0.2, 0.8),
        periode=Periode(date(2020, 1, 1), date(2022, 12, 1)),
    )
    assert filtres_en_clair(filtres, REGIONS) == [
        "Vague : 2019",
        "Types de lauréat : conseils départementaux, EPCI",
        "Régions : Bretagne, Occitanie",
        f"Subvention État engagée : de 10{NNBSP}000 € à 500{NNBSP}000 €",
        f"Pass distribués : au plus 50{NNBSP}000",
        "Taux d'utilisation : de 20,0 % à 80,0 %",
        "Période : entre janvier 2020 et décembre 2022",
    ]
    assert filtres_en_clair(Filtres()) == []
    assert filtres_en_clair(Filtres(subvention=Plage(None, None))) == []  # `?subvention=-`


def test_res011_deterministe():
    args = (_douze_departements(), "departement", "territoires", FIN_2023, Filtres(vagues=(2020,)), REGIONS)
    assert len({phrase_resume(*args) for _ in range(3)}) == 1
