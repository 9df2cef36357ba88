"""The OpenID Connect client (ProConnect, or any certified provider), with Authlib and joserfc: discovery
(cached), the authorization request (code flow, PKCE S256, `state`, `nonce`), the code exchange, the ID
token's checks (signature by the provider's keys, iss, aud, exp, iat, nonce), the userinfo (a signed JWT
as ProConnect sends it, or JSON) and the end-session address. No Flask here: the routes are `proconnect`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from dashboard.store.proconnect import Identite

PORTEES = "openid email given_name usual_name uid siret"  # ProConnect's pivot identity
DELAI_HTTP_S = 10
DUREE_DECOUVERTE_S = 3600  # the provider's configuration and keys, read again after an hour
DERIVE_S = 60  # clock skew tolerated on exp and iat
AGE_MAX_JETON_S = 600  # an ID token issued longer ago than this is not the answer to this request
# Asymmetric signatures only: a symmetric one would be keyed with our own client secret.
ALGORITHMES = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


ECHEC = "La connexion par ProConnect a échoué : recommencez."
INJOIGNABLE = "ProConnect ne répond pas : réessayez plus tard."
EXPIRE = "La réponse de ProConnect a expiré : recommencez."
MAL_CONFIGURE = "Le fournisseur d'identité est mal configuré."


class RefusOidc(Exception):
    """The provider's answer is refused. `message` is said in French to the person; `raison` is journaled."""

    def __init__(self, raison: str, message: str = ECHEC, statut: int = 401) -> None:
        super().__init__(raison)
        self.raison, self.message, self.statut = raison, message, statut


@dataclass(frozen=True)
class Demande:
    """What the sign-in remembers between the provider's page and the return: checked at the return."""

    url: str
    state: str
    nonce: str
    verificateur: str  # PKCE code_verifier


class ClientOidc:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        horloge: Callable[[], float] = time.time,
    ) -> None:
        self.issuer, self.client_id, self._secret = issuer.rstrip("/"), client_id, client_secret
        self.redirect_uri = redirect_uri
        self.horloge = horloge
        self._verrou = threading.Lock()
        self._configuration: tuple[float, dict] | None = None
        self._cles: tuple[float, KeySet] | None = None

    # --- Discovery and keys ----------------------------------------------------------------------

    def configuration(self) -> dict:
        """`<issuer>/.well-known/openid-configuration`, read once an hour per process."""
        with self._verrou:
            if self._configuration and time.monotonic() - self._configuration[0] < DUREE_DECOUVERTE_S:
                return self._configuration[1]
        config = self._lire_json(self.issuer + "/.well-known/openid-configuration")
        if config.get("issuer", "").rstrip("/") != self.issuer:
            raise RefusOidc("decouverte_issuer", MAL_CONFIGURE, 502)
        for cle in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
            if not isinstance(config.get(cle), str):
                raise RefusOidc(f"decouverte_{cle}", MAL_CONFIGURE, 502)
        with self._verrou:
            self._configuration = (time.monotonic(), config)
        return config

    def cles(self, forcer: bool = False) -> KeySet:
        with self._verrou:
            if self._cles and not forcer and time.monotonic() - self._cles[0] < DUREE_DECOUVERTE_S:
                return self._cles[1]
        cles = KeySet.import_key_set(self._lire_json(self.configuration()["jwks_uri"]))
        with self._verrou:
            self._cles = (time.monotonic(), cles)
        return cles

    def _lire_json(self, url: str) -> dict:
        try:
            reponse = requests.get(url, timeout=DELAI_HTTP_S, headers={"Accept": "application/json"})
            reponse.raise_for_status()
            contenu = reponse.json()
        except (requests.RequestException, ValueError) as exc:
            raise RefusOidc("fournisseur_injoignable", INJOIGNABLE, 502) from exc
        if not isinstance(contenu, dict):
            raise RefusOidc("fournisseur_reponse", INJOIGNABLE, 502)
        return contenu

    # --- The flow ----------------------------------------------------------------------------------

    def _session(self) -> OAuth2Session:
        methodes = self.configuration().get("token_endpoint_auth_methods_supported") or []
        methode = "client_secret_post" if "client_secret_post" in methodes else "client_secret_basic"
        return OAuth2Session(
            self.client_id,
            self._secret,
            token_endpoint_auth_method=methode,
            scope=PORTEES,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            default_timeout=DELAI_HTTP_S,
        )

    def demande(self) -> Demande:
        """The provider's authorization address, with fresh state, nonce and PKCE verifier."""
        state, nonce, verificateur = generate_token(43), generate_token(43), generate_token(64)
        with self._session() as session:
            url, _state = session.create_authorization_url(
                self.configuration()["authorization_endpoint"],
                state=state,
                code_verifier=verificateur,
                nonce=nonce,
            )
        return Demande(url=url, state=state, nonce=nonce, verificateur=verificateur)

    def echanger(self, code: str, verificateur: str) -> dict:
        """The token endpoint's answer for this code (once: a code replayed is refused by the provider)."""
        point = self.configuration()["token_endpoint"]
        try:
            with self._session() as session:
                jetons = session.fetch_token(
                    point,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=verificateur,
                    redirect_uri=self.redirect_uri,
                )
        except Exception as exc:  # OAuthError (invalid_grant: replayed or expired code), network
            raise RefusOidc("code_refuse", "Le code de connexion n'est plus valable : recommencez.") from exc
        if not isinstance(jetons, dict) or not jetons.get("id_token") or not jetons.get("access_token"):
            raise RefusOidc("jetons_absents")
        return dict(jetons)

    def identite(self, jetons: dict, nonce: str) -> Identite:
        """The person the provider vouches for: the ID token checked, then the userinfo, whose subject must
        be the ID token's."""
        revendications = self.verifier_id_token(jetons["id_token"], nonce, jetons["access_token"])
        infos = self.userinfo(jetons["access_token"])
        if infos.get("sub") != revendications["sub"]:
            raise RefusOidc("userinfo_sub")

        def texte(cle: str) -> str:
            valeur = infos.get(cle)
            return valeur.strip()[:200] if isinstance(valeur, str) else ""

        return Identite(
            sub=revendications["sub"],
            email=texte("email").lower(),
            prenom=texte("given_name"),
            nom_usuel=texte("usual_name"),
            uid=texte("uid"),
            siret=texte("siret").replace(" ", ""),
        )

    def _decoder(self, jeton: str, algorithmes) -> jwt.Token:
        permis = [a for a in (algorithmes or ["RS256"]) if a in ALGORITHMES] or ["RS256"]
        registre = JWSRegistry(algorithms=permis)
        try:
            try:
                return jwt.decode(jeton, self.cles(), registry=registre)
            except InvalidKeyIdError:  # the provider rotated its keys
                return jwt.decode(jeton, self.cles(forcer=True), registry=registre)
        except (JoseError, ValueError) as exc:
            raise RefusOidc("signature") from exc

    def verifier_id_token(self, id_token: str, nonce: str, access_token: str | None = None) -> dict:
        """Signature by the provider's keys, issuer, audience (this client), expiry, issue time, nonce."""
        config = self.configuration()
        jeton = self._decoder(id_token, config.get("id_token_signing_alg_values_supported"))
        maintenant = int(self.horloge())
        plus_ancien = maintenant - AGE_MAX_JETON_S - DERIVE_S
        options = {
            "iss": {"essential": True, "value": config["issuer"]},
            "aud": {"essential": True, "value": self.client_id},
            "sub": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
            "iat": {"essential": True, "validate": lambda _c, iat: iat >= plus_ancien},
        }
        revendications = CodeIDToken(
            jeton.claims,
            jeton.header,
            options,
            {"nonce": nonce, "client_id": self.client_id, "access_token": access_token},
        )
        try:
            revendications.validate(now=maintenant, leeway=DERIVE_S)
        except ClaimError as exc:
            if isinstance(exc, ExpiredTokenError) or exc.claim in ("exp", "iat"):
                raise RefusOidc("id_token_expire", EXPIRE) from exc
            if exc.claim in ("aud", "azp"):
                raise RefusOidc(
                    "id_token_audience", "La réponse de ProConnect n'était pas destinée à ce service."
                ) from exc
            raise RefusOidc(f"id_token_{exc.claim}") from exc
        return dict(revendications)

    def userinfo(self, access_token: str) -> dict:
        """ProConnect answers a signed JWT (application/jwt), checked like the ID token; JSON is read as
        is."""
        config = self.configuration()
        try:
            reponse = requests.get(
                config["userinfo_endpoint"],
                headers={
                    "Authorization": f"Bearer {access_token}",
                    "Accept": "application/jwt, application/json",
                },
                timeout=DELAI_HTTP_S,
            )
            reponse.raise_for_status()
        except requests.RequestException as exc:
            raise RefusOidc("userinfo_injoignable", INJOIGNABLE, 502) from exc
        if reponse.headers.get("Content-Type", "").split(";")[0].strip() == "application/jwt":
            jeton = self._decoder(reponse.text.strip(), config.get("userinfo_signing_alg_values_supported"))
            infos = dict(jeton.claims)
            if infos.get("iss", config["issuer"]) != config["issuer"]:
                raise RefusOidc("userinfo_iss")
            audience = infos.get("aud", self.client_id)
            if self.client_id not in (audience if isinstance(audience, list) else [audience]):
                raise RefusOidc("userinfo_aud")
            return infos
        try:
            infos = reponse.json()
        except ValueError as exc:
            raise RefusOidc("userinfo_illisible") from exc
        if not isinstance(infos, dict):
            raise RefusOidc("userinfo_illisible")
        return infos

    def adresse_de_fin(self, id_token: str | None, state: str, retour: str) -> str | None:
        """The provider's end-session address (RP-initiated logout), or None if it has none."""
        try:
            fin = self.configuration().get("end_session_endpoint")
        except RefusOidc:
            return None
        if not isinstance(fin, str) or urlsplit(fin).scheme not in ("http", "https"):
            return None
        parametres = {"state": state, "post_logout_redirect_uri": retour}
        if id_token:
            parametres["id_token_hint"] = id_token
        else:
            parametres["client_id"] = self.client_id
        return fin + ("&" if "?" in fin else "?") + urlencode(parametres)

    def origines(self) -> list[str]:
        """Where a form of ours may lead (CSP form-action): the provider, for the end-session redirect."""
        morceaux = urlsplit(self.issuer)
        return [f"{morceaux.scheme}://{morceaux.netloc}"]
