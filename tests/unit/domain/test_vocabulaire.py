"""The programme's vocabulary as users read it: never a raw code."""

from dashboard.domain.vocabulaire import NATURES_EPCI, libelle_nature_epci


def test_mot001_nature_d_epci_en_francais_avec_majuscule():
    assert libelle_nature_epci("ME") == "Métropole (EPCI)"
    assert libelle_nature_epci("CA") == "Communauté d'agglomération (EPCI)"
    assert libelle_nature_epci("CC", pluriel=True, majuscule=False) == "communautés de communes (EPCI)"
    assert libelle_nature_epci("ME", pluriel=True, majuscule=False) == "métropoles (EPCI)"
    assert libelle_nature_epci(None) == "EPCI" and libelle_nature_epci("XX") == "EPCI"
    for nature in NATURES_EPCI:  # no code, no lower-case "epci —" reaches the page
        for pluriel in (False, True):
            texte = libelle_nature_epci(nature, pluriel=pluriel)
            assert texte[0].isupper() and nature not in texte.split() and "—" not in texte
