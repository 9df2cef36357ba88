"""Password hashing (argon2id with the parameters OWASP recommends) and the password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

LONGUEUR_MIN = 12
LONGUEUR_MAX = 200  # hashing cost is bounded: nobody sends a megabyte "password"


@cache
def _hacheur() -> PasswordHasher:
    # OWASP's password storage cheat sheet: argon2id, 19 MiB, 2 passes, 1 lane, on one core. argon2-cffi's
    # default (RFC 9106 "low memory": 64 MiB, 3 passes, 4 lanes) is several times dearer: 50 people
    # signing in within a few seconds kept both cores of a 2-core server busy for seconds (the load test
    # of bench/, figures in bench/BENCHMARKS.md). Hashes made with the former parameters still verify:
    # an argon2 hash carries its own.
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _empreinte_leurre() -> str:
    """Checked when the account does not exist, so that the answer takes as long either way."""
    return _hacheur().hash("compte inexistant : même durée de vérification")


def hacher(mot_de_passe: str) -> str:
    probleme = probleme_mot_de_passe(mot_de_passe)
    if probleme:
        raise ValueError(probleme)
    return _hacheur().hash(mot_de_passe)


def verifier(empreinte: str | None, mot_de_passe: str) -> bool:
    """An account without a password (`empreinte` empty: ProConnect only) never signs in with one."""
    if not isinstance(mot_de_passe, str) or len(mot_de_passe) > LONGUEUR_MAX:
        return False
    try:
        return _hacheur().verify(empreinte or _empreinte_leurre(), mot_de_passe) and bool(empreinte)
    except (VerificationError, InvalidHashError):
        return False


def probleme_mot_de_passe(mot_de_passe: str) -> str | None:
    """What is wrong with a new password, in French; None when it is acceptable."""
    if len(mot_de_passe) < LONGUEUR_MIN:
        return f"le mot de passe doit compter au moins {LONGUEUR_MIN} caractères"
    if len(mot_de_passe) > LONGUEUR_MAX:
        return f"le mot de passe doit compter au plus {LONGUEUR_MAX} caractères"
    if mot_de_passe.strip() != mot_de_passe or not mot_de_passe.isprintable():
        return (
            "le mot de passe ne doit ni commencer ni finir par une espace, "
            "ni contenir de caractère de contrôle"
        )
    return None
