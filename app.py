"""`python app.py` → development server on http://127.0.0.1:8050 (PASSNUM_HOST / PASSNUM_PORT).

Run this way on the loopback, it signs every local visitor in as the clearly labelled local demo account
(an administrator, without password): the first command of the README gives a working dashboard. Any
other address, and `server` (the WSGI application for gunicorn, `passnum serve`), require accounts.
On a fresh checkout the embedded SQLite database initialises itself on first start.
"""

from dataclasses import replace

from dashboard import create_app
from dashboard.settings import Settings
from dashboard.web.acces.identite import est_boucle_locale

settings = Settings.from_env()
if __name__ == "__main__" and est_boucle_locale(settings.host):
    settings = replace(settings, compte_local=True)
app = create_app(settings)
server = app.server

if __name__ == "__main__":
    from dashboard.exports import chauffer
    from dashboard.vues.nationale import prechauffer

    prechauffer(app.server.config["PASSNUM_CONTEXTE"])  # the first visitor does not wait for the reads
    chauffer(settings)  # the export renderers start in the background (PASSNUM_EXPORTS_CHAUFFE=0: not)
    print(f"Tableau de bord : http://{settings.host}:{settings.port}/")
    if settings.compte_local:
        print("Compte local de démonstration (administrateur, sans mot de passe) : boucle locale seulement.")
    app.run(host=settings.host, port=settings.port, debug=False)
