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
