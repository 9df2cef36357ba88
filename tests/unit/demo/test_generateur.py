"""The demo dataset: import-file validity, grounding in the published programme, anomalies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.demo.ecriture import COLONNES
from dashboard.demo.generateur import generer, lire_territoires
from dashboard.demo.identifiants import luhn_valide
from dashboard.settings import ROOT

GEO = ROOT / "data" / "geo"
VERIFIES = pd.read_csv(ROOT / "data" / "demo" / "laureats_verifies.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def territoires() -> pd.DataFrame:
    return lire_territoires(GEO)


def _lire(dossier: Path) -> dict[str, pd.DataFrame]:
    return {
        k: pd.read_csv(dossier / f"{k}.csv", sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        for k in COLONNES
    }


@pytest.fixture(scope="module")
def petit(tmp_path_factory, territoires) -> tuple[Path, dict[str, pd.DataFrame]]:
    dossier = tmp_path_factory.mktemp("small")
    generer("small", 2019, dossier, territoires)
    return dossier, _lire(dossier)


@pytest.fixture(scope="module")
def national(tmp_path_factory, territoires) -> dict[str, pd.DataFrame]:
    etapes = []
    dossier = tmp_path_factory.mktemp("national")
    generer("national", 2019, dossier, territoires, progression=lambda e, f, t: etapes.append((e, f, t)))
    fichiers = _lire(dossier)
    fichiers["_etapes"] = etapes
    return fichiers


@pytest.fixture(scope="module", params=["small", "national"])
def fichiers(request, petit, national) -> dict[str, pd.DataFrame]:
    return petit[1] if request.param == "small" else national


def _nombres(serie: pd.Series) -> pd.Series:
    return pd.to_numeric(serie.str.replace(",", ".")).fillna(np.nan)


def _jours(serie: pd.Series) -> pd.Series:
    return pd.to_datetime(serie, format="%d/%m/%Y")


def _pass(f: dict, kind: str) -> pd.Series:
    """Passes per porteur in a file (ordered = carnets × size)."""
    t = f[kind]
    if kind == "commandes":
        n = t["nb_carnets"].astype(int) * t["pass_par_carnet"].astype(int)
    else:
        n = t["nb_pass"].astype(int)
    return n.groupby(t["siren_porteur"]).sum()


def test_dem001_determinisme(petit, territoires, tmp_path):
    dossier, _ = petit
    generer("small", 2019, tmp_path / "meme", territoires)
    generer("small", 7, tmp_path / "autre", territoires)
    for kind in COLONNES:
        assert (tmp_path / "meme" / f"{kind}.csv").read_bytes() == (dossier / f"{kind}.csv").read_bytes()
    assert (tmp_path / "autre" / "utilisations.csv").read_bytes() != (
        dossier / "utilisations.csv"
    ).read_bytes()
    assert (tmp_path / "autre" / "laureats.csv").read_bytes() != (dossier / "laureats.csv").read_bytes()


def test_dem002_fichiers_excel_francais(petit):
    dossier, _ = petit
    for kind, colonnes in COLONNES.items():
        brut = (dossier / f"{kind}.csv").read_bytes()
        assert brut.startswith(b"\xef\xbb\xbf" + ";".join(colonnes).encode() + b"\r\n")
    assert b"1064920,00;628300,00" in (dossier / "laureats.csv").read_bytes()


def test_dem003_composition_2019(fichiers, territoires):
    l19 = fichiers["laureats"][fichiers["laureats"]["vague"] == "2019"]
    dep_epci = territoires[territoires["niveau"] == "epci"].set_index("code")["code_departement"]
    outre_mer = np.where(
        l19["type"] == "EPCI",
        l19["code_territoire"].map(dep_epci).fillna("").str.startswith("97"),
        l19["code_territoire"].str.startswith("97")
        | l19["code_territoire"].isin(["01", "02", "03", "04", "06"]),
    )
    composition = l19.assign(om=outre_mer).groupby(["type", "om"]).size().to_dict()
    # Published: 2 CR, 15 CD, 3 overseas départements/régions, 22 EPCI (4 overseas), 6 syndicats mixtes.
    assert len(l19) == 48 and l19["siren"].is_unique
    assert composition[("CR", False)] == 2 and composition[("CD", False)] == 15
    assert composition.get(("CR", True), 0) + composition.get(("CD", True), 0) == 3
    assert composition[("EPCI", False)] == 18 and composition[("EPCI", True)] == 4
    assert composition[("SM", False)] == 6


def test_dem004_epci_outre_mer(fichiers, territoires):
    l19 = fichiers["laureats"][
        (fichiers["laureats"]["vague"] == "2019") & (fichiers["laureats"]["type"] == "EPCI")
    ]
    epci = territoires[territoires["niveau"] == "epci"].set_index("code")
    assert epci.loc[l19["code_territoire"], "code_departement"].str.startswith("97").sum() == 4
    nom = epci.loc[l19["code_territoire"], "nom"].to_numpy()
    assert (l19["nom"].to_numpy() == nom).all()  # real names and SIRENs of the reference geography
    assert (l19["siren"] == l19["code_territoire"]).all()


def test_dem005_subventions_2020_moitie_du_budget(fichiers):
    laur = fichiers["laureats"]
    budget, subvention = _nombres(laur["budget_total_eur"]), _nombres(laur["subvention_etat_eur"])
    v2020 = laur["vague"] == "2020"
    assert (subvention[v2020] == budget[v2020] / 2).all()
    assert (budget[v2020] <= 3_000_000).all() and (budget[v2020] >= 40_000).all()  # ≥ 20 k€ of passes
    taux_2019 = subvention[~v2020] / budget[~v2020]
    assert taux_2019.between(0.549, 0.651).all() and (subvention[~v2020] <= 1_200_000).all()
    assert (budget[~v2020] < 100_000).sum() > 24  # most 2019 projects < 100 k€
    assert budget[~v2020].min() == 13_000 and budget[~v2020].max() == 1_800_000


def test_dem006_laureats_verifies(petit):
    _, f = petit
    laur, cmd = f["laureats"].set_index(["siren", "vague"]), f["commandes"]
    montants = lambda siren, vague: tuple(  # noqa: E731
        float(laur.loc[(siren, vague), c].replace(",", "."))
        for c in ("budget_total_eur", "subvention_etat_eur")
    )
    aveyron = VERIFIES[VERIFIES["collectivite"].str.startswith("Département de l'Aveyron")].iloc[0]
    siren_aveyron = laur.index[(laur["code_territoire"] == "12").to_numpy()][0][0]
    assert montants(siren_aveyron, "2019") == (
        float(aveyron["total_budget_eur"]),
        float(aveyron["state_subsidy_eur"]),
    )
    carnets = cmd[cmd["siren_porteur"] == siren_aveyron]
    assert carnets["nb_carnets"].astype(int).sum() == 9000 and set(carnets["pass_par_carnet"]) == {"10"}
    assert montants("200040715", "2019") == (175_000, 112_000)  # Grenoble-Alpes Métropole
    assert montants("200018166", "2019")[0] == 13_000  # CC Le Grésivaudan
    assert montants("200035442", "2019")[1] == 34_000  # CC du Sud Artois
    assert montants("200054781", "2019")[0] == 1_800_000  # Métropole du Grand Paris
    assert montants("200054781", "2020")[0] == 2_000_000  # 3.8 M€ for both waves
    siren_la = laur.index[(laur["code_territoire"] == "44").to_numpy()][0][0]
    assert montants(siren_la, "2019") == (120_000, 68_000)
    siren_hg = laur.index[(laur["code_territoire"] == "31").to_numpy()][0][0]
    assert montants(siren_hg, "2019")[0] == 222_000
    dist_hg = f["distributions"][f["distributions"]["siren_porteur"] == siren_hg]
    assert _jours(dist_hg["date"]).min() == pd.Timestamp("2021-03-08")
    siren_bfc = laur.index[((laur["code_territoire"] == "27") & (laur["type"] == "CR")).to_numpy()][0][0]
    assert (
        montants(siren_bfc, "2020") == (570_000, 285_000)
        and laur.loc[(siren_bfc, "2020"), "pass_prevus"] == "45000"
    )
    assert set(cmd.loc[cmd["siren_porteur"] == siren_bfc, "pass_par_carnet"]) == {"5"}
    dist_bfc = _jours(f["distributions"].loc[f["distributions"]["siren_porteur"] == siren_bfc, "date"])
    assert dist_bfc.dt.year.isin([2022, 2023]).all()
    assert ("200059228", "2020") in laur.index  # CA Grand Paris Sud Seine-Essonne-Sénart


def test_dem007_grand_paris_sud_huit_communes(petit):
    _, f = petit
    communes = set(f["distributions"].loc[f["distributions"]["siren_porteur"] == "200059228", "code_commune"])
    assert communes <= {"77251", "77296", "77445", "91174", "91228", "91286", "91340", "91521"}
    assert len(communes) >= 4


def test_dem008_volumes(petit, national):
    _, f = petit
    assert sum(len(f[k]) for k in ("distributions", "utilisations")) <= 60_000
    assert len(f["laureats"]) == 60
    assert national["laureats"]["siren"].nunique() >= 150
    assert _pass(national, "commandes").sum() >= 2_000_000
    evenements = len(national["distributions"]) + len(national["utilisations"])
    assert 500_000 <= evenements <= 1_500_000
    assert national["distributions"]["nb_pass"].isin(["5", "10"]).mean() > 0.9  # ≈ one carnet per line
    assert national["utilisations"]["nb_pass"].astype(int).median() <= 3
    etapes = {e for e, _, _ in national["_etapes"]}
    assert "activité des lauréats" in etapes and national["_etapes"][-1][1:] == (6, 6)


def test_dem009_codes_dans_la_geographie(fichiers, territoires):
    codes = {n: set(g["code"]) for n, g in territoires.groupby("niveau")}
    laur = fichiers["laureats"]
    niveaux = {"CR": "region", "CD": "departement", "EPCI": "epci"}
    for type_, niveau in niveaux.items():
        assert set(laur.loc[laur["type"] == type_, "code_territoire"]) <= codes[niveau]
    sm = laur[laur["type"] == "SM"]
    assert (sm["code_territoire"] == sm["siren"]).all()
    assert set(sm["siren"]) <= set(fichiers["syndicats"]["siren_syndicat"])
    s = fichiers["syndicats"]
    for niveau, groupe in s.groupby("niveau_membre"):
        assert set(groupe["code_membre"]) <= codes[niveau]
    for kind in ("distributions", "utilisations"):
        assert set(fichiers[kind]["code_commune"]) <= codes["commune"]
        assert set(fichiers[kind]["siren_porteur"]) <= set(laur["siren"])
    assert set(fichiers["commandes"]["siren_porteur"]) <= set(laur["siren"])


def test_dem010_identifiants_luhn(fichiers):
    colonnes = [
        ("laureats", "siren", 9),
        ("syndicats", "siren_syndicat", 9),
        ("commandes", "siren_porteur", 9),
        ("distributions", "siret_structure", 14),
        ("utilisations", "siret_lieu", 14),
    ]
    for kind, colonne, longueur in colonnes:
        valeurs = fichiers[kind][colonne].unique()
        assert all(len(v) == longueur and luhn_valide(v) for v in valeurs), (kind, colonne)
        if longueur == 14:
            assert all(luhn_valide(v[:9]) for v in valeurs)  # the SIREN inside the SIRET is valid too


def test_dem011_dates_montants_comptes(fichiers):
    colonnes_dates = [
        ("laureats", "date_convention"),
        ("commandes", "date_commande"),
        ("commandes", "fin_validite"),
        ("distributions", "date"),
        ("utilisations", "date"),
    ]
    for kind, colonne in colonnes_dates:
        jours = _jours(fichiers[kind][colonne])
        assert jours.min() >= pd.Timestamp("2019-01-01") and jours.max() <= pd.Timestamp("2023-12-31")
    laur = fichiers["laureats"]
    for colonne in ("budget_total_eur", "subvention_etat_eur", "subvention_versee_eur"):
        renseignes = laur[colonne][laur[colonne] != ""]
        assert renseignes.str.fullmatch(r"\d+,\d{2}").all()
    budget, subvention = _nombres(laur["budget_total_eur"]), _nombres(laur["subvention_etat_eur"])
    versee = _nombres(laur["subvention_versee_eur"].replace("", None))
    assert (subvention <= budget).all() and (versee.dropna() <= subvention[versee.notna()]).all()
    for kind, colonne in [
        ("commandes", "nb_carnets"),
        ("distributions", "nb_pass"),
        ("utilisations", "nb_pass"),
    ]:
        assert fichiers[kind][colonne].str.fullmatch(r"[1-9]\d*").all()
    assert set(fichiers["commandes"]["pass_par_carnet"]) == {"5", "10"}
    assert set(fichiers["commandes"]["valeur_faciale_eur"]) == {"10,00"}
    fins = fichiers["commandes"]["fin_validite"].str[:5]
    assert set(fins) == {"31/12", "31/01"}


def test_dem012_pas_de_doublons(fichiers):
    for kind in COLONNES:
        assert not fichiers[kind].duplicated().any(), kind
    assert not fichiers["laureats"].duplicated(["siren", "vague"]).any()


def test_dem013_ordres_de_grandeur_du_programme(national):
    commandes, distribues, utilises = (
        _pass(national, k) for k in ("commandes", "distributions", "utilisations")
    )
    laur = national["laureats"]
    prevus = laur["pass_prevus"].astype(int).groupby(laur["siren"]).sum()
    assert commandes.sum() / prevus.sum() > 0.85  # orders ≈ passes planned
    normaux = commandes.index.difference(_porteurs_anomalies(laur))
    taux_d = distribues.reindex(normaux, fill_value=0) / commandes[normaux]
    taux_u = utilises.reindex(normaux, fill_value=0) / distribues.reindex(normaux)
    assert taux_d.between(0.1, 1.0).all() and taux_d.quantile(0.9) - taux_d.quantile(0.1) > 0.3
    assert taux_u.between(0.05, 1.0).all() and taux_u.quantile(0.9) - taux_u.quantile(0.1) > 0.3
    d = national["distributions"].assign(jour=_jours(national["distributions"]["date"]))
    assert d["jour"].min() >= pd.Timestamp("2020-05-11")  # nothing before the first lockdown ends


def _porteurs_anomalies(laur: pd.DataFrame) -> list[str]:
    noms = ["CA du Grand Cahors", "Conseil départemental de la Vienne", "CINOR", "Somme Numérique"]
    return list(laur.loc[laur["nom"].str.contains("|".join(noms)), "siren"].unique())


def _siren(laur: pd.DataFrame, fragment: str) -> str:
    return laur.loc[laur["nom"].str.contains(fragment, regex=False), "siren"].iloc[0]


def test_dem014_anomalies_nommees(fichiers):
    laur = fichiers["laureats"]
    commandes, distribues, utilises = (
        _pass(fichiers, k) for k in ("commandes", "distributions", "utilisations")
    )
    cale = _siren(laur, "CA du Grand Cahors")
    assert distribues.get(cale, 0) / commandes[cale] < 0.05 and commandes[cale] > 1_000
    entonnoir = _siren(laur, "Conseil départemental de la Vienne")
    assert utilises[entonnoir] > distribues[entonnoir]
    autres = commandes.index.difference([entonnoir])
    assert (utilises.reindex(autres, fill_value=0) <= distribues.reindex(autres, fill_value=0)).all()
    obsolete = _siren(laur, "CINOR")
    for kind in ("distributions", "utilisations"):
        jours = _jours(fichiers[kind].loc[fichiers[kind]["siren_porteur"] == obsolete, "date"])
        assert jours.max() <= pd.Timestamp("2022-02-28") and jours.max() >= pd.Timestamp("2021-10-01")
    sans = laur[laur["nom"] == "Somme Numérique"]
    assert len(sans) == 1 and sans["subvention_versee_eur"].iloc[0] == ""
    assert (laur.loc[laur["nom"] != "Somme Numérique", "subvention_versee_eur"] != "").all()


def test_dem015_evenements_dans_le_perimetre(national, territoires):
    communes = territoires[territoires["niveau"] == "commune"].set_index("code")
    laur = national["laureats"].drop_duplicates("siren").set_index("siren")
    membres = national["syndicats"].groupby("siren_syndicat")["code_membre"].agg(set)
    for kind in ("distributions", "utilisations"):
        t = national[kind].drop_duplicates(["siren_porteur", "code_commune"])
        porteur = laur.loc[t["siren_porteur"]]
        c = communes.loc[t["code_commune"]]
        dedans = np.select(
            [
                porteur["type"].to_numpy() == "CR",
                porteur["type"].to_numpy() == "CD",
                porteur["type"].to_numpy() == "EPCI",
            ],
            [
                c["code_region"].to_numpy() == porteur["code_territoire"].to_numpy(),
                c["code_departement"].to_numpy() == porteur["code_territoire"].to_numpy(),
                c["code_epci"].to_numpy() == porteur["code_territoire"].to_numpy(),
            ],
            default=[
                d in membres.get(s, set())
                for d, s in zip(c["code_departement"], t["siren_porteur"], strict=True)
            ],
        )
        assert dedans.all(), kind


def test_dem016_utilisation_apres_distribution(national):
    d, u = national["distributions"], national["utilisations"]
    premiere_d = _jours(d["date"]).groupby(d["siren_porteur"]).min()
    premiere_u = _jours(u["date"]).groupby(u["siren_porteur"]).min()
    ecart = (premiere_u - premiere_d.reindex(premiere_u.index)).dt.days.drop(
        _porteurs_anomalies(national["laureats"])
    )
    assert (ecart >= 0).all() and ecart.median() <= 90


# --- The x10 scale: the national laureates, ten times their activity (checked on a few conventions: the
# whole dataset, 5 million lines, is for bench/echelle.py) --------------------------------------------------


@pytest.fixture(scope="module")
def echelles(territoires):
    from dashboard.demo.generateur import AMPLIFICATIONS, amplifier
    from dashboard.demo.laureats import conventions
    from dashboard.demo.references import lire_entrees

    entrees = lire_entrees(territoires)
    national = conventions(entrees, 2019, "national")
    assert AMPLIFICATIONS["x10"] == ("national", 10)  # what conventions_echelle(…, "x10") does
    return entrees, {"national": national, "x10": amplifier(national, 10)}


def test_xdx001_memes_laureats_activite_decuplee(echelles):
    from dashboard.domain.vocabulaire import ECHELLES_DEMO, ECHELLES_DEMO_PAGE

    _, conv = echelles
    nat, x10 = conv["national"], conv["x10"]
    identite = ["siren", "nom", "type", "vague", "date_convention", "taille", "millesime", "taux_utilisation"]
    pd.testing.assert_frame_equal(nat[identite], x10[identite])
    for colonne in ("budget", "subvention", "pass_prevus"):
        assert (x10[colonne] == nat[colonne] * 10).all(), colonne
    publiees = nat["commandes"].notna()
    assert publiees.sum() >= 5
    for avant, apres in zip(nat.loc[publiees, "commandes"], x10.loc[publiees, "commandes"], strict=True):
        assert [(d, n * 10, t) for d, n, t in avant] == list(apres)
    assert (x10["subvention"] <= x10["budget"]).all()
    assert "x10" in ECHELLES_DEMO and "x10" not in ECHELLES_DEMO_PAGE


def _simuler(entrees, conv: pd.DataFrame, scale: str):
    from dashboard.demo.generateur import _commandes, _evenements

    cmd = _commandes(conv, 2019)
    dist, util, _, _ = _evenements(entrees, conv, cmd, scale, 2019, None)
    return cmd, dist, util


@pytest.fixture(scope="module")
def quelques_conventions(echelles):
    """Five conventions without anomaly (the smallest of each type, and one with published orders), simulated
    at both scales."""
    entrees, conv = echelles
    nat = conv["national"]
    sans = nat[nat["anomalie"] == ""]
    choix = sorted({*sans.groupby("type")["pass_prevus"].idxmin(), sans.index[sans["commandes"].notna()][0]})
    return {s: (conv[s].loc[choix], *_simuler(entrees, conv[s].loc[choix], s)) for s in ("national", "x10")}


def test_xdx002_evenements_decuples(quelques_conventions):
    sommes = {}
    for scale, (_, cmd, dist, util) in quelques_conventions.items():
        sommes[scale] = (
            int((cmd["nb_carnets"] * cmd["taille"]).sum()),
            int(dist["nb_pass"].sum()),
            len(util),
        )
    commandes, distribues, utilises = (x / n for x, n in zip(sommes["x10"], sommes["national"], strict=True))
    assert 9.9 <= commandes <= 10.1
    assert 8 <= distribues <= 12
    assert 8 <= utilises <= 12


def test_xdx003_entonnoir_dates_et_validite(quelques_conventions):
    from dashboard.demo.activite import FIN
    from dashboard.demo.references import jour

    conv, cmd, dist, util = quelques_conventions["x10"]
    for i in conv.index:
        commandes = cmd[cmd["convention"] == i]
        d, u = dist[dist["convention"] == i], util[util["convention"] == i]
        assert (commandes["nb_carnets"] * commandes["taille"]).sum() >= d["nb_pass"].sum() >= len(u) > 0
        for dates in (commandes["date"], d["date"], u["date"]):
            assert dates.min() >= jour("2019-01-01") and dates.max() <= FIN
        assert d["date"].min() > commandes["date"].min()  # handed out after the first order
        assert u["date"].max() <= commandes["fin_validite"].max()  # no pass used after its validity
        assert u["date"].min() >= d["date"].min()


def test_xdx004_reproductible(echelles, quelques_conventions):
    entrees, _ = echelles
    conv, cmd, dist, util = quelques_conventions["x10"]
    cmd2, dist2, util2 = _simuler(entrees, conv, "x10")
    pd.testing.assert_frame_equal(cmd, cmd2)
    pd.testing.assert_frame_equal(dist, dist2)
    pd.testing.assert_frame_equal(util, util2)
