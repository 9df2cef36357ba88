from dashboard.components.legende import legende
from dashboard.vues.legende import Legende, LigneLegende


def _textes(composant) -> list[str]:
    enfants = getattr(composant, "children", None)
    if isinstance(enfants, str):
        return [enfants]
    if enfants is None:
        return []
    return [t for e in (enfants if isinstance(enfants, list) else [enfants]) for t in _textes(e)]


def test_lgd010_note_de_la_legende_affichee_sous_les_classes():
    lignes = (LigneLegende("#DBDAFF", "50,0 %", "1 lauréat"),)
    avec = legende(
        Legende("Taux d'utilisation (%)", lignes, note="3 lauréats aux données incohérentes, hors classes")
    )
    assert _textes(avec)[-1] == "3 lauréats aux données incohérentes, hors classes"
    assert _textes(legende(Legende("Taux d'utilisation (%)", lignes))) == [
        "Taux d'utilisation (%)",
        "50,0 %",
        "1 lauréat",
    ]
