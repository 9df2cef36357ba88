"""Monthly aggregates, kept exact by each import in its own transaction (no interaction scans raw events).

An appending import adds its own file's monthly sums (computed in pandas from the rows it is loading) to
the aggregate rows of the porteurs it touched: re-reading a million raw events through SQL GROUP BY
took most of the import budget. `recalculer_*` rebuild the rows of given porteurs from the raw tables
(INSERT … SELECT … GROUP BY): used by --remplacer, where rows also disappear, and by the tests as the
reference the incremental sums must equal.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
from sqlalchemy import (
    Connection,
    Date,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    select,
    union_all,
)

from dashboard.domain.formatage import nombre
from dashboard.domain.progression import Progression
from dashboard.domain.vocabulaire import CLE_DATE_DONNEES
from dashboard.ingest.ecriture import inserer_en_masse
from dashboard.ingest.rapport import Anomalie
from dashboard.ingest.schemas import STRUCTURES
from dashboard.store import metadonnees
from dashboard.store.schema import (
    ActiviteMensuelle,
    ActiviteSansSiretMensuelle,
    ActiviteStructureMensuelle,
    Commande,
    CommandeMensuelle,
    Distribution,
    Porteur,
    Utilisation,
)


def _mois(connection: Connection, colonne):
    """First day of the month, as a Date on both engines (SQLite stores dates as ISO text)."""
    if connection.dialect.name == "sqlite":
        return func.date(colonne, "start of month")
    return cast(func.date_trunc("month", colonne), Date)


def _parmi(colonne):
    return colonne.in_(bindparam("sirens", expanding=True))


REMBOURSEMENT = ("pass_non_rembourses", "pass_rembourses")


def _sommes_remboursement(table) -> list:
    """Σ passes not paid back, Σ passes paid back (the lines whose `rembourse` is unknown in neither);
    zeros for the distributions, which are never paid back to anyone."""
    if table is not Utilisation:
        return [literal(0), literal(0)]
    return [
        func.sum(case((table.rembourse.is_(False), table.nb_pass), else_=0)),
        func.sum(case((table.rembourse.is_(True), table.nb_pass), else_=0)),
    ]


def recalculer_commandes(connection: Connection, sirens: Collection[str]) -> None:
    connection.execute(
        delete(CommandeMensuelle).where(_parmi(CommandeMensuelle.siren_porteur)), {"sirens": list(sirens)}
    )
    mois = _mois(connection, Commande.date_commande)
    pass_commandes = Commande.nb_carnets * Commande.pass_par_carnet
    requete = (
        select(
            Commande.siren_porteur,
            mois,
            func.sum(pass_commandes),
            func.sum(pass_commandes * Commande.valeur_faciale_eur),
        )
        .where(_parmi(Commande.siren_porteur))
        .group_by(Commande.siren_porteur, mois)
    )
    connection.execute(
        CommandeMensuelle.__table__.insert().from_select(
            ["siren_porteur", "mois", "pass_commandes", "montant_eur"], requete
        ),
        {"sirens": list(sirens)},
    )


def recalculer_activite(connection: Connection, sirens: Collection[str]) -> None:
    """activite_mensuelle from both event tables (a row holds distributed and redeemed passes)."""
    parametres = {"sirens": list(sirens)}
    connection.execute(delete(ActiviteMensuelle).where(_parmi(ActiviteMensuelle.siren_porteur)), parametres)
    morceaux = []
    for table, est_distribution in ((Distribution, True), (Utilisation, False)):
        mois = _mois(connection, table.date)
        somme = func.sum(table.nb_pass)
        zero = literal(0)
        morceaux.append(
            select(
                table.siren_porteur.label("siren_porteur"),
                table.code_commune.label("code_commune"),
                mois.label("mois"),
                (somme if est_distribution else zero).label("distribues"),
                (zero if est_distribution else somme).label("utilises"),
                *(
                    valeur.label(nom)
                    for nom, valeur in zip(REMBOURSEMENT, _sommes_remboursement(table), strict=True)
                ),
            )
            .where(_parmi(table.siren_porteur))
            .group_by(table.siren_porteur, table.code_commune, mois)
        )
    union = union_all(*morceaux).subquery()
    requete = select(
        union.c.siren_porteur,
        union.c.code_commune,
        union.c.mois,
        func.sum(union.c.distribues),
        func.sum(union.c.utilises),
        *(func.sum(union.c[nom]) for nom in REMBOURSEMENT),
    ).group_by(union.c.siren_porteur, union.c.code_commune, union.c.mois)
    connection.execute(
        ActiviteMensuelle.__table__.insert().from_select(
            ["siren_porteur", "code_commune", "mois", "pass_distribues", "pass_utilises", *REMBOURSEMENT],
            requete,
        ),
        parametres,
    )


def recalculer_structures(connection: Connection, sirens: Collection[str], table, role: str) -> None:
    """activite_structure_mensuelle and activite_sans_siret_mensuelle for one role. A structure may serve
    several communes in a month: the row carries the smallest code, deterministic on both engines."""
    parametres = {"sirens": list(sirens)}
    siret = table.siret_structure if table is Distribution else table.siret_lieu
    _recalculer_sans_siret(connection, parametres, table, role)
    connection.execute(
        delete(ActiviteStructureMensuelle).where(
            _parmi(ActiviteStructureMensuelle.siren_porteur), ActiviteStructureMensuelle.role == role
        ),
        parametres,
    )
    mois = _mois(connection, table.date)
    requete = (
        select(
            table.siren_porteur,
            siret,
            literal(role),
            mois,
            func.min(table.code_commune),
            func.sum(table.nb_pass),
            *_sommes_remboursement(table),
        )
        .where(_parmi(table.siren_porteur), siret.is_not(None))
        .group_by(table.siren_porteur, siret, mois)
    )
    connection.execute(
        ActiviteStructureMensuelle.__table__.insert().from_select(
            ["siren_porteur", "siret", "role", "mois", "code_commune", "nb_pass", *REMBOURSEMENT], requete
        ),
        parametres,
    )


def _recalculer_sans_siret(connection: Connection, parametres: dict, table, role: str) -> None:
    """The lines without SIRET, per month, commune and the name they give (NULLs group together)."""
    siret, nom = (
        (table.siret_structure, table.nom_structure)
        if table is Distribution
        else (table.siret_lieu, table.nom_lieu)
    )
    modele = ActiviteSansSiretMensuelle
    connection.execute(delete(modele).where(_parmi(modele.siren_porteur), modele.role == role), parametres)
    mois = _mois(connection, table.date)
    requete = (
        select(
            table.siren_porteur,
            literal(role),
            mois,
            table.code_commune,
            nom,
            func.sum(table.nb_pass),
            *_sommes_remboursement(table),
        )
        .where(_parmi(table.siren_porteur), siret.is_(None))
        .group_by(table.siren_porteur, mois, table.code_commune, nom)
    )
    connection.execute(
        modele.__table__.insert().from_select(
            ["siren_porteur", "role", "mois", "code_commune", "nom", "nb_pass", *REMBOURSEMENT], requete
        ),
        parametres,
    )


def ajouter_commandes(connection: Connection, lignes: pd.DataFrame, avancer: Progression) -> None:
    passes = lignes["nb_carnets"].astype("int64") * lignes["pass_par_carnet"].astype("int64")
    contribution = pd.DataFrame(
        {
            "siren_porteur": lignes["siren_porteur"],
            "mois": _mois_iso(lignes["date_commande"]),
            "pass_commandes": passes,
            "montant_eur": passes * lignes["valeur_faciale_eur"],
        }
    )
    _fusionner(connection, CommandeMensuelle, ["siren_porteur", "mois"], contribution, avancer)


def ajouter_activite(connection: Connection, kind: str, lignes: pd.DataFrame, avancer: Progression) -> None:
    """activite_mensuelle, activite_structure_mensuelle and activite_sans_siret_mensuelle += the monthly
    sums of an event file."""
    mois = _mois_iso(lignes["date"])
    distribue = kind == "distributions"
    zero = pd.Series(0, index=lignes.index, dtype="int64")
    remboursement = _remboursement(lignes, zero)
    contribution = pd.DataFrame(
        {
            "siren_porteur": lignes["siren_porteur"],
            "code_commune": lignes["code_commune"],
            "mois": mois,
            "pass_distribues": lignes["nb_pass"] if distribue else zero,
            "pass_utilises": zero if distribue else lignes["nb_pass"],
            **remboursement,
        }
    )
    _fusionner(
        connection, ActiviteMensuelle, ["siren_porteur", "code_commune", "mois"], contribution, avancer
    )
    colonne_siret, colonne_nom, role = STRUCTURES[kind]
    avec = lignes[colonne_siret].notna()
    structures = pd.DataFrame(
        {
            "siren_porteur": lignes["siren_porteur"][avec],
            "siret": lignes[colonne_siret][avec],
            "role": role,
            "mois": mois[avec],
            "code_commune": lignes["code_commune"][avec],
            "nb_pass": lignes["nb_pass"][avec],
            **{nom: valeurs[avec] for nom, valeurs in remboursement.items()},
        }
    )
    _fusionner(
        connection,
        ActiviteStructureMensuelle,
        ["siren_porteur", "siret", "role", "mois"],
        structures,
        avancer,
        filtre=ActiviteStructureMensuelle.role == role,
        minimum=["code_commune"],
    )
    sans = ~avec
    sans_siret = pd.DataFrame(
        {
            "siren_porteur": lignes["siren_porteur"][sans],
            "role": role,
            "mois": mois[sans],
            "code_commune": lignes["code_commune"][sans],
            "nom": lignes[colonne_nom][sans],
            "nb_pass": lignes["nb_pass"][sans],
            **{nom: valeurs[sans] for nom, valeurs in remboursement.items()},
        }
    )
    _fusionner(
        connection,
        ActiviteSansSiretMensuelle,
        ["siren_porteur", "role", "mois", "code_commune", "nom"],
        sans_siret,
        avancer,
        filtre=ActiviteSansSiretMensuelle.role == role,
    )


def _remboursement(lignes: pd.DataFrame, zero: pd.Series) -> dict[str, pd.Series]:
    """The passes of each line not paid back and paid back (an unknown line in neither; distributions:
    zeros)."""
    if "rembourse" not in lignes:
        return dict.fromkeys(REMBOURSEMENT, zero)
    rembourse = lignes["rembourse"]
    passes = lignes["nb_pass"].astype("int64")
    connu = rembourse.notna()
    oui = rembourse.where(connu, False).astype(bool)
    return {
        "pass_non_rembourses": passes.where(connu & ~oui, 0),
        "pass_rembourses": passes.where(connu & oui, 0),
    }


def _mois_iso(dates: pd.Series) -> pd.Series:
    """'2021-03-17' → '2021-03-01', computed once per distinct date."""
    codes, distinctes = pd.factorize(dates)
    return pd.Series(np.array([d[:8] + "01" for d in distinctes], dtype=object)[codes], index=dates.index)


def _fusionner(
    connection: Connection,
    modele,
    cles: list[str],
    contribution: pd.DataFrame,
    avancer: Progression,
    filtre=None,
    minimum: Collection[str] = (),
) -> None:
    """Rows of the touched porteurs := their current rows + the contribution, summed per key
    (columns in `minimum` take the smallest value, as recalculer_structures does)."""
    if contribution.empty:
        return
    sirens = sorted(contribution["siren_porteur"].unique())
    condition = _parmi(modele.siren_porteur) if filtre is None else and_(_parmi(modele.siren_porteur), filtre)
    colonnes = list(contribution.columns)
    existantes = pd.DataFrame(
        connection.execute(
            select(*(modele.__table__.c[c] for c in colonnes)).where(condition), {"sirens": sirens}
        ).all(),
        columns=colonnes,
    )
    existantes["mois"] = existantes["mois"].astype(str)
    tout = pd.concat([existantes, contribution], ignore_index=True) if len(existantes) else contribution
    for colonne in minimum:  # an ordered categorical keeps min() in compiled code (object min is Python)
        tout[colonne] = pd.Categorical(tout[colonne], ordered=True)
    agregation = {c: ("min" if c in minimum else "sum") for c in colonnes if c not in cles}
    # dropna=False: a NULL key (a line without a name) is a group of its own, as in SQL's GROUP BY.
    fusion = tout.groupby(cles, sort=True, as_index=False, observed=True, dropna=False).agg(agregation)
    for colonne in minimum:
        fusion[colonne] = fusion[colonne].astype(object)
    if "montant_eur" in fusion:
        fusion["montant_eur"] = fusion["montant_eur"].astype(float).round(2)
    connection.execute(delete(modele).where(condition), {"sirens": sirens})
    inserer_en_masse(connection, modele.__tablename__, fusion[colonnes], _sous_etape(avancer, "agrégats"))


def _sous_etape(avancer: Progression, etape: str) -> Progression:
    return lambda _etape, fait, total: avancer(etape, fait, total)


def mettre_a_jour_date_donnees(connection: Connection) -> None:
    """The data date: the latest distribution or redemption in the database."""
    dates = [connection.scalar(select(func.max(t.date))) for t in (Distribution, Utilisation)]
    dates = [str(d) for d in dates if d is not None]
    metadonnees.ecrire(connection, CLE_DATE_DONNEES, max(dates)[:10] if dates else None)


def incoherences_entonnoir(connection: Connection, sirens: Collection[str]) -> list[Anomalie]:
    """Laureates whose redeemed > distributed, or distributed > ordered, after the import (accepted)."""
    parametres = {"sirens": list(sirens)}
    commandes = dict(
        connection.execute(
            select(CommandeMensuelle.siren_porteur, func.sum(CommandeMensuelle.pass_commandes))
            .where(_parmi(CommandeMensuelle.siren_porteur))
            .group_by(CommandeMensuelle.siren_porteur),
            parametres,
        ).all()
    )
    activite = {
        siren: (int(d or 0), int(u or 0))
        for siren, d, u in connection.execute(
            select(
                ActiviteMensuelle.siren_porteur,
                func.sum(ActiviteMensuelle.pass_distribues),
                func.sum(ActiviteMensuelle.pass_utilises),
            )
            .where(_parmi(ActiviteMensuelle.siren_porteur))
            .group_by(ActiviteMensuelle.siren_porteur),
            parametres,
        )
    }
    noms = dict(
        connection.execute(select(Porteur.siren, Porteur.nom).where(_parmi(Porteur.siren)), parametres).all()
    )
    avertissements = []
    for siren in sorted(sirens):
        commandes_ = int(commandes.get(siren) or 0)
        distribues, utilises = activite.get(siren, (0, 0))
        nom = noms.get(siren, siren)
        if utilises > distribues:
            avertissements.append(
                Anomalie(
                    None,
                    "siren_porteur",
                    siren,
                    "entonnoir incohérent : plus de pass utilisés que distribués",
                    f"{nom} : {nombre(utilises)} utilisés pour {nombre(distribues)} distribués",
                )
            )
        if distribues > commandes_:
            avertissements.append(
                Anomalie(
                    None,
                    "siren_porteur",
                    siren,
                    "entonnoir incohérent : plus de pass distribués que commandés",
                    f"{nom} : {nombre(distribues)} distribués pour {nombre(commandes_)} commandés",
                )
            )
    return avertissements
