"""The list of the points de vigilance: its first points and the button that shows them all, the count,
the badges (severity, « nouveau »), the methodology section read from the registry."""

import pandas as pd

from dashboard.components import vigilance as c
from dashboard.domain import vigilance as domaine
from dashboard.vues.vigilance import FiltresVigilance, VueVigilance


def _points(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "regle": ["sans_retour"] * n,
            "siren": [f"{i:09d}" for i in range(n)],
            "nom": [f"Lauréat {i}" for i in range(n)],
            "gravite": [domaine.MOYENNE] * n,
            "libelle_gravite": ["Moyenne"] * n,
            "libelle_regle": ["Aucun retour récent"] * n,
            "chemin": [f"/porteur/{i:09d}" for i in range(n)],
            "chiffre": ["4 mois sans retour · fraîcheur « À jour »"] * n,
            "detail": ["Dernière distribution ou utilisation en 08/2023."] * n,
            "libelle_type": ["EPCI"] * n,
            "nom_region": ["Bretagne"] * n,
            "regle_en_clair": [domaine.regle("sans_retour").en_clair()] * n,
            "nouveau": [i == 1 for i in range(n)],
        }
    )


def _texte(element) -> str:
    """Every text of a component tree, joined."""
    if isinstance(element, str):
        return element
    if isinstance(element, list | tuple):
        return " ".join(_texte(e) for e in element)
    enfants = getattr(element, "children", None)
    return "" if enfants is None else _texte(enfants)


def _vue(points: pd.DataFrame, total: int) -> VueVigilance:
    return VueVigilance(points, total, None, 0, "", [], {}, FiltresVigilance(), False)


def test_vig301_premiers_points_et_bouton_pour_tous():
    points = _points(60)
    liste = c.liste(points, limite=c.PREMIERS)
    assert len(liste.children) == 50
    assert len(c.liste(points).children) == 60
    assert c.compte(_vue(points, 60), c.PREMIERS) == (
        "60 points. Les 50 premiers sont affichés ; l'export donne la liste entière."
    )
    assert c.compte(_vue(points.head(3), 60)) == "3 points sur 60."
    assert c.compte(_vue(points.head(1), 1)) == "1 point."
    assert c.bouton_tout(60, False) == {"texte": "Afficher les 60 points", "style": {}}
    assert c.bouton_tout(60, True)["texte"] == "Afficher les 50 premiers"
    assert c.bouton_tout(50, False)["style"] == {"display": "none"}
    assert c.liste(points.head(0)).children == "Aucun point de vigilance pour cette sélection."


def test_vig302_badges_et_lien_du_point():
    texte = str(c.liste(_points(2)).to_plotly_json())
    assert texte.count("Nouveau depuis le dernier comité") == 1
    assert "/porteur/000000001" in texte and "bg-warning text-white" in texte
    sans_laureat = str(c.liste(_points(1), avec_laureat=False).to_plotly_json())
    assert "/porteur/" not in sans_laureat and "Bretagne" not in sans_laureat


def test_vig303_methodologie_lue_dans_le_registre():
    texte = _texte(c.methode())
    for r in domaine.REGLES:
        assert r.libelle in texte and r.en_clair() in texte
    assert "seuil 5\u202f000 € (entre 0 € et 10\u202f000\u202f000 €)" in texte
    assert "Sans objet tant que la prévision de l'argent à risque n'est pas encore disponible." in texte
    for f in domaine.FRAICHEURS:
        assert f"{f.libelle} : {f.description}." in texte
