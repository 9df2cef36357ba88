"""The budgets of ARCHITECTURE.md at ten times the national demo (issue 20, goal 3): the x10 demo built on
SQLite and on PostgreSQL, then, on each, the start-up (`passnum init` on the ready database, the reading
of the data before the first visitor), the filter-change callback (bench/rappel_filtres.py), and on
PostgreSQL the import of a file of 10 million redemption lines.

    python bench/echelle.py [--postgres URL] [--dossier DIR] [--lignes 10000000] [--etapes …] [--ecrire]

What it does (≈ 25 minutes on a 2-core machine):
1. `passnum init --demo x10` on a fresh SQLite file under DIR and on the PostgreSQL database
   `passnum_echelle` (dropped and created again): wall time and peak memory of the process (os.wait4);
   then `passnum init --demo x10` again (the ready database: what a deployment runs at each start);
2. the reading of the data at start-up (`prechauffer`, what `passnum serve` does before the fork), in a
   process of its own: its time, and the memory it adds (resident set before and after);
3. the filter-change callback through `/_dash-update-component`, the 80 states of bench/rappel_filtres.py;
4. PostgreSQL: `passnum import utilisations` of a generated file of `--lignes` distinct redemption lines
   (the x10 demo's laureates and places, days of 2020–2024; Windows-1252, `;`) into a copy of the
   database (`passnum_h_x10`, from the template `passnum_echelle`): wall time and peak memory.
`--ecrire` replaces the section « ## Échelle ×10 » of bench/BENCHMARKS.md. Medians and percentiles, never
asserted; the machine's speed (bench/mesurer.py `etalonner`) is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from commun import centile, processus  # noqa: E402
from mesurer import etalonner, recreer_base_pg, supprimer_base_pg  # noqa: E402

from dashboard.settings import ROOT  # noqa: E402

BASE_PG, BASE_PG_IMPORT = "passnum_echelle", "passnum_h_x10"
ETAPES = ("init", "lecture", "rappels", "import")
SECTION = "## Échelle ×10"
CHEMIN = BENCH / "BENCHMARKS.md"
BUDGETS = {"import_s": 180, "import_mo": 1536, "demarrage_s": 10, "rappel_p95_ms": 80}

# The reading at start-up, in a process of its own: its time and the resident memory it adds.
_LECTURE = """
import json, os, sys
sys.path.insert(0, {bench!r})
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
import time
from commun import application
avant, cpu = rss(), time.process_time()
app = application(sys.argv[1])
print(json.dumps({{"prechauffage_s": app.prechauffage_s, "rss_avant_mo": avant, "rss_apres_mo": rss(),
                  "cpu_creation_et_lecture_s": time.process_time() - cpu}}))
"""


def passnum(*arguments: str, base: str) -> tuple[float, float, float]:
    """Runs `passnum …`; (wall seconds, peak resident memory in MB, CPU seconds of the process)."""
    return processus([sys.executable, "-m", "dashboard.cli", *arguments], {"PASSNUM_DATABASE_URL": base})


def lecture_au_demarrage(base: str) -> dict:
    sortie = subprocess.run(
        [sys.executable, "-c", _LECTURE.format(bench=str(BENCH)), base],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(sortie.strip().splitlines()[-1])


def fichier_utilisations(base: str, chemin: Path, lignes: int, graine: int = 2026) -> Path:
    """`lignes` distinct redemption lines of the demo's laureates at their places: each (place, day) drawn
    once among the places × the days of 2020–2024, so that no line repeats another; written by pieces
    of a million (Windows-1252, `;`, JJ/MM/AAAA), as an operator's export."""
    moteur = create_engine(base)
    with moteur.connect() as connexion:
        lieux = pd.read_sql(
            text(
                "SELECT DISTINCT a.siren_porteur, a.siret, a.code_commune, s.nom FROM "
                "activite_structure_mensuelle a JOIN structure s ON s.siret = a.siret AND s.role = a.role "
                "WHERE a.role = 'lieu' ORDER BY 1, 2"
            ),
            connexion,
        )
    moteur.dispose()
    jours = pd.date_range("2020-01-01", "2024-12-31").strftime("%d/%m/%Y").to_numpy(dtype=object)
    alea = np.random.default_rng(graine)
    tirage = alea.choice(len(lieux) * len(jours), size=lignes, replace=False)
    colonnes = {c: lieux[c].to_numpy(dtype=object) for c in lieux.columns}
    with open(chemin, "w", encoding="cp1252", errors="replace", newline="") as f:
        f.write("siren_porteur;date;code_commune;siret_lieu;nom_lieu;nb_pass\r\n")
        for debut in range(0, lignes, 1_000_000):
            morceau = np.sort(tirage[debut : debut + 1_000_000])
            lieu, jour = morceau // len(jours), morceau % len(jours)
            pd.DataFrame(
                {
                    "siren_porteur": colonnes["siren_porteur"][lieu],
                    "date": jours[jour],
                    "code_commune": colonnes["code_commune"][lieu],
                    "siret_lieu": colonnes["siret"][lieu],
                    "nom_lieu": colonnes["nom"][lieu],
                    "nb_pass": alea.integers(1, 6, len(morceau)),
                }
            ).to_csv(f, sep=";", index=False, header=False, lineterminator="\r\n")
    return chemin


def nombre_lignes(base: str) -> dict[str, int]:
    moteur = create_engine(base)
    with moteur.connect() as connexion:
        comptes = {
            t: connexion.scalar(text(f"SELECT count(*) FROM {t}"))  # our own table names
            for t in ("distribution", "utilisation", "activite_mensuelle", "activite_structure_mensuelle")
        }
        comptes["pass_commandes"] = connexion.scalar(
            text("SELECT sum(pass_commandes) FROM commande_mensuelle")
        )
    moteur.dispose()
    return comptes


def mesurer(args) -> dict:
    etapes = set(args.etapes.split(","))
    args.dossier.mkdir(parents=True, exist_ok=True)
    fichier = args.dossier / "x10.sqlite"
    bases = {"SQLite": f"sqlite:///{fichier}", "PostgreSQL": mesurer_pg_url(args.postgres, BASE_PG)}
    sauvegarde = args.dossier / "echelle.json"
    # A run of some steps completes the figures of the previous run (the file echelle.json of the folder).
    res: dict = json.loads(sauvegarde.read_text(encoding="utf-8")) if sauvegarde.exists() else {}
    res |= {"debut": time.strftime("%d/%m/%Y à %H:%M"), "etalon": [etalonner()], "lignes": args.lignes}
    for genre, base in bases.items():
        if genre not in args.genres.split(","):
            continue
        r = res.setdefault(genre, {})
        if "init" in etapes:
            if genre == "SQLite":
                for ancien in args.dossier.glob("x10.sqlite*"):
                    ancien.unlink()
            else:
                recreer_base_pg(args.postgres, BASE_PG)
            print(f"[1] {genre} : passnum init --demo x10…", flush=True)
            r["init"] = passnum("init", "--demo", "x10", "--silencieux", base=base)
            r["reinit"] = passnum("init", "--demo", "x10", "--silencieux", base=base)
            r["volumes"] = nombre_lignes(base)
            print(f"    {r['init']}, de nouveau {r['reinit']}, {r['volumes']}", flush=True)
        if "lecture" in etapes:
            r["lecture"] = [lecture_au_demarrage(base) for _ in range(args.tours)]
            print(f"[2] {genre} : lecture au démarrage {r['lecture']}", flush=True)
        if "rappels" in etapes:
            import rappel_filtres
            from commun import application

            app = application(base)
            print(f"[3] {genre} : rappel de la vue, {len(rappel_filtres.etats())} états…", flush=True)
            premiere, mesures = rappel_filtres.mesurer(app, rappel_filtres.etats())
            app.server.config["PASSNUM_CONTEXTE"].engine.dispose()
            r["rappels"] = {"premiere_ms": premiere, "total_ms": [m["total_ms"] for m in mesures]}
            print(f"    médiane {statistics.median(r['rappels']['total_ms']):.0f} ms", flush=True)
        sauvegarde.write_text(json.dumps(res, indent=1), encoding="utf-8")
    if "import" in etapes and "PostgreSQL" in args.genres:
        chemin = args.dossier / f"utilisations-{args.lignes}.csv"
        print(f"[4] fichier de {args.lignes:,} lignes d'utilisations…".replace(",", " "), flush=True)
        fichier_utilisations(bases["SQLite"], chemin, args.lignes)
        res["import"] = {"octets": chemin.stat().st_size, "mesures": []}
        for _ in range(args.tours_import):
            cible = recreer_base_pg(args.postgres, BASE_PG_IMPORT, modele=BASE_PG)
            res["import"]["mesures"].append(
                passnum("import", "utilisations", str(chemin), "--silencieux", base=cible)
            )
            print(f"    PostgreSQL : {res['import']['mesures'][-1]}", flush=True)
        supprimer_base_pg(args.postgres, BASE_PG_IMPORT)
        chemin.unlink()
    res["etalon"].append(etalonner())
    sauvegarde.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return res


def mesurer_pg_url(serveur: str, nom: str) -> str:
    return serveur.rsplit("/", 1)[0] + "/" + nom


# --- Report -----------------------------------------------------------------------------------------------


def nb(valeur: float, decimales: int = 0, unite: str = "") -> str:
    texte = f"{valeur:,.{decimales}f}".replace(",", " ").replace(".", ",")
    return f"{texte} {unite}".rstrip()


def tenu(ok: bool) -> str:
    return "oui" if ok else "**non**"


def lignes_section(res: dict) -> list[str]:
    genres = [g for g in ("SQLite", "PostgreSQL") if g in res]
    lignes = [
        "",
        SECTION,
        "",
        f"Relevé le {res['debut']} par `python bench/echelle.py --ecrire` ; étalon de vitesse de la machine "
        "(bench/mesurer.py) " + " puis ".join(nb(e, 2, "s") for e in res["etalon"]) + ".",
        "Démonstration « x10 » : les 156 lauréats de la démonstration nationale, leur activité × 10 "
        "(budgets, commandes, réseaux et événements), mêmes dates et vagues.",
        "",
        "| ligne | budget | " + " | ".join(genres) + " | tenu |",
        "|---|---|" + "---|" * len(genres) + "---|",
    ]
    r = {g: res[g] for g in genres}
    if all("init" in r[g] for g in genres):
        v = r[genres[0]]["volumes"]
        lignes.append(
            "| `passnum init --demo x10` sur une base neuve : durée (temps CPU du processus) / pic de "
            "mémoire | — | "
            + " | ".join(
                f"{nb(r[g]['init'][0], 1, 's')} ({nb(r[g]['init'][2], 1, 's')}) / "
                f"{nb(r[g]['init'][1], unite='Mo')}"
                for g in genres
            )
            + " | — |"
        )
        lignes.append(
            "| `passnum init --demo x10` sur la base prête (chaque démarrage) : durée (temps CPU) | ≤ 10 s | "
            + " | ".join(f"{nb(r[g]['reinit'][0], 1, 's')} ({nb(r[g]['reinit'][2], 1, 's')})" for g in genres)
            + f" | {tenu(max(r[g]['reinit'][0] for g in genres) <= BUDGETS['demarrage_s'])} |"
        )
        detail = (
            f"{nb(v['pass_commandes'])} pass commandés, {nb(v['distribution'])} lignes de distribution et "
            f"{nb(v['utilisation'])} d'utilisation, {nb(v['activite_mensuelle'])} lignes d'agrégats mensuels "
            f"par commune et {nb(v['activite_structure_mensuelle'])} par structure"
        )
    else:
        detail = ""
    if all("lecture" in r[g] for g in genres):
        duree = {g: statistics.median(m["prechauffage_s"] for m in r[g]["lecture"]) for g in genres}
        ajout = {
            g: statistics.median(m["rss_apres_mo"] - m["rss_avant_mo"] for m in r[g]["lecture"])
            for g in genres
        }
        lignes.append(
            "| lecture des données au démarrage (`prechauffer`, avant le fork) : durée médiane / mémoire "
            "ajoutée | ≤ 10 s | "
            + " | ".join(f"{nb(duree[g], 2, 's')} / {nb(ajout[g], unite='Mo')}" for g in genres)
            + f" | {tenu(max(duree.values()) <= BUDGETS['demarrage_s'])} |"
        )
    if all("rappels" in r[g] for g in genres):
        t = {g: r[g]["rappels"]["total_ms"] for g in genres}
        lignes.append(
            f"| rappel de changement de filtre (carte + KPI + tableau), médiane / p95, {len(t[genres[0]])} "
            "états | p95 ≤ 80 ms | "
            + " | ".join(
                f"{nb(statistics.median(t[g]))} / {nb(centile(t[g], 95), unite='ms')}" for g in genres
            )
            + f" | {tenu(max(centile(t[g], 95) for g in genres) <= BUDGETS['rappel_p95_ms'])} |"
        )
    if "import" in res:
        m = res["import"]["mesures"]
        duree, pic = statistics.median(d for d, _, _ in m), max(p for _, p, _ in m)
        cpu = statistics.median(c for _, _, c in m)
        cellules = ["—"] * len(genres)
        cellules[-1] = f"{nb(duree, 1, 's')} ({nb(cpu, 1, 's')}) / {nb(pic, unite='Mo')}"
        ok = duree <= BUDGETS["import_s"] and pic <= BUDGETS["import_mo"]
        lignes.append(
            f"| import de {nb(res['lignes'])} lignes d'utilisations ({nb(res['import']['octets'] / 1e6)} Mo) "
            f"dans la base x10 : durée (temps CPU du processus ; médiane de {len(m)}) / pic de mémoire "
            "| ≤ 3 min, ≤ 1,5 Go | " + " | ".join(cellules) + f" | {tenu(ok)} |"
        )
    lignes.append("")
    if detail:
        lignes.append(f"- Volumes de la base x10 : {detail}.")
    lignes += [f"- {note}" for note in res.get("notes", [])]
    lignes.append(
        "- Un fichier d'événements CSV de plus de 64 Mo est lu, validé et écrit par blocs d'environ 48 Mo "
        "dans la transaction unique de l'import (dashboard/ingest/flux.py) : sa lecture ne garde qu'un bloc "
        "à la fois (le pic de l'import de 10 M lignes vient d'ailleurs : non encore établi)."
    )
    lignes.append("")
    return lignes


def ecrire_section(res: dict, chemin: Path = CHEMIN) -> None:
    """Replace (or add) the section « ## Échelle ×10 » of BENCHMARKS.md, the other sections kept."""
    texte = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    section = "\n".join(lignes_section(res))
    if SECTION in texte:
        debut = texte.index(SECTION)
        suite = texte.find("\n## ", debut + len(SECTION))
        reste = texte[suite + 1 :] if suite >= 0 else ""
        texte = texte[:debut].rstrip("\n") + "\n\n" + section.lstrip("\n") + ("\n" + reste if reste else "")
    else:
        texte = texte.rstrip("\n") + "\n" + section
    chemin.write_text(texte, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PASSNUM_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="URL d'une base du serveur PostgreSQL (passnum_echelle et passnum_h_x10 y sont recréées)",
    )
    parser.add_argument("--dossier", type=Path, default=Path("/tmp/passnum-echelle"))
    parser.add_argument("--lignes", type=int, default=10_000_000)
    parser.add_argument("--genres", default="SQLite,PostgreSQL", help="bases mesurées (défaut : les deux)")
    parser.add_argument("--tours", type=int, default=3, help="lectures au démarrage par base")
    parser.add_argument("--tours-import", type=int, default=1)
    parser.add_argument("--etapes", default=",".join(ETAPES), help="parmi " + ",".join(ETAPES))
    parser.add_argument("--reprendre", action="store_true", help="écrire la section d'un passage précédent")
    parser.add_argument("--ecrire", action="store_true", help="écrire la section de bench/BENCHMARKS.md")
    parser.add_argument("--note", action="append", default=[], help="une remarque ajoutée à la section")
    args = parser.parse_args(argv)
    if args.reprendre:
        res = json.loads((args.dossier / "echelle.json").read_text(encoding="utf-8"))
    else:
        res = mesurer(args)
    res["notes"] = [*res.get("notes", []), *args.note]
    print("\n".join(lignes_section(res)))
    if args.ecrire:
        ecrire_section(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
