"""Why the data page validates a file again: said to the user, never silently."""

from __future__ import annotations

from dashboard.vues.donnees import CONSEIL_REMPLACEMENT, pourquoi_de_nouveau

DEPOT = {"empreinte": "a" * 64, "kind": "distributions", "remplacer": False, "nom": "d.csv"}


def test_dpg004_meme_fichier_type_change_remplacement_coche():
    assert pourquoi_de_nouveau("donnees-upload", None, DEPOT) is None
    assert pourquoi_de_nouveau("donnees-upload", {**DEPOT, "empreinte": "b" * 64}, DEPOT) is None
    assert pourquoi_de_nouveau("donnees-upload", {"refus": "x"}, DEPOT) is None
    assert pourquoi_de_nouveau("donnees-upload", dict(DEPOT), DEPOT) == (
        "même fichier que le précédent : validé de nouveau."
    )
    assert (
        pourquoi_de_nouveau("donnees-kind", DEPOT, DEPOT)
        == "validé de nouveau comme « Distributions de pass »."
    )
    assert "remplacer l'import précédent" in pourquoi_de_nouveau(
        "donnees-remplacer", DEPOT, {**DEPOT, "remplacer": True}
    )
    assert pourquoi_de_nouveau("donnees-remplacer", DEPOT, DEPOT) == "validé de nouveau, sans remplacement."


def test_dpg005_le_conseil_de_la_page_parle_de_la_case_pas_de_la_ligne_de_commande():
    assert "--" not in CONSEIL_REMPLACEMENT and "« Remplacer l'import précédent »" in CONSEIL_REMPLACEMENT
