"""Every PASSNUM_* environment setting, read in one place."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
"""The repository root: app.py, assets/ and data/ live here (the package is installed editable)."""

DEFAULT_DATABASE_URL = "sqlite:///data/passnum.sqlite"


def _resolve_sqlite_path(url: str, root: Path) -> str:
    """Relative SQLite paths are relative to the repository root, not to the current directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return url
    path = Path(parsed.database)
    if path.is_absolute():
        return url
    return parsed.set(database=str(root / path)).render_as_string(hide_password=False)


def _dev_secret_key(data_dir: Path) -> str:
    """A per-data-directory key for development, so sessions survive restarts without configuration."""
    key_file = data_dir / ".secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    cache_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    secret_key: str | None = None
    https: bool = False  # served behind HTTPS: cookies marked Secure, HSTS sent
    proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto/-Host are trusted
    url: str | None = None  # the public address every link sent out is built from (never the Host header)
    exports_par_minute: int = 10  # PDF/PNG exports per account or briefing link over any 60 s
    exports_simultanes: int = 1  # Chromium renders at once, per process
    exports_en_attente: int = 1  # renders waiting for a slot, per process; beyond, refused at once (503)
    requetes_simultanees: int = 4  # `passnum serve`: requests served at once, per process
    requetes_en_attente: int = 8  # waiting for a slot (0.5 s at most), per process; beyond, 503 at once
    exports_chauffe: bool = True  # `passnum serve`, `python app.py`: renderers warmed at start (background)
    compte_local: bool = False  # `python app.py` on the loopback: the labelled local demo account
    root: Path = ROOT
    data_dir: Path = field(default=ROOT / "data")
    assets_dir: Path = field(default=ROOT / "assets")
    # Import bounds (PASSNUM_IMPORT_*): beyond any of them a file is refused with a French report.
    import_colonnes_max: int = 200
    import_lignes_max: int = 5_000_000
    import_cellule_max: int = 10_000  # characters
    import_decompresse_max_mo: int = 200  # an XLSX once uncompressed
    import_duree_max_s: int = 50  # reading and validation
    import_cellules_max: int = 8_000_000  # lines × columns
    smtp_url: str | None = None  # `passnum rapport --envoyer`: smtp://user:pass@host:port or smtps://…
    # ProConnect (or any OpenID Connect provider): the issuer (discovery at
    # <issuer>/.well-known/openid-configuration) and this service's client credentials; none: local accounts
    # only (dashboard.web.acces.proconnect).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    public: bool = False  # PASSNUM_PUBLIC=1: aggregated API and read-only national pages without an account

    @property
    def geo_dir(self) -> Path:
        return self.data_dir / "geo"

    @property
    def resolved_database_url(self) -> str:
        return _resolve_sqlite_path(self.database_url, self.root)

    @property
    def is_embedded_database(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def effective_secret_key(self) -> str:
        return self.secret_key or _dev_secret_key(self.data_dir)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        port = env.get("PASSNUM_PORT", "8050")
        if not port.isdigit():
            raise ValueError(f"PASSNUM_PORT doit être un numéro de port, pas « {port} »")
        return cls(
            database_url=env.get("PASSNUM_DATABASE_URL") or DEFAULT_DATABASE_URL,
            cache_url=env.get("PASSNUM_CACHE_URL") or None,
            host=env.get("PASSNUM_HOST") or "127.0.0.1",
            port=int(port),
            secret_key=env.get("PASSNUM_SECRET_KEY") or None,
            https=_oui(env.get("PASSNUM_HTTPS", "")),
            proxies=_entier(env.get("PASSNUM_PROXIES", "0"), "PASSNUM_PROXIES"),
            url=_url_publique(env.get("PASSNUM_URL", "")),
            exports_par_minute=_entier(
                env.get("PASSNUM_EXPORTS_PAR_MINUTE", "10"), "PASSNUM_EXPORTS_PAR_MINUTE"
            ),
            exports_simultanes=max(
                1, _entier(env.get("PASSNUM_EXPORTS_SIMULTANES", "1"), "PASSNUM_EXPORTS_SIMULTANES")
            ),
            exports_en_attente=_entier(
                env.get("PASSNUM_EXPORTS_EN_ATTENTE", "1"), "PASSNUM_EXPORTS_EN_ATTENTE"
            ),
            requetes_simultanees=_borne(env, "PASSNUM_REQUETES_SIMULTANEES", 4),
            requetes_en_attente=_entier(
                env.get("PASSNUM_REQUETES_EN_ATTENTE", "8"), "PASSNUM_REQUETES_EN_ATTENTE"
            ),
            exports_chauffe=_oui(env.get("PASSNUM_EXPORTS_CHAUFFE", "1"), "PASSNUM_EXPORTS_CHAUFFE"),
            import_colonnes_max=_borne(env, "PASSNUM_IMPORT_COLONNES_MAX", 200),
            import_lignes_max=_borne(env, "PASSNUM_IMPORT_LIGNES_MAX", 5_000_000),
            import_cellule_max=_borne(env, "PASSNUM_IMPORT_CELLULE_MAX", 10_000),
            import_decompresse_max_mo=_borne(env, "PASSNUM_IMPORT_DECOMPRESSE_MAX_MO", 200),
            import_duree_max_s=_borne(env, "PASSNUM_IMPORT_DUREE_MAX_S", 50),
            import_cellules_max=_borne(env, "PASSNUM_IMPORT_CELLULES_MAX", 8_000_000),
            smtp_url=_url_smtp(env.get("PASSNUM_SMTP_URL", "")),
            oidc_issuer=(env.get("PASSNUM_OIDC_ISSUER") or "").strip().rstrip("/") or None,
            oidc_client_id=(env.get("PASSNUM_OIDC_CLIENT_ID") or "").strip() or None,
            oidc_client_secret=env.get("PASSNUM_OIDC_CLIENT_SECRET") or None,
            public=_oui(env.get("PASSNUM_PUBLIC", "0"), "PASSNUM_PUBLIC"),
        )


def _url_publique(valeur: str) -> str | None:
    """PASSNUM_URL: `https://pilotage.example.gouv.fr` (a scheme and a host, nothing after), without its
    final slash; None when unset."""
    from urllib.parse import urlsplit

    valeur = valeur.strip().rstrip("/")
    if not valeur:
        return None
    morceaux = urlsplit(valeur)
    if (
        morceaux.scheme not in ("http", "https")
        or not morceaux.hostname
        or morceaux.path
        or morceaux.query
        or morceaux.fragment
    ):
        raise ValueError(f"PASSNUM_URL doit être une adresse http(s)://hôte[:port], pas « {valeur} »")
    return valeur


def _url_smtp(valeur: str) -> str | None:
    """PASSNUM_SMTP_URL: `smtp://utilisateur:mot-de-passe@hôte:port` (STARTTLS when the server offers it)
    or `smtps://…` (TLS from the start); user and password optional. None when unset. The message of a
    bad value never repeats it (it may hold a password)."""
    from urllib.parse import urlsplit

    valeur = valeur.strip()
    if not valeur:
        return None
    try:
        morceaux = urlsplit(valeur)
        port = morceaux.port
    except ValueError:
        port, morceaux = -1, None
    if (
        morceaux is None
        or port == -1
        or morceaux.scheme not in ("smtp", "smtps")
        or not morceaux.hostname
        or morceaux.path not in ("", "/")
        or morceaux.query
        or morceaux.fragment
    ):
        raise ValueError(
            "PASSNUM_SMTP_URL doit être une adresse smtp://utilisateur:mot-de-passe@hôte:port "
            "(ou smtps://…) ; la valeur donnée n'en est pas une"
        )
    return valeur


def _entier(valeur: str, nom: str) -> int:
    if not valeur.strip().isdigit():
        raise ValueError(f"{nom} doit être un nombre entier positif ou nul, pas « {valeur} »")
    return int(valeur)


def _oui(valeur: str, nom: str = "PASSNUM_HTTPS") -> bool:
    if valeur.strip().lower() in ("", "0", "non", "no", "false"):
        return False
    if valeur.strip().lower() in ("1", "oui", "yes", "true"):
        return True
    raise ValueError(f"{nom} vaut 1 ou 0, pas « {valeur} »")


def _borne(env, nom: str, defaut: int) -> int:
    valeur = env.get(nom) or str(defaut)
    if not valeur.strip().isdigit() or int(valeur) == 0:
        raise ValueError(f"{nom} doit être un nombre entier strictement positif, pas « {valeur} »")
    return int(valeur)
