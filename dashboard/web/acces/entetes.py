"""Security headers on every response: a strict CSP (scripts from this origin and Dash's own inline
scripts by hash), no framing, no sniffing, no referrer (briefing links carry their token), HSTS behind
HTTPS, no caching of callbacks and of the sign-in page."""

from __future__ import annotations

from flask import Response, request


def politique_csp(app, formulaires=()) -> str:
    """As strict as Dash allows: scripts from this origin plus the hashes of Dash's own inline scripts;
    inline styles stay allowed (plotly.js and React set them at run time). Forms post to this origin only,
    and lead on to `formulaires` (the OpenID provider, where signing out of ProConnect goes on)."""
    scripts = " ".join(["'self'", *(f"{h}" for h in app.csp_hashes())])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *formulaires]),
            "frame-ancestors 'none'",
        ]
    )


def poser_entetes(reponse: Response, csp: str, https: bool) -> None:
    entetes = reponse.headers
    entetes.setdefault("Content-Security-Policy", csp)
    entetes.setdefault("X-Content-Type-Options", "nosniff")
    entetes.setdefault("X-Frame-Options", "DENY")
    entetes.setdefault("Referrer-Policy", "no-referrer")  # briefing links carry their token
    entetes.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    entetes.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if https:
        entetes.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith(("/_dash-update-component", "/connexion", "/_dash-layout")):
        entetes["Cache-Control"] = "no-store"
