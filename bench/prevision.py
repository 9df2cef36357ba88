"""Back-test of the forecasts (dashboard.store.prevision): hide the last months, forecast them, compare.

On a database (default: the national demo, data at 31/12/2023), the data are cut at `au` (default
30/06/2023, the public `au` argument of the store); the 6 months after are forecast — passes handed out
and redeemed per month, nationally and per laureate — and compared with what happened: mean absolute
error (MAE), weighted mean absolute percentage error (Σ|erreur| ÷ Σ réalité), against the naive forecast
"like the last month", and the share of the real values inside the 80 % interval (coverage).

    python bench/prevision.py [--base sqlite:////tmp/national.sqlite] [--au 2023-06-30] [--mois 6]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, create_engine

from dashboard.domain.mois import indice_mois
from dashboard.store.donnees import agregats
from dashboard.store.prevision import previsions, projection_mensuelle

FLUX = (("distribues", "pass_distribues"), ("utilises", "pass_utilises"))
LIBELLES = {"distribues": "distribués", "utilises": "utilisés"}


@dataclass(frozen=True)
class Erreurs:
    """One flow at one scale: the forecast's and the naive forecast's MAE and weighted MAPE, and the
    coverage of the 80 % interval (share of the real values inside it)."""

    echelle: str
    flux: str
    mae: float
    mape: float
    mae_naive: float
    mape_naive: float
    couverture: float
    points: int


def _reel(engine: Engine, au: int, nb_mois: int) -> pd.DataFrame:
    """siren, mois_indice, pass_distribues, pass_utilises for months up to au + nb_mois."""
    activite, _ = agregats(engine)
    lignes = activite[activite["mois_indice"] <= au + nb_mois]
    return (
        lignes.groupby([lignes["siren_porteur"].astype(str), "mois_indice"])[[c for _, c in FLUX]]
        .sum()
        .reset_index()
        .rename(columns={"siren_porteur": "siren"})
    )


def _mesurer(echelle, flux, prevu, bas, haut, naif, reel) -> Erreurs:
    total = np.abs(reel).sum()
    return Erreurs(
        echelle,
        flux,
        float(np.abs(prevu - reel).mean()),
        float(np.abs(prevu - reel).sum() / total) if total else float("nan"),
        float(np.abs(naif - reel).mean()),
        float(np.abs(naif - reel).sum() / total) if total else float("nan"),
        float(((reel >= bas - 0.5) & (reel <= haut + 0.5)).mean()),
        len(reel),
    )


def backtester(engine: Engine, au: date, nb_mois: int = 6) -> list[Erreurs]:
    """The errors of the forecast made at `au` for the `nb_mois` months after, nationally and per
    laureate (every laureate-month pooled)."""
    m = indice_mois(au)
    reel = _reel(engine, m, nb_mois)
    sirens = list(previsions(engine, au).sirens)
    futurs = list(range(m + 1, m + nb_mois + 1))
    resultats = []
    # National.
    projection = projection_mensuelle(engine, sirens, au).head(nb_mois)
    national = reel.groupby("mois_indice")[["pass_distribues", "pass_utilises"]].sum()
    national = national.reindex(range(int(national.index.min()), m + nb_mois + 1), fill_value=0)
    for nom, colonne in FLUX:
        vrai = national.loc[futurs, colonne].to_numpy(dtype=float)
        naif = np.full(nb_mois, float(national.loc[m, colonne]))
        resultats.append(
            _mesurer(
                "national",
                nom,
                projection[f"{nom}_prevus"].to_numpy(),
                projection[f"{nom}_bas"].to_numpy(),
                projection[f"{nom}_haut"].to_numpy(),
                naif,
                vrai,
            )
        )
    # Per laureate, pooled.
    cumul = {nom: {k: [] for k in ("prevu", "bas", "haut", "naif", "reel")} for nom, _ in FLUX}
    par_siren = dict(tuple(reel.groupby("siren")))
    for siren in sirens:
        projection = projection_mensuelle(engine, [siren], au).head(nb_mois)
        serie = par_siren.get(siren)
        serie = (
            serie.set_index("mois_indice")[["pass_distribues", "pass_utilises"]]
            if serie is not None
            else pd.DataFrame(columns=["pass_distribues", "pass_utilises"], dtype=float)
        )
        serie = serie.reindex(range(m, m + nb_mois + 1), fill_value=0)
        for nom, colonne in FLUX:
            c = cumul[nom]
            c["prevu"].append(projection[f"{nom}_prevus"].to_numpy())
            c["bas"].append(projection[f"{nom}_bas"].to_numpy())
            c["haut"].append(projection[f"{nom}_haut"].to_numpy())
            c["naif"].append(np.full(nb_mois, float(serie.loc[m, colonne])))
            c["reel"].append(serie.loc[futurs, colonne].to_numpy(dtype=float))
    for nom, _ in FLUX:
        c = {k: np.concatenate(v) for k, v in cumul[nom].items()}
        resultats.append(_mesurer("par lauréat", nom, c["prevu"], c["bas"], c["haut"], c["naif"], c["reel"]))
    return resultats


def tableau(resultats: list[Erreurs]) -> str:
    """The results as a Markdown table, French numbers."""
    from dashboard.domain.formatage import nombre, pourcentage

    lignes = [
        "| échelle | flux | points | MAE prévision | MAE naïve | MAPE pondérée prévision "
        "| MAPE pondérée naïve | couverture 80 % |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for r in resultats:
        lignes.append(
            f"| {r.echelle} | pass {LIBELLES[r.flux]} | {r.points} | {nombre(r.mae)} | {nombre(r.mae_naive)} "
            f"| {pourcentage(r.mape)} | {pourcentage(r.mape_naive)} | {pourcentage(r.couverture, 0)} |"
        )
    return "\n".join(lignes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="sqlite:////tmp/national.sqlite")
    parser.add_argument("--au", default="2023-06-30")
    parser.add_argument("--mois", type=int, default=6)
    parser.add_argument("--ecrire", action="store_true", help="écrire la section de bench/BENCHMARKS.md")
    args = parser.parse_args(argv)
    engine = create_engine(args.base)
    au = date.fromisoformat(args.au)
    resultats = backtester(engine, au, args.mois)
    print(tableau(resultats))
    if args.ecrire:
        ecrire_section(resultats, au, args.mois)
    return 0


SECTION = "## Prévisions : back-test"
CHEMIN = Path(__file__).resolve().parent / "BENCHMARKS.md"


def ecrire_section(resultats: list[Erreurs], au: date, nb_mois: int, chemin: Path = CHEMIN) -> None:
    """Replace (or add) the section of the back-test at the end of BENCHMARKS.md."""
    from dashboard.domain.formatage import date_courte

    texte = chemin.read_text(encoding="utf-8") if chemin.exists() else ""
    if SECTION in texte:
        texte = texte[: texte.index(SECTION)].rstrip("\n") + "\n"
    section = [
        "",
        SECTION,
        "",
        f"`python bench/prevision.py --ecrire` : démonstration nationale coupée au {date_courte(au)}, les "
        f"{nb_mois} mois suivants prévus (dashboard.store.prevision, argument `au`) puis comparés à la "
        "réalité ; « naïve » = chaque mois prévu comme le dernier observé. MAE : erreur absolue moyenne "
        "par mois (par lauréat : par lauréat et par mois) ; MAPE pondérée : Σ |erreur| ÷ Σ réalité ; "
        "couverture : part des valeurs réelles dans l'intervalle à 80 %.",
        "",
        tableau(resultats),
        "",
    ]
    chemin.write_text(texte + "\n".join(section), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
