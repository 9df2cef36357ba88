"""Colours of the French State design system (DSFR)."""

from __future__ import annotations

BLEU_FRANCE = "#000091"
# "Sans donnée": a mid grey, never mistaken (even on a projector) for the lightest blue class #DBDAFF
# nor for the very light base #EEEEEE of the territories without a laureate.
SANS_DONNEE = "#A6A6A6"
# A laureate whose funnel is inconsistent (more redeemed than handed out…): outside the classes, in
# the DSFR "terre battue" orange, never a shade of the sequential blue.
INCOHERENT = "#E4794A"

# DSFR sequential blue, light to dark (#DBDAFF → #00005F), through the mid blue #6A6AF4.
ANCRES_SEQUENTIELLES = ("#DBDAFF", "#6A6AF4", "#00005F")


def _rgb(hexa: str) -> tuple[int, int, int]:
    return int(hexa[1:3], 16), int(hexa[3:5], 16), int(hexa[5:7], 16)


def _interpoler(position: float, ancres: tuple[str, ...]) -> str:
    """Colour at position 0–1 along the anchors, linear in RGB between neighbouring anchors."""
    echelle = position * (len(ancres) - 1)
    i = min(int(echelle), len(ancres) - 2)
    t = echelle - i
    a, b = _rgb(ancres[i]), _rgb(ancres[i + 1])
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a, b, strict=True))


def sequentielle(n: int) -> list[str]:
    """n evenly spaced colours of the sequential palette, lightest first."""
    if n <= 0:
        return []
    if n == 1:
        return [ANCRES_SEQUENTIELLES[1]]
    return [_interpoler(i / (n - 1), ANCRES_SEQUENTIELLES) for i in range(n)]
