"""« Depuis le dernier comité » and « Notes du comité »: the key figures at the committee are those of
the period up to its month (checked against the database's own rows), the difference, the thresholds
crossed, the notes since, the points of vigilance when a module provides them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from dashboard.domain.deck import lire_deck
from dashboard.domain.filtres import Filtres, Periode
from dashboard.domain.formatage import nombre
from dashboard.domain.indicateurs import indicateur, totaliser
from dashboard.store.db import make_engine
from dashboard.store.geometries import Geometries
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.vigilance import nouveaux_points
from dashboard.vues import comite
from dashboard.vues.presentation import presentation


def _sources(base_demo):
    engine = make_engine(base_demo.resolved_database_url)
    return SimpleNamespace(engine=engine, geometries=Geometries(base_demo.geo_dir))


def _somme(engine, table: str, avant: date | None) -> int:
    condition = "" if avant is None else f" WHERE date < '{avant.isoformat()}'"
    with engine.connect() as connexion:
        return int(
            connexion.execute(text(f"SELECT COALESCE(SUM(nb_pass), 0) FROM {table}{condition}")).scalar()
        )


def test_com010_diapo_depuis_le_dernier_comite_chiffres_de_la_periode(base_demo):
    sources = _sources(base_demo)
    vue = presentation(sources, lire_deck({"comite": "dernier"}), vigilance=lambda e, d: [("Finistère", "x")])
    depuis, notes = vue.diapos[0], vue.diapos[1]
    assert vue.deck.courante == 1
    # The demo's last committee: 21/11/2023 (dashboard.demo.chargement.COMITES_DEMO).
    assert depuis.titre == "Depuis le dernier comité (21/11/2023)"
    assert depuis.selection.endswith("Au comité : les mois jusqu'à 11/2023 inclus.")
    ecarts = {e.id: e for e in depuis.ecarts}
    # Counted from the rows themselves: every redemption up to 30/11/2023, and all of them.
    au_comite = _somme(sources.engine, "utilisation", date(2023, 12, 1))
    maintenant = _somme(sources.engine, "utilisation", None)
    assert ecarts["pass_utilises"].au_comite == nombre(au_comite)
    assert ecarts["pass_utilises"].maintenant == nombre(maintenant)
    difference = maintenant - au_comite
    assert ecarts["pass_utilises"].ecart == (f"+{nombre(difference)}" if difference else "stable")
    # The very same calculation as the store's, on the period ..2023-11.
    periode = table_indicateurs(
        sources.engine, "porteur", "porteurs", Filtres(periode=Periode(None, date(2023, 11, 1)))
    )
    totaux = totaliser(periode)
    for identifiant, e in ecarts.items():
        assert e.au_comite == indicateur(identifiant).formater(totaux[identifiant])
    titres = [titre for titre, _ in depuis.listes]
    assert titres == [
        "Seuils franchis (taux d'utilisation : 40 %, 70 %)",
        "Notes ajoutées depuis",
        "Nouveaux points de vigilance",
    ]
    lignes = dict(depuis.listes)
    assert any(ligne.startswith("05/12/2023 · ") for ligne in lignes["Notes ajoutées depuis"])
    assert not any(ligne.startswith("21/11/2023") for ligne in lignes["Notes ajoutées depuis"])
    assert lignes["Nouveaux points de vigilance"] == ("Finistère · x",)
    assert notes.titre == "Notes du comité du 21/11/2023"
    ((_titre, du_comite),) = notes.listes
    assert du_comite[0].startswith("05/12/2023 · ")
    assert {ligne[:10] for ligne in du_comite} == {"05/12/2023", "21/11/2023"}
    assert any("National : Décision : recenser les pass non utilisés" in ligne for ligne in du_comite)


def test_com011_comite_date_et_vigilance_absente(base_demo):
    sources = _sources(base_demo)
    vue = presentation(sources, lire_deck({"comite": "2023-10-17", "diapos": "comite"}))
    (diapo,) = vue.diapos[:1]
    assert diapo.titre == "Depuis le dernier comité (17/10/2023)"
    notes_depuis = dict(diapo.listes)["Notes ajoutées depuis"]
    assert {ligne[:10] for ligne in notes_depuis} == {"21/11/2023", "05/12/2023"}
    # The new points of vigilance: those of now absent from the points of 17/10/2023, in words.
    nouveaux = tuple(p["texte"] for p in nouveaux_points(sources.engine, date(2023, 10, 17)))
    affiches = dict(diapo.listes)["Nouveaux points de vigilance"]
    assert affiches == (comite.abreger(nouveaux) if nouveaux else ("Aucun.",))
    assert all(" — " in ligne for ligne in nouveaux)


def _table(taux: list[float | None], incoherentes: list[bool] | None = None) -> pd.DataFrame:
    n = len(taux)
    return pd.DataFrame(
        {
            "code": [f"c{i}" for i in range(n)],
            "nom": [f"Lauréat {i}" for i in range(n)],
            "taux_utilisation": taux,
            "donnees_incoherentes": incoherentes or [False] * n,
        }
    )


def test_com012_seuils_franchis_et_ecarts():
    alors = _table([0.385, 0.5, 0.72, 0.39, 0.1, None], [False, False, False, True, False, False])
    maintenant = _table([0.412, 0.69, 0.68, 0.45, 0.4, 0.5])
    assert comite.seuils_franchis(alors, maintenant) == (
        "Lauréat 0 : 38,5 % → 41,2 % (passé au-dessus de 40 %)",
        "Lauréat 2 : 72,0 % → 68,0 % (passé sous 70 %)",
        "Lauréat 4 : 10,0 % → 40,0 % (passé au-dessus de 40 %)",  # 40 % is in the 40–70 % class
    )
    taux, pass_ = indicateur("taux_utilisation"), indicateur("pass_utilises")
    assert comite.ecart_texte(taux, 0.385, 0.412) == "+2,7 points"
    assert comite.ecart_texte(taux, 0.5, 0.49) == "−1,0 point"
    assert comite.ecart_texte(taux, 0.5, 0.5) == "stable"
    assert comite.ecart_texte(pass_, 795570, 798012) == "+2\u202f442"
    assert comite.ecart_texte(pass_, 10, None) == "—"
    assert comite.abreger(tuple("abcdefghij"), 8)[-1] == "… et 2 autres"


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=30))
def test_com013_un_lauréat_est_cite_ssi_sa_classe_change(paires):
    alors = _table([a for a, _ in paires])
    maintenant = _table([m for _, m in paires])
    cites = {p.split(" : ")[0] for p in comite.seuils_franchis(alors, maintenant)}
    attendus = {
        f"Lauréat {i}"
        for i, (a, m) in enumerate(paires)
        if comite.classe(a, (0.4, 0.7)) != comite.classe(m, (0.4, 0.7))
    }
    assert cites == attendus
