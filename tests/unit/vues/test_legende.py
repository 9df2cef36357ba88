from dashboard.domain.classification import Methode, classer
from dashboard.domain.formatage import pourcentage
from dashboard.domain.palettes import SANS_DONNEE, sequentielle
from dashboard.domain.vocabulaire import effectif_niveau
from dashboard.vues.legende import legende_classes


def test_lgd009_legende_zeros_classes_vides_sans_donnee_et_note_des_exclus():
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
    ]
    assert legende.lignes[-1].couleur == SANS_DONNEE
    assert legende.note == "1 EPCI aux données incohérentes, hors classes"
    sans_exclus = legende_classes(
        "T", classer([0.5, 0.6]), ["#000", "#111"], pourcentage, effectif_niveau("porteur")
    )
    assert sans_exclus.note is None
