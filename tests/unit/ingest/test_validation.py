"""Validation of a whole file, without a database: the optional `vague` column of the orders, syndicat
members and laureate territories of any vintage."""

from __future__ import annotations

from datetime import date

from dashboard.ingest.communes import CodesCommunes
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


# The 2016 reform: the 16 former régions merged into 7 (the other codes did not change).
ANCIENNES_REGIONS = {
    "21": "44", "41": "44", "42": "44",
    "22": "32", "31": "32",
    "23": "28", "25": "28",
    "26": "27", "43": "27",
    "54": "75", "72": "75", "74": "75",
    "73": "76", "91": "76",
    "82": "84", "83": "84",
}  # fmt: skip
REFERENCE_MILLESIMES = Reference(
    regions=frozenset({"11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"}),
    departements=frozenset({"26", "2A"}),
    epci={"242600534": "CC"},
    communes=frozenset({"44180", "26113"}),
    porteurs=frozenset(),
    syndicats=frozenset(),
    codes=CodesCommunes(
        {"44180": "44180", "44225": "44180", "26113": "26113"},
        {"44180": "actuelle", "44225": "deleguee", "26113": "actuelle"},
        {"44180": "Vallons-de-l'Erdre", "26113": "Die"},
    ),
    millesime=2026,
    noms={("region", "84"): "Auvergne-Rhône-Alpes", ("region", "44"): "Grand Est"},
)


def _valider_kind(csv: str, kind: str):
    tableau = lire_fichier(csv.encode(), kind)
    erreurs, infos = Collecteur(), []
    assert colonnes(tableau, kind, erreurs, [])
    types = valider(tableau, kind, REFERENCE_MILLESIMES, erreurs, date(2024, 1, 1), infos=infos)
    return types, [(a.ligne, a.valeur, a.motif, a.detail) for a in erreurs.anomalies], infos


def _siren(n: int) -> str:
    """A SIREN with a valid Luhn key: 23820 followed by n on three digits, then the key."""
    debut = f"23820{n:03d}"
    for cle in "0123456789":
        chiffres = [int(c) for c in debut + cle][::-1]
        total = sum(c if i % 2 == 0 else (2 * c if c < 5 else 2 * c - 9) for i, c in enumerate(chiffres))
        if total % 10 == 0:
            return debut + cle
    raise AssertionError


def test_ban011_membres_de_syndicat_de_tout_millesime():
    types, erreurs, infos = _valider_kind(
        "siren_syndicat;nom_syndicat;niveau_membre;code_membre\n"
        "254400013;SM;commune;44225\n254400013;SM;commune; 26113\n254400013;SM;departement;2a\n"
        "254400013;SM;epci;242600534\n254400013;SM;commune;44999\n254400013;SM;departement;99\n"
        "254400013;SM;epci;200000990\n",
        "syndicats",
    )
    assert types["code_membre"].tolist()[:4] == ["44180", "26113", "2A", "242600534"]
    assert types["code_brut"].tolist()[:4] == ["44225", None, None, None]
    assert set(types["source"]) == {"fichier"} and types["perimetre_au"].isna().all()
    assert infos == ["1 ligne : commune déléguée convertie (code_membre), 44225 → 44180 Vallons-de-l'Erdre"]
    inconnu = "code de membre inconnu de la géographie de référence à ce niveau"
    assert [(ligne, valeur, motif) for ligne, valeur, motif, _ in erreurs] == [
        (6, "44999", inconnu),
        (7, "99", inconnu),
        (8, "200000990", inconnu),
    ]
    assert erreurs[0][3].startswith("commune : ni commune actuelle, ni ancien code depuis 2015")
    assert erreurs[1][3] == "département : code du COG 2026 attendu (01 à 95, 2A, 2B, 971 à 976)"
    assert erreurs[2][3].startswith(
        "EPCI : ce SIREN n'est pas celui d'un EPCI à fiscalité propre du COG 2026"
    )


def test_ban012_regions_d_avant_2016_converties():
    entete = "siren;nom;type;code_territoire;vague;budget_total_eur;subvention_etat_eur\n"
    lignes = [f"{_siren(i)};R{ancien};CR;{ancien};2019;1;1\n" for i, ancien in enumerate(ANCIENNES_REGIONS)]
    types, erreurs, infos = _valider_kind(entete + "".join(lignes), "laureats")
    assert erreurs == []
    assert (
        dict(zip(types["code_territoire_brut"], types["code_territoire"], strict=True)) == ANCIENNES_REGIONS
    )
    assert len(infos) == 16
    assert (
        "1 ligne : code de région d'avant 2016 converti (code_territoire), 82 → 84 Auvergne-Rhône-Alpes"
        in infos
    )
    assert "1 ligne : code de région d'avant 2016 converti (code_territoire), 42 → 44 Grand Est" in infos
    # Today's codes are kept as they are; a code that never was a région is refused, not converted.
    types, erreurs, infos = _valider_kind(
        entete + f"{_siren(1)};R;CR;84;2019;1;1\n{_siren(2)};X;CR;45;2019;1;1\n", "laureats"
    )
    assert types["code_territoire"].tolist() == ["84", "45"] and types["code_territoire_brut"].isna().all()
    assert infos == [] and [(e[0], e[2]) for e in erreurs] == [(3, "code de région inconnu")]
