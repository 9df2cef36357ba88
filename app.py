"""`python app.py` → development server on http://127.0.0.1:8050 (PASSNUM_HOST / PASSNUM_PORT).

Also exposes `server`, the WSGI application, for gunicorn (`gunicorn app:server`).
On a fresh checkout the embedded SQLite database initialises itself on first start.
"""

from dashboard import create_app
from dashboard.settings import Settings

settings = Settings.from_env()
app = create_app(settings)
server = app.server

if __name__ == "__main__":
    print(f"Tableau de bord : http://{settings.host}:{settings.port}/")
    app.run(host=settings.host, port=settings.port, debug=False)
