"""`passnum demo --scale small|national|x10 --out DOSSIER [--seed N]`: write the demo dataset as import files
(the same files for the same seed) and summarise it in French."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from dashboard.cli.chemins import chemin
from dashboard.domain.formatage import nombre, pourcentage
from dashboard.domain.vocabulaire import ECHELLES_DEMO, libelle_type
from dashboard.settings import Settings

if TYPE_CHECKING:
    from dashboard.demo.generateur import JeuDemo


def ajouter(sous) -> None:
    demo = sous.add_parser("demo", help="écrire le jeu de démonstration en fichiers d'import")
    demo.add_argument("--scale", choices=list(ECHELLES_DEMO), default="small")
    demo.add_argument("--seed", type=int, default=2019)
    demo.add_argument("--out", type=chemin, required=True, metavar="DOSSIER")
    demo.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    demo.set_defaults(executer=executer)


def resume(jeu: JeuDemo, lignes: dict[str, int]) -> list[str]:
    """The French summary printed after generation."""
    c = jeu.conventions
    sortie = [f"Jeu de démonstration « {jeu.scale} » (graine {jeu.seed}), données fictives au 31/12/2023 :"]
    for vague, groupe in c.groupby("vague"):
        detail = ", ".join(
            f"{nombre(n)} {libelle_type(t)}" for t, n in groupe["type"].value_counts().sort_index().items()
        )
        sortie.append(f"  vague {vague} : {nombre(len(groupe))} conventions ({detail})")
    sortie.append(f"  {nombre(c['siren'].nunique())} lauréats distincts")
    commandes = int((jeu.commandes["nb_carnets"] * jeu.commandes["taille"]).sum())
    distribues, utilises = int(jeu.distributions["nb_pass"].sum()), int(jeu.utilisations["nb_pass"].sum())
    sortie.append(
        f"  pass commandés : {nombre(commandes)} ; distribués : {nombre(distribues)} "
        f"({pourcentage(distribues / commandes)}) ; utilisés : {nombre(utilises)} "
        f"({pourcentage(utilises / distribues)} des distribués)"
    )
    sortie.append("  lignes écrites : " + " ; ".join(f"{k} {nombre(n)}" for k, n in lignes.items()))
    return sortie


def executer(args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.cli.progression import BarresProgression
    from dashboard.demo.generateur import ecrire_jeu, generer_jeu, lire_territoires

    with BarresProgression(active=not args.silencieux) as barres:
        jeu = generer_jeu(args.scale, args.seed, lire_territoires(settings.geo_dir), barres)
        chemins = ecrire_jeu(jeu, args.out, barres)
    lignes = {kind: _lignes(chemin) for kind, chemin in chemins.items()}
    print("\n".join(resume(jeu, lignes)))
    print(f"Fichiers écrits dans {args.out} : {', '.join(p.name for p in chemins.values())}")
    return 0


def _lignes(chemin) -> int:
    """Data lines of a written file (the header excluded)."""
    with open(chemin, "rb") as f:
        return sum(1 for _ in f) - 1
