"""What the comparison page says when an entity is added, refused or removed: names, never identifiers."""

from types import SimpleNamespace

import pytest

from dashboard.store.db import make_engine
from dashboard.vues import comparaison

SIX = ["departement:29", "departement:35", "departement:56", "departement:22", "region:53", "epci:243500139"]


@pytest.fixture(scope="module")
def sources(base_demo):
    return SimpleNamespace(engine=make_engine(base_demo.resolved_database_url))


def test_rch030_ajout_dit_avec_des_noms(sources):
    entites, ignores, message = comparaison.ajouter(sources, SIX[:2], "departement:56")
    assert [e.identifiant for e in entites] == SIX[:3] and ignores == []
    assert message == "Morbihan ajouté à la comparaison."
    entites, _, message = comparaison.ajouter(sources, SIX[:3], "departement:56")
    assert len(entites) == 3 and message == "Morbihan est déjà dans la comparaison."
    # full: the seventh is refused by its name, and the six stay
    entites, _, message = comparaison.ajouter(sources, SIX, "departement:69")
    assert [e.identifiant for e in entites] == SIX
    assert message == "Rhône n'est pas ajouté : 6 territoires ou lauréats au plus. Retirez-en un d'abord."
    assert "departement:69" not in message
    for inconnu in ("departement:999", "xx:1", "<script>"):
        entites, _, message = comparaison.ajouter(sources, SIX[:2], inconnu)
        assert len(entites) == 2 and message == "Ce choix ne désigne aucun territoire ni lauréat connu."


def test_rch031_retrait_et_identifiants_laisses_de_cote_nommes(sources):
    entites, _, message = comparaison.retirer(sources, SIX[:3], "departement:35")
    assert [e.identifiant for e in entites] == ["departement:29", "departement:56"]
    assert message == "Ille-et-Vilaine retiré de la comparaison."
    entites, ignores = comparaison.lire_ids(sources, ",".join([*SIX, "departement:69", "xx:1"]))
    assert len(entites) == 6 and ignores == ["departement:69", "xx:1"]
    assert comparaison.libelles_ignores(sources, ignores) == ["Rhône (au-delà de 6)", "« xx:1 » (inconnu)"]
    assert comparaison.vue(sources, entites, ignores).ignores == [
        "Rhône (au-delà de 6)",
        "« xx:1 » (inconnu)",
    ]
