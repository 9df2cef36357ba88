"""The OpenID client's checks, on tokens signed here (the provider's configuration and keys put in its
cache): the authorization request (PKCE S256, state, nonce), the ID token (signature, algorithm, iss, aud,
exp, iat, nonce), the signed userinfo, the end-session address."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from dashboard.web.acces.oidc import ClientOidc, RefusOidc

ISSUER = "https://auth.exemple.gouv.fr/api/v2"
CLIENT = "client-passnum"
NONCE = "n" * 43
CLE = RSAKey.generate_key(2048, private=True, parameters={"kid": "cle-1", "use": "sig"})
AUTRE_CLE = RSAKey.generate_key(2048, private=True, parameters={"kid": "cle-1", "use": "sig"})


def _client(maintenant: float | None = None) -> ClientOidc:
    client = ClientOidc(
        ISSUER, CLIENT, "secret", "https://pilotage.exemple.gouv.fr/connexion/proconnect/retour"
    )
    configuration = {
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/authorize",
        "token_endpoint": ISSUER + "/token",
        "userinfo_endpoint": ISSUER + "/userinfo",
        "jwks_uri": ISSUER + "/jwks",
        "end_session_endpoint": ISSUER + "/session/end",
        "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
    }
    client._configuration = (time.monotonic(), configuration)
    client._cles = (time.monotonic(), KeySet.import_key_set({"keys": [CLE.as_dict(private=False)]}))
    if maintenant is not None:
        client.horloge = lambda: maintenant
    return client


def _jeton(cle=CLE, alg: str = "RS256", **revendications) -> str:
    maintenant = int(time.time())
    charge = {
        "iss": ISSUER,
        "sub": "sujet-1",
        "aud": CLIENT,
        "exp": maintenant + 60,
        "iat": maintenant,
        "nonce": NONCE,
        **revendications,
    }
    return jwt.encode({"alg": alg, "kid": "cle-1"}, {k: v for k, v in charge.items() if v is not None}, cle)


def test_oid001_demande_avec_pkce_state_et_nonce():
    client = _client()
    demande = client.demande()
    parametres = {k: v[0] for k, v in parse_qs(urlsplit(demande.url).query).items()}
    assert demande.url.startswith(ISSUER + "/authorize?")
    assert parametres["response_type"] == "code" and parametres["client_id"] == CLIENT
    assert parametres["scope"] == "openid email given_name usual_name uid siret"
    assert parametres["state"] == demande.state and parametres["nonce"] == demande.nonce
    assert len(demande.state) >= 32 and len(demande.nonce) >= 32 and len(demande.verificateur) >= 43
    defi = base64.urlsafe_b64encode(hashlib.sha256(demande.verificateur.encode()).digest()).rstrip(b"=")
    assert parametres["code_challenge"] == defi.decode() and parametres["code_challenge_method"] == "S256"
    assert client.demande().state != demande.state  # fresh every time


def test_oid002_jeton_valide_accepte():
    revendications = _client().verifier_id_token(_jeton(), NONCE)
    assert revendications["sub"] == "sujet-1"


@pytest.mark.parametrize(
    ("jeton", "raison"),
    [
        (lambda: _jeton(aud="autre-service"), "id_token_audience"),
        (lambda: _jeton(aud=["autre-service", "troisieme"], azp="autre-service"), "id_token_audience"),
        (lambda: _jeton(iss="https://faux.exemple.fr"), "id_token_iss"),
        (lambda: _jeton(nonce="autre-nonce"), "id_token_nonce"),
        (lambda: _jeton(nonce=None), "id_token_nonce"),
        (lambda: _jeton(exp=int(time.time()) - 3600), "id_token_expire"),
        (lambda: _jeton(iat=int(time.time()) - 7200, exp=int(time.time()) + 60), "id_token_expire"),
        (lambda: _jeton(iat=int(time.time()) + 3600), "id_token_expire"),
        (lambda: _jeton(cle=AUTRE_CLE), "signature"),  # same kid, another key: the signature fails
        (lambda: _jeton(cle=OctKey.import_key(b"secret" * 6), alg="HS256"), "signature"),  # symmetric
        (lambda: _jeton() + "x", "signature"),
    ],
)
def test_oid003_jetons_refuses(jeton, raison):
    with pytest.raises(RefusOidc) as refus:
        _client().verifier_id_token(jeton(), NONCE)
    assert refus.value.raison == raison
    assert refus.value.message and refus.value.statut == 401


def test_oid004_horloge_avancee_jeton_expire():
    jeton = _jeton()
    with pytest.raises(RefusOidc, match="id_token_expire") as refus:
        _client(maintenant=time.time() + 3600).verifier_id_token(jeton, NONCE)
    assert "expiré" in refus.value.message


def test_oid005_jeton_non_signe_refuse():
    entete = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    charge = _jeton().split(".")[1]
    with pytest.raises(RefusOidc, match="signature"):
        _client().verifier_id_token(f"{entete}.{charge}.", NONCE)


def test_oid006_adresse_de_fin_de_session():
    client = _client()
    adresse = client.adresse_de_fin(
        "le.jeton.id", "etat-1", "https://pilotage.exemple.gouv.fr/connexion?fin=1"
    )
    parametres = {k: v[0] for k, v in parse_qs(urlsplit(adresse).query).items()}
    assert adresse.startswith(ISSUER + "/session/end?")
    assert parametres == {
        "id_token_hint": "le.jeton.id",
        "state": "etat-1",
        "post_logout_redirect_uri": "https://pilotage.exemple.gouv.fr/connexion?fin=1",
    }
    sans_jeton = client.adresse_de_fin(None, "etat-2", "https://x.fr/connexion?fin=1")
    assert parse_qs(urlsplit(sans_jeton).query)["client_id"] == [CLIENT]
    assert client.origines() == ["https://auth.exemple.gouv.fr"]


class _Reponse:
    def __init__(self, corps: str, type_: str) -> None:
        self.text, self.headers = corps, {"Content-Type": type_}

    def raise_for_status(self) -> None:
        return None

    def json(self):
        import json

        return json.loads(self.text)


@pytest.mark.parametrize(
    ("corps", "type_", "attendu"),
    [
        (lambda: _jeton(email="a@b.fr", nonce=None), "application/jwt; charset=utf-8", "a@b.fr"),
        (lambda: '{"sub": "sujet-1", "email": "c@d.fr"}', "application/json", "c@d.fr"),
        (lambda: _jeton(email="a@b.fr", aud="autre-service", nonce=None), "application/jwt", "userinfo_aud"),
        (
            lambda: _jeton(email="a@b.fr", iss="https://faux.fr", nonce=None),
            "application/jwt",
            "userinfo_iss",
        ),
        (lambda: _jeton(cle=AUTRE_CLE, nonce=None), "application/jwt", "signature"),
        (lambda: "[1, 2]", "application/json", "userinfo_illisible"),
    ],
)
def test_oid007_userinfo_signe_ou_json(monkeypatch, corps, type_, attendu):
    """ProConnect sends the userinfo as a JWT signed by its keys, for this client; JSON is read as is."""
    texte = corps()
    monkeypatch.setattr("dashboard.web.acces.oidc.requests.get", lambda *a, **k: _Reponse(texte, type_))
    client = _client()
    if "@" in attendu:
        assert client.userinfo("jeton-d-acces")["email"] == attendu
    else:
        with pytest.raises(RefusOidc) as refus:
            client.userinfo("jeton-d-acces")
        assert refus.value.raison == attendu
