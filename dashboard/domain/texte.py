"""Text helpers: formula neutralisation for exports, imported text made inert in charts, accent-free forms
for search and file names."""

from __future__ import annotations

import html
import re
import unicodedata

# `＝ ＋ － ＠`: full-width forms, which a reader may fold to ASCII before deciding whether it is a formula.
DEBUTS_DE_FORMULE = frozenset("=+-@\t\r＝＋－＠")


def neutraliser_formule(valeur: object) -> object:
    """Prefix with an apostrophe (OWASP "CSV injection") text whose first non-blank character would make
    a spreadsheet evaluate it: names and filters come from imported files, and `=HYPERLINK(…)` or
    `@SUM(…)` in a cell must be shown, never run. Leading blanks are looked through because some readers
    trim them before deciding. Only text is changed: a negative number written as a number is not a
    formula and stays a number."""
    if not isinstance(valeur, str):
        return valeur
    blancs = len(valeur) - len(valeur.lstrip())
    if any(c in DEBUTS_DE_FORMULE for c in valeur[: blancs + 1]):
        return "'" + valeur
    return valeur


def pour_plotly(valeur: object) -> str:
    """Imported text (a structure's or a laureate's name) as plotly must receive it: plotly reads `<a href>`,
    `<b>`, `<br>`… in every text it draws (axis labels, legends, hover texts) and would make a live link of a
    name; its entities `&lt;` `&gt;` `&amp;` show the characters themselves."""
    return html.escape(str(valeur), quote=False)


def sans_accents(texte: object) -> str:
    """Lower case without accents: "Écully" → "ecully" (searches that ignore case and accents)."""
    decompose = unicodedata.normalize("NFKD", str(texte).casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def slug(texte: object) -> str:
    """A file-name piece: "Finistère — lieux" → "finistere-lieux"."""
    return re.sub(r"[^a-z0-9]+", "-", sans_accents(texte)).strip("-")
