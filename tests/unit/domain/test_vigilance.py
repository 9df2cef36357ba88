"""The registry of the vigilance rules on facts written by hand: who triggers and who does not, the figure,
the text, the ranking, what is new since the committee, the check of the settings, the freshness levels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain import vigilance as v
from dashboard.domain.vigilance import Reglage

REFERENCE = pd.Timestamp("2023-12-30")


def faits(**colonnes) -> pd.DataFrame:
    """Facts of laureates L1, L2… (one per value of each column), with names and types."""
    n = len(next(iter(colonnes.values())))
    index = pd.Index([f"L{i + 1}" for i in range(n)], name="siren")
    base = {"nom": [f"Lauréat {i + 1}" for i in range(n)], "type": ["CD"] * n, "region": ["53"] * n}
    return pd.DataFrame({**base, **colonnes}, index=index)


def evaluer(cle: str, table: pd.DataFrame, **parametres) -> pd.DataFrame:
    regle = v.regle(cle)
    return regle.evaluer(table, {**regle.defauts(), **parametres})


def test_vig001_expiration_au_dessus_du_seuil():
    table = faits(etat_risque_eur=[5000.0, 5000.01, 12000.0, np.nan])
    points = evaluer("expiration", table)
    assert points["siren"].tolist() == ["L2", "L3"]  # strictly above 5 000 €; unknown: no point
    l3 = points.set_index("siren").loc["L3"]
    assert (l3["chiffre"], l3["montant_eur"]) == ("12\u202f000 €", 12000)
    assert l3["detail"] == "12\u202f000 € de subvention de l'État à risque d'expiration (prévision)."
    assert evaluer("expiration", table, seuil_eur=10000)["siren"].tolist() == ["L3"]


def test_vig002_sous_consommation_part_et_fenetre():
    table = faits(
        part_consommee=[0.3, 0.3, 0.8, 0.49],
        part_fenetre_ecoulee=[0.8, 0.7, 0.9, 0.76],
        fin_fenetre=[pd.Timestamp("2024-06-30"), pd.NaT, pd.NaT, pd.NaT],
        subvention_etat_engagee_eur=[100000.0, 100000.0, 100000.0, 20000.0],
    )
    points = evaluer("sous_consommation", table).set_index("siren")
    assert points.index.tolist() == ["L1", "L4"]  # L2: window 70 % ≤ 75 %; L3: 80 % consumed
    assert points.loc["L1", "chiffre"] == "30,0 %"
    assert points.loc["L1", "montant_eur"] == pytest.approx(70000)
    assert points.loc["L1", "detail"] == (
        "30,0 % de la subvention consommée, fenêtre écoulée à 80,0 %, fin de la fenêtre le 30/06/2024."
    )
    assert points.loc["L4", "detail"].endswith("écoulée à 76,0 %.")


@pytest.mark.parametrize(
    ("mois", "libelle"),
    [(0, "À jour"), (5, "À jour"), (6, "À surveiller"), (11, "À surveiller"), (12, "À vérifier"),
     (18, "À vérifier"), (19, "À actualiser"), (None, "À actualiser"), (math.nan, "À actualiser")],
)  # fmt: skip
def test_vig003_niveaux_de_fraicheur(mois, libelle):
    assert v.fraicheur(mois).libelle == libelle


def test_vig004_sans_retour_pendant_la_validite():
    table = faits(
        mois_silence_validite=[2.0, 3.0, 7.0, np.nan, 10.0, 5.0],
        mois_sans_retour=[2.0, 3.0, 22.0, np.nan, 10.0, 5.0],
        pass_en_circulation=[True, True, True, True, False, True],
        pass_commandes=[100.0, 100.0, 100.0, 100.0, 100.0, 0.0],
        dernier_retour=pd.to_datetime(["2023-10-01", "2023-09-01", "2022-02-01", None, "2023-02-01", None]),
        fin_validite=pd.to_datetime(["2030-12-31", "2030-12-31", "2022-09-30", None, None, None]),
        date_reference=[REFERENCE] * 6,
    )
    points = evaluer("sans_retour", table).set_index("siren")
    # L1: 2 months < 3; L5: every pass redeemed; L6: nothing ordered.
    assert points.index.tolist() == ["L2", "L3", "L4"]
    assert points.loc["L2", "chiffre"] == "3 mois sans retour · fraîcheur « À jour »"
    assert points.loc["L3", "chiffre"] == "7 mois sans retour · fraîcheur « À actualiser »"
    assert points.loc["L3", "detail"] == (
        "Dernière distribution ou utilisation en 02/2022 (22 mois avant la date de référence), alors que "
        "ses pass étaient valables jusqu'au 30/09/2022."
    )
    assert points.loc["L2", "detail"].endswith("alors que ses pass sont encore valables.")
    assert points.loc["L4", "chiffre"] == "aucun retour · fraîcheur « À actualiser »"
    assert (
        points.loc["L4", "detail"]
        == "Aucune distribution ni utilisation enregistrée pour des pass commandés."
    )
    assert evaluer("sans_retour", table, mois=7).index.size == 2  # L3 (7) and L4 (none)


def test_vig005_utilisation_faible_par_rapport_aux_pairs():
    # CD 2019: rates 0.10, 0.40, 0.50, 0.60 and an inconsistent one (left out of the median): median
    # 0.45, half of it 0.225 → L1 only. EPCI 2019: two laureates, no median (fewer than 3).
    table = faits(
        taux_utilisation=[0.10, 0.40, 0.50, 0.60, 0.01, 0.01, 0.90],
        donnees_incoherentes=[False, False, False, False, True, False, False],
        vague=[2019] * 7,
    )
    table["type"] = ["CD", "CD", "CD", "CD", "CD", "EPCI", "EPCI"]
    assert v.mediane_des_pairs(table).tolist()[:5] == [0.45] * 5
    assert np.isnan(v.mediane_des_pairs(table).iloc[5])
    points = evaluer("utilisation_faible", table).set_index("siren")
    assert points.index.tolist() == ["L1"]
    assert points.loc["L1", "chiffre"] == "10,0 %"
    assert points.loc["L1", "detail"] == (
        "Taux d'utilisation 10,0 % pour une médiane de 45,0 % des lauréats de même type et de la vague 2019."
    )
    assert points.loc["L1", "ampleur"] == pytest.approx(1 - 0.10 / 0.45)
    assert evaluer("utilisation_faible", table, facteur=0.95)["siren"].tolist() == ["L1", "L2"]


def test_vig006_entonnoir_incoherent():
    table = faits(
        donnees_incoherentes=[True, True, False],
        pass_commandes=[100.0, 100.0, 100.0],
        pass_distribues=[80.0, 150.0, 90.0],
        pass_utilises=[95.0, 100.0, 10.0],
    )
    points = evaluer("entonnoir_incoherent", table).set_index("siren")
    assert points.index.tolist() == ["L1", "L2"]
    assert points.loc["L1", "chiffre"] == "15 pass en trop"
    assert points.loc["L1", "detail"] == "95 pass utilisés pour 80 distribués : aucun taux n'est calculé."
    assert points.loc["L2", "detail"] == "150 pass distribués pour 100 commandés : aucun taux n'est calculé."


def test_vig007_subvention_non_versee_par_vague():
    dates = pd.to_datetime
    table = faits(
        engagee_2019=[100000.0, 100000.0, np.nan, 100000.0],
        versee_2019=[10000.0, 60000.0, np.nan, 0.0],
        date_convention_2019=dates(["2019-10-15", "2019-10-15", None, "2023-06-01"]),
        engagee_2020=[50000.0, np.nan, 40000.0, np.nan],
        versee_2020=[0.0, np.nan, 19999.0, np.nan],
        date_convention_2020=dates(["2020-12-01", None, "2022-12-15", None]),
        date_reference=[REFERENCE] * 4,
    )
    points = evaluer("subvention_non_versee", table).set_index("siren")
    # L2: 60 % paid; L4: 6 months after its convention only. L3: 12 months (12/2022 → 12/2023), 49,99 %.
    assert points.index.tolist() == ["L1", "L3"]
    assert points.loc["L1", "montant_eur"] == 140000
    assert points.loc["L1", "chiffre"] == "6,7 % versé"
    assert points.loc["L1", "detail"].replace("\u202f", " ") == (
        "Vague 2019 : 10 000 € versés sur 100 000 € (10,0 %), convention du 15/10/2019 ; vague 2020 : 0 € "
        "versés sur 50 000 € (0,0 %), convention du 01/12/2020."
    )
    assert evaluer("subvention_non_versee", table, mois=13)["siren"].tolist() == ["L1"]


def _point(regle: str, siren: str, gravite: int, montant=np.nan, ampleur=np.nan) -> dict:
    return {"regle": regle, "siren": siren, "nom": siren, "gravite": gravite, "montant_eur": montant,
            "ampleur": ampleur}  # fmt: skip


def test_vig008_classement_gravite_puis_montant_puis_ampleur():
    points = pd.DataFrame(
        [
            _point("utilisation_faible", "A", v.BASSE, ampleur=0.9),
            _point("sans_retour", "B", v.MOYENNE, ampleur=20),
            _point("subvention_non_versee", "C", v.MOYENNE, montant=1000, ampleur=0.1),
            _point("expiration", "D", v.HAUTE, montant=6000),
            _point("expiration", "E", v.HAUTE, montant=90000),
            _point("sans_retour", "F", v.MOYENNE, ampleur=30),
            _point("entonnoir_incoherent", "G", v.MOYENNE),
        ]
    )
    assert v.classer(points)["siren"].tolist() == ["E", "D", "C", "F", "B", "G", "A"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([v.HAUTE, v.MOYENNE, v.BASSE]),
            st.one_of(st.none(), st.floats(0, 1e7)),
            st.one_of(st.none(), st.floats(0, 1000)),
        ),
        max_size=30,
    )
)
def test_vig009_classement_permutation_ordonnee(lignes):
    points = pd.DataFrame(
        [_point("sans_retour", f"S{i}", g, np.nan if m is None else m, np.nan if a is None else a)
         for i, (g, m, a) in enumerate(lignes)],
        columns=["regle", "siren", "nom", "gravite", "montant_eur", "ampleur"],
    )  # fmt: skip
    classes = v.classer(points)
    assert sorted(classes["siren"]) == sorted(points["siren"])
    assert classes["gravite"].is_monotonic_increasing
    for _, groupe in classes.groupby("gravite"):
        montants = groupe["montant_eur"].fillna(-1).tolist()
        assert montants == sorted(montants, reverse=True)


def test_vig010_nouveaux_depuis_le_comite():
    maintenant = pd.DataFrame(
        [_point("sans_retour", "A", 2), _point("expiration", "A", 1), _point("sans_retour", "B", 2)]
    )
    au_comite = pd.DataFrame([_point("sans_retour", "A", 2), _point("sans_retour", "C", 2)])
    assert list(zip(*[v.nouveaux(maintenant, au_comite)[c] for c in ("regle", "siren")], strict=True)) == [
        ("expiration", "A"),
        ("sans_retour", "B"),
    ]
    assert v.marquer_nouveaux(maintenant, au_comite)["nouveau"].tolist() == [False, True, True]
    assert v.marquer_nouveaux(maintenant, None)["nouveau"].tolist() == [False, False, False]
    assert v.nouveaux(maintenant, maintenant.iloc[:0]).shape[0] == 3


def test_vig011_validation_des_parametres():
    assert v.valider_parametres("sous_consommation", {"seuil_part": "0,4"}) == {
        "seuil_part": 0.4,
        "fenetre_ecoulee": 0.75,
    }
    assert v.valider_parametres("expiration", {"seuil_eur": "12 500"}) == {"seuil_eur": 12500.0}
    assert v.valider_parametres("sans_retour", {"mois": 6.0}) == {"mois": 6}
    erreurs = {
        (
            "expiration",
            "seuil_eur",
            -1,
        ): "Seuil (« Argent de l'État à risque d'expiration ») : -1 € n'est pas "
        "entre 0 € et 10\u202f000\u202f000 €.",
        ("sans_retour", "mois", 2.5): "Mois sans retour (« Aucun retour récent ») : un nombre entier de mois "
        "est attendu.",
        ("utilisation_faible", "facteur", "beaucoup"): "Facteur de la médiane (« Utilisation faible ») : "
        "« beaucoup » n'est pas un nombre.",
        ("utilisation_faible", "facteur", True): "Facteur de la médiane (« Utilisation faible ») : « True » "
        "n'est pas un nombre.",
        ("utilisation_faible", "facteur", float("nan")): "Facteur de la médiane (« Utilisation faible ») : "
        "« nan » n'est pas un nombre.",
    }
    for (cle, parametre, valeur), message in erreurs.items():
        with pytest.raises(ValueError) as exc:
            v.valider_parametres(cle, {parametre: valeur})
        assert str(exc.value) == message
    with pytest.raises(ValueError, match="Paramètre inconnu pour la règle « Aucun retour récent » : seuil"):
        v.valider_parametres("sans_retour", {"seuil": 3})
    with pytest.raises(ValueError, match="Règle de vigilance inconnue « x »"):
        v.valider_parametres("x", {})


def test_vig012_regles_en_clair_avec_leurs_seuils():
    assert v.regle("sous_consommation").en_clair() == (
        "Moins de 75 % de la subvention consommée alors que la fenêtre de la convention est écoulée à plus "
        "de 75 %."
    )
    assert v.regle("expiration").en_clair({"seuil_eur": 12500}) == (
        "La prévision d'argent de l'État à risque d'expiration (pass qui expireront sans être utilisés) "
        "dépasse 12\u202f500 €."
    )
    assert v.regle("utilisation_faible").en_clair({"facteur": 0.25}) == (
        "Taux d'utilisation inférieur à 0,25 fois la médiane des lauréats de même type et de même vague."
    )
    assert v.regle("subvention_non_versee").en_clair({"seuil_part": 0.125})[:12] == "Moins de 12,"
    assert len({r.cle for r in v.REGLES}) == len(v.REGLES) == 6


def test_vig013_evaluer_sans_objet_et_regles_desactivees():
    table = faits(
        donnees_incoherentes=[True],
        pass_commandes=[10.0],
        pass_distribues=[20.0],
        pass_utilises=[5.0],
    )
    evaluation = v.evaluer(table)
    assert evaluation.points[["regle", "siren"]].values.tolist() == [["entonnoir_incoherent", "L1"]]
    assert evaluation.sans_objet["expiration"] == v.PREVISION
    assert evaluation.sans_objet["sous_consommation"] == v.ENVELOPPES
    assert "colonnes absentes" in evaluation.sans_objet["sans_retour"]
    eteinte = v.evaluer(table, {"entonnoir_incoherent": Reglage("entonnoir_incoherent", False, {})})
    assert eteinte.points.empty and "entonnoir_incoherent" not in eteinte.sans_objet
    assert list(v.evaluer(table.iloc[:0]).points.columns) == v.COLONNES_POINTS


nombres = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))
taux = st.one_of(st.none(), st.floats(0, 1, allow_nan=False))
mois = st.one_of(st.none(), st.integers(0, 60))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            nombres, taux, taux, mois, st.booleans(), nombres, nombres, taux, st.sampled_from(["CD", "EPCI"])
        ),
        min_size=1,
        max_size=12,
    )
)
def test_vig014_toutes_les_regles_sur_des_faits_quelconques(lignes):
    """Whatever the facts (unknown values included), every rule answers: points of known laureates,
    one per rule and laureate at most, ranked by severity, each with its figure and sentence."""

    def nan(x):
        return np.nan if x is None else float(x)

    table = faits(
        etat_risque_eur=[nan(r[0]) for r in lignes],
        part_consommee=[nan(r[1]) for r in lignes],
        part_fenetre_ecoulee=[nan(r[2]) for r in lignes],
        fin_fenetre=[pd.NaT] * len(lignes),
        subvention_etat_engagee_eur=[nan(r[5]) for r in lignes],
        mois_silence_validite=[nan(r[3]) for r in lignes],
        mois_sans_retour=[nan(r[3]) for r in lignes],
        pass_en_circulation=[r[4] for r in lignes],
        pass_commandes=[nan(r[5]) for r in lignes],
        pass_distribues=[nan(r[6]) for r in lignes],
        pass_utilises=[nan(r[6]) for r in lignes],
        dernier_retour=[pd.NaT if r[3] is None else pd.Timestamp("2023-01-01") for r in lignes],
        fin_validite=[pd.NaT] * len(lignes),
        date_reference=[REFERENCE] * len(lignes),
        donnees_incoherentes=[r[4] and r[6] is not None for r in lignes],
        taux_utilisation=[nan(r[7]) for r in lignes],
        vague=[2019] * len(lignes),
        engagee_2019=[nan(r[5]) for r in lignes],
        versee_2019=[nan(r[6]) for r in lignes],
        date_convention_2019=[pd.Timestamp("2019-10-15")] * len(lignes),
        engagee_2020=[np.nan] * len(lignes),
        versee_2020=[np.nan] * len(lignes),
        date_convention_2020=[pd.NaT] * len(lignes),
    )
    table["type"] = [r[8] for r in lignes]
    evaluation = v.evaluer(table)
    points = evaluation.points
    assert evaluation.sans_objet == {}
    assert set(points["siren"]) <= set(table.index)
    assert not points.duplicated(["regle", "siren"]).any()
    assert points["gravite"].is_monotonic_increasing
    assert points["chiffre"].map(lambda t: isinstance(t, str) and t != "").all()
    assert points["detail"].map(lambda t: isinstance(t, str) and t.endswith(".")).all()
