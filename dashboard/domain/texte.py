"""Text helpers: formula neutralisation for exports, accent-free forms for search and file names."""

from __future__ import annotations

import re
import unicodedata

DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser_formule(valeur: object) -> object:
    """Prefix text that starts like a formula with an apostrophe (OWASP "CSV injection"); numbers and
    other values pass unchanged, so a negative number stays a number."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


def sans_accents(texte: object) -> str:
    """Lower case without accents: "Écully" → "ecully" (searches that ignore case and accents)."""
    decompose = unicodedata.normalize("NFKD", str(texte).casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def slug(texte: object) -> str:
    """A file-name piece: "Finistère — lieux" → "finistere-lieux"."""
    return re.sub(r"[^a-z0-9]+", "-", sans_accents(texte)).strip("-")
