"""The map legend's HTML: the layers drawn with the very outline the map gives them."""

from dashboard.components.legende import legende, style_couche
from dashboard.vues.legende import Legende, LigneLegende, couches_porteurs


def _textes(composant) -> list[str]:
    enfants = getattr(composant, "children", None)
    if isinstance(enfants, str):
        return [enfants]
    if isinstance(enfants, list):
        return [t for e in enfants for t in _textes(e)]
    return _textes(enfants) if enfants is not None else []


def _pastilles(composant) -> list[dict]:
    trouvees = [composant.style] if getattr(composant, "className", "") == "legende-couche" else []
    enfants = getattr(composant, "children", None)
    enfants = enfants if isinstance(enfants, list) else [enfants] if enfants is not None else []
    return trouvees + [p for e in enfants if not isinstance(e, str) for p in _pastilles(e)]


def test_drl021_pastilles_des_couches_aux_contours_reels():
    styles = {c.libelle: style_couche(c) for c in couches_porteurs({"CR", "CD", "SM", "EPCI"})}
    assert styles["Conseils régionaux"]["border"] == "2.5px solid #161616"
    assert styles["Syndicats mixtes"]["border"] == "1.5px solid #E1000F"
    assert styles["EPCI"]["border"] == "1px solid #666666"  # 0.5 px on the map: one pixel to show
    assert styles["Territoire sans lauréat de la sélection"]["backgroundColor"] == "#EEEEEE"
    assert len({s["border"] for s in styles.values()}) == 5  # no two layers look alike


def test_drl022_legende_html_classes_puis_couches():
    donnees = Legende(
        "Taux d'utilisation (%)",
        lignes=(LigneLegende("#DBDAFF", "de 10 % à 20 %", "3 lauréats"),),
        couches=couches_porteurs({"SM"}),
    )
    html = legende(donnees)
    textes = _textes(html)
    assert (
        textes.index("de 10\u202f% à 20\u202f%") < textes.index("Lauréats") < textes.index("Syndicats mixtes")
    )
    assert [p["border"] for p in _pastilles(html)] == ["1.5px solid #E1000F", "1px solid #FFFFFF"]
    assert "Lauréats" not in _textes(legende(Legende("Titre", lignes=donnees.lignes)))
