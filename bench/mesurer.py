"""Every line of the performance budget (../shared/design/ARCHITECTURE.md), in one command, on SQLite and
on PostgreSQL, each beside the same measure of three references — a naive Dash implementation of the
view (bench/naif.py), a competent one (bench/competent.py) and the floor (bench/plancher.py: an empty
callback, a bare restyle of the fills, the values-only payload) — and the ratios; the figures are printed
and written to bench/BENCHMARKS.md (its other « ## » sections, written by other scripts, are kept).

    pip install -e ".[bench]"            # the test tools (selenium, chromium) and locust
    python bench/mesurer.py [--postgres URL] [--redis URL] [--dossier DIR] [--rapide]

What it does, in order (≈ 20 minutes on a 2-core machine; `--rapide` ≈ 8):
1. builds the national demo from scratch in a SQLite file under DIR and in the PostgreSQL database
   `passnum_bench` (dropped and created again), timing `passnum init --demo national`;
2. imports a generated file of 1,000,000 redemption rows into copies of both databases
   (`passnum import utilisations`, wall time and peak memory of the process, by `os.wait4`);
3. geometry: the three levels as the server sends them (gzip, cache headers);
4. the filter-change callback through the real `/_dash-update-component`, 80 filter states
   (bench/rappel_filtres.py), the naive and the competent apps on the same territories states, the
   floor's empty callback;
5. Debian's chromium on the loopback (bench/navigateur.py): fresh browser → map and KPIs painted and the
   JavaScript decoded before, returning visitor, filter change → map repainted at EPCI and département
   level, navigation → map, KPIs and table painted; for the dashboard, the naive and competent apps and
   the floor (empty callback round trip, bare `Plotly.restyle` of the fills);
6. the load test: `passnum serve --workers 2` on PostgreSQL with the Redis cache, 50 users for 60 s
   (bench/charge.py, locust), and the naive app under gunicorn with the same load.
Public tools only; figures are medians and percentiles of several runs, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib
import json
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import commun  # noqa: E402
from commun import application, centile, client_connecte  # noqa: E402

NB_LIGNES_IMPORT = 1_000_000
# The last three run the scripts that write their own section of BENCHMARKS.md (kept by `ecrire`);
# « echelle » (the ×10 demo, ≈ 30 min) only when asked.
ETAPES = ("bases", "import", "rappels", "navigateur", "charge", "exports", "extremes")
ETAPES_SUR_DEMANDE = ("echelle",)
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
    rappels_competents: dict = field(default_factory=dict)  # genre → [mesures]
    navigateur: dict = field(default_factory=dict)  # cible → bench/navigateur.py `mesurer`
    # "rappel_vide_ms": [ms], "valeurs_seules": {query: octets}, "navigateur": `mesurer_plancher`
    plancher: dict = field(default_factory=dict)
    durees: dict = field(default_factory=dict)  # étape → seconds of the run
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
    duree, memoire, _cpu = commun.processus(arguments, env)
    return duree, memoire


def passnum(*arguments: str, base: str) -> tuple[float, float]:
    # The import's time guard (50 s by default) would refuse the file on a loaded machine: the bench
    # measures the duration, whatever it is.
    env = {"PASSNUM_DATABASE_URL": base, "PASSNUM_IMPORT_DUREE_MAX_S": "900"}
    return processus([sys.executable, "-m", "dashboard.cli", *arguments], env)


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


PAS_REFERENCES = 3  # one territories state in 3 for the references; 6 with --rapide


def etats_naifs() -> list[str]:
    """The naive and competent apps' states: one territories state in three (≈ 2 s each for the naive
    one: 20 are plenty), the three levels and every filter represented."""
    import rappel_filtres

    return territoires(rappel_filtres.etats())[::PAS_REFERENCES]


def rappels_reference(app, queries: list[str]) -> list[dict]:
    """A reference build's view callback on each state (bench/naif.py `requete`): time, response bytes."""
    import naif

    client = app.server.test_client()
    mesures = []
    for query in queries:
        debut = time.perf_counter()
        reponse = client.post("/_dash-update-component", json=naif.requete(app, query))
        duree = (time.perf_counter() - debut) * 1000
        assert reponse.status_code == 200, reponse.get_data(as_text=True)[:300]
        mesures.append({"query": query, "total_ms": duree, "reponse": len(reponse.get_data())})
    return mesures


def mesurer_plancher_serveur(base: str, res: Resultats, tours: int = 60) -> None:
    """The floor on the server: the empty callback's time through `/_dash-update-component`, and the
    values-only payload of each EPCI state the references are measured on (the state's indicator, every
    EPCI of the map's geometry)."""
    import competent
    import naif
    import plancher

    from dashboard.domain.etat import lire_query

    app = plancher.creer_app()
    client = app.server.test_client()
    mesures = []
    for tour in range(tours):
        debut = time.perf_counter()
        reponse = client.post("/_dash-update-component", json=plancher.requete_vide(app, [2019][: tour % 2]))
        mesures.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200
    codes = plancher.codes(naif._lire_geojsons()["epci"])
    valeurs = {}
    for query in (q for q in etats_naifs() if "niveau=epci" in q):
        indicateur = lire_query(query).indicateur
        indicateur = indicateur if indicateur in naif.LIBELLES else "taux_utilisation"
        _, lignes, _ = competent.calculer(base, query, list(lire_query(query).filtres.vagues))
        serie = lignes.set_index("code")[indicateur].reindex(codes)
        valeurs[query] = plancher.valeurs_seules(serie.tolist())
    res.plancher.update(rappel_vide_ms=mesures, valeurs_seules=valeurs, formes_epci=len(codes))


def mesurer_rappels(genre: str, base: str, res: Resultats) -> None:
    import competent
    import naif
    import rappel_filtres

    app = application(base)
    print(f"[4] {genre} : rappel de la vue, {len(rappel_filtres.etats())} états…", flush=True)
    res.rappels[genre] = (app.prechauffage_s, *rappel_filtres.mesurer(app, rappel_filtres.etats()))
    mesurer_geometrie(app, res)
    app.server.config["PASSNUM_CONTEXTE"].engine.dispose()
    print(f"    applications naïve et compétente, {len(etats_naifs())} états…", flush=True)
    res.rappels_naifs[genre] = rappels_reference(naif.creer_app(base), etats_naifs())
    competent._tables.cache_clear()  # its memo read at its start, as the app's own is
    res.rappels_competents[genre] = rappels_reference(competent.creer_app(base), etats_naifs())


# --- 5. Browser -------------------------------------------------------------------------------------------


def mesurer_navigateur(bases: dict[str, str], tours: int, neufs: int, res: Resultats) -> None:
    import competent
    import naif
    import navigateur
    import plancher

    for genre, base in bases.items():
        print(f"[5] navigateur, {genre}…", flush=True)
        app = application(base)
        with navigateur.servir(app.server) as url:
            res.navigateur[genre] = navigateur.mesurer(url, tours, neufs)
        app.server.config["PASSNUM_CONTEXTE"].engine.dispose()
    print("[5] navigateur, plancher (rappel vide, Plotly.restyle nu)…", flush=True)
    with navigateur.servir(plancher.creer_app().server) as url:
        res.plancher["navigateur"] = navigateur.mesurer_plancher(url, tours, neufs)
    for cle, module, nom in (("compétent", competent, "compétente"), ("naïf", naif, "naïve")):
        print(f"[5] navigateur, application {nom} (SQLite)…", flush=True)
        with navigateur.servir(module.creer_app(bases["SQLite"]).server) as url:
            res.navigateur[cle] = navigateur.mesurer(
                url, max(2, tours // 2), max(1, neufs - 1), connecter=False
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


def sec(ms: float) -> float:
    return ms / 1000


def rapports(nous: float, naif: float | None = None, comp: float | None = None, sol: float | None = None):
    """The three ratio cells: naive ÷ us, competent ÷ us, us ÷ floor."""
    return (
        ratio(naif, nous) if naif else "—",
        ratio(comp, nous) if comp else "—",
        ratio(nous, sol) if sol else "—",
    )


def lignes_rappels(res: Resultats) -> list[str]:
    r, vide = res.rappels, res.plancher.get("rappel_vide_ms")
    if not r:
        return []
    tous = {g: [m["total_ms"] for m in r[g][2]] for g in r}
    communs = set(etats_naifs())
    terr = {g: [m["total_ms"] for m in r[g][2] if m["query"] in communs] for g in r}
    naifs = {g: [m["total_ms"] for m in v] for g, v in res.rappels_naifs.items()}
    comps = {g: [m["total_ms"] for m in v] for g, v in res.rappels_competents.items()}
    lignes = [
        ligne(
            "rappel de changement de filtre (carte + KPI + tableau), serveur, médiane / p95, "
            f"{len(tous['SQLite'])} états ; plancher : rappel Dash vide",
            "p95 ≤ 25 ms (avant : 80)",
            med_p95(tous["SQLite"]),
            med_p95(tous["PostgreSQL"]) if "PostgreSQL" in tous else "—",
            "—",
            "—",
            med_p95(vide, 1) if vide else "—",
            "—",
            "—",
            rapports(med(tous["SQLite"]), sol=med(vide) if vide else None)[2],
            tenu(max(p95(v) for v in tous.values()) <= 25),
        )
    ]
    for g in terr:
        lignes.append(
            ligne(
                f"même rappel, les {len(terr[g])} états « territoires » des références, sur {g}",
                "—",
                med_p95(terr[g]) if g == "SQLite" else "",
                med_p95(terr[g]) if g == "PostgreSQL" else "",
                med_p95(naifs[g]) if g in naifs else "—",
                med_p95(comps[g]) if g in comps else "—",
                med_p95(vide, 1) if vide else "—",
                *rapports(
                    med(terr[g]),
                    med(naifs[g]) if g in naifs else None,
                    med(comps[g]) if g in comps else None,
                    med(vide) if vide else None,
                ),
                "—",
            )
        )
    return lignes + lignes_reponses(res)


def lignes_reponses(res: Resultats) -> list[str]:
    mesures = res.rappels["SQLite"][2]
    naives = [m["reponse"] for m in res.rappels_naifs.get("SQLite", [])]
    comps = [m["reponse"] for m in res.rappels_competents.get("SQLite", [])]

    def epci(liste):
        return [m["reponse"] for m in liste if "niveau=epci" in m["query"]]

    patchs = [m["carte"] for m in mesures if m["patch"]]
    patchs_epci = [m["carte"] for m in mesures if m["patch"] and "niveau=epci" in m["query"]]
    seules = list(res.plancher.get("valeurs_seules", {}).values())
    lignes = []
    if patchs:
        lignes.append(
            ligne(
                f"réponse qui recolore la carte (Patch de valeurs, {len(patchs)} fois sur {len(mesures)}), "
                "médiane / max ; références : la figure entière",
                "≤ 30 Ko",
                f"{ko(med(patchs))} / {ko(max(patchs))}",
                "idem",
                f"{ko(med(naives))} / {ko(max(naives))}" if naives else "—",
                f"{ko(med(comps))} / {ko(max(comps))}" if comps else "—",
                "—",
                *rapports(med(patchs), med(naives) if naives else None, med(comps) if comps else None),
                tenu(max(patchs) <= 30 * 1024),
            )
        )
    if patchs_epci:
        n_epci = nb(res.plancher.get("formes_epci", 0))
        lignes.append(
            ligne(
                f"même réponse au niveau EPCI ({len(patchs_epci)} fois), médiane ; plancher : les {n_epci} "
                "valeurs seules en JSON (4 chiffres significatifs)",
                "—",
                ko(med(patchs_epci)),
                "idem",
                ko(med(epci(res.rappels_naifs.get("SQLite", [])))) if naives else "—",
                ko(med(epci(res.rappels_competents.get("SQLite", [])))) if comps else "—",
                ko(med(seules)) if seules else "—",
                *rapports(
                    med(patchs_epci),
                    med(epci(res.rappels_naifs["SQLite"])) if naives else None,
                    med(epci(res.rappels_competents["SQLite"])) if comps else None,
                    med(seules) if seules else None,
                ),
                "—",
            )
        )
    reponses = [m["reponse"] for m in mesures]
    lignes.append(
        ligne(
            "réponse entière du rappel de la vue (carte, KPI, graphiques, légende), médiane / max",
            "—",
            f"{ko(med(reponses))} / {ko(max(reponses))}",
            "idem",
            f"{ko(med(naives))} / {ko(max(naives))}" if naives else "—",
            f"{ko(med(comps))} / {ko(max(comps))}" if comps else "—",
            "—",
            *rapports(med(reponses), med(naives) if naives else None, med(comps) if comps else None),
            "—",
        )
    )
    return lignes


def lignes_navigateur(res: Resultats) -> list[str]:
    n, sol = res.navigateur, res.plancher.get("navigateur")
    if "SQLite" not in n:
        return []
    genres = [g for g in ("SQLite", "PostgreSQL") if g in n]
    refs = [n.get("naïf"), n.get("compétent")]
    lignes = []
    for niveau, nom, budget in (
        ("epci", "EPCI (vue territoires, 1 255 formes)", 150),
        ("departement", "département", 100),
    ):
        valeurs = {g: n[g]["repeinte"][niveau] for g in genres}
        plancher = (med(sol["aller_retour"]), med(sol["restyle"][niveau])) if sol else None
        lignes.append(
            ligne(
                f"changement de filtre → carte repeinte, {nom}, dans la page posée (du clic à l'image "
                f"peinte), médiane / p95 de {len(valeurs['SQLite'])} ; plancher : aller-retour d'un rappel "
                "vide + `Plotly.restyle` nu des remplissages",
                f"≤ {budget} ms",
                *(med_p95(valeurs[g]) if g in valeurs else "—" for g in ("SQLite", "PostgreSQL")),
                *(med_p95(r["repeinte"][niveau]) if r else "—" for r in refs),
                f"{nb(plancher[0])} + {nb(plancher[1])} = {nb(sum(plancher), unite='ms')}" if sol else "—",
                *rapports(
                    med(valeurs["SQLite"]),
                    *(med(r["repeinte"][niveau]) if r else None for r in refs),
                    sum(plancher) if sol else None,
                ),
                tenu(max(med(v) for v in valeurs.values()) <= budget),
            )
        )

    def peintes(m):
        return [sec(x["peinte_ms"]) for x in m["neufs"]]

    def octets(m):
        return [x["js_octets"] / 1e6 for x in m["neufs"]]

    def revient(m):
        return [sec(x) for x in m["revient"]]

    cibles = [*(n[g] for g in genres), *refs]
    for fonction, nom, budget, unite, decimales in (
        (
            peintes,
            "navigateur neuf → carte et KPI peints, niveau EPCI (cache vide), médiane / max",
            1.5,
            "s",
            2,
        ),
        (octets, "JavaScript décodé avant cette peinture (Mo = 10⁶ octets), médiane / max", 2.5, "Mo", 2),
        (
            revient,
            "visiteur qui revient (scripts et géométrie en cache) → carte et KPI peints, EPCI, médiane / p95",
            0.8,
            "s",
            2,
        ),
    ):
        valeurs = [fonction(c) if c else None for c in cibles]
        valeurs_sol = fonction(sol) if sol else None
        maxi = fonction is not revient

        def cellule(v, decimales=decimales, unite=unite, maxi=maxi):
            if not v:
                return "—"
            return f"{nb(med(v), decimales)} / {nb(max(v) if maxi else p95(v), decimales, unite)}"

        lignes.append(
            ligne(
                nom,
                f"≤ {nb(budget, 1, unite)}",
                *(
                    cellule(valeurs[genres.index(g)]) if g in genres else "—"
                    for g in ("SQLite", "PostgreSQL")
                ),
                *(cellule(v) for v in valeurs[len(genres) :]),
                cellule(valeurs_sol),
                *rapports(
                    med(valeurs[0]),
                    *(med(v) if v else None for v in valeurs[len(genres) :]),
                    med(valeurs_sol) if valeurs_sol else None,
                ),
                tenu(max(med(v) for v in valeurs[: len(genres)]) <= budget),
            )
        )
    navigations = {g: n[g]["navigations"] for g in genres}
    if navigations["SQLite"]:
        lignes.append(
            ligne(
                "navigation → carte, KPI et tableau peints (4 pages, horloge de WebDriver), médiane / p95 "
                f"de {len(navigations['SQLite'])}",
                "≤ 2,5 s",
                *(med_p95(navigations[g], 2, "s") if g in genres else "—" for g in ("SQLite", "PostgreSQL")),
                *(med_p95(r["navigations"], 2, "s") if r and r["navigations"] else "—" for r in refs),
                "—",
                *rapports(
                    med(navigations["SQLite"]),
                    *(med(r["navigations"]) if r and r["navigations"] else None for r in refs),
                ),
                tenu(max(p95(v) for v in navigations.values()) <= 2.5),
            )
        )
    return lignes


def lignes_rapport(res: Resultats) -> list[str]:
    """The report, in French, budget line by budget line: SQLite, PostgreSQL, the naive and the competent
    apps (on SQLite), the floor, the ratios naive ÷ dashboard, competent ÷ dashboard and dashboard ÷ floor
    (on SQLite), and whether the budget is met."""
    rapport = [
        "# Mesures de performance",
        "",
        f"Relevées le {res.debut:%d/%m/%Y à %H:%M} par `python bench/mesurer.py` ({res.machine}).",
        "Étalon de vitesse de la machine (group-by pandas fixe sur 2 M lignes, au début et à la fin) : "
        + " puis ".join(nb(e, 2, "s") for e in res.etalon)
        + " — la machine est partagée : comparer deux passages à étalon égal.",
        "Démonstration nationale reconstruite à chaque passage (`passnum init --demo national`).",
        "Médianes et centiles de plusieurs mesures. Trois références, mesurées sur SQLite : « naïf » = la",
        "vue écrite comme un tutoriel Dash (`bench/naif.py` : figure avec le GeoJSON dans chaque rappel,",
        "group-by pandas sur les événements bruts) ; « compétent » = ce qu'un bon développeur Dash écrit en",
        "un jour (`bench/competent.py` : agrégats mensuels pandas mémoïsés, mais la figure entière et son",
        "GeoJSON redessinés par `Plotly.react` à chaque rappel) ; « plancher » = ce qu'aucune version ne",
        "peut battre avec Dash et plotly.js ici (`bench/plancher.py` : rappel Dash vide, `Plotly.restyle`",
        "nu des remplissages, valeurs seules). Ratios sur SQLite : naïf ÷ nous et compétent ÷ nous (combien",
        "de fois la référence est plus lente ou plus lourde), nous ÷ plancher (le chiffre à faire baisser).",
        "",
        ligne(
            "ligne du budget",
            "budget",
            "SQLite",
            "PostgreSQL",
            "naïf",
            "compétent",
            "plancher",
            "naïf ÷ nous",
            "compétent ÷ nous",
            "nous ÷ plancher",
            "tenu",
        ),
        ligne(*["---"] * 11),
    ]
    rapport += lignes_rappels(res)
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
                "dans chaque réponse",
                "dans chaque réponse",
                "—",
                "—",
                "—",
                "—",
                tenu(total <= 600 * 1024 and "immutable" in cache),
            )
        )
    rapport += lignes_navigateur(res)
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
                    f"{nb(med(durees[g]), 1, 's')} / {nb(max(pics[g]), unite='Mo')}" if g in durees else "—"
                    for g in ("SQLite", "PostgreSQL")
                ),
                *["—"] * 6,
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
                "—",
                "—",
                ratio(naif["p95_ms"], c["p95_ms"]) + " (p95)" if naif else "—",
                "—",
                "—",
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
    if res.durees:
        rapport.append(
            f"- Durée du passage : {nb(sum(res.durees.values()) / 60, 1, 'min')} ("
            + ", ".join(f"{e} {nb(d / 60, 1, 'min')}" for e, d in res.durees.items())
            + ")."
        )
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
        from navigateur import POSEE_S

        rapport.append(
            "- Navigateur (chromium de Debian, sans écran, boucle locale ; `bench/navigateur.py`) : "
            "« peint » se lit dans le DOM, quelle que soit la façon de dessiner — chaque `#carte "
            "path.choroplethlocation` a un remplissage et `#kpis` montre un chiffre, vu dans les rappels "
            "`requestAnimationFrame` d'une image ; le temps est la fin de cette image (un message posté de "
            "là arrive une fois elle peinte), à l'horloge de la page, depuis le début de la "
            "navigation (guetteur installé avant tout script par `Page.addScriptToEvaluateOnNewDocument`). "
            "Navigateur neuf : un profil vide, connexion sur une page sans script, puis "
            "`/?vue=territoires&niveau=epci` ; JavaScript : `decodedBodySize` des scripts de "
            "`performance.getEntriesByType('resource')` arrivés (`responseEnd`) avant la peinture. "
            "Repeinte : la case « 2019 » cochée ou décochée, jusqu'à la fin de l'image qui montre le "
            "changement des remplissages (chaque forme remplie), deux fois sur la page posée (ouverte depuis "
            f"{nb(POSEE_S, 1)} s : tableau, graphiques et grille chargés, une personne lit la carte avant de "
            "changer un filtre) ; à part, une fois dès la carte peinte (le clic attend alors ce que la page "
            "charge encore)."
        )
        for cible, m in res.navigateur.items():
            scripts = [x["scripts"] for x in m["neufs"]]
            octets = [x["js_octets"] for x in m["neufs"]]
            rapport.append(
                f"  - {cible} : {len(m['neufs'])} navigateur(s) neuf(s), {nb(med(scripts))} scripts "
                f"({nb(med(octets) / 1e6, 2, 'Mo')} décodés) avant la peinture ; repeintes EPCI "
                + ", ".join(nb(x) for x in m["repeinte"]["epci"])
                + " ms ; département "
                + ", ".join(nb(x) for x in m["repeinte"]["departement"])
                + " ms"
                + (
                    " ; dès la carte peinte, EPCI "
                    + ", ".join(nb(x) for x in m["des_la_peinture"]["epci"])
                    + " ms, département "
                    + ", ".join(nb(x) for x in m["des_la_peinture"]["departement"])
                    + " ms."
                    if m.get("des_la_peinture")
                    else "."
                )
            )
    sol = res.plancher.get("navigateur")
    if sol:
        rapport.append(
            "- Plancher (`bench/plancher.py`, même serveur, même navigateur, même géométrie) : aller-retour "
            "d'un rappel vide (clic → `#kpis` changé → image) "
            + ", ".join(nb(x) for x in sol["aller_retour"])
            + " ms ; `Plotly.restyle` nu de toutes les formes (appel → remplissages changés → image), EPCI "
            + ", ".join(nb(x) for x in sol["restyle"]["epci"])
            + " ms, département "
            + ", ".join(nb(x) for x in sol["restyle"]["departement"])
            + " ms ; navigateur neuf sur l'application minimale (Dash, plotly.js, la carte EPCI) "
            + ", ".join(nb(sec(x["peinte_ms"]), 2) for x in sol["neufs"])
            + " s."
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


def sections(texte: str) -> list[tuple[str, str]]:
    """The « ## » sections of a Markdown text, in order: (title line, whole section text)."""
    morceaux, titre, lignes = [], None, []
    for ligne_ in texte.splitlines():
        if ligne_.startswith("## "):
            if titre is not None:
                morceaux.append((titre, "\n".join(lignes).rstrip() + "\n"))
            titre, lignes = ligne_.strip(), [ligne_]
        elif titre is not None:
            lignes.append(ligne_)
    if titre is not None:
        morceaux.append((titre, "\n".join(lignes).rstrip() + "\n"))
    return morceaux


def ecrire(res: Resultats, chemin: Path) -> None:
    texte = "\n".join(lignes_rapport(res)) + "\n"
    # The other scripts write their own « ## » sections (bench/prevision.py, echelle.py, exports.py,
    # charge.py…): every section this report does not write is kept, in its order.
    ancien = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    miennes = {titre for titre, _ in sections(texte)}
    for titre, section in sections(ancien):
        if titre not in miennes:
            texte += "\n" + section
    chemin.write_text(texte, encoding="utf-8")
    # The raw figures beside the report (every measure, not only the medians), for another look.
    brut = {k: v for k, v in vars(res).items() if k != "debut"} | {"debut": res.debut.isoformat()}
    brut_chemin = chemin.with_suffix(".json")
    brut_chemin.write_text(json.dumps(brut, indent=1, default=str), encoding="utf-8")
    print(f"Chiffres bruts : {brut_chemin}")
    print("\n" + texte)


def section(script: str, *arguments: str) -> None:
    """Run bench/<script>.py, which writes its own section of BENCHMARKS.md (kept by `ecrire`)."""
    code = importlib.import_module(script).main([*arguments, "--ecrire"])
    if code:
        print(f"bench/{script}.py a fini en erreur ({code}) : sa section n'est pas à jour", file=sys.stderr)


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
        help="étapes à mesurer parmi "
        + ",".join(ETAPES + ETAPES_SUR_DEMANDE)
        + " (défaut : "
        + ",".join(ETAPES)
        + " ; sans « bases », les bases d'un passage précédent servent)",
    )
    args = parser.parse_args()
    etapes = set(args.etapes.split(","))
    args.dossier.mkdir(parents=True, exist_ok=True)
    res = Resultats(machine=f"{platform.node()}, {os.cpu_count()} cœurs, Python {platform.python_version()}")
    res.etalon.append(etalonner())
    bases = {
        "SQLite": f"sqlite:///{args.dossier / 'national.sqlite'}",
        "PostgreSQL": url_pg(args.postgres, BASE_PG),
    }
    tours, neufs = (2, 1) if args.rapide else (5, 3)
    global PAS_REFERENCES
    PAS_REFERENCES = 6 if args.rapide else 3

    def rappels():
        for genre, base in bases.items():
            mesurer_rappels(genre, base, res)
        mesurer_plancher_serveur(bases["SQLite"], res)

    etapes_a_mesurer = {
        "bases": lambda: bases.update(preparer_bases(args.dossier, args.postgres, res)),
        "import": lambda: mesurer_imports(bases, args.dossier, args.postgres, 1 if args.rapide else 3, res),
        "rappels": rappels,
        "navigateur": lambda: mesurer_navigateur(bases, tours, neufs, res),
        "charge": lambda: mesurer_charge(bases["PostgreSQL"], args.redis, 20 if args.rapide else 60, res),
        "exports": lambda: section(
            "exports", "--base", bases["SQLite"], "--demarrages", "2" if args.rapide else "4"
        ),
        "extremes": lambda: section("charge", "--base", bases["PostgreSQL"], "--cache", args.redis),
        "echelle": lambda: section("echelle"),
    }
    for etape, mesurer_etape in etapes_a_mesurer.items():
        if etape in etapes:
            debut = time.perf_counter()
            mesurer_etape()
            res.durees[etape] = time.perf_counter() - debut
    res.etalon.append(etalonner())
    ecrire(res, args.sortie)


if __name__ == "__main__":
    main()
