"""Who may read what through the API, checked before every route of /api/ (the app's session and CSRF
checks do not apply there: dashboard.web.acces.regles.est_api).

- A client token, `Authorization: Bearer pn_…` (dashboard.store.jetons_api): unknown, revoked or expired
  → 401; a route outside its scopes → 403; past LIMITE_PAR_MINUTE requests over any 60 s → 429 with
  Retry-After, counted in Redis when PASSNUM_CACHE_URL is set (every worker and host shares the count),
  in the process otherwise (dashboard.exports.limites.Cadence, the sliding window of the exports).
- Without a token, under PASSNUM_PUBLIC=1: the aggregated routes (indicator table, territories and their
  series, the OpenAPI document, the documentation) answer anyone, counted per address; a laureate's
  identity and series stay behind a token.
- A signed-in session of the dashboard opens the documentation and the OpenAPI document (they hold no
  data), never the data: scripts use tokens, which can be scoped, listed and revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import g, request

from dashboard.domain.droits import LIRE
from dashboard.exports.limites import Cadence, ExportRefuse
from dashboard.store import jetons_api
from dashboard.web.acces.identite import adresse_client, principal_depuis
from dashboard.web.acces.jetons import Jetons
from dashboard.web.acces.regles import sans_session
from dashboard.web.api.erreurs import ErreurApi

LIMITE_PAR_MINUTE = 120
"""Requests per token (or, without one in public mode, per address) over any 60 seconds."""
PREFIXE_REDIS = "passnum:api:"  # the counts' keys in Redis: passnum:api:<espace>:jeton:<préfixe>


@dataclass(frozen=True)
class Regle:
    portee: str | None  # the scope a token needs (None: any valid token)
    publique: bool  # open without a token under PASSNUM_PUBLIC=1
    documentation: bool = False  # also open to a signed-in session of the dashboard


DOCUMENTATION = Regle(None, True, documentation=True)
# By endpoint (the function names of dashboard.web.api.routes); the entity routes depend on the level.
REGLES = {
    "api.indicateurs": Regle("indicateurs", True),
    "api.entite": Regle("entites", True),
    "api.serie": Regle("series", True),
    "api.openapi": DOCUMENTATION,
    "api.documentation": DOCUMENTATION,
    "api_inconnue.inconnue": Regle(None, True),
}


def regle_de(endpoint: str | None, arguments: dict | None) -> Regle:
    regle = REGLES.get(endpoint or "", Regle(None, False))
    if (arguments or {}).get("niveau") == "porteur":  # one laureate: not an aggregate of territories
        return Regle(regle.portee, False)
    return regle


class Autorisation:
    def __init__(self, contexte) -> None:
        settings = contexte.settings
        self.contexte = contexte
        self.public = settings.public
        self.jetons_session = Jetons(settings.effective_secret_key())
        espace = hashlib.sha256(settings.effective_secret_key().encode()).hexdigest()[:16]
        self.cadence = Cadence(LIMITE_PAR_MINUTE, settings.cache_url, espace, prefixe=PREFIXE_REDIS)

    def controler(self):
        """Before every route of the API: None to go on, or a response (a redirect to sign in)."""
        g.api_jeton = None
        g.session = None  # the app's access layer read the cookies (if any): the API sets none
        regle = regle_de(request.endpoint, request.view_args)
        entete = request.headers.get("Authorization")
        if entete is not None:
            jeton = self._jeton(entete)
            if regle.portee and regle.portee not in jeton.portees:
                raise ErreurApi(
                    403,
                    f"Ce jeton n'a pas la portée « {regle.portee} » "
                    f"(les siennes : {', '.join(jeton.portees)}).",
                )
            self._compter(f"jeton:{jeton.prefixe}", "ce jeton")
            jetons_api.noter_utilisation(self.contexte.engine, jeton)
            g.api_jeton = jeton
            return None
        if self.public and regle.publique:
            self._compter(f"adresse:{adresse_client()}", "cette adresse")
            return None
        if regle.documentation:
            if self._session_ouverte():
                return None
            if request.endpoint == "api.documentation":
                return sans_session(request.path)  # sign in, then back to the documentation
        raise ErreurApi(401)

    def _jeton(self, entete: str) -> jetons_api.Jeton:
        schema, _, texte = entete.strip().partition(" ")
        if schema.lower() != "bearer" or not texte.strip():
            raise ErreurApi(401, "En-tête Authorization invalide : attendu « Bearer <jeton> ».")
        verdict = jetons_api.verifier(self.contexte.engine, texte.strip())
        if verdict.jeton is None:
            raise ErreurApi(401, verdict.motif)
        return verdict.jeton

    def _compter(self, cle: str, qui: str) -> None:
        try:
            self.cadence.prendre(cle)
        except ExportRefuse as refus:
            s = "s" if refus.attente_s > 1 else ""
            raise ErreurApi(
                429,
                f"Trop de requêtes : {LIMITE_PAR_MINUTE} par minute au plus pour {qui} ; "
                f"réessayez dans {refus.attente_s} seconde{s}.",
                {"Retry-After": str(refus.attente_s), "X-RateLimit-Limit": str(LIMITE_PAR_MINUTE)},
            ) from None

    def _session_ouverte(self) -> bool:
        settings = self.contexte.settings
        principal, _ = principal_depuis(
            self.contexte,
            self.jetons_session,
            settings.compte_local,
            request.cookies,
            adresse_client(),
            request.host,
            None,
        )
        return principal is not None and principal.peut(LIRE)
