"""Server time and response size of the national view's filter change (ARCHITECTURE.md budget: p95 ≤ 80
ms for map + KPIs + table, map recolouring ≤ 30 KB), through the real WSGI endpoint
`/_dash-update-component`, as the browser calls it: the view's callback (carrying the drawn map's
signature, so that an unchanged structure gets a Patch of values) then the table's first block.

    python bench/rappel_filtres.py --base sqlite:////tmp/passnum-national.sqlite [--tours 80]

The database must hold the national demo (`PASSNUM_DATABASE_URL=… passnum init --demo national`).
Every filter state is new to the memo (cold path), except that the two indicators of a view share
their table. Public tools only (the standard library's timers); medians and p95 are printed, never
asserted.
"""

from __future__ import annotations

import itertools
import json
import statistics
import time

from commun import application, arguments, centile, client_connecte

from dashboard.components.filtres import CONTROLES, valeurs_controles
from dashboard.domain.etat import lire_query


def _cle(app, sortie: str) -> str:
    return next(k for k in app.callback_map if sortie in k)


def _requete(app, cle: str, valeurs: dict, changement: str) -> dict:
    """The body the browser posts for callback `cle`, inputs and states taken from `valeurs`."""
    rappel = app.callback_map[cle]

    def avec_valeur(e):
        return {**e, "value": valeurs.get(f"{e['id']}.{e['property']}")}

    sorties = [dict(zip(("id", "property"), o.split("."), strict=True)) for o in cle.strip(".").split("...")]
    return {
        "output": cle,
        "outputs": sorties if cle.startswith("..") else sorties[0],
        "inputs": [avec_valeur(e) for e in rappel["inputs"]],
        "state": [avec_valeur(s) for s in rappel["state"]],
        "changedPropIds": [changement],
    }


def etats() -> list[str]:
    """Distinct, realistic filter changes at the three levels and in both views: a user keeps a view and
    an indicator and changes the filters one after the other."""
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
        "subvention=10000-500000",
        "taux=0.2-0.8",
        "periode=2021-01..2022-12",
        "distribues=0-50000",
        "region=76",
        "region=84&vague=2019",
    ]
    indicateurs = ["taux_utilisation", "pass_distribues"]
    return [f"?{v}&{f}&indicateur={i}" for v, i, f in itertools.product(vues, indicateurs, filtres)]


def mesurer(app, queries: list[str]) -> tuple[float, list[dict]]:
    """(first callback after start-up in ms, one measure per filter state: query, vue_ms, bloc_ms,
    total_ms, vue_cpu_ms and total_cpu_ms (the process's processor time), reponse (bytes of the view's
    response), carte (bytes of the map output), patch (bool))."""
    client = client_connecte(app)
    client.get("/")  # first request: the server registers the pages' callbacks
    cle_vue, cle_lignes = _cle(app, "carte.figure"), _cle(app, "tableau.getRowsResponse")
    # The first view after start-up (the data were read before it, as `passnum serve` does).
    debut = time.perf_counter()
    client.post("/_dash-update-component", json=_requete(app, cle_vue, _valeurs("?"), "filtre-vague.value"))
    premiere = (time.perf_counter() - debut) * 1000
    etat_client: dict = {}
    mesures = []
    for query in queries:
        valeurs = {**_valeurs(query), **etat_client}
        cpu = time.process_time()
        debut = time.perf_counter()
        reponse = client.post(
            "/_dash-update-component", json=_requete(app, cle_vue, valeurs, "filtre-vague.value")
        )
        milieu, cpu_milieu = time.perf_counter(), time.process_time()
        assert reponse.status_code == 200, reponse.get_data(as_text=True)[:500]
        sortie = json.loads(reponse.get_data())["response"]
        etat_client["carte-signature.data"] = sortie["carte-signature"]["data"]
        etat_client["national-query.data"] = sortie["national-query"]["data"]
        demande = {"startRow": 0, "endRow": 100, "sortModel": [], "filterModel": {}}
        bloc = client.post(
            "/_dash-update-component",
            json=_requete(
                app,
                cle_lignes,
                {**etat_client, "tableau.getRowsRequest": demande},
                "tableau.getRowsRequest",
            ),
        )
        fin, cpu_fin = time.perf_counter(), time.process_time()
        assert bloc.status_code == 200, bloc.get_data(as_text=True)[:500]
        # Bytes as Dash sends them (UTF-8, compact).
        carte = json.dumps(sortie["carte"]["figure"], separators=(",", ":"), ensure_ascii=False)
        mesures.append(
            {
                "query": query,
                "vue_ms": (milieu - debut) * 1000,
                "bloc_ms": (fin - milieu) * 1000,
                "total_ms": (fin - debut) * 1000,
                "vue_cpu_ms": (cpu_milieu - cpu) * 1000,
                "total_cpu_ms": (cpu_fin - cpu) * 1000,
                "reponse": len(reponse.get_data()),
                "carte": len(carte.encode()),
                "patch": '"__dash_patch_update"' in carte,
            }
        )
    return premiere, mesures


def main() -> None:
    args = arguments(__doc__.splitlines()[0], tours=80)
    app = application(args.base)
    premiere, mesures = mesurer(app, etats()[: args.tours])
    print(f"{len(mesures)} changements de filtres, base {args.base.split(':')[0]}")
    print(f"lecture des données au démarrage (référence, lauréats, agrégats) : {app.prechauffage_s:.1f} s")
    print(f"premier rappel après le démarrage : {premiere:.0f} ms")
    for nom, cle in (
        ("carte + KPI + graphiques + phrase", "vue_ms"),
        ("premier bloc du tableau (100 lignes)", "bloc_ms"),
        ("total (carte + KPI + tableau)", "total_ms"),
        # Processor time of this process: what the server computes, less sensitive than the elapsed
        # time to the other processes of a shared machine.
        ("temps processeur, carte + KPI + graphiques + phrase", "vue_cpu_ms"),
        ("temps processeur, total", "total_cpu_ms"),
    ):
        durees = [m[cle] for m in mesures]
        print(
            f"{nom} : médiane {statistics.median(durees):.0f} ms, p95 {centile(durees, 95):.0f} ms, "
            f"max {max(durees):.0f} ms"
        )
    reponses = [m["reponse"] for m in mesures]
    print(
        f"réponse de la vue : médiane {statistics.median(reponses) / 1024:.1f} Ko, "
        f"max {max(reponses) / 1024:.1f} Ko"
    )
    for nom, patch in (
        ("carte recolorée (Patch", True),
        ("carte redessinée (autre niveau, région ou indicateur", False),
    ):
        tailles = [m["carte"] for m in mesures if m["patch"] is patch]
        if tailles:
            print(
                f"{nom}, {len(tailles)} fois) : médiane {statistics.median(tailles) / 1024:.1f} Ko, "
                f"max {max(tailles) / 1024:.1f} Ko"
            )


def _valeurs(query: str) -> dict:
    controles = valeurs_controles(lire_query(query))
    return {
        **{f"filtre-{n}.value": controles[n] for n in CONTROLES},
        "chronologie-mode.value": "mensuel",
        "national-bornes.data": [],
    }


if __name__ == "__main__":
    main()
