"""Fictitious SIREN/SIRET numbers with a valid Luhn key (the check the import applies)."""

from __future__ import annotations

import numpy as np


def cles_luhn(corps: np.ndarray) -> np.ndarray:
    """The Luhn check digit to append to each row of `corps` (an (n, length) array of digits)."""
    chiffres = np.asarray(corps, dtype=np.int64).copy()
    # Once the key is appended, the last digit of the body becomes the second from the right: doubled.
    chiffres[:, ::-1][:, ::2] *= 2
    chiffres = np.where(chiffres > 9, chiffres - 9, chiffres)
    return (10 - chiffres.sum(axis=1) % 10) % 10


def luhn_valide(numero: str) -> bool:
    """Luhn check of one digit string (used by tests and small tables)."""
    if not numero.isascii() or not numero.isdigit():
        return False
    chiffres = np.array([int(c) for c in numero], dtype=np.int64)[None, :]
    return bool(cles_luhn(chiffres[:, :-1])[0] == chiffres[0, -1])


def _chiffres(textes: list[str] | np.ndarray, longueur: int) -> np.ndarray:
    brut = "".join(textes).encode("ascii")
    return (np.frombuffer(brut, dtype=np.uint8) - 48).astype(np.int64).reshape(-1, longueur)


def completer_luhn(corps: list[str] | np.ndarray) -> np.ndarray:
    """Append the Luhn key to equal-length digit strings."""
    corps = np.asarray(corps, dtype=str)
    if corps.size == 0:
        return corps.astype(object)
    cles = cles_luhn(_chiffres(list(corps), len(corps[0])))
    return np.char.add(corps, cles.astype(str)).astype(object)


def siren_fictif(prefixe: str, numeros: np.ndarray) -> np.ndarray:
    """SIRENs `prefixe` + zero-padded number + key (prefixe chosen per family so families never collide)."""
    largeur = 8 - len(prefixe)
    corps = np.char.add(prefixe, np.char.zfill(np.asarray(numeros).astype(str), largeur))
    return completer_luhn(corps)


def siret_fictif(sirens: np.ndarray, nic: str = "0001") -> np.ndarray:
    """Head-office SIRETs: SIREN + 4-digit NIC body + key over the 14 digits (the SIREN stays valid)."""
    return completer_luhn(np.char.add(np.asarray(sirens, dtype=str), nic))
