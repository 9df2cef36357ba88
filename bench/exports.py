"""Exports right after start-up (issue 20, goal 4: first PNG ≤ 2 s after `passnum serve` starts, the deck's
PDF of 5 slides ≤ 3 s), through the real HTTP routes of the real server.

    python bench/exports.py [--base sqlite:////tmp/national.sqlite] [--demarrages 4] [--ecrire]

Each start: `passnum serve --workers 2` on a free port of the loopback (the national demo; a reader's
account and, if there is none, an admin are created first), waited for until `/sante` answers and every
worker is forked; the bench reader signs in through the form, then:
- the first PNG of the map (the national page's export button, the callback `/_dash-update-component`
  as the browser posts it), sent either at once (« dès la réponse ») or once every worker has said in the
  server's log that its renderer is warm (« après la chauffe », at most `--attente` seconds) — the two
  kinds of start alternate;
- three more PNG of the map (warm);
- three PDF of the 5-slide deck (`/presentation.pdf`): the first after start-up, then the next ones.
Wall times seen by the client; medians over the starts. The server is stopped and its files removed in
every case. `--ecrire` replaces the section « ## Exports » of bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BANC = Path(__file__).resolve().parent
if str(BANC) not in sys.path:
    sys.path.insert(0, str(BANC))

from commun import HOTE, IDENTIFIANT, MOT_DE_PASSE, port_libre  # noqa: E402
from commun import connecter_http as connecter  # noqa: E402
from commun import http_ as _http  # noqa: E402

RAPPEL = "/_dash-update-component"
DECK = (
    "diapos=resume,carte,classement,chronologie,departement:29&vue=territoires&niveau=departement&vague=2019"
)
ETAT_CARTE = "?vue=territoires&niveau=departement&indicateur=taux_utilisation"
ADMIN = "admin-banc@exemple.fr"
SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n"
MOTEUR_PRET = re.compile(r"Moteur de rendu prêt")
SECTION = "## Exports"
CHEMIN = BANC / "BENCHMARKS.md"


@dataclass
class Demarrage:
    """One start of the server and what was measured after it (seconds)."""

    mode: str  # "immediat" or "chauffe"
    pret_s: float = 0.0  # from the command to /sante answering with every worker forked
    attente_s: float = 0.0  # from then to the first PNG sent (the warm-up awaited, or 0)
    chauffes: int = 0  # workers whose renderer said it was warm before the first PNG
    premier_png_s: float = 0.0
    png_s: list[float] = field(default_factory=list)
    premier_pdf_s: float | None = None
    pdf_s: list[float] = field(default_factory=list)
    pages_pdf: int = 0
    echecs: list[str] = field(default_factory=list)  # exports answered otherwise than with their file


# --- Server -------------------------------------------------------------------------------------------


def preparer_base(base: str) -> None:
    """The bench reader's account, and an admin when there is none (`passnum serve` refuses otherwise)."""
    from sqlalchemy import create_engine

    from dashboard.store.comptes import ajouter_compte, compte_par_identifiant, nb_admins_actifs
    from dashboard.web.acces.mots_de_passe import hacher

    engine = create_engine(base)
    try:
        if compte_par_identifiant(engine, IDENTIFIANT) is None:
            ajouter_compte(engine, IDENTIFIANT, "Banc", "lecteur", hacher(MOT_DE_PASSE), None, "banc")
        if nb_admins_actifs(engine) == 0 and compte_par_identifiant(engine, ADMIN) is None:
            empreinte = hacher(secrets.token_urlsafe(24))
            ajouter_compte(engine, ADMIN, "Administrateur du banc", "admin", empreinte, None, "banc")
    finally:
        engine.dispose()


def demarrer(base: str, port: int, workers: int, journal: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSNUM_")}  # nothing inherited
    env |= {
        "PASSNUM_DATABASE_URL": base,
        "PASSNUM_SECRET_KEY": secrets.token_hex(32),
        "PASSNUM_HOST": HOTE,
        "PASSNUM_PORT": str(port),
    }
    passnum = Path(sys.executable).with_name("passnum")
    commande = [str(passnum) if passnum.exists() else "passnum", "serve", "--workers", str(workers)]
    with journal.open("wb") as sortie:  # the child keeps its own descriptor
        return subprocess.Popen(commande, stdout=sortie, stderr=subprocess.STDOUT, env=env)


def attendre(serveur: subprocess.Popen, port: int, workers: int, journal: Path) -> None:
    """Until /sante answers and every worker is forked (preload: the app is read first)."""
    import psutil

    maitre = psutil.Process(serveur.pid)
    limite = time.monotonic() + 300
    while time.monotonic() < limite:
        if serveur.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté (code {serveur.returncode}) :\n{_fin(journal)}")
        try:
            statut, _ = _http(port, "GET", "/sante", {})
        except OSError:
            statut = None
        if statut == 200 and len(maitre.children()) >= workers:
            return
        time.sleep(0.1)
    raise RuntimeError(f"le serveur ne répond pas après 300 s :\n{_fin(journal)}")


def arreter(serveur: subprocess.Popen) -> None:
    if serveur.poll() is None:
        serveur.send_signal(signal.SIGTERM)
        try:
            serveur.wait(timeout=45)
        except subprocess.TimeoutExpired:
            serveur.kill()
            serveur.wait()


def _fin(chemin: Path, n: int = 40) -> str:
    if not chemin.exists():
        return ""
    return "\n".join(chemin.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


def attendre_chauffe(journal: Path, workers: int, attente_max_s: float) -> int:
    """Until every worker has said its renderer is warm (at most attente_max_s): how many did."""
    limite = time.monotonic() + attente_max_s
    while True:
        texte = journal.read_text(encoding="utf-8", errors="replace") if journal.exists() else ""
        chauffes = len(MOTEUR_PRET.findall(texte))
        if chauffes >= workers or time.monotonic() >= limite:
            return chauffes
        time.sleep(0.1)


# --- Exports ------------------------------------------------------------------------------------------


def corps_png(nom: str = "carte", query: str = ETAT_CARTE) -> bytes:
    """The body the browser posts when the national page's PNG button of chart `nom` is clicked."""
    bouton = {"format": "png", "nom": nom, "page": "national", "type": "export"}
    identifiant = json.dumps(bouton, separators=(",", ":"), sort_keys=True)
    corps = {
        "output": "..telechargement.data...telechargement-message.children..",
        "outputs": [
            {"id": "telechargement", "property": "data"},
            {"id": "telechargement-message", "property": "children"},
        ],
        "inputs": [[{"id": bouton, "property": "n_clicks", "value": 1}]],
        "state": [{"id": "national-query", "property": "data", "value": query}],
        "changedPropIds": [f"{identifiant}.n_clicks"],
    }
    return json.dumps(corps).encode()


def exporter_png(port: int, entetes: dict) -> float:
    """Seconds for one PNG of the map, checked to be a PNG."""
    debut = time.perf_counter()
    statut, texte = _http(
        port, "POST", RAPPEL, {}, corps_png(), {**entetes, "Content-Type": "application/json"}
    )
    duree = time.perf_counter() - debut
    if statut != 200:
        raise RuntimeError(f"export PNG : statut {statut} : {texte[:300]!r}")
    fichier = json.loads(texte)["response"]["telechargement"]["data"]
    contenu = base64.b64decode(fichier["content"]) if fichier.get("base64") else b""
    if not contenu.startswith(SIGNATURE_PNG):
        raise RuntimeError(f"export PNG : pas une image PNG ({fichier.get('filename')})")
    return duree


def exporter_pdf(port: int, entetes: dict) -> tuple[float, int]:
    """Seconds for the deck's PDF, and its number of pages (checked to be a PDF)."""
    connexion = http.client.HTTPConnection(HOTE, port, timeout=180)
    try:
        debut = time.perf_counter()
        connexion.request("GET", f"/presentation.pdf?{DECK}", headers={"Cookie": entetes["Cookie"]})
        reponse = connexion.getresponse()
        contenu = reponse.read()
        duree = time.perf_counter() - debut
    finally:
        connexion.close()
    if reponse.status != 200 or not contenu.startswith(b"%PDF"):
        raise RuntimeError(f"export PDF : statut {reponse.status} : {contenu[:300]!r}")
    return duree, len(re.findall(rb"/Type\s*/Page[^s]", contenu))


def mesurer_demarrage(base: str, mode: str, workers: int, attente_max_s: float, pdfs: int) -> Demarrage:
    dossier = Path(tempfile.mkdtemp(prefix="passnum-exports-"))
    journal = dossier / "serveur.log"
    port = port_libre()
    mesure = Demarrage(mode)
    serveur = None
    try:
        debut = time.perf_counter()
        serveur = demarrer(base, port, workers, journal)
        attendre(serveur, port, workers, journal)
        pret = time.perf_counter()
        mesure.pret_s = pret - debut
        if mode == "chauffe":
            mesure.chauffes = attendre_chauffe(journal, workers, attente_max_s)
        else:
            mesure.chauffes = len(MOTEUR_PRET.findall(journal.read_text(encoding="utf-8", errors="replace")))
        entetes = connecter(port)
        mesure.attente_s = time.perf_counter() - pret
        mesure.premier_png_s = exporter_png(port, entetes)
        mesure.png_s = [exporter_png(port, entetes) for _ in range(3)]
        for i in range(pdfs):
            try:
                duree, mesure.pages_pdf = exporter_pdf(port, entetes)
            except RuntimeError as exc:
                mesure.echecs.append(str(exc)[:120])
                continue
            if i == 0:
                mesure.premier_pdf_s = duree
            else:
                mesure.pdf_s.append(duree)
        return mesure
    finally:
        if serveur is not None:
            arreter(serveur)
        shutil.rmtree(dossier, ignore_errors=True)


# --- Report -------------------------------------------------------------------------------------------


def nb(valeur: float, decimales: int = 2) -> str:
    from dashboard.domain.formatage import nombre

    return nombre(valeur, decimales)


def resume(mesures: list[Demarrage]) -> dict:
    """Medians over the starts, by kind of start for the first PNG."""

    def med(valeurs: list[float]) -> float | None:
        return statistics.median(valeurs) if valeurs else None

    return {
        "pret_s": med([m.pret_s for m in mesures]),
        "premier_png_immediat_s": med([m.premier_png_s for m in mesures if m.mode == "immediat"]),
        "premier_png_chauffe_s": med([m.premier_png_s for m in mesures if m.mode == "chauffe"]),
        "attente_chauffe_s": med([m.attente_s for m in mesures if m.mode == "chauffe"]),
        "chauffes": [m.chauffes for m in mesures if m.mode == "chauffe"],
        "png_s": med([v for m in mesures for v in m.png_s]),
        "premier_pdf_s": med([m.premier_pdf_s for m in mesures if m.premier_pdf_s is not None]),
        "pdf_s": med([v for m in mesures for v in m.pdf_s]),
        "pages_pdf": sorted({m.pages_pdf for m in mesures}),
        "demarrages": len(mesures),
        "echecs": sum(len(m.echecs) for m in mesures),
    }


def lignes(r: dict, workers: int) -> list[str]:
    def s(valeur: float | None) -> str:
        return "—" if valeur is None else f"{nb(valeur)} s"

    return [
        f"| premier PNG de la carte, envoyé une fois les moteurs chauds ({s(r['attente_chauffe_s'])} après "
        f"la première réponse du serveur ; moteurs chauds : {', '.join(map(str, r['chauffes']))} "
        f"sur {workers}) | ≤ 2 s | {s(r['premier_png_chauffe_s'])} |",
        f"| premier PNG de la carte, envoyé dès la première réponse du serveur | — "
        f"| {s(r['premier_png_immediat_s'])} |",
        f"| PNG suivants de la carte | — | {s(r['png_s'])} |",
        f"| premier PDF de la présentation ({', '.join(map(str, r['pages_pdf']))} pages) | ≤ 3 s "
        f"| {s(r['premier_pdf_s'])} |",
        f"| PDF suivants de la présentation | ≤ 3 s | {s(r['pdf_s'])} |",
        f"| démarrage : de la commande à la première réponse (tous les processus prêts) | — "
        f"| {s(r['pret_s'])} |",
        f"| exports refusés ou en échec (503…) sur l'ensemble des démarrages | 0 | {r['echecs']} |",
    ]


def ecrire_section(r: dict, base: str, workers: int, etalon: tuple[float, float], chemin=CHEMIN) -> None:
    """Replace (or add) the section « ## Exports » of BENCHMARKS.md, the other sections kept."""
    texte = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    section = [
        SECTION,
        "",
        f"`python bench/exports.py --ecrire` ({machine()}) : `passnum serve --workers {workers}` sur la "
        f"démonstration nationale ({base.split(':')[0]}), {r['demarrages']} démarrages (médianes) ; durées "
        "vues par le client, par les vraies routes (bouton PNG de la carte de la page nationale, "
        f"`/presentation.pdf?{DECK}`). Étalon de vitesse de la machine (group-by pandas de bench/mesurer.py, "
        f"au début et à la fin) : {nb(etalon[0])} s puis {nb(etalon[1])} s.",
        "",
        "| mesure | objectif | médiane |",
        "| --- | --- | --- |",
        *lignes(r, workers),
        "",
    ]
    if SECTION in texte:
        debut = texte.index(SECTION)
        suite = re.search(r"^## ", texte[debut + len(SECTION) :], flags=re.MULTILINE)
        fin = debut + len(SECTION) + suite.start() if suite else len(texte)
        texte = texte[:debut] + "\n".join(section) + ("\n" + texte[fin:] if suite else "")
    else:
        texte = texte.rstrip("\n") + "\n\n" + "\n".join(section)
    chemin.write_text(texte, encoding="utf-8")


def machine() -> str:
    return f"{platform.node() or 'machine'}, {os.cpu_count()} cœurs, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="sqlite:////tmp/national.sqlite")
    parser.add_argument("--demarrages", type=int, default=4, help="démarrages du serveur (alternés)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pdf", type=int, default=3, help="PDF demandés par démarrage")
    parser.add_argument(
        "--attente", type=float, default=30, help="attente maximale de la chauffe des moteurs (s)"
    )
    parser.add_argument("--mode", choices=("alterne", "immediat", "chauffe"), default="alterne")
    parser.add_argument("--ecrire", action="store_true", help="écrire la section de bench/BENCHMARKS.md")
    args = parser.parse_args(argv)
    from mesurer import etalonner

    preparer_base(args.base)
    etalon_debut = etalonner()
    mesures = []
    for i in range(args.demarrages):
        mode = args.mode if args.mode != "alterne" else ("chauffe", "immediat")[i % 2]
        m = mesurer_demarrage(args.base, mode, args.workers, args.attente, args.pdf)
        print(
            f"démarrage {i + 1} ({mode}) : prêt {m.pret_s:.1f} s, attente {m.attente_s:.1f} s "
            f"({m.chauffes} moteurs chauds), premier PNG {m.premier_png_s:.2f} s, PNG suivants "
            f"{', '.join(f'{v:.2f}' for v in m.png_s)} s, premier PDF {m.premier_pdf_s or 0:.2f} s "
            f"({m.pages_pdf} pages), PDF suivants {', '.join(f'{v:.2f}' for v in m.pdf_s)} s"
            + "".join(f"\n  échec : {e}" for e in m.echecs),
            flush=True,
        )
        mesures.append(m)
    etalon = (etalon_debut, etalonner())
    r = resume(mesures)
    print("\n".join(lignes(r, args.workers)))
    print(f"étalon de vitesse : {etalon[0]:.2f} s puis {etalon[1]:.2f} s")
    if args.ecrire:
        ecrire_section(r, args.base, args.workers, etalon)
    return 0


if __name__ == "__main__":
    sys.exit(main())
