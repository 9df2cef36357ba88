"""Roles and what each may do (pure rules)."""

from dashboard.domain.droits import (
    CHARGER_DEMO,
    COMPTE_LOCAL,
    IMPORTER,
    LIRE,
    PARTAGER,
    PRESENTATION,
    Principal,
)
from dashboard.domain.vocabulaire import ADMIN, COORDINATEUR, LECTEUR, LIEN


def test_acr001_permissions_par_role():
    admin = Principal(ADMIN, "a", "A")
    coordinateur = Principal(COORDINATEUR, "c", "C", region="53")
    lecteur = Principal(LECTEUR, "l", "L")
    lien = Principal(LIEN, "lien:1", "Lien", deck="/presentation?diapos=resume&diapo=1")
    assert all(admin.peut(p) for p in (LIRE, IMPORTER, CHARGER_DEMO, PARTAGER, PRESENTATION))
    assert coordinateur.peut(IMPORTER) and not coordinateur.peut(CHARGER_DEMO)
    assert lecteur.peut(LIRE) and not any(lecteur.peut(p) for p in (IMPORTER, CHARGER_DEMO, PARTAGER))
    assert lien.peut(PRESENTATION) and not lien.peut(LIRE)
    assert Principal("inconnu", "x", "X").peut(LIRE) is False
    assert coordinateur.region_imports == "53" and admin.region_imports is None
    assert Principal(ADMIN, "a", "A", region="53").region_imports is None  # only coordinators are bound
    assert COMPTE_LOCAL.local and COMPTE_LOCAL.role == ADMIN


def test_com033_annoter_selon_le_role_et_la_region():
    from dashboard.domain.droits import COMPTE_LOCAL, Principal, peut_annoter

    admin = Principal("admin", "a", "A")
    coordinateur = Principal("coordinateur", "c", "C", region="53")
    lecteur = Principal("lecteur", "l", "L")
    lien = Principal("lien", "x", "X", deck="/presentation?diapos=resume")
    assert peut_annoter(admin, "national", None) and peut_annoter(COMPTE_LOCAL, "epci", "84")
    assert peut_annoter(coordinateur, "departement", "53") and peut_annoter(coordinateur, "porteur", "53")
    assert not peut_annoter(coordinateur, "departement", "52")
    assert not peut_annoter(coordinateur, "national", None)
    assert not peut_annoter(coordinateur, "porteur", None)  # a laureate without région: the nation's
    assert not any(peut_annoter(p, "departement", "53") for p in (lecteur, lien, None))
