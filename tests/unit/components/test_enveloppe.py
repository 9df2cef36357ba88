"""The « Enveloppe » card rendered: its figures, an accessible bar (a sentence, not only colours), the
coloured status, and the methodology section read from the registry."""

from __future__ import annotations

from dashboard.components.enveloppe import INDICATEURS_ENVELOPPE, carte_enveloppe, methode_enveloppes
from dashboard.domain.indicateurs import PAR_ID
from dashboard.vues.enveloppe import carte
from tests.unit.vues.test_enveloppe import SOMME


def _parcourir(composant):
    yield composant
    enfants = getattr(composant, "children", None)
    if enfants is None or isinstance(enfants, str | int | float):
        return
    for enfant in enfants if isinstance(enfants, list | tuple) else [enfants]:
        if enfant is not None and not isinstance(enfant, str | int | float):
            yield from _parcourir(enfant)


def _textes(composant) -> str:
    morceaux = []
    for c in _parcourir(composant):
        enfants = getattr(c, "children", None)
        for e in enfants if isinstance(enfants, list | tuple) else [enfants]:
            if isinstance(e, str):
                morceaux.append(e)
    return " ".join(morceaux).replace("\u202f", " ").replace("\u00a0", " ")


def _par_id(composant, identifiant):
    return next(c for c in _parcourir(composant) if getattr(c, "id", None) == identifiant)


def test_env022_carte_rendue():
    rendu = carte_enveloppe(carte(SOMME, "Enveloppe de l'État", "Les conventions du lauréat."))
    assert rendu.id == "enveloppe"
    texte = _textes(rendu)
    for attendu in ("Subvention engagée", "80 000 €", "Restante", "70 300 €", "15/10/2019 → 31/12/2021"):
        assert attendu in texte
    barre = _par_id(rendu, "enveloppe-barre-0")
    graphique = next(c for c in _parcourir(barre) if getattr(c, "role", None) == "img")
    etiquette = (
        graphique.to_plotly_json()["props"]["aria-label"].replace("\u202f", " ").replace("\u00a0", " ")
    )
    assert etiquette.startswith("Sur 80 000 € engagés : consommée 9 700 € (12,1 %)")
    largeurs = [s.style["width"] for s in graphique.children]
    assert largeurs == ["12.12%", "87.88%"]  # 9 700 ÷ 80 000 = 12,125 %
    assert "Consommée : 9 700 € (12,1 %)" in _textes(barre)  # the legend says it in words too
    statut = next(c for c in _parcourir(rendu) if "enveloppe-statut " in (getattr(c, "className", "") or ""))
    assert statut.children == "en retard" and "enveloppe-statut-retard" in statut.className


def test_env023_carte_vide_et_methodologie():
    vide = carte({**SOMME, "nb_conventions": 0, "statut_objectif": "non évaluable"}, "Enveloppe", "Rien.")
    rendu = carte_enveloppe(vide)
    assert "Aucune convention" in _textes(rendu)
    assert not [c for c in _parcourir(rendu) if getattr(c, "role", None) == "img"]
    methode = methode_enveloppes()
    texte = _textes(methode)
    for identifiant in INDICATEURS_ENVELOPPE:
        assert PAR_ID[identifiant].libelle in texte and not PAR_ID[identifiant].visible
    assert "10 points" in texte and "31 janvier" in texte
