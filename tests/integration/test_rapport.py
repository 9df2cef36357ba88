"""`passnum rapport`: the committee's report on the small demo (SQLite and PostgreSQL), its key figures
equal to `passnum indicateurs`, its notes, and the mail through a real SMTP server started here (aiosmtpd):
subject, PDF attached, authentication, STARTTLS, unreachable or refusing server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import ipaddress
import json
import os
import re
import ssl
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import insert, select

from dashboard.exports.rapport import SECTIONS, nombre_de_pages, rapport_html, synthese
from dashboard.settings import ROOT
from dashboard.store.db import make_engine
from dashboard.store.schema import Comite, JournalAudit, NoteComite, Porteur
from tests.conftest import lancer_passnum, port_libre

COMITE, PRECEDENT = dt.date(2021, 6, 15), dt.date(2020, 12, 10)
UTILISATEUR, MOT_DE_PASSE = "rapport@exemple.fr", "s3cret:avec@signes"
URL_MDP = "s3cret%3Aavec%40signes"  # the password, URL-encoded in PASSNUM_SMTP_URL
MAINTENANT = dt.datetime(2024, 1, 2, 8, 0, tzinfo=dt.UTC)
# The SMTP server of the sending tests asks for AUTH without TLS (the STARTTLS test has its own): aiosmtpd
# rightly warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


def _preparer(url: str) -> str:
    """The small demo, two committees (the previous one on 10/12/2020) and notes around them."""
    init = lancer_passnum("init", "--demo", "small", url=url)
    assert init.returncode == 0, init.stderr
    engine = make_engine(url)
    with engine.begin() as c:
        siren = c.scalar(select(Porteur.siren).order_by(Porteur.siren))
        c.execute(
            insert(Comite),
            [
                {"date": PRECEDENT, "titre": None, "cree_le": MAINTENANT, "cree_par": "t"},
                {"date": COMITE, "titre": "Comité <de> juin", "cree_le": MAINTENANT, "cree_par": "t"},
            ],
        )
        notes = [
            ("national", None, dt.date(2020, 12, 10), "Avant : du comité précédent", False),
            ("departement", "29", dt.date(2021, 1, 5), "Relancer le CD 29 <b>vite</b>", False),
            ("region", "53", dt.date(2021, 3, 1), "Point Bretagne", False),
            ("porteur", siren, dt.date(2021, 6, 15), "Convention à renouveler", False),
            ("epci", "999999999", dt.date(2021, 4, 1), "EPCI inconnu", False),
            ("national", None, dt.date(2021, 5, 1), "Note supprimée", True),
            ("national", None, dt.date(2021, 6, 16), "Après le comité", False),
        ]
        c.execute(
            insert(NoteComite),
            [
                {
                    "niveau": niveau,
                    "code": code,
                    "date_note": jour,
                    "texte": texte,
                    "auteur": "admin",
                    "cree_le": MAINTENANT,
                    "supprimee": supprimee,
                }
                for niveau, code, jour, texte, supprimee in notes
            ],
        )
    engine.dispose()
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def url_demo(request, tmp_path_factory):
    from tests.conftest import base_postgres_temporaire

    if request.param == "sqlite":
        yield _preparer(f"sqlite:///{tmp_path_factory.mktemp('rapport') / 'demo.sqlite'}")
        return
    with base_postgres_temporaire() as url:
        yield _preparer(url)


@pytest.fixture(scope="module")
def url_sqlite(tmp_path_factory):
    """The same on SQLite alone: sending the report does not depend on the engine."""
    return _preparer(f"sqlite:///{tmp_path_factory.mktemp('envoi') / 'demo.sqlite'}")


class _Cellules(HTMLParser):
    """The cells of the synthesis table: {(row id, column): text}."""

    def __init__(self) -> None:
        super().__init__()
        self.ligne: str | None = None
        self.colonne: str | None = None
        self.cellules: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        if tag == "tr" and "data-id" in attributs:
            self.ligne = attributs["data-id"]
        if tag == "td" and self.ligne and "data-colonne" in attributs:
            self.colonne = attributs["data-colonne"]
            self.cellules[(self.ligne, self.colonne)] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.colonne = None
        if tag == "tr":
            self.ligne = None

    def handle_data(self, data):
        if self.ligne and self.colonne:
            self.cellules[(self.ligne, self.colonne)] += data


def _indicateurs(url: str, *filtres: str) -> pd.DataFrame:
    sortie = lancer_passnum("indicateurs", "--niveau", "porteur", "--format", "json", *filtres, url=url)
    assert sortie.returncode == 0, sortie.stderr
    return pd.DataFrame(json.loads(sortie.stdout))


def _entier(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def test_rap101_synthese_egale_passnum_indicateurs_maintenant_et_au_comite_precedent(url_demo):
    engine = make_engine(url_demo)
    table = synthese(engine, COMITE).set_index("id")
    maintenant, avant = _indicateurs(url_demo), _indicateurs(url_demo, "--periode", "..2020-12")
    assert table.loc["laureats", "maintenant"] == len(maintenant) > 0
    assert table.loc["laureats", "precedent"] == len(avant)
    for colonne in ("pass_commandes", "pass_distribues", "pass_utilises", "subvention_etat_engagee_eur"):
        assert table.loc[colonne, "maintenant"] == pytest.approx(maintenant[colonne].sum(), abs=0.01)
        assert table.loc[colonne, "precedent"] == pytest.approx(avant[colonne].sum(), abs=0.01)
        ecart = maintenant[colonne].sum() - avant[colonne].sum()
        assert table.loc[colonne, "ecart"] == pytest.approx(ecart, abs=0.01)
    # Rates are recomputed from the sums, never averaged: passes redeemed ÷ handed out (cohorts).
    assert maintenant["pass_distribues"].sum() > avant["pass_distribues"].sum() > 0
    assert 0 < table.loc["taux_utilisation", "maintenant"] < 1

    # The document shows those figures, formatted in French, in the synthesis table.
    rapport = rapport_html(engine, COMITE, sections=SECTIONS[:2], genere_le=MAINTENANT)
    cellules = _Cellules()
    cellules.feed(rapport.html)
    distribues = int(maintenant["pass_distribues"].sum())
    assert cellules.cellules[("pass_distribues", "maintenant_texte")] == _entier(distribues)
    assert cellules.cellules[("pass_distribues", "precedent_texte")] == _entier(
        int(avant["pass_distribues"].sum())
    )
    ecart = distribues - int(avant["pass_distribues"].sum())
    assert cellules.cellules[("pass_distribues", "ecart_texte")] == f"+{_entier(ecart)}"
    assert cellules.cellules[("laureats", "maintenant_texte")] == str(len(maintenant))
    engagee = round(maintenant["subvention_etat_engagee_eur"].sum())
    assert cellules.cellules[("subvention_etat_engagee_eur", "maintenant_texte")] == f"{_entier(engagee)} €"
    assert re.fullmatch(r"\d{1,3},\d %", cellules.cellules[("taux_utilisation", "maintenant_texte")])
    engine.dispose()


def test_rap102_html_estampille_notes_et_sommaire(url_demo):
    engine = make_engine(url_demo)
    rapport = rapport_html(engine, COMITE, genere_le=MAINTENANT)
    page = rapport.html
    date_donnees = rapport.contexte.date_donnees.strftime("%d/%m/%Y")
    estampille = (
        f"Comité de pilotage du 15/06/2021 — données au {date_donnees} — généré le 02/01/2024 à 09:00 "
        "(heure de Paris) — source : Opérateur du Pass numérique (imports mensuels)"
    )
    assert estampille in page and estampille in rapport.pied
    assert (
        "Données de démonstration — fictives" in page
        and "Données de démonstration — fictives" in rapport.pied
    )
    assert "pageNumber" in rapport.pied and "totalPages" in rapport.pied  # page n / N, filled by Chromium
    assert "<h1>Comité de pilotage du 15/06/2021</h1>" in page
    assert "Comité &lt;de&gt; juin" in page and "comité précédent : 10/12/2020" in page
    # The notes after the previous committee, up to this one, not deleted, with their entity's name.
    assert "Relancer le CD 29 &lt;b&gt;vite&lt;/b&gt;" in page and "Finistère (département)" in page
    assert "Point Bretagne" in page and "Bretagne (région)" in page
    assert "Convention à renouveler" in page
    assert "EPCI 999999999 (inconnu)" in page
    for absente in ("Avant : du comité précédent", "Note supprimée", "Après le comité"):
        assert absente not in page
    # Nothing external: the font and the charts are inside the document.
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert "url(data:font/woff2;base64," in page and 'src="data:image/png;base64,' in page
    assert rapport.sommaire == (
        ("Synthèse nationale", True),
        ("Notes du comité", True),
        ("Graphiques", True),
        ("Enveloppes des vagues", True),
        ("Prévisions", True),
        ("Points de vigilance", True),
        ("Calendrier des remontées", True),
    )
    assert "non disponible" not in page
    assert "lauréats qui perdront le plus d&#x27;argent de l&#x27;État" in page
    assert "Enveloppes qui ne seront pas consommées" in page and "Lauréats à relancer" in page
    assert "Points par règle" in page
    engine.dispose()


# --- passnum rapport, for real, with a real SMTP server --------------------------------------------


class _Boite:
    """aiosmtpd handler keeping every message received, with who signed in."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes, bytes | None, bool]] = []

    async def handle_DATA(self, server, session, envelope):
        connecte = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        self.messages.append((list(envelope.rcpt_tos), envelope.content, connecte, session.ssl is not None))
        return "250 OK"


def _authentifier(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == UTILISATEUR.encode()
        and auth_data.password == MOT_DE_PASSE.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=auth_data)


@pytest.fixture
def serveur_smtp():
    boite = _Boite()
    port = port_libre()
    controleur = Controller(
        boite,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authentifier,
        auth_required=True,
        auth_require_tls=False,
    )
    controleur.start()
    yield boite, port
    controleur.stop()


def _rapport(url: str, smtp: str | None, *arguments: str, env: dict | None = None):
    environnement = {k: v for k, v in os.environ.items() if k != "PASSNUM_SMTP_URL"}
    environnement["PASSNUM_DATABASE_URL"] = url
    if smtp:
        environnement["PASSNUM_SMTP_URL"] = smtp
    environnement.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "rapport", "--comite", COMITE.isoformat(), *arguments],
        cwd=ROOT,
        env=environnement,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _journal(url: str) -> list[dict]:
    engine = make_engine(url)
    with engine.connect() as c:
        lignes = (
            c.execute(select(JournalAudit).where(JournalAudit.action == "rapport_envoye")).mappings().all()
        )
    engine.dispose()
    return [dict(ligne) for ligne in lignes]


def test_rap103_rapport_envoye_avec_authentification_pdf_joint_et_journal(url_sqlite, serveur_smtp, tmp_path):
    boite, port = serveur_smtp
    sortie = tmp_path / "comite.pdf"
    avant = len(_journal(url_sqlite))
    resultat = _rapport(
        url_sqlite,
        f"smtp://{UTILISATEUR.replace('@', '%40')}:{URL_MDP}@127.0.0.1:{port}",
        "--out",
        str(sortie),
        "--envoyer",
        "a@x.fr, b@y.fr",
    )
    assert resultat.returncode == 0, resultat.stderr
    pdf = sortie.read_bytes()
    assert pdf.startswith(b"%PDF-") and nombre_de_pages(pdf) >= 3
    assert f"Rapport écrit : {sortie} ({nombre_de_pages(pdf)} pages" in resultat.stdout
    assert "Rapport envoyé à a@x.fr, b@y.fr." in resultat.stdout
    assert "Rapport : impression PDF" in resultat.stderr  # the steps' progress

    [(destinataires, brut, connecte, _)] = boite.messages
    assert destinataires == ["a@x.fr", "b@y.fr"] and connecte == UTILISATEUR.encode()
    message = email.message_from_bytes(brut, policy=email.policy.default)
    assert message["Subject"] == "Pass numérique — comité de pilotage du 15/06/2021"
    assert message["To"] == "a@x.fr, b@y.fr" and message["From"] == UTILISATEUR
    texte = message.get_body(("plain",)).get_content()
    assert "comité de pilotage du Pass numérique du 15/06/2021" in texte
    assert "données de démonstration, fictives" in texte
    [piece] = list(message.iter_attachments())
    assert piece.get_filename() == "comite.pdf" and piece.get_content_type() == "application/pdf"
    assert piece.get_content() == pdf

    [entree] = _journal(url_sqlite)[avant:]
    details = json.loads(entree["details"])
    assert entree["cible"] == "comite-2021-06-15"
    assert details["destinataires"] == ["a@x.fr", "b@y.fr"] and details["taille"] == len(pdf)
    assert details["empreinte"] == hashlib.sha256(pdf).hexdigest()


def test_rap104_mauvais_mot_de_passe_ou_serveur_injoignable_code_2_pdf_ecrit(
    url_sqlite, serveur_smtp, tmp_path
):
    boite, port = serveur_smtp
    avant = len(_journal(url_sqlite))
    sortie = tmp_path / "refuse.pdf"
    refuse = _rapport(
        url_sqlite, f"smtp://{UTILISATEUR}:faux@127.0.0.1:{port}", "--out", str(sortie), "--envoyer", "a@x.fr"
    )
    assert refuse.returncode == 2
    assert "refusé l'identifiant ou le mot de passe" in refuse.stderr and "faux" not in refuse.stderr
    assert f"Le rapport reste écrit : {sortie}" in refuse.stderr
    assert sortie.read_bytes().startswith(b"%PDF-") and boite.messages == []

    sortie = tmp_path / "injoignable.pdf"
    injoignable = _rapport(
        url_sqlite,
        f"smtp://127.0.0.1:{port_libre()}",
        "--out",
        str(sortie),
        "--envoyer",
        "a@x.fr",
        "--silencieux",
    )
    assert injoignable.returncode == 2
    assert (
        "serveur smtp://127.0.0.1" in injoignable.stderr
        and "injoignable (connexion refusée)" in injoignable.stderr
    )
    assert sortie.read_bytes().startswith(b"%PDF-")
    assert len(_journal(url_sqlite)) == avant  # nothing sent, nothing journaled


def test_rap105_sans_smtp_ou_date_invalide_code_2_rien_d_ecrit(url_sqlite, tmp_path):
    sortie = tmp_path / "rien.pdf"
    sans = _rapport(url_sqlite, None, "--out", str(sortie), "--envoyer", "a@x.fr")
    assert sans.returncode == 2 and "PASSNUM_SMTP_URL n'est pas définie" in sans.stderr
    assert not sortie.exists()
    invalide = subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "rapport", "--comite", "2021-02-30", "--out", str(sortie)],
        cwd=ROOT,
        env={**os.environ, "PASSNUM_DATABASE_URL": url_sqlite},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert invalide.returncode == 2
    assert "Erreur : date du comité invalide « 2021-02-30 » : ce jour n'existe pas" in invalide.stderr
    assert not sortie.exists()


def _certificat(dossier):
    """A self-signed certificate for 127.0.0.1 (its own authority): (cert path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cle = ec.generate_private_key(ec.SECP256R1())
    nom = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    maintenant = dt.datetime.now(dt.UTC)
    certificat = (
        x509.CertificateBuilder()
        .subject_name(nom)
        .issuer_name(nom)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(maintenant - dt.timedelta(minutes=5))
        .not_valid_after(maintenant + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(cle, hashes.SHA256())
    )
    cert, cle_pem = dossier / "cert.pem", dossier / "cle.pem"
    cert.write_bytes(certificat.public_bytes(serialization.Encoding.PEM))
    cle_pem.write_bytes(
        cle.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert, cle_pem


def test_rap106_starttls_offert_puis_authentification_chiffree(url_sqlite, tmp_path):
    cert, cle = _certificat(tmp_path)
    contexte = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    contexte.load_cert_chain(cert, cle)
    boite, port = _Boite(), port_libre()
    controleur = Controller(
        boite,
        hostname="127.0.0.1",
        port=port,
        tls_context=contexte,
        require_starttls=True,
        authenticator=_authentifier,
        auth_required=True,
    )  # auth_require_tls: AUTH is only offered once the session is encrypted
    controleur.start()
    try:
        resultat = _rapport(
            url_sqlite,
            f"smtp://{UTILISATEUR.replace('@', '%40')}:{URL_MDP}@127.0.0.1:{port}",
            "--out",
            str(tmp_path / "tls.pdf"),
            "--envoyer",
            "a@x.fr",
            "--silencieux",
            env={"SSL_CERT_FILE": str(cert)},
        )
    finally:
        controleur.stop()
    assert resultat.returncode == 0, resultat.stderr
    [(destinataires, brut, connecte, chiffre)] = boite.messages
    assert destinataires == ["a@x.fr"] and connecte == UTILISATEUR.encode() and chiffre
    [piece] = list(email.message_from_bytes(brut, policy=email.policy.default).iter_attachments())
    assert piece.get_content().startswith(b"%PDF-")
