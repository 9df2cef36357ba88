"""The reporting calendar (dashboard.domain.calendrier) read from the database: every laureate × month
owed, its status and the date its return was received, and a summary per laureate.

The large tables (distribution, utilisation) are read once per data version: the latest line of each
laureate × month × lot, by index seeks (never a scan of their lines), joined to the import journal. The
calendar of a reference date `au` is computed from that in memory, and memoised.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, literal, select, text, union_all

from dashboard.domain import calendrier as regles
from dashboard.domain.formatage import PARIS
from dashboard.domain.mois import indice_mois
from dashboard.store import metadonnees
from dashboard.store.donnees import programme, reference
from dashboard.store.memoire import memoiser
from dashboard.store.schema import (
    ActiviteMensuelle,
    Commande,
    Distribution,
    ImportLot,
    Porteur,
    Utilisation,
)

COLONNES_CALENDRIER = ["siren", "mois", "statut", "recu_le"]
COLONNES_SYNTHESE = [
    "siren",
    "mois_attendus",
    "mois_echus",
    "mois_recus",
    "mois_en_retard",
    "mois_manquants",
    "score",
    "dernier_mois_recu",
    "mois_sans_retour",
    "dernier_retour",
    "a_relancer",
    "manquants_recents",
]


def _lire_receptions(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, date | None]:
    """(receptions, orders, data date). receptions: siren, mois (its first day), lot, derniere_ligne (the
    latest line of the laureate that month in the lot), importe_le (Paris date), demo — one row per
    laureate × month × lot. orders: siren, date_commande, fin_validite."""
    with engine.connect() as connection:
        morceaux = [_dernieres_lignes(connection, table) for table in (Distribution, Utilisation)]
        lots = pd.read_sql(
            select(
                ImportLot.id.label("lot"), ImportLot.importe_le, ImportLot.demo, ImportLot.remplace_lot_id
            ),
            connection,
        )
        commandes = pd.read_sql(
            select(Commande.siren_porteur.label("siren"), Commande.date_commande, Commande.fin_validite),
            connection,
        )
        date_donnees = metadonnees.date_donnees(connection)
    lignes = pd.concat(morceaux, ignore_index=True)
    lignes["derniere_ligne"] = pd.to_datetime(lignes["derniere_ligne"])  # max() in compiled code
    lignes["mois"] = pd.to_datetime(lignes["mois"]).dt.date
    lignes = lignes.groupby(["siren", "mois", "lot"], as_index=False)["derniere_ligne"].max()
    lignes["derniere_ligne"] = lignes["derniere_ligne"].dt.date
    lignes = lignes[["siren", "lot", "derniere_ligne", "mois"]]
    lots["importe_le"] = _premieres_receptions(lots)
    lots["demo"] = lots["demo"].astype(bool)
    lots = lots.drop(columns="remplace_lot_id")
    receptions = lignes.merge(lots, on="lot", how="left")
    for colonne in ("date_commande", "fin_validite"):
        commandes[colonne] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in commandes[colonne]]
    return receptions, commandes, date_donnees


def _dernieres_lignes(connection: Connection, table) -> pd.DataFrame:
    """siren, mois, lot, derniere_ligne of one event table, by index seeks rather than a scan of its lines
    (ix_<table>_lot_porteur_date): the lots (a loose scan of the index), each lot × laureate's first and
    last line, the laureate's months between them (activite_mensuelle, exact: dashboard.ingest.agregats),
    and the latest line of each of those months in the lot (none: the lot has no line that month)."""
    lots, lot = [], connection.scalar(select(func.min(table.import_lot_id)))
    while lot is not None:
        lots.append(int(lot))
        lot = connection.scalar(select(func.min(table.import_lot_id)).where(table.import_lot_id > lot))
    if not lots:
        return pd.DataFrame(columns=["siren", "mois", "lot", "derniere_ligne"])
    numeros = union_all(*(select(literal(n).label("lot")) for n in lots)).subquery("lots")
    paires = select(numeros.c.lot, Porteur.siren).join(Porteur, literal(True)).subquery("paires")

    def extreme(fonction):
        return (
            select(fonction(table.date))
            .where(table.import_lot_id == paires.c.lot, table.siren_porteur == paires.c.siren)
            .scalar_subquery()
        )

    bornes = select(
        paires.c.lot, paires.c.siren, extreme(func.min).label("debut"), extreme(func.max).label("fin")
    ).subquery("bornes")
    mois = select(ActiviteMensuelle.siren_porteur, ActiviteMensuelle.mois).distinct().subquery("mois")
    suivant = _mois_suivant(connection, mois.c.mois)
    derniere = (
        select(func.max(table.date))
        .where(
            table.import_lot_id == bornes.c.lot,
            table.siren_porteur == bornes.c.siren,
            table.date >= mois.c.mois,
            table.date < suivant,
        )
        .scalar_subquery()
    )
    requete = select(bornes.c.siren, mois.c.mois, bornes.c.lot, derniere.label("derniere_ligne")).join(
        mois,
        and_(
            mois.c.siren_porteur == bornes.c.siren,
            mois.c.mois <= bornes.c.fin,
            suivant > bornes.c.debut,
        ),
    )
    lignes = pd.read_sql(requete, connection)
    return lignes[lignes["derniere_ligne"].notna()]


def _mois_suivant(connection: Connection, mois):
    """The first day of the next month (SQLite keeps dates as ISO text)."""
    if connection.dialect.name == "sqlite":
        return func.date(mois, "+1 month")
    return mois + text("INTERVAL '1 month'")


def _premieres_receptions(lots: pd.DataFrame) -> list[date | None]:
    """The Paris date each lot's content first came in: a replacement is the same file (same checksum)
    imported again, so its lines were received with the lot it replaces — and so on up the chain."""
    dates = {int(i): _date_paris(m) for i, m in zip(lots["lot"], lots["importe_le"], strict=True)}
    precedent = {
        int(i): int(r) for i, r in zip(lots["lot"], lots["remplace_lot_id"], strict=True) if pd.notna(r)
    }
    resultat = []
    for lot in lots["lot"]:
        vus, courant, premiere = set(), int(lot), dates[int(lot)]
        while courant in precedent and courant not in vus:  # a chain, never a loop; guarded all the same
            vus.add(courant)
            courant = precedent[courant]
            if dates.get(courant) is not None and (premiere is None or dates[courant] < premiere):
                premiere = dates[courant]
        resultat.append(premiere)
    return resultat


def _date_paris(moment) -> date | None:
    if moment is None or pd.isna(moment):
        return None
    horodatage = pd.Timestamp(moment)
    if horodatage.tzinfo is None:  # SQLite keeps no zone: the importer writes UTC
        horodatage = horodatage.tz_localize("UTC")
    return horodatage.tz_convert(PARIS).date()


def receptions(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame, date | None]:
    """Read once per data version. Shared, read-only."""
    return memoiser(engine, _lire_receptions, partage=True)


def date_reference(engine: Engine, au: date | None = None) -> date | None:
    """`au`, or the data date (None: no data)."""
    return au if au is not None else receptions(engine)[2]


def calendrier(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """siren, mois (first day), statut (dashboard.domain.calendrier.STATUTS), recu_le (date or None):
    one row per laureate × month owed, in order. `au`: the reference date (None: the data date, every
    import known counting); with a date, only the lines of its month or before and the imports received
    by then count. Memoised."""
    return memoiser(engine, _calendrier, au)


def _calendrier(engine: Engine, au: date | None) -> pd.DataFrame:
    lignes, commandes, date_donnees = receptions(engine)
    reference = au if au is not None else date_donnees
    if reference is None:
        return pd.DataFrame(columns=COLONNES_CALENDRIER)
    lignes = lignes[[indice_mois(m) <= indice_mois(reference) for m in lignes["mois"]]]
    recu_le = [
        regles.reception_demo(s, m, d) if demo else importe
        for s, m, d, importe, demo in zip(
            lignes["siren"],
            lignes["mois"],
            lignes["derniere_ligne"],
            lignes["importe_le"],
            lignes["demo"],
            strict=True,
        )
    ]
    lignes = lignes.assign(recu_le=recu_le)
    if au is not None:
        lignes = lignes[[r is not None and r <= au for r in lignes["recu_le"]]]
    premiers = lignes.groupby(["siren", "mois"])["recu_le"].min().to_dict()
    commandes = commandes[[d <= reference for d in commandes["date_commande"]]]
    resultat = []
    for siren, groupe in commandes.groupby("siren"):
        fins = groupe["fin_validite"]
        fin = None if fins.isna().any() else max(fins)
        for mois in regles.mois_attendus(min(groupe["date_commande"]), fin, reference):
            recu = premiers.get((siren, mois))
            resultat.append((siren, mois, regles.statut(mois, recu, reference), recu))
    return pd.DataFrame(resultat, columns=COLONNES_CALENDRIER)


def synthese(engine: Engine, au: date | None = None) -> pd.DataFrame:
    """One row per laureate owing returns (COLONNES_SYNTHESE): months owed, past their deadline,
    received on time, late, missing, the completeness score (0–1, NaN without a month past due), the
    latest month received, `mois_sans_retour` (missing months in a row at the end), `dernier_retour`
    (the date the latest return was received), whether to chase it up (`a_relancer`) and its missing
    months among the latest ones (`manquants_recents`, a tuple of dates). Memoised."""
    return memoiser(engine, _synthese, au)


def _synthese(engine: Engine, au: date | None) -> pd.DataFrame:
    reference = date_reference(engine, au)
    table = calendrier(engine, au)
    lignes = []
    for siren, groupe in table.groupby("siren", sort=True):
        s = regles.synthese(list(groupe["mois"]), list(groupe["statut"]), reference)
        recus = [r for r in groupe["recu_le"] if r is not None and not pd.isna(r)]
        lignes.append(
            (
                siren,
                s.mois_attendus,
                s.mois_echus,
                s.mois_recus,
                s.mois_en_retard,
                s.mois_manquants,
                float("nan") if s.score is None else s.score,
                s.dernier_mois_recu,
                s.mois_sans_retour,
                max(recus) if recus else None,
                s.a_relancer,
                s.manquants_recents,
            )
        )
    return pd.DataFrame(lignes, columns=COLONNES_SYNTHESE)


def laureats(engine: Engine) -> pd.DataFrame:
    """Every laureate, indexed by siren: nom, type (code), vagues and regions (frozensets of its waves
    and of the régions its perimeter touches), for the calendar's filters. Shared, read-only."""
    return memoiser(engine, _lire_laureats, partage=True)


def _lire_laureats(engine: Engine) -> pd.DataFrame:
    conventions = programme(engine).conventions
    _, perimetre = reference(engine)
    regions = (
        perimetre[["siren", "code_region"]]
        .astype(str)
        .drop_duplicates()
        .groupby("siren")["code_region"]
        .agg(frozenset)
    )
    table = conventions.groupby("siren").agg(
        nom=("nom", "first"), type=("type", "first"), vagues=("vague", lambda v: frozenset(int(x) for x in v))
    )
    table["regions"] = [regions.get(s, frozenset()) for s in table.index]
    return table
