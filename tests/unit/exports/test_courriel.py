"""PASSNUM_SMTP_URL read, recipients parsed, the message built (the sending itself: a real SMTP server in
tests/integration/test_rapport.py)."""

from __future__ import annotations

import email
import email.policy

import pytest

from dashboard.exports import courriel


def test_rap020_serveur_de_l_url():
    smtp = courriel.serveur("smtp://rapport%40exemple.fr:mot%3Ade%40passe@smtp.exemple.fr:587")
    assert (smtp.securite, smtp.hote, smtp.port) == ("smtp", "smtp.exemple.fr", 587)
    assert (smtp.utilisateur, smtp.mot_de_passe) == ("rapport@exemple.fr", "mot:de@passe")
    assert smtp.description == "smtp://smtp.exemple.fr:587"  # never the password
    assert courriel.serveur("smtps://smtp.exemple.fr").port == 465
    assert courriel.serveur("smtp://127.0.0.1").port == 25
    assert courriel.serveur("smtp://127.0.0.1").utilisateur is None
    assert courriel.expediteur_de(courriel.serveur("smtp://u:p@h")) == courriel.EXPEDITEUR_DEFAUT
    assert courriel.expediteur_de(smtp) == "rapport@exemple.fr"


def test_rap021_destinataires():
    assert courriel.destinataires("a@x.fr,b@y.fr") == ["a@x.fr", "b@y.fr"]
    assert courriel.destinataires(" a@x.fr ; b@y.fr, A@X.FR,") == ["a@x.fr", "b@y.fr"]
    with pytest.raises(ValueError, match="« pas-une-adresse » n'est pas une adresse électronique"):
        courriel.destinataires("a@x.fr,pas-une-adresse")
    with pytest.raises(ValueError, match="aucune adresse"):
        courriel.destinataires(" , ")


def test_rap022_message_avec_piece_jointe():
    message = courriel.message(
        "rapport@exemple.fr",
        ["a@x.fr", "b@y.fr"],
        "Objet — accentué",
        "Bonjour,\nCorps.\n",
        b"%PDF-1.4",
        "r.pdf",
    )
    relu = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert relu["Subject"] == "Objet — accentué" and relu["To"] == "a@x.fr, b@y.fr"
    assert relu.get_body(("plain",)).get_content() == "Bonjour,\nCorps.\n"
    [piece] = list(relu.iter_attachments())
    assert piece.get_filename() == "r.pdf" and piece.get_content() == b"%PDF-1.4"
