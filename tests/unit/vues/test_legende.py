from dashboard.domain.classification import Methode, classer
from dashboard.domain.formatage import pourcentage
from dashboard.domain.palettes import INCOHERENT, SANS_DONNEE, sequentielle
from dashboard.vues.legende import legende_classes


def test_lgd009_legende_zeros_classes_vides_sans_donnee_et_exclus_a_part():
    valeurs = [0.0, 0.0, 0.0, 0.55, 0.65, 0.9, None, 2.035]
    exclus = [False] * 7 + [True]
    c = classer(valeurs, Methode.SEUILS, seuils=[0.4, 0.7], exclus=exclus)
    legende = legende_classes(
        "Taux d'utilisation (%)", c, sequentielle(c.nb_classes), pourcentage, ("EPCI", "EPCI")
    )
    assert [(ligne.libelle, ligne.effectif) for ligne in legende.lignes] == [
        ("0,0 %", "3 EPCI"),
        ("de 0,0 % à 40,0 %", "aucun EPCI"),
        ("de 40,0 % à 70,0 %", "2 EPCI"),
        ("de 70,0 % à 90,0 %", "1 EPCI"),
        ("sans donnée", "1 EPCI"),
        ("données incohérentes, hors classes", "1 EPCI"),
    ]
    assert legende.lignes[-2].couleur == SANS_DONNEE and legende.lignes[-1].couleur == INCOHERENT


def test_drl020_couches_avec_les_contours_de_la_carte():
    from dashboard.figures.carte import CONTOURS_TYPES, FOND
    from dashboard.vues.legende import COUCHE_FOCUS, couches_porteurs

    couches = couches_porteurs({"SM", "CR", "EPCI", "CD"})
    assert [c.libelle for c in couches] == [
        "Conseils régionaux",
        "Conseils départementaux",
        "Syndicats mixtes",
        "EPCI",
        "Territoire sans lauréat de la sélection",
    ]
    for couche, type_ in zip(couches, ("CR", "CD", "SM", "EPCI"), strict=False):
        assert (couche.contour, couche.epaisseur) == (
            CONTOURS_TYPES[type_]["color"],
            CONTOURS_TYPES[type_]["width"],
        )
    assert couches[2].contour == "#E1000F" and couches[0].epaisseur > couches[1].epaisseur  # red SM, thick CR
    assert couches[-1].fond == FOND
    assert [c.libelle for c in couches_porteurs({"CD"}, base=False)] == ["Conseils départementaux"]
    assert COUCHE_FOCUS.epaisseur >= 3
