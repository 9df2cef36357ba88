"""Contrast of every colour the dashboard gives a meaning to (WCAG 2.1 relative luminance, RGAA 3.2 and
3.3): text ≥ 4.5:1 against its background, graphical objects ≥ 3:1. Where the map's classes cannot reach
3:1, the statement declares it (criterion 3.3, non conforme, with its workaround): a change either way
must change the statement."""

import re

from dashboard.domain import accessibilite as a11y
from dashboard.domain.accessibilite import contraste
from dashboard.domain.palettes import ANCRES_SEQUENTIELLES, BLEU_FRANCE, INCOHERENT, SANS_DONNEE, sequentielle
from dashboard.settings import ROOT

BLANC = "#FFFFFF"
THEME = ROOT / "assets" / "02-theme.css"
TEXTE, GRAPHIQUE = 4.5, 3.0


def _hexa(valeur: str) -> str:
    valeur = valeur.strip()
    if len(valeur) == 4:  # #fff
        valeur = "#" + "".join(c * 2 for c in valeur[1:])
    return valeur.upper()


def _variables() -> dict[str, str]:
    return {n: _hexa(v) for n, v in re.findall(r"(--[\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})\b", THEME.read_text())}


def _couleur(valeur: str, variables: dict[str, str]) -> str | None:
    """A CSS colour value as #RRGGBB (a theme variable, with or without fallback), None if not a colour."""
    valeur = valeur.strip().removesuffix("!important").strip()
    nommees = {"white": "#FFFFFF", "black": "#000000"}
    if m := re.fullmatch(r"var\((--[\w-]+)(?:\s*,\s*(#[0-9a-fA-F]{3,6}))?\)", valeur):
        return variables.get(m.group(1)) or (m.group(2) and _hexa(m.group(2)))
    if re.fullmatch(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}", valeur):
        return _hexa(valeur)
    return nommees.get(valeur)


def _paires_texte_fond() -> list[tuple[str, str, str, str]]:
    """(file, selector, text colour, background) of every CSS rule of the app that sets both."""
    variables = _variables()
    paires = []
    for fichier in sorted((ROOT / "assets").glob("*.css")):
        if fichier.name.startswith("01-bootstrap"):
            continue
        css = re.sub(r"/\*.*?\*/", "", fichier.read_text(encoding="utf-8"), flags=re.S)
        for selecteur, corps in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
            texte = re.search(r"(?<![-\w])color\s*:\s*([^;}]+)", corps)
            fond = re.search(r"background(?:-color)?\s*:\s*([^;}]+)", corps)
            if texte and fond:
                c, f = _couleur(texte.group(1), variables), _couleur(fond.group(1), variables)
                assert c and f, f"{fichier.name} {selecteur.strip()} : couleur illisible par le test"
                paires.append((fichier.name, selecteur.strip(), c, f))
    return paires


def test_ctr001_couleurs_de_texte_du_theme_contrastees():
    paires = _paires_texte_fond()
    assert len(paires) >= 10  # the theme, badges, statuses, calendar cells, presentation
    faibles = [(f, s, c, b, round(contraste(c, b), 2)) for f, s, c, b in paires if contraste(c, b) < TEXTE]
    assert faibles == []
    # The theme's text colours, on the page's white and on the light greys and blues used as backgrounds.
    variables = _variables()
    textes = [
        "--gris-50",
        "--gris-texte",
        "--gris-425",
        "--bleu-france",
        "--bleu-france-survol",
        "--info",
        "--succes",
        "--avertissement",
        "--erreur",
    ]
    fonds = ["--gris-1000", "--gris-975", "--bleu-france-975"]
    faibles = [
        (t, f, round(contraste(variables[t], variables[f]), 2))
        for t in textes
        for f in fonds
        if contraste(variables[t], variables[f]) < TEXTE
    ]
    assert faibles == []


def test_ctr002_classes_de_la_carte_contre_le_fond():
    """The sequential palette's darker classes reach 3:1 against white; the lightest ones, « sans donnée »
    and « données incohérentes » cannot (DSFR colours): exactly what criterion 3.3 declares."""
    critere = next(c for c in a11y.CRITERES if c.numero == "3.3")
    sous_le_seuil = set()
    for n in range(2, 8):
        couleurs = sequentielle(n)
        rapports = [contraste(c, BLANC) for c in couleurs]
        assert rapports == sorted(rapports), "la palette va du clair au foncé"
        assert all(r >= GRAPHIQUE for r in rapports[n // 2 + 1 :]), (n, rapports)  # the darker half
        sous_le_seuil |= {c for c, r in zip(couleurs, rapports, strict=True) if r < GRAPHIQUE}
    # Only lighter than the mid anchor ever falls short; the darkest anchor reads like text.
    assert all(contraste(c, BLANC) < contraste(ANCRES_SEQUENTIELLES[1], BLANC) for c in sous_le_seuil)
    assert contraste(ANCRES_SEQUENTIELLES[-1], BLANC) >= TEXTE
    assert ANCRES_SEQUENTIELLES[0] in sous_le_seuil
    assert contraste(SANS_DONNEE, BLANC) < GRAPHIQUE and contraste(INCOHERENT, BLANC) < GRAPHIQUE
    assert critere.statut is a11y.Statut.NON_CONFORME
    for couleur in (ANCRES_SEQUENTIELLES[0], SANS_DONNEE, INCOHERENT):
        assert couleur in critere.non_conformite
    assert "tableau" in critere.contournement and "légende" in critere.contournement


def test_ctr003_reperes_graphiques_contrastes():
    """What is not a class of the map reaches 3:1: the focus ring, blue France, the field borders."""
    variables = _variables()
    assert contraste(variables["--focus"], BLANC) >= GRAPHIQUE
    assert contraste(BLEU_FRANCE, BLANC) >= TEXTE
    assert contraste(variables["--gris-625"], BLANC) >= GRAPHIQUE  # borders of the legend's swatches
    assert contraste(variables["--bleu-france"], variables["--bleu-france-clair"]) >= GRAPHIQUE
