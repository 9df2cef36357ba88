"""The sign-in page and the error pages: plain server-rendered HTML (no script needed to sign in), in the
app's own styles, every interpolated value escaped."""

from __future__ import annotations

from flask import Response
from markupsafe import escape

STYLES = (
    '<link rel="stylesheet" href="/assets/01-bootstrap-5.3.9.min.css">'
    '<link rel="stylesheet" href="/assets/02-theme.css">'
)


def _document(titre: str, corps: str, rafraichir_s: int | None = None) -> str:
    # A page that asks to come back later (an export being prepared) reloads itself when it is time.
    rafraichir = f'<meta http-equiv="refresh" content="{int(rafraichir_s)}">' if rafraichir_s else ""
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{rafraichir}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(titre)} — Pass numérique</title>{STYLES}"
        '<link rel="icon" href="/assets/favicon.ico"></head><body>'
        '<header class="entete"><div class="container-fluid"><span class="entete-marque">'
        '<span class="entete-titre">Pass numérique</span>'
        '<span class="entete-sous-titre">Tableau de bord de pilotage national</span></span></div></header>'
        f'<main id="contenu" class="container py-5" style="max-width: 32rem">{corps}</main></body></html>'
    )


def page(
    csrf: str,
    suivant: str,
    *,
    erreur: str | None = None,
    message: str | None = None,
    statut: int = 200,
    identifiant: str = "",
) -> Response:
    alerte = ""
    if erreur:
        alerte = f'<div class="alert alert-danger" role="alert" id="connexion-erreur">{escape(erreur)}</div>'
    elif message:
        alerte = f'<div class="alert alert-info" role="status">{escape(message)}</div>'
    corps = (
        '<h1 class="h3 mb-4">Connexion</h1>'
        f"{alerte}"
        '<form method="post" action="/connexion" id="connexion" novalidate>'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<input type="hidden" name="suivant" value="{escape(suivant)}">'
        '<div class="mb-3"><label class="form-label" for="identifiant">Identifiant</label>'
        '<input class="form-control" id="identifiant" name="identifiant" autocomplete="username" '
        f'required maxlength="120" autofocus value="{escape(identifiant)}"></div>'
        '<div class="mb-3"><label class="form-label" for="mot_de_passe">Mot de passe</label>'
        '<input class="form-control" id="mot_de_passe" name="mot_de_passe" type="password" '
        'autocomplete="current-password" required maxlength="200"></div>'
        '<button class="btn btn-primary" type="submit" id="connexion-valider">Se connecter</button>'
        "</form>"
        '<p class="text-body-secondary mt-4 small">Les comptes sont créés par l\'équipe nationale '
        "(<code>passnum users add</code>). Après cinq essais infructueux depuis une même adresse, "
        "les essais suivants sur ce compte depuis cette adresse sont retardés d'une minute, puis du double "
        "à chaque nouvel échec (une heure au plus).</p>"
    )
    return Response(_document("Connexion", corps), status=statut, mimetype="text/html")


def page_erreur(code: int, titre: str, message: str, rafraichir_s: int | None = None) -> str:
    retour = (
        '<a class="btn btn-primary" href="/connexion">Se connecter</a>'
        if code == 401
        else '<a class="btn btn-primary" href="/">Revenir à la carte nationale</a>'
    )
    corps = (
        f'<h1 class="h3 mb-3">{escape(titre)}</h1>'
        f'<p id="erreur-message">{escape(message)}</p>'
        f'<p class="text-body-secondary small">Code {int(code)}</p>{retour}'
    )
    return _document(titre, corps, rafraichir_s)
