"""Server time and response size of the national view's filter-change callback (ARCHITECTURE.md budget:
p95 ≤ 80 ms, map recolouring ≤ 30 KB), through the real WSGI endpoint `/_dash-update-component`.

    python bench/rappel_filtres.py --base sqlite:////tmp/passnum-national.sqlite [--tours 40]

The database must hold the national demo (`PASSNUM_DATABASE_URL=… passnum init --demo national`).
Each request uses a filter state not seen before, so the memo never answers: this is the cold path.
Public tools only (the standard library's timers); medians and p95 are printed, never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from pathlib import Path
from tempfile import mkdtemp

from dashboard import create_app
from dashboard.components.filtres import CONTROLES, valeurs_controles
from dashboard.domain.etat import lire_query
from dashboard.settings import ROOT, Settings


def _cle_rappel(app) -> str:
    return next(k for k in app.callback_map if "carte.figure" in k)


def _requete(app, cle: str, controles: dict, mode: str = "mensuel") -> dict:
    rappel = app.callback_map[cle]
    valeurs = {**{f"filtre-{n}": controles[n] for n in CONTROLES}, "chronologie-mode": mode}
    entrees = [{**e, "value": valeurs[e["id"]]} for e in rappel["inputs"]]
    etats = [{**s, "value": []} for s in rappel["state"]]
    return {
        "output": cle,
        "outputs": rappel["output"],
        "inputs": entrees,
        "state": etats,
        "changedPropIds": ["filtre-vague.value"],
    }


def _outputs(cle: str) -> list[dict]:
    return [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in cle.strip(".").split("...")]


def etats() -> list[str]:
    """Distinct, realistic filter changes at the three levels and in both views."""
    vues = [
        "vue=porteurs",
        "vue=territoires&niveau=region",
        "vue=territoires&niveau=departement",
        "vue=territoires&niveau=epci",
    ]
    filtres = [
        "",
        "vague=2019",
        "vague=2020",
        "type=CD,EPCI",
        "region=76",
        "region=84&vague=2019",
        "subvention=10000-500000",
        "taux=0.2-0.8",
        "periode=2021-01..2022-12",
        "distribues=0-50000",
    ]
    indicateurs = ["taux_utilisation", "pass_distribues"]
    return [f"?{v}&{f}&indicateur={i}" for v, f, i in itertools.product(vues, filtres, indicateurs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="URL SQLAlchemy d'une base avec la démo nationale")
    parser.add_argument("--tours", type=int, default=40)
    args = parser.parse_args()
    dossier = Path(mkdtemp(prefix="passnum-bench-"))
    (dossier / "geo").symlink_to(ROOT / "data" / "geo")
    app = create_app(Settings(database_url=args.base, data_dir=dossier, secret_key="bench"))
    client = app.server.test_client()
    client.get("/")  # first request: the server registers the pages' callbacks
    cle = _cle_rappel(app)
    durees, tailles, tailles_carte = [], [], []
    for query in etats()[: args.tours]:
        controles = valeurs_controles(lire_query(query))
        corps = _requete(app, cle, controles)
        corps["outputs"] = _outputs(cle)
        debut = time.perf_counter()
        reponse = client.post("/_dash-update-component", json=corps)
        durees.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200, reponse.get_data(as_text=True)[:500]
        tailles.append(len(reponse.get_data()))
        carte = json.loads(reponse.get_data())["response"]["carte"]["figure"]
        tailles_carte.append(len(json.dumps(carte, separators=(",", ":"))))
    p95 = statistics.quantiles(durees, n=20)[-1]
    print(f"{len(durees)} changements de filtres, base {args.base.split(':')[0]}")
    print(
        f"temps serveur : médiane {statistics.median(durees):.0f} ms, p95 {p95:.0f} ms, "
        f"max {max(durees):.0f} ms"
    )
    print(
        f"réponse entière : médiane {statistics.median(tailles) / 1024:.1f} Ko, "
        f"max {max(tailles) / 1024:.1f} Ko"
    )
    print(
        f"figure de la carte : médiane {statistics.median(tailles_carte) / 1024:.1f} Ko, "
        f"max {max(tailles_carte) / 1024:.1f} Ko"
    )


if __name__ == "__main__":
    main()
