"""Every line of the performance budget (../shared/design/ARCHITECTURE.md), in one command, on SQLite and
on PostgreSQL, each beside the same measure of a naive Dash implementation of the view (bench/naif.py)
and the ratio; the figures are printed and written to bench/BENCHMARKS.md.

    pip install -e ".[bench]"            # the test tools (selenium, chromium) and locust
    python bench/mesurer.py [--postgres URL] [--redis URL] [--dossier DIR] [--rapide]

What it does, in order (≈ 10 minutes on a 2-core machine; `--rapide` ≈ 4):
1. builds the national demo from scratch in a SQLite file under DIR and in the PostgreSQL database
   `passnum_bench` (dropped and created again), timing `passnum init --demo national`;
2. imports a generated file of 1,000,000 redemption rows into copies of both databases
   (`passnum import utilisations`, wall time and peak memory of the process, by `os.wait4`);
3. geometry: the three levels as the server sends them (gzip, cache headers);
4. the filter-change callback through the real `/_dash-update-component`, 80 filter states
   (bench/rappel_filtres.py), and the naive app on the same territories states;
5. Debian's chromium on the loopback: navigation → map painted, wave ticked → map repainted
   (bench/navigateur.py), for the dashboard and for the naive app;
6. the load test: `passnum serve --workers 2` on PostgreSQL with the Redis cache, 50 users for 60 s
   (bench/charge.py, locust), and the naive app under gunicorn with the same load.
Public tools only; figures are medians and percentiles of several runs, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from commun import application, centile, client_connecte  # noqa: E402

from dashboard.settings import ROOT  # noqa: E402

NB_LIGNES_IMPORT = 1_000_000
ETAPES = ("bases", "import", "rappels", "navigateur", "charge")
BASE_PG = "passnum_bench"


@dataclass
class Resultats:
    """Everything measured, by section; `ecrire` turns it into BENCHMARKS.md."""

    debut: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    machine: str = ""
    etalon: list = field(default_factory=list)  # seconds of a fixed pure-Python loop, at start and at end
    init: dict = field(default_factory=dict)  # genre → (s, Mo)
    imports: dict = field(default_factory=dict)  # genre → [(s, Mo), …]
    geometrie: dict = field(default_factory=dict)  # niveau → (octets gzip, octets bruts, cache-control)
    rappels: dict = field(default_factory=dict)  # genre → (prechauffage_s, premiere_ms, [mesures])
    rappels_naifs: dict = field(default_factory=dict)  # genre → [mesures]
    navigateur: dict = field(default_factory=dict)  # cible → {premiere, navigations, changements}
    charge: dict = field(default_factory=dict)  # cible → dict of bench/charge.py


def etalonner() -> float:
    """Seconds for a fixed pandas group-by over 2 million rows (the kind of work the dashboard does):
    the machine's speed at that moment — a shared machine varies by half from one hour to the next —
    printed beside the figures so that runs can be compared."""
    alea = np.random.default_rng(0)
    table = pd.DataFrame({"cle": alea.integers(0, 50_000, 2_000_000), "valeur": alea.random(2_000_000)})
    debut = time.perf_counter()
    for _ in range(5):
        table.groupby("cle")["valeur"].agg(["sum", "median"])
    return time.perf_counter() - debut


# --- Processes --------------------------------------------------------------------------------------------


def processus(arguments: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Runs a command; (wall seconds, peak resident memory of the process in MB). Fails loudly."""
    debut = time.perf_counter()
    with subprocess.Popen(
        arguments,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as p:
        sortie = p.stdout.read()
        _, statut, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(statut)
    duree = time.perf_counter() - debut
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} : code {p.returncode}\n{sortie.decode()[-3000:]}")
    return duree, usage.ru_maxrss / 1024


def passnum(*arguments: str, base: str) -> tuple[float, float]:
    return processus([sys.executable, "-m", "dashboard.cli", *arguments], {"PASSNUM_DATABASE_URL": base})


def url_pg(serveur: str, nom: str) -> str:
    return serveur.rsplit("/", 1)[0] + "/" + nom


def recreer_base_pg(serveur: str, nom: str, modele: str | None = None) -> str:
    admin = create_engine(serveur, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
        connexion.execute(text(f'CREATE DATABASE "{nom}"' + (f' TEMPLATE "{modele}"' if modele else "")))
    admin.dispose()
    return url_pg(serveur, nom)


def supprimer_base_pg(serveur: str, nom: str) -> None:
    admin = create_engine(serveur, isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        connexion.execute(text(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)'))
    admin.dispose()


# --- 1. Databases -----------------------------------------------------------------------------------------


def preparer_bases(dossier: Path, serveur_pg: str, res: Resultats) -> dict[str, str]:
    fichier = dossier / "national.sqlite"
    for ancien in dossier.glob("national.sqlite*"):
        ancien.unlink()
    bases = {"SQLite": f"sqlite:///{fichier}", "PostgreSQL": recreer_base_pg(serveur_pg, BASE_PG)}
    for genre, base in bases.items():
        print(f"[1] {genre} : passnum init --demo national…", flush=True)
        res.init[genre] = passnum("init", "--demo", "national", "--silencieux", base=base)
        print(f"    {res.init[genre][0]:.1f} s, {res.init[genre][1]:.0f} Mo", flush=True)
    return bases


# --- 2. Import of a million redemption rows ---------------------------------------------------------------


def fichier_utilisations(base: str, chemin: Path, graine: int = 2026) -> Path:
    """NB_LIGNES_IMPORT distinct redemption lines of the demo's laureates, at their mediation places (a
    laureate, a place, its commune, as the demo has them), on days of 2020–2024: the operator's monthly
    file in French Excel form (Windows-1252, `;`, JJ/MM/AAAA)."""
    moteur = create_engine(base)
    with moteur.connect() as connexion:
        lieux = pd.read_sql(
            text(
                "SELECT DISTINCT a.siren_porteur, a.siret, a.code_commune, s.nom FROM "
                "activite_structure_mensuelle a JOIN structure s ON s.siret = a.siret AND s.role = a.role "
                "WHERE a.role = 'lieu'"
            ),
            connexion,
        )
    moteur.dispose()
    alea = np.random.default_rng(graine)
    n = int(NB_LIGNES_IMPORT * 1.05)  # a few draws collide: drawn in excess, duplicates dropped
    choix = lieux.iloc[alea.integers(0, len(lieux), n)].reset_index(drop=True)
    jours = pd.Timestamp("2020-01-01") + pd.to_timedelta(alea.integers(0, 1827, n), unit="D")
    lignes = pd.DataFrame(
        {
            "siren_porteur": choix["siren_porteur"],
            "date": jours.strftime("%d/%m/%Y"),
            "code_commune": choix["code_commune"],
            "siret_lieu": choix["siret"],
            "nom_lieu": choix["nom"],
            "nb_pass": alea.integers(1, 6, n),
        }
    ).drop_duplicates()
    lignes.head(NB_LIGNES_IMPORT).to_csv(chemin, sep=";", index=False, encoding="cp1252", errors="replace")
    return chemin


def mesurer_imports(bases: dict[str, str], dossier: Path, serveur_pg: str, tours: int, res: Resultats):
    fichier = fichier_utilisations(bases["SQLite"], dossier / "utilisations-1M.csv")
    taille = fichier.stat().st_size / 1e6
    print(
        f"[2] import de {NB_LIGNES_IMPORT:,} lignes ({taille:.0f} Mo), {tours} fois par base".replace(
            ",", " "
        )
    )
    for genre, base in bases.items():
        res.imports[genre] = []
        for _ in range(tours):
            if genre == "SQLite":
                copie = dossier / "import.sqlite"
                shutil.copyfile(base.removeprefix("sqlite:///"), copie)
                cible = f"sqlite:///{copie}"
            else:
                cible = recreer_base_pg(serveur_pg, BASE_PG + "_import", modele=BASE_PG)
            res.imports[genre].append(
                passnum("import", "utilisations", str(fichier), "--silencieux", base=cible)
            )
            print(
                f"    {genre} : {res.imports[genre][-1][0]:.1f} s, {res.imports[genre][-1][1]:.0f} Mo",
                flush=True,
            )
        if genre == "SQLite":
            (dossier / "import.sqlite").unlink()
        else:
            supprimer_base_pg(serveur_pg, BASE_PG + "_import")
    fichier.unlink()


# --- 3. Geometry ------------------------------------------------------------------------------------------


def mesurer_geometrie(app, res: Resultats) -> None:
    geometries = app.server.config["PASSNUM_CONTEXTE"].geometries
    client = client_connecte(app)
    for niveau in ("region", "departement", "epci"):
        reponse = client.get(geometries.url(niveau), headers={"Accept-Encoding": "gzip"})
        corps = reponse.get_data()
        res.geometrie[niveau] = (len(corps), len(gzip.decompress(corps)), reponse.headers["Cache-Control"])


# --- 4. Callbacks -----------------------------------------------------------------------------------------


def territoires(queries: list[str]) -> list[str]:
    return [q for q in queries if "vue=territoires" in q]


def etats_naifs() -> list[str]:
    """The naive app's states: one territories state in three (≈ 2 s each: 20 are plenty), the three
    levels and every filter represented."""
    import rappel_filtres

    return territoires(rappel_filtres.etats())[::3]


def mesurer_rappels(genre: str, base: str, res: Resultats) -> None:
    import naif
    import rappel_filtres

    app = application(base)
    print(f"[4] {genre} : rappel de la vue, {len(rappel_filtres.etats())} états…", flush=True)
    res.rappels[genre] = (app.prechauffage_s, *rappel_filtres.mesurer(app, rappel_filtres.etats()))
    mesurer_geometrie(app, res)
    app.server.config["PASSNUM_CONTEXTE"].engine.dispose()
    print(f"    application naïve, {len(etats_naifs())} états…", flush=True)
    app_naive = naif.creer_app(base)
    client = app_naive.server.test_client()
    mesures = []
    for query in etats_naifs():
        debut = time.perf_counter()
        reponse = client.post("/_dash-update-component", json=naif.requete(app_naive, query))
        duree = (time.perf_counter() - debut) * 1000
        assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
        mesures.append({"query": query, "total_ms": duree, "reponse": len(reponse.get_data())})
    res.rappels_naifs[genre] = mesures


# --- 5. Browser -------------------------------------------------------------------------------------------


def mesurer_navigateur(bases: dict[str, str], tours: int, res: Resultats) -> None:
    import naif
    import navigateur

    for genre, base in bases.items():
        print(f"[5] navigateur, {genre}…", flush=True)
        app = application(base)
        with navigateur.servir(app.server) as url:
            res.navigateur[genre] = navigateur.mesurer(url, navigateur.PAGES, tours)
        app.server.config["PASSNUM_CONTEXTE"].engine.dispose()
    print("[5] navigateur, application naïve (SQLite)…", flush=True)
    with navigateur.servir(naif.creer_app(bases["SQLite"]).server) as url:
        res.navigateur["naïf"] = navigateur.mesurer(
            url, territoires(navigateur.PAGES), max(3, tours // 2), connecter=False
        )


# --- 6. Load ----------------------------------------------------------------------------------------------


def mesurer_charge(base_pg: str, redis_url: str, duree_s: int, res: Resultats) -> None:
    import charge

    print(f"[6] charge : passnum serve --workers 2, PostgreSQL + Redis, 50 utilisateurs, {duree_s} s…")
    res.charge["passnum"] = charge.mesurer_charge(base_pg, cache_url=redis_url, duree_s=duree_s)
    print(f"[6] charge : application naïve sous gunicorn (2 processus), {duree_s} s…", flush=True)
    res.charge["naïf"] = charge.mesurer_charge(base_pg, cache_url=None, duree_s=duree_s, cible="naif")


# --- Report -----------------------------------------------------------------------------------------------


def med(valeurs) -> float:
    return statistics.median(valeurs)


def p95(valeurs) -> float:
    return centile(list(valeurs), 95)


def ko(octets: float) -> str:
    return f"{octets / 1024:,.1f} Ko".replace(",", " ").replace(".", ",")


def nb(valeur: float, decimales: int = 0, unite: str = "") -> str:
    texte = f"{valeur:,.{decimales}f}".replace(",", " ").replace(".", ",")
    return f"{texte} {unite}".rstrip()


def ratio(naif: float, nous: float) -> str:
    return f"× {nb(naif / nous, 1)}" if nous else "—"


def tenu(ok: bool) -> str:
    return "oui" if ok else "**non**"


def ligne(*cellules: str) -> str:
    return "| " + " | ".join(cellules) + " |"


def med_p95(valeurs, decimales: int = 0, unite: str = "ms") -> str:
    return f"{nb(med(valeurs), decimales)} / {nb(p95(valeurs), decimales, unite)}"


def lignes_rapport(res: Resultats) -> list[str]:
    """The report, in French, budget line by budget line: SQLite, PostgreSQL, the naive app (on SQLite
    unless said), the ratio naive ÷ dashboard, and whether the budget is met."""
    rapport = [
        "# Mesures de performance",
        "",
        f"Relevées le {res.debut:%d/%m/%Y à %H:%M} par `python bench/mesurer.py` ({res.machine}).",
        "Étalon de vitesse de la machine (group-by pandas fixe sur 2 M lignes, au début et à la fin) : "
        + " puis ".join(nb(e, 2, "s") for e in res.etalon)
        + " — la machine est partagée : comparer deux passages à étalon égal.",
        "Démonstration nationale reconstruite à chaque passage (`passnum init --demo national`).",
        "Médianes et centiles de plusieurs mesures ; « naïf » = la même vue écrite comme un tutoriel Dash",
        "(`bench/naif.py` : figure reconstruite avec le GeoJSON dans chaque rappel, group-by pandas sur les",
        "événements bruts), mesuré sur SQLite sauf mention ; ratio = naïf ÷ tableau de bord (combien de fois",
        "plus lent ou plus lourd).",
        "",
        ligne("ligne du budget", "budget", "SQLite", "PostgreSQL", "naïf", "ratio", "tenu"),
        ligne(*["---"] * 7),
    ]
    r = res.rappels
    if r:
        tous = {g: [m["total_ms"] for m in r[g][2]] for g in r}
        communs = set(etats_naifs())
        terr = {g: [m["total_ms"] for m in r[g][2] if m["query"] in communs] for g in r}
        naifs = {g: [m["total_ms"] for m in res.rappels_naifs[g]] for g in res.rappels_naifs}
        rapport.append(
            ligne(
                "rappel de changement de filtre (carte + KPI + tableau), médiane / p95, "
                f"{len(tous['SQLite'])} états",
                "p95 ≤ 80 ms",
                med_p95(tous["SQLite"]),
                med_p95(tous["PostgreSQL"]),
                "—",
                "—",
                tenu(max(p95(v) for v in tous.values()) <= 80),
            )
        )
        for g in ("SQLite", "PostgreSQL"):
            rapport.append(
                ligne(
                    f"même rappel, les {len(terr[g])} états « territoires » mesurés aussi en naïf, sur {g}",
                    "—",
                    med_p95(terr[g]) if g == "SQLite" else "",
                    med_p95(terr[g]) if g == "PostgreSQL" else "",
                    med_p95(naifs[g]),
                    f"{ratio(med(naifs[g]), med(terr[g]))} / {ratio(p95(naifs[g]), p95(terr[g]))}",
                    "—",
                )
            )
        mesures = r["SQLite"][2]
        patchs = [m["carte"] for m in mesures if m["patch"]]
        naives = [m["reponse"] for m in res.rappels_naifs["SQLite"]]
        rapport.append(
            ligne(
                f"réponse qui recolore la carte (Patch de valeurs, {len(patchs)} fois sur 80), médiane / max",
                "≤ 30 Ko",
                f"{ko(med(patchs))} / {ko(max(patchs))}",
                "idem",
                f"{ko(med(naives))} / {ko(max(naives))} (figure entière)",
                ratio(med(naives), med(patchs)),
                tenu(max(patchs) <= 30 * 1024),
            )
        )
        reponses = [m["reponse"] for m in mesures]
        rapport.append(
            ligne(
                "réponse entière du rappel de la vue (carte, KPI, graphiques, légende), médiane / max",
                "—",
                f"{ko(med(reponses))} / {ko(max(reponses))}",
                "idem",
                f"{ko(med(naives))} / {ko(max(naives))}",
                ratio(med(naives), med(reponses)),
                "—",
            )
        )
    if res.geometrie:
        total = sum(v[0] for v in res.geometrie.values())
        detail = ", ".join(f"{n} {ko(v[0])}" for n, v in res.geometrie.items())
        cache = " ".join(sorted({v[2] for v in res.geometrie.values()}))
        rapport.append(
            ligne(
                f"géométrie des trois niveaux, gzip, servie une fois (`{cache}`)",
                "≤ 600 Ko",
                f"{ko(total)} ({detail})",
                "idem",
                "dans chaque réponse de rappel (ligne précédente)",
                "—",
                tenu(total <= 600 * 1024 and "immutable" in cache),
            )
        )
    n = res.navigateur
    if n:
        naif = n.get("naïf")
        for cle, nom, budget in (
            ("navigations", "navigation → carte, KPI et tableau peints (chromium, boucle locale)", 2.5),
            ("changements", "case de vague cochée → carte et KPI repeints", 0.5),
        ):
            rapport.append(
                ligne(
                    f"{nom}, médiane / p95 de {len(n['SQLite'][cle])}",
                    f"≤ {nb(budget, 1, 's')}",
                    med_p95(n["SQLite"][cle], 2, "s"),
                    med_p95(n["PostgreSQL"][cle], 2, "s"),
                    med_p95(naif[cle], 2, "s") if naif else "—",
                    ratio(med(naif[cle]), med(n["SQLite"][cle])) if naif else "—",
                    tenu(max(p95(n[g][cle]) for g in ("SQLite", "PostgreSQL")) <= budget),
                )
            )
        rapport.append(
            ligne(
                "première navigation après le démarrage (cache du navigateur vide)",
                "≤ 2,5 s",
                nb(n["SQLite"]["premiere"][0], 2, "s"),
                nb(n["PostgreSQL"]["premiere"][0], 2, "s"),
                nb(naif["premiere"][0], 2, "s") if naif else "—",
                ratio(naif["premiere"][0], n["SQLite"]["premiere"][0]) if naif else "—",
                tenu(max(n[g]["premiere"][0] for g in ("SQLite", "PostgreSQL")) <= 2.5),
            )
        )
    if res.imports:
        i = res.imports
        durees = {g: [d for d, _ in v] for g, v in i.items()}
        pics = {g: [m for _, m in v] for g, v in i.items()}
        rapport.append(
            ligne(
                f"import de {nb(NB_LIGNES_IMPORT)} lignes d'utilisations : durée (médiane de "
                f"{len(durees['SQLite'])}) / pic de mémoire (max)",
                "≤ 30 s, ≤ 1,5 Go",
                *(
                    f"{nb(med(durees[g]), 1, 's')} / {nb(max(pics[g]), unite='Mo')}"
                    for g in ("SQLite", "PostgreSQL")
                ),
                "—",
                "—",
                tenu(
                    max(med(d) for d in durees.values()) <= 30 and max(max(p) for p in pics.values()) <= 1536
                ),
            )
        )
    if res.charge:
        c, naif = res.charge["passnum"], res.charge.get("naïf")
        rapport.append(
            ligne(
                f"{c['utilisateurs']} utilisateurs simultanés, {c['duree_s']} s, `passnum serve --workers 2` "
                "+ Redis : erreurs / requêtes, p95",
                "0 erreur, p95 ≤ 500 ms",
                "—",
                f"{nb(c['failures'])} / {nb(c['requests'])}, {nb(c['p95_ms'], unite='ms')}",
                f"{nb(naif['failures'])} / {nb(naif['requests'])}, {nb(naif['p95_ms'], unite='ms')} "
                "(PostgreSQL)"
                if naif
                else "—",
                ratio(naif["p95_ms"], c["p95_ms"]) + " (p95)" if naif else "—",
                tenu(c["failures"] == 0 and c["p95_ms"] <= 500),
            )
        )
    rapport += ["", *details(res)]
    return rapport


def memoires(processus: list[dict]) -> str:
    return ", ".join(
        f"{nb(m['rss_mo'], unite='Mo')} RSS ({nb(m['pss_mo'], unite='Mo')} PSS)" for m in processus
    )


def details(res: Resultats) -> list[str]:
    rapport = ["## Détails", ""]
    if res.init:
        rapport.append(
            "- `passnum init --demo national` (156 lauréats, ≈ 2,7 M pass commandés, ≈ 660 000 événements) : "
            + ", ".join(f"{g} {nb(d, 1, 's')} ({nb(m, unite='Mo')})" for g, (d, m) in res.init.items())
            + "."
        )
    for g, (prechauffage, premiere, mesures) in res.rappels.items():
        vue = [m["vue_ms"] for m in mesures]
        bloc = [m["bloc_ms"] for m in mesures]
        rapport.append(
            f"- {g} : lecture des données au démarrage (avant le premier visiteur ; `passnum serve` la "
            f"fait avant le fork) {nb(prechauffage, 2, 's')} ; premier rappel ensuite "
            f"{nb(premiere, unite='ms')} ; "
            f"rappel de la vue seule médiane / p95 {nb(med(vue))} / {nb(p95(vue), unite='ms')}, premier "
            f"bloc du tableau (100 lignes) {nb(med(bloc))} / {nb(p95(bloc), unite='ms')}."
        )
    if res.navigateur:
        rapport.append(
            "- Navigateur : chaque navigation ouvre une page neuve (géométrie, scripts et code compilé en "
            "cache, comme pour qui revient) ; la première, dans un navigateur neuf, télécharge, compile et "
            "évalue tout le JavaScript (plotly.js pèse 4,8 Mo) avant de dessiner. La repeinte est mesurée "
            "dans la page, du clic sur la case à l'image qui suit le changement des KPI et de la carte."
        )
    for cible, c in res.charge.items():
        repos, pic = c.get("memoire_repos", []), c.get("memoire_pic", [])
        memoire = (
            f"mémoire par processus au repos {memoires(repos)} ; au pic {memoires(pic)} ; "
            f"processus maître {nb(c['maitre_rss_mo']['repos'], unite='Mo')} RSS"
            if repos
            else ""
        )
        rapport.append(
            f"- charge, {cible} : {nb(c['requests'])} requêtes ({nb(c['rps'], 1)} par seconde), "
            f"{nb(c['failures'])} erreurs, médiane {nb(c['p50_ms'], unite='ms')}, p95 "
            f"{nb(c['p95_ms'], unite='ms')}, p99 {nb(c['p99_ms'], unite='ms')}, "
            f"max {nb(c['max_ms'], unite='ms')}" + (f" ; {memoire}" if memoire else "") + "."
        )
        for nom, chiffres in c.get("par_nom", {}).items():
            rapport.append(
                f"  - {nom} : {nb(chiffres['requests'])} requêtes, {nb(chiffres['failures'])} erreurs, "
                f"médiane {nb(chiffres['p50_ms'] or 0, unite='ms')}, "
                f"p95 {nb(chiffres['p95_ms'] or 0, unite='ms')}"
            )
        for ligne in c.get("echecs", [])[:5]:
            rapport.append(f"  - échec : {ligne}")
    return rapport


SECTION_PREVISION = "## Prévisions : back-test"


def ecrire(res: Resultats, chemin: Path) -> None:
    texte = "\n".join(lignes_rapport(res)) + "\n"
    # The back-test of the forecasts (bench/prevision.py) writes its own section: kept.
    ancien = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    if SECTION_PREVISION in ancien:
        texte += "\n" + ancien[ancien.index(SECTION_PREVISION) :]
    chemin.write_text(texte, encoding="utf-8")
    # The raw figures beside the report (every measure, not only the medians), for another look.
    brut = {k: v for k, v in vars(res).items() if k != "debut"} | {"debut": res.debut.isoformat()}
    brut_chemin = chemin.with_suffix(".json")
    brut_chemin.write_text(json.dumps(brut, indent=1, default=str), encoding="utf-8")
    print(f"Chiffres bruts : {brut_chemin}")
    print("\n" + texte)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PASSNUM_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="URL d'une base du serveur PostgreSQL (la base passnum_bench y est recréée)",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="cache partagé du test de charge")
    parser.add_argument("--dossier", type=Path, default=Path("/tmp/passnum-bench"))
    parser.add_argument("--sortie", type=Path, default=BENCH / "BENCHMARKS.md")
    parser.add_argument("--rapide", action="store_true", help="moins de tours (un aperçu, pas le rapport)")
    parser.add_argument(
        "--etapes",
        default=",".join(ETAPES),
        help="étapes à mesurer parmi " + ",".join(ETAPES) + " (défaut : toutes ; sans « bases », les bases "
        "d'un passage précédent servent)",
    )
    args = parser.parse_args()
    etapes = set(args.etapes.split(","))
    args.dossier.mkdir(parents=True, exist_ok=True)
    res = Resultats(machine=f"{platform.node()}, {os.cpu_count()} cœurs, Python {platform.python_version()}")
    res.etalon.append(etalonner())
    if "bases" in etapes:
        bases = preparer_bases(args.dossier, args.postgres, res)
    else:
        bases = {
            "SQLite": f"sqlite:///{args.dossier / 'national.sqlite'}",
            "PostgreSQL": url_pg(args.postgres, BASE_PG),
        }
    if "import" in etapes:
        mesurer_imports(bases, args.dossier, args.postgres, 1 if args.rapide else 3, res)
    if "rappels" in etapes:
        for genre, base in bases.items():
            mesurer_rappels(genre, base, res)
    if "navigateur" in etapes:
        mesurer_navigateur(bases, 4 if args.rapide else 12, res)
    if "charge" in etapes:
        mesurer_charge(bases["PostgreSQL"], args.redis, 20 if args.rapide else 60, res)
    res.etalon.append(etalonner())
    ecrire(res, args.sortie)


if __name__ == "__main__":
    main()
