"""Sign-in with ProConnect against a real OpenID provider (`oidc-provider`, tests/oidc), through the WSGI
app: the provider's pages are driven with `requests` (redirects followed, its forms submitted), the app's
own with Flask's test client — the redirect URI is built from PASSNUM_URL, never from the Host header.

Granted by e-mail and by SIRET rule, refused when nobody granted it (« Accès non accordé », journaled, no
account); a tampered state, a replayed code, an ID token for another client, an expired one, a disabled
account: refused in French, without a session; signing out goes on to the provider's end_session."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from sqlalchemy import select

from dashboard import create_app
from dashboard.store import comptes
from dashboard.store import proconnect as acces
from dashboard.store.db import make_engine
from dashboard.store.schema import JournalAudit
from dashboard.web.acces.jetons import Jetons
from tests.conftest import copie_avec_comptes
from tests.oidc.lanceur import (
    APRES_DECONNEXION,
    AUTRE_ID,
    AUTRE_SECRET,
    RETOUR,
    URL_PUBLIQUE,
    fournisseur_oidc,  # noqa: F401 — the session's provider (fixture)
)

MDP = "mot-de-passe-de-test-solide"
COMPTES = {"admin": ("admin@exemple.fr", None)}
MARIE, JEAN, PAUL = "marie.dupont@bretagne.gouv.fr", "jean.martin@paysdelaloire.fr", "paul.durand@ailleurs.fr"
SIRET_JEAN = "23440003400026"


@pytest.fixture(scope="module")
def settings(base_demo, tmp_path_factory, fournisseur_oidc):  # noqa: F811
    base = copie_avec_comptes(base_demo, tmp_path_factory.mktemp("proconnect"), COMPTES, MDP)
    return fournisseur_oidc.settings(base, url=URL_PUBLIQUE)


@pytest.fixture(scope="module")
def app(settings):
    app = create_app(settings)
    app.server.test_client().get("/sante")
    return app


@pytest.fixture(scope="module")
def engine(settings):
    return make_engine(settings.resolved_database_url)


def _accorder(engine, email: str, role: str = "coordinateur", region: str | None = "53", nom: str = ""):
    """An account granted by e-mail, without a password (`passnum users add --email`)."""
    if comptes.compte_par_identifiant(engine, email) is None:
        comptes.ajouter_compte(engine, email, nom, role, "", region, "test")
    return comptes.compte_par_identifiant(engine, email)


# --- Driving the provider ----------------------------------------------------------------------------


def _formulaire(page: str) -> tuple[str, dict]:
    action = re.search(r'<form[^>]*action="([^"]+)"', page).group(1)
    champs = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    return action, champs


def chez_le_fournisseur(adresse: str, identifiant: str, navigateur: requests.Session | None = None) -> str:
    """Follow the provider from the authorization address, sign in as `identifiant` on its page, and
    return the address it sends the browser back to (not followed)."""
    navigateur = navigateur or requests.Session()
    origine = "{0.scheme}://{0.netloc}/".format(urlsplit(adresse))
    reponse = navigateur.get(adresse, allow_redirects=False, timeout=10)
    for _ in range(10):
        if reponse.is_redirect:
            suite = urljoin(reponse.url, reponse.headers["Location"])
            if not suite.startswith(origine):
                return suite  # leaving the provider: back to the client
            reponse = navigateur.get(suite, allow_redirects=False, timeout=10)
            continue
        assert reponse.status_code == 200, reponse.text[:500]
        action, champs = _formulaire(reponse.text)
        if 'name="login"' in reponse.text:
            champs.update(login=identifiant, password="peu-importe")
        reponse = navigateur.post(
            urljoin(reponse.url, action), data=champs, allow_redirects=False, timeout=10
        )
    raise AssertionError("le fournisseur ne rend pas la main")


def vers_l_app(client, adresse: str):
    """The provider's redirect to PASSNUM_URL, handed to the app."""
    assert adresse.startswith(URL_PUBLIQUE + "/"), adresse
    morceaux = urlsplit(adresse)
    return client.get(morceaux.path + ("?" + morceaux.query if morceaux.query else ""))


def commencer(app, suivant: str = "/"):
    client = app.server.test_client()
    debut = client.get("/connexion/proconnect?" + urlencode({"suivant": suivant}))
    assert debut.status_code == 303, debut.get_data(as_text=True)[:500]
    return client, debut.headers["Location"]


def se_connecter(app, identifiant: str, suivant: str = "/"):
    client, adresse = commencer(app, suivant)
    return client, vers_l_app(client, chez_le_fournisseur(adresse, identifiant))


def session_de(client, settings) -> dict | None:
    cookie = client.get_cookie("passnum_session")
    return Jetons(settings.effective_secret_key()).lire_session(cookie.value if cookie else None)


def sans_session(client) -> bool:
    reponse = client.get("/")
    return reponse.status_code == 302 and reponse.headers["Location"].startswith("/connexion?suivant=")


def journal(engine, action: str) -> list:
    with engine.connect() as connection:
        return connection.execute(
            select(JournalAudit.acteur, JournalAudit.cible, JournalAudit.details).where(
                JournalAudit.action == action
            )
        ).all()


# --- Granted, refused ---------------------------------------------------------------------------------


def test_pco001_compte_accorde_par_adresse_connecte_avec_son_role_et_sa_region(app, engine, settings):
    compte = _accorder(engine, MARIE, nom="Marie Dupont")
    assert compte.proconnect_seulement and compte.sub_oidc is None
    client, adresse = commencer(app, "/donnees?onglet=imports")
    parametres = parse_qs(urlsplit(adresse).query)
    assert adresse.startswith(settings.oidc_issuer + "/")
    assert parametres["code_challenge_method"] == ["S256"] and parametres["code_challenge"][0]
    assert parametres["scope"] == ["openid email given_name usual_name uid siret"]
    assert parametres["redirect_uri"] == [URL_PUBLIQUE + RETOUR]  # from PASSNUM_URL, not the Host
    assert len(parametres["state"][0]) >= 32 and len(parametres["nonce"][0]) >= 32
    retour = vers_l_app(client, chez_le_fournisseur(adresse, "marie-dupont"))
    assert retour.status_code == 303 and retour.headers["Location"] == "/donnees?onglet=imports"
    session = session_de(client, settings)
    assert {"u", "g", "t", "c", "p"} <= set(session) and session["u"] == compte.id and "o" not in session
    assert session["p"].count(".") == 2 and len(client.get_cookie("passnum_session").value) < 3000
    assert client.get_cookie("_csrf_token").value == session["c"]
    disposition = client.get("/_dash-layout").get_data(as_text=True)
    assert "Marie Dupont" in disposition and "Coordinateur régional" in disposition
    assert "Bretagne" in disposition  # scoped to its région
    deja = client.get("/connexion/proconnect?suivant=/vigilance")  # signed in already: no new sign-in
    assert deja.status_code == 303 and deja.headers["Location"] == "/vigilance"
    lie = comptes.compte_par_identifiant(engine, MARIE)
    assert lie.sub_oidc == "marie-dupont" and lie.derniere_connexion is not None
    assert [r.cible for r in journal(engine, "proconnect_lie")].count(MARIE) == 1
    assert any(r.acteur == MARIE for r in journal(engine, "connexion_proconnect"))
    # The next sign-in finds the account by its subject; the link is not journaled again.
    _client, encore = se_connecter(app, "marie-dupont")
    assert encore.status_code == 303
    assert [r.cible for r in journal(engine, "proconnect_lie")].count(MARIE) == 1


def test_pco002_identite_inconnue_acces_non_accorde_journalise_sans_compte(app, engine):
    client, reponse = se_connecter(app, "paul-durand")
    page = html.unescape(reponse.get_data(as_text=True))
    assert reponse.status_code == 403
    assert "Accès non accordé" in page and PAUL in page and "administrateur national" in page
    assert comptes.compte_par_identifiant(engine, PAUL) is None
    refus = [r for r in journal(engine, "proconnect_non_accorde") if r.acteur == PAUL]
    assert refus and json.loads(refus[-1].details)["sub"] == "paul-durand"
    assert json.loads(refus[-1].details)["siret"] == "21750001600019"
    assert sans_session(client)


def test_pco003_regle_siret_cree_un_coordinateur_de_sa_region(app, engine, settings):
    if acces.regle_pour(engine, SIRET_JEAN) is None:
        acces.ajouter_regle(engine, SIRET_JEAN, "coordinateur", "52", "console:test")
    client, reponse = se_connecter(app, "jean-martin", "/donnees")
    assert reponse.status_code == 303 and reponse.headers["Location"] == "/donnees"
    compte = comptes.compte_par_identifiant(engine, JEAN)
    assert (compte.role, compte.code_region, compte.nom) == ("coordinateur", "52", "Jean Martin")
    assert compte.sub_oidc == "jean-martin" and compte.proconnect_seulement
    assert session_de(client, settings)["u"] == compte.id
    assert "Pays de la Loire" in client.get("/_dash-layout").get_data(as_text=True)
    crees = [r for r in journal(engine, "compte_cree_proconnect") if r.cible == JEAN]
    assert len(crees) == 1 and crees[0].acteur == f"regle-siret:{SIRET_JEAN}"
    _client, encore = se_connecter(app, "jean-martin")  # the same account, not another one
    assert encore.status_code == 303
    assert len([r for r in journal(engine, "compte_cree_proconnect") if r.cible == JEAN]) == 1


def test_pco004_meme_adresse_autre_identite_refusee(app, engine):
    _accorder(engine, MARIE, nom="Marie Dupont")
    se_connecter(app, "marie-dupont")  # links the account to marie-dupont's subject
    client, reponse = se_connecter(app, "usurpateur")  # same e-mail, another subject
    assert reponse.status_code == 403 and "autre identité ProConnect" in reponse.get_data(as_text=True)
    assert comptes.compte_par_identifiant(engine, MARIE).sub_oidc == "marie-dupont"
    assert sans_session(client)


def test_pco005_compte_desactive_refuse_et_sessions_closes(app, engine, settings):
    email = "agent-desactive@exemple.gouv.fr"
    _accorder(engine, email, role="lecteur", region=None)
    client, reponse = se_connecter(app, "agent-desactive")
    assert reponse.status_code == 303 and not sans_session(client)
    comptes.changer_activation(engine, email, False, "test")
    assert sans_session(client)  # disabling ends its sessions (generation)
    client, reponse = se_connecter(app, "agent-desactive")
    assert reponse.status_code == 403 and "désactivé" in reponse.get_data(as_text=True)
    assert sans_session(client)
    assert any(r.acteur == email for r in journal(engine, "connexion_refusee"))


def test_pco006_compte_proconnect_sans_mot_de_passe_local(app, engine):
    """An account without a password is never opened by the local form, not even with the decoy's text."""
    _accorder(engine, MARIE, nom="Marie Dupont")
    client = app.server.test_client()
    page = client.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    for mot in ("", "compte inexistant : même durée de vérification"):
        reponse = client.post("/connexion", data={"csrf": csrf, "identifiant": MARIE, "mot_de_passe": mot})
        assert reponse.status_code == 401
    assert sans_session(client)


# --- Tampered, replayed, misdirected, expired ------------------------------------------------------------


def _refus_sans_session(client, reponse, statut: int, message: str) -> None:
    page = html.unescape(reponse.get_data(as_text=True))
    assert reponse.status_code == statut, page[:500]
    erreur = re.search(r"id=\"connexion-erreur\">([^<]*)<", page)
    assert erreur and message in erreur.group(1), erreur.group(1) if erreur else page[:800]
    assert sans_session(client)


def test_pco007_state_altere_refuse(app, engine):
    _accorder(engine, MARIE, nom="Marie Dupont")
    client, adresse = commencer(app)
    retour = chez_le_fournisseur(adresse, "marie-dupont")
    state = parse_qs(urlsplit(retour).query)["state"][0]
    altere = retour.replace("state=" + state, "state=" + state[:-2] + ("AA" if state[-2:] != "AA" else "BB"))
    avant = len(journal(engine, "proconnect_refusee"))
    _refus_sans_session(client, vers_l_app(client, altere), 400, "ne correspond à aucune connexion en cours")
    assert len(journal(engine, "proconnect_refusee")) == avant + 1
    # The sign-in in progress was used up by the tampered answer: the genuine one no longer opens it.
    _refus_sans_session(client, vers_l_app(client, retour), 400, "ne correspond à aucune connexion en cours")


def test_pco008_code_rejoue_refuse(app, engine, settings):
    """Both the answer and the browser's cookie captured, then replayed: the provider refuses the code."""
    _accorder(engine, MARIE, nom="Marie Dupont")
    client, adresse = commencer(app)
    cookie = client.get_cookie("passnum_session").value  # holds this sign-in's state and verifier
    retour = chez_le_fournisseur(adresse, "marie-dupont")
    assert vers_l_app(client, retour).status_code == 303  # used once
    rejoueur = app.server.test_client()
    rejoueur.set_cookie("passnum_session", cookie)
    _refus_sans_session(rejoueur, vers_l_app(rejoueur, retour), 401, "n'est plus valable")


def _jetons_d_un_autre_client(issuer: str, nonce: str) -> dict:
    """An ID token the provider issued to another service (same person, same nonce)."""
    verificateur = secrets.token_urlsafe(48)
    defi = base64.urlsafe_b64encode(hashlib.sha256(verificateur.encode()).digest()).rstrip(b"=").decode()
    configuration = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
    adresse = (
        configuration["authorization_endpoint"]
        + "?"
        + urlencode(
            {
                "client_id": AUTRE_ID,
                "response_type": "code",
                "scope": "openid email",
                "redirect_uri": "http://127.0.0.1:9/retour",
                "state": secrets.token_urlsafe(32),
                "nonce": nonce,
                "code_challenge": defi,
                "code_challenge_method": "S256",
            }
        )
    )
    retour = chez_le_fournisseur(adresse, "marie-dupont")
    code = parse_qs(urlsplit(retour).query)["code"][0]
    reponse = requests.post(
        configuration["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1:9/retour",
            "code_verifier": verificateur,
        },
        auth=(AUTRE_ID, AUTRE_SECRET),
        timeout=10,
    )
    reponse.raise_for_status()
    return reponse.json()


def test_pco009_jeton_d_une_autre_audience_refuse(app, engine, settings, monkeypatch):
    _accorder(engine, MARIE, nom="Marie Dupont")
    client, adresse = commencer(app)
    nonce = parse_qs(urlsplit(adresse).query)["nonce"][0]
    autres = _jetons_d_un_autre_client(settings.oidc_issuer, nonce)
    charge = json.loads(base64.urlsafe_b64decode(autres["id_token"].split(".")[1] + "=="))
    assert charge["aud"] == AUTRE_ID and charge["nonce"] == nonce  # genuine, signed by the provider
    client_oidc = app.server.config["PASSNUM_OIDC"]
    # The token endpoint's answer replaced by the other service's (a token substituted in transit).
    monkeypatch.setattr(client_oidc, "echanger", lambda code, verificateur: autres)
    retour = chez_le_fournisseur(adresse, "marie-dupont")
    _refus_sans_session(client, vers_l_app(client, retour), 401, "n'était pas destinée à ce service")
    assert any(
        json.loads(r.details)["raison"] == "id_token_audience" for r in journal(engine, "proconnect_refusee")
    )


def test_pco010_jeton_expire_refuse(app, engine, monkeypatch):
    """The ID token is checked on a clock two hours ahead: past its expiry (the provider's TTL: 10 min)."""
    _accorder(engine, MARIE, nom="Marie Dupont")
    client_oidc = app.server.config["PASSNUM_OIDC"]
    monkeypatch.setattr(client_oidc, "horloge", lambda: time.time() + 7200)
    client, reponse = se_connecter(app, "marie-dupont")
    _refus_sans_session(client, reponse, 401, "a expiré")
    assert any(
        json.loads(r.details)["raison"] == "id_token_expire" for r in journal(engine, "proconnect_refusee")
    )


# --- Signing out, the page -----------------------------------------------------------------------------


def test_pco011_deconnexion_chez_le_fournisseur(app, engine, settings):
    _accorder(engine, MARIE, nom="Marie Dupont")
    client, reponse = se_connecter(app, "marie-dupont")
    assert reponse.status_code == 303
    id_token = session_de(client, settings)["p"]
    csrf = client.get_cookie("_csrf_token").value
    sortie = client.post("/deconnexion", data={"csrf": csrf})
    assert sortie.status_code == 303
    fin = sortie.headers["Location"]
    configuration = requests.get(
        settings.oidc_issuer + "/.well-known/openid-configuration", timeout=10
    ).json()
    assert fin.startswith(configuration["end_session_endpoint"] + "?")
    parametres = parse_qs(urlsplit(fin).query)
    assert parametres["id_token_hint"] == [id_token]
    assert parametres["post_logout_redirect_uri"] == [URL_PUBLIQUE + APRES_DECONNEXION]
    assert len(parametres["state"][0]) >= 32
    assert sans_session(client)  # over here at once, whatever the provider does
    # At the provider: its confirmation, then back to /connexion?fin=1 with our state.
    navigateur = requests.Session()
    page = navigateur.get(fin, timeout=10)
    action, champs = _formulaire(page.text)
    retour = navigateur.post(
        urljoin(page.url, action), data={**champs, "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert retour.is_redirect
    suite = retour.headers["Location"]
    assert suite.startswith(URL_PUBLIQUE + APRES_DECONNEXION)
    assert parse_qs(urlsplit(suite).query)["state"] == parametres["state"]
    assert "de ProConnect" in vers_l_app(client, suite).get_data(as_text=True)


def test_pco012_bouton_proconnect_et_politique_de_formulaires(app, settings):
    reponse = app.server.test_client().get("/connexion?suivant=/vigilance")
    page = reponse.get_data(as_text=True)
    assert "S’identifier avec" in page and '<span class="proconnect-marque">ProConnect</span>' in page
    assert 'href="/connexion/proconnect?suivant=%2Fvigilance"' in page
    assert 'href="https://www.proconnect.gouv.fr/" target="_blank"' in page
    assert "Qu’est-ce que ProConnect ?" in page
    assert 'name="mot_de_passe"' in page  # the local form stays
    assert f"form-action 'self' {settings.oidc_issuer}" in reponse.headers["Content-Security-Policy"]


def test_pco013_sans_configuration_ni_bouton_ni_route(base_demo):
    app = create_app(base_demo)
    client = app.server.test_client()
    assert "proconnect" not in client.get("/connexion").get_data(as_text=True)
    assert client.get("/connexion/proconnect").status_code == 404
