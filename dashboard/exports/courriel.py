"""Mail a file through the SMTP server of PASSNUM_SMTP_URL (`passnum rapport --envoyer`).

`smtp://utilisateur:mot-de-passe@hôte:port` talks plain SMTP and switches to TLS (STARTTLS) when the server
offers it; `smtps://…` speaks TLS from the start. With a user, it signs in (AUTH) — never in clear when the
server offered STARTTLS, since the switch happens first. Certificates are checked against the system's
authorities (SSL_CERT_FILE names another bundle). Every failure is an `EnvoiImpossible` in French, which
never repeats the password.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

PORTS = {"smtp": 25, "smtps": 465}
DELAI_S = 30
EXPEDITEUR_DEFAUT = "pass-numerique@localhost"
ADRESSE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+$")


class EnvoiImpossible(Exception):
    """The message could not be handed to the SMTP server: the reason, in French."""


@dataclass(frozen=True)
class ServeurSmtp:
    securite: str  # "smtp" (STARTTLS when offered) or "smtps"
    hote: str
    port: int
    utilisateur: str | None
    mot_de_passe: str | None

    @property
    def description(self) -> str:
        """`smtp://hôte:port` without the credentials: what messages may show."""
        return f"{self.securite}://{self.hote}:{self.port}"


def serveur(url: str) -> ServeurSmtp:
    """PASSNUM_SMTP_URL read (dashboard.settings has already checked its form)."""
    morceaux = urlsplit(url)
    return ServeurSmtp(
        securite=morceaux.scheme,
        hote=morceaux.hostname or "",
        port=morceaux.port or PORTS[morceaux.scheme],
        utilisateur=unquote(morceaux.username) if morceaux.username else None,
        mot_de_passe=unquote(morceaux.password) if morceaux.password is not None else None,
    )


def destinataires(texte: str) -> list[str]:
    """`a@x.fr,b@y.fr` (commas or semicolons, spaces allowed) as a list without repeats; a French
    ValueError naming the first address that is not one."""
    adresses: list[str] = []
    for morceau in re.split(r"[,;]", texte or ""):
        adresse = morceau.strip()
        if not adresse:
            continue
        if not ADRESSE.match(adresse):
            raise ValueError(f"« {adresse} » n'est pas une adresse électronique (attendu : nom@domaine.fr)")
        if adresse.lower() not in (a.lower() for a in adresses):
            adresses.append(adresse)
    if not adresses:
        raise ValueError("aucune adresse électronique donnée (attendu : a@x.fr,b@y.fr)")
    return adresses


def message(
    expediteur: str,
    a: Sequence[str],
    objet: str,
    corps: str,
    piece: bytes,
    nom_piece: str,
    type_piece: str = "application/pdf",
) -> EmailMessage:
    """A plain-text French message with one attached file."""
    courriel = EmailMessage()
    courriel["From"] = expediteur
    courriel["To"] = ", ".join(a)
    courriel["Subject"] = objet
    courriel["Date"] = formatdate(localtime=True)
    courriel["Message-ID"] = make_msgid(domain=expediteur.rpartition("@")[2] or None)
    courriel.set_content(corps, charset="utf-8")
    principal, _, secondaire = type_piece.partition("/")
    courriel.add_attachment(piece, maintype=principal, subtype=secondaire, filename=nom_piece)
    return courriel


def expediteur_de(smtp: ServeurSmtp) -> str:
    """The sender: the SMTP user when it is an address, else a local address of the service."""
    if smtp.utilisateur and ADRESSE.match(smtp.utilisateur):
        return smtp.utilisateur
    return EXPEDITEUR_DEFAUT


def envoyer(url: str, courriel: EmailMessage, delai_s: float = DELAI_S) -> None:
    """Hand `courriel` to the server of `url` (PASSNUM_SMTP_URL). EnvoiImpossible on any failure."""
    smtp = serveur(url)
    contexte = ssl.create_default_context()
    try:
        if smtp.securite == "smtps":
            connexion: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.hote, smtp.port, timeout=delai_s, context=contexte
            )
        else:
            connexion = smtplib.SMTP(smtp.hote, smtp.port, timeout=delai_s)
        with connexion:
            connexion.ehlo()
            if smtp.securite == "smtp" and connexion.has_extn("starttls"):
                connexion.starttls(context=contexte)
                connexion.ehlo()
            if smtp.utilisateur:
                connexion.login(smtp.utilisateur, smtp.mot_de_passe or "")
            refuses = connexion.send_message(courriel)
    except smtplib.SMTPAuthenticationError as exc:
        raise EnvoiImpossible(
            f"le serveur {smtp.description} a refusé l'identifiant ou le mot de passe ({_reponse(exc)})"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise EnvoiImpossible(
            f"le serveur {smtp.description} ne propose pas d'authentification (retirez l'identifiant "
            "de PASSNUM_SMTP_URL, ou utilisez smtps://)"
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        adresses = ", ".join(sorted(exc.recipients))
        raise EnvoiImpossible(f"le serveur {smtp.description} a refusé les destinataires {adresses}") from exc
    except smtplib.SMTPResponseException as exc:
        raise EnvoiImpossible(f"le serveur {smtp.description} a refusé le message ({_reponse(exc)})") from exc
    except ssl.SSLError as exc:
        raise EnvoiImpossible(
            f"connexion chiffrée impossible avec {smtp.description} ({exc.reason or exc})"
        ) from exc
    except TimeoutError as exc:
        raise EnvoiImpossible(f"le serveur {smtp.description} n'a pas répondu en {delai_s:g} s") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise EnvoiImpossible(f"serveur {smtp.description} injoignable ({_raison(exc)})") from exc
    if refuses:
        adresses = ", ".join(sorted(refuses))
        raise EnvoiImpossible(f"le serveur {smtp.description} a refusé les destinataires {adresses}")


def _reponse(exc: smtplib.SMTPResponseException) -> str:
    texte = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
    return f"{exc.smtp_code} {' '.join(str(texte).split())}"


def _raison(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, socket.gaierror):
        return "nom d'hôte inconnu"
    return " ".join(str(exc).split()) or type(exc).__name__
