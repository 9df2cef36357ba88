"""Pass numbers of a file, read and checked line by line without a database (dashboard.ingest.numeros);
the rules between lines and against the database are tested on real files (tests/integration)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.ingest.lecture import lire_fichier
from dashboard.ingest.numeros import lire_entiers, lire_plages
from dashboard.ingest.rapport import Collecteur
from dashboard.ingest.validation import Reference, colonnes, valider

CD44 = "224400028"
REFERENCE = Reference(
    regions=frozenset({"52"}),
    departements=frozenset({"44"}),
    epci={},
    communes=frozenset({"44109"}),
    porteurs=frozenset({CD44}),
    syndicats=frozenset(),
    conventions=frozenset({(CD44, 2019)}),
)


def _valider(kind: str, csv: str):
    tableau = lire_fichier(csv.encode(), kind)
    erreurs, avertissements = Collecteur(), []
    assert colonnes(tableau, kind, erreurs, avertissements)
    types = valider(tableau, kind, REFERENCE, erreurs, date(2024, 1, 1))
    return types, [a.phrase() for a in erreurs.anomalies], avertissements


def test_num020_lire_numeros_et_plages():
    textes = pd.Series(["1200", "1 200", "1200.0", "", "12a", "123456789012345678", "-5"])
    valeurs, illisibles = lire_entiers(textes)
    assert valeurs.tolist()[:3] == [1200, 1200, 1200] and valeurs[5] == 123456789012345678
    assert illisibles.tolist() == [False, False, False, False, True, False, True]
    plages = pd.Series(["1200-1209", "1200 à 1209", "1 200 - 1 209", "1200..1209", "77", "", "x-2", "1-2-3"])
    premier, dernier, illisibles = lire_plages(plages)
    assert list(zip(premier[:5], dernier[:5], strict=True)) == [(1200, 1209)] * 4 + [(77, 77)]
    assert illisibles.tolist() == [False] * 6 + [True, True]


def test_num021_paire_ou_cellule_lues_en_plage():
    types, erreurs, avertissements = _valider(
        "distributions",
        "siren_porteur;date;code_commune;nb_pass;premier_numero;dernier_numero;Numéro de chèque\n"
        f"{CD44};10/01/2020;44109;12;1001;1012;\n"
        f"{CD44};10/01/2020;44109;1;;;1013\n"
        f"{CD44};10/01/2020;44109;3;;;1014-1016\n"
        f"{CD44};11/01/2020;44109;3;;;\n",
    )
    assert erreurs == [] and avertissements == []  # « Numéro de chèque » is a known column
    assert types["premier_numero"].tolist()[:3] == [1001, 1013, 1014]
    assert types["dernier_numero"].tolist()[:3] == [1012, 1013, 1016]
    assert types["premier_numero"].isna().tolist() == [False, False, False, True]  # a line without
    assert str(types["premier_numero"].dtype) == "Int64" and "numero_cheque" not in types
    sans, erreurs, _ = _valider(
        "utilisations", f"siren_porteur;date;code_commune;nb_pass\n{CD44};10/01/2020;44109;2\n"
    )
    assert erreurs == [] and sans["premier_numero"].isna().all()


def test_num022_refus_ligne_a_ligne():
    _, erreurs, _ = _valider(
        "commandes",
        "siren_porteur;date_commande;nb_carnets;pass_par_carnet;premier_numero;dernier_numero;numero_pass\n"
        f"{CD44};15/11/2019;2;10;1001;1020;\n"  # 20 passes, 20 numbers: fine
        f"{CD44};15/11/2019;2;10;1001;;\n"
        f"{CD44};15/11/2019;2;10;1020;1001;\n"
        f"{CD44};15/11/2019;2;10;1001;1019;\n"
        f"{CD44};15/11/2019;2;10;1001;1020;1001-1020\n"
        f"{CD44};15/11/2019;2;10;;;mille\n"
        f"{CD44};15/11/2019;1;5;;;2001\n",
    )
    assert erreurs == [
        "ligne 3, colonne dernier_numero : plage de numéros incomplète : premier_numero et dernier_numero "
        "vont ensemble",
        "ligne 7, colonne numero_pass, valeur « mille » : numéros de pass illisibles : un numéro (1200) ou "
        "une plage (1200-1209) attendus",
        "ligne 6, colonne numero_pass, valeur « 1001-1020 » : numéros donnés deux fois sur la ligne "
        "(premier_numero/dernier_numero et une autre colonne)",
        "ligne 4, colonne premier_numero/dernier_numero, valeur « 1020-1001 » : plage de numéros à "
        "l'envers : le premier numéro dépasse le dernier",
        "ligne 5, colonne premier_numero/dernier_numero, valeur « 1001-1019 » : plage de numéros de "
        "longueur différente du nombre de pass de la ligne (19 numéros pour 20 pass)",
        "ligne 8, colonne numero_pass, valeur « 2001 » : plage de numéros de longueur différente du "
        "nombre de pass de la ligne (1 numéro pour 5 pass)",
    ]
