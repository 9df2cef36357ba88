"""The active-filter tags above the map: their words, their order, their count and what removing one does."""

from __future__ import annotations

from datetime import date

from dashboard.components.filtres import CONTROLES, TOUTES_REGIONS, etat_depuis_controles, valeurs_controles
from dashboard.components.filtres_actifs import (
    CONTROLES_REMIS,
    TYPE_ETIQUETTE,
    actifs,
    etiquettes,
    remise,
    texte_nombre_actifs,
)
from dashboard.domain.etat import lire_etat
from dashboard.domain.filtres import Filtres, Periode, Plage

NOMS = {"53": "Bretagne", "76": "Occitanie"}


def test_dsf101_chaque_filtre_actif_a_son_etiquette_dans_l_ordre_du_panneau():
    filtres = Filtres(
        vagues=(2020,),
        regions=("53",),
        taux=Plage(0.2, 0.8),
        periode=Periode(date(2021, 3, 1), None),
    )
    assert actifs(filtres, NOMS) == [
        ("vague", "Vague : 2020"),
        ("region", "Région : Bretagne"),
        ("taux", "Taux d'utilisation : de 20,0 % à 80,0 %"),
        ("periode", "Période : depuis mars 2021"),
    ]
    assert actifs(Filtres(), NOMS) == []


def test_dsf102_etiquettes_boutons_nommes_et_rien_sans_filtre():
    assert etiquettes(Filtres(), NOMS) is None
    liste = etiquettes(Filtres(regions=("53",), distribues=Plage(100, None)), NOMS)
    boutons = [li.children for li in liste.children]
    assert [b.id for b in boutons] == [
        {"type": TYPE_ETIQUETTE, "cle": "region"},
        {"type": TYPE_ETIQUETTE, "cle": "distribues"},
    ]
    assert boutons[0].type == "button"
    assert boutons[0].to_plotly_json()["props"]["aria-label"] == "Retirer le filtre Région : Bretagne"
    assert boutons[1].children[0].children == "Pass distribués : au moins 100"


def test_dsf103_nombre_de_filtres_actifs_sur_le_bouton():
    assert texte_nombre_actifs(Filtres()) == ""
    assert texte_nombre_actifs(Filtres(regions=("53",))) == " (1 actif)"
    assert (
        texte_nombre_actifs(Filtres(regions=("53",), types=("EPCI",), taux=Plage(None, 0.5))) == " (3 actifs)"
    )


def test_dsf104_retirer_une_etiquette_retire_ce_filtre_et_lui_seul():
    etat = lire_etat({"region": "53", "taux": "0.2-0.8", "vague": "2020", "indicateur": "taux_utilisation"})
    valeurs = valeurs_controles(etat)
    for cle, attendu in (("region", ("2020",)), ("taux", ("2020",))):
        apres = etat_depuis_controles({**valeurs, **remise(cle)})
        assert [c for c, _ in actifs(apres.filtres)] == [k for k, _ in actifs(etat.filtres) if k != cle]
        assert tuple(str(v) for v in apres.filtres.vagues) == attendu
        assert apres.indicateur == "taux_utilisation"
    assert remise("region") == {"region": TOUTES_REGIONS}
    assert set(CONTROLES_REMIS) <= set(CONTROLES)  # every control it resets exists in the panel


def test_dsf105_le_departement_d_une_descente_a_son_etiquette_apres_sa_region():
    from dashboard.components.filtres_actifs import DEPARTEMENT, actifs

    filtres = Filtres(regions=("53",), departements=("29",), vagues=(2020,))
    assert actifs(filtres, {"53": "Bretagne"}, {"29": "Finistère"}) == [
        ("vague", "Vague : 2020"),
        ("region", "Région : Bretagne"),
        (DEPARTEMENT, "Département : Finistère (29)"),
    ]
    assert texte_nombre_actifs(filtres) == " (3 actifs)"
