"""Validation of a whole file, without a database: the optional `vague` column of the orders."""

from __future__ import annotations

from datetime import date

from dashboard.ingest.lecture import lire_fichier
from dashboard.ingest.rapport import Collecteur
from dashboard.ingest.validation import Reference, colonnes, valider

CD44, EPCI = "224400028", "200000172"
REFERENCE = Reference(
    regions=frozenset({"52"}),
    departements=frozenset({"44"}),
    epci={EPCI: "CC"},
    communes=frozenset({"44109"}),
    porteurs=frozenset({CD44, EPCI}),
    syndicats=frozenset(),
    conventions=frozenset({(CD44, 2019), (EPCI, 2020)}),
)


def _valider(csv: str):
    tableau = lire_fichier(csv.encode(), "commandes")
    erreurs, avertissements = Collecteur(), []
    assert colonnes(tableau, "commandes", erreurs, avertissements)
    types = valider(tableau, "commandes", REFERENCE, erreurs, date(2024, 1, 1))
    return types, [(a.ligne, a.colonne, a.valeur, a.motif) for a in erreurs.anomalies], avertissements


def test_vgc001_vague_facultative_absente_ou_vide():
    sans, erreurs, avertissements = _valider(
        f"siren_porteur;date_commande;nb_carnets;pass_par_carnet\n{CD44};15/01/2020;10;10\n"
    )
    assert erreurs == [] and avertissements == []
    assert sans["vague"].isna().all()
    avec, erreurs, avertissements = _valider(
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;Vague\n"
        f"{CD44};15/01/2020;10;10;2019\n{EPCI};15/10/2020;10;5;\n{EPCI};16/10/2020;1;5;2020,0\n"
    )
    assert erreurs == [] and avertissements == []  # a known column, not "colonne inconnue"
    assert avec["vague"].tolist()[0::2] == [2019, 2020] and avec["vague"].isna().tolist() == [
        False,
        True,
        False,
    ]


def test_vgc002_vague_refusee_avec_sa_ligne():
    _, erreurs, _ = _valider(
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;vague\n"
        f"{CD44};15/01/2020;10;10;2019\n"
        f"{CD44};16/01/2020;10;10;2021\n"
        f"{CD44};17/01/2020;10;10;deux mille\n"
        f"{CD44};18/01/2020;10;10;2019,5\n"
        f"{CD44};19/01/2020;10;10;2020\n"
        f"234400034;20/01/2020;10;10;2020\n"
    )
    pas_de_convention = (
        "le porteur n'a pas de convention de cette vague : importez-la d'abord (KIND laureats)"
    )
    assert sorted(e for e in erreurs if e[1] == "vague") == [
        (3, "vague", "2021", "vague inconnue (2019 ou 2020)"),
        (4, "vague", "deux mille", "nombre entier attendu"),
        (5, "vague", "2019,5", "nombre entier attendu (pas de décimales)"),
        (6, "vague", "2020", pas_de_convention),
    ]
    # An unknown laureate is said once, on its SIREN.
    assert [e[0] for e in erreurs if e[1] != "vague"] == [7]
