"""The demo's list of lieux de médiation (standard v0.2): fictitious, grounded in the redemption places."""

import pandas as pd
import pytest

from dashboard.demo.generateur import ecrire_jeu, generer_jeu, lire_territoires
from dashboard.demo.identifiants import luhn_valide
from dashboard.demo.lieux import COLONNES, SOURCE
from dashboard.ingest.lieux import detecter_format
from dashboard.settings import ROOT


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    territoires = lire_territoires(ROOT / "data" / "geo")
    jeu = generer_jeu("small", 2019, territoires)
    dossier = tmp_path_factory.mktemp("demo")
    chemin = ecrire_jeu(jeu, dossier)["lieux"]
    liste = pd.read_csv(chemin, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    return jeu, liste, chemin, territoires


def test_lie020_fichier_au_standard_v02_fictif(demo):
    _, liste, chemin, territoires = demo
    assert chemin.read_bytes().startswith(b"\xef\xbb\xbf" + ";".join(COLONNES).encode() + b"\r\n")
    assert detecter_format(set(COLONNES)) == "v0.2"
    assert (liste["source"] == SOURCE).all() and "fictives" in SOURCE
    assert liste["id"].is_unique and len(liste) > 300
    assert all(len(p) == 14 and luhn_valide(p) and p[:2] in ("93", "94") for p in liste["pivot"])
    communes = set(territoires.loc[territoires["niveau"] == "commune", "code"])
    assert set(liste["code_insee"]) <= communes
    assert liste["code_postal"].str.fullmatch(r"\d{5}").all()


def test_lie021_lieux_d_utilisation_listes_en_majorite_et_autres_lieux(demo):
    jeu, liste, _, _ = demo
    accepte = liste["dispositif_programmes_nationaux"].str.contains("Pass numérique") | liste[
        "formations_labels"
    ].eq("APTIC")
    utilisation = liste["id"].str.startswith("demo-lieu-")
    sirets_utilises = set(jeu.lieux["siret"])
    listes = liste.loc[utilisation, "pivot"]
    assert set(listes) <= sirets_utilises
    assert 0.8 < len(listes) / len(sirets_utilises) < 1  # most of them, not all: some are missing
    assert 0.75 < accepte[utilisation].mean() < 0.95  # and some say nothing of the Pass
    assert accepte[~utilisation].mean() < 0.4 and (~utilisation).sum() > 100
    assert liste.loc[accepte, "formations_labels"].eq("APTIC").any()
    # "pass numériques…" in a free-of-charge condition is there, but never the reason for accepting.
    assert liste["frais_a_charge"].str.contains("pass numériques").any()
