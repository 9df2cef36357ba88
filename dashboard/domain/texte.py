"""Text safety for exports: a cell that a spreadsheet would read as a formula is neutralised."""

from __future__ import annotations

DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser_formule(valeur: object) -> object:
    """Prefix text that starts like a formula with an apostrophe (OWASP "CSV injection"); numbers and
    other values pass unchanged, so a negative number stays a number."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur
