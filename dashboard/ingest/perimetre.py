"""The région of a regional coordinator, as the import sees it: which codes and laureates it touches.

A laureate's perimeter touches a région when its territory does (CR: the région itself; CD: its
département; EPCI: its row or any of its communes, an EPCI may straddle two régions; SM: any of its
members). Rather than computing the régions of every line, everything reduces to "is this code in the
région?" per level: a few sets read once, then `isin` over whole columns, so that a million-line file
costs a hash look-up per line and no Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Connection, select

from dashboard.store.schema import ActiviteStructureMensuelle, Lieu, Porteur, SyndicatMembre, Territoire


@dataclass(frozen=True)
class PerimetreRegional:
    code: str
    nom: str
    departements: frozenset[str]
    epci: frozenset[str]  # by their row or by one of their communes
    communes: frozenset[str]
    syndicats: frozenset[str] = frozenset()  # with at least one member touching the région
    syndicats_avec_membres: frozenset[str] = frozenset()  # to explain an SM with no member at all
    syndicats_debordants: frozenset[str] = frozenset()  # with at least one member outside the région
    porteurs: frozenset[str] = frozenset()  # porteurs of the database whose perimeter touches it
    # (siret, role) of the structures a laureate outside the région already uses: shared records, which a
    # coordinator's file may name but not rename or move (their page belongs to others too)
    structures_partagees: frozenset[tuple[str, str]] = frozenset()
    lieux_hors: frozenset[str] = frozenset()  # identifiants of the places the database has elsewhere

    @classmethod
    def lire(cls, connection: Connection, region: str) -> PerimetreRegional:
        """The région `region` (INSEE code) with its syndicats and porteurs; ValueError if unknown."""
        code = _normaliser(region)
        nom = connection.scalar(
            select(Territoire.nom).where(Territoire.niveau == "region", Territoire.code == code)
        )
        if nom is None:
            connues = ", ".join(
                connection.scalars(
                    select(Territoire.code).where(Territoire.niveau == "region").order_by(Territoire.code)
                )
            )
            raise ValueError(
                f"région inconnue : « {region} » (code INSEE de région attendu ; codes connus : "
                f"{connues or 'aucun, la géographie de référence n’est pas chargée'})"
            )
        perimetre = cls(code, nom, *_territoires(connection, code))
        return perimetre._avec_syndicats(connection)._avec_porteurs(connection)._avec_structures(connection)

    def membres_dans(self, niveaux: pd.Series, codes: pd.Series) -> pd.Series:
        """For syndicat members (niveau departement/epci/commune, code): in the région?"""
        return (
            (niveaux.eq("departement") & codes.isin(self.departements))
            | (niveaux.eq("epci") & codes.isin(self.epci))
            | (niveaux.eq("commune") & codes.isin(self.communes))
        )

    def laureats_dans(self, types: pd.Series, codes: pd.Series) -> pd.Series:
        """For laureates (type CR/CD/EPCI/SM, normalised code_territoire): does the perimeter touch it?"""
        return (
            (types.eq("CR") & codes.eq(self.code))
            | (types.eq("CD") & codes.isin(self.departements))
            | (types.eq("EPCI") & codes.isin(self.epci))
            | (types.eq("SM") & codes.isin(self.syndicats))
        )

    def _avec_syndicats(self, connection: Connection) -> PerimetreRegional:
        colonnes = (SyndicatMembre.siren_syndicat, SyndicatMembre.niveau_membre, SyndicatMembre.code_membre)
        membres = pd.DataFrame(
            connection.execute(select(*colonnes)).all(),
            columns=["siren", "niveau", "code"],
            dtype=object,
        )
        dedans = self.membres_dans(membres["niveau"], membres["code"])
        return replace(
            self,
            syndicats=frozenset(membres.loc[dedans, "siren"]),
            syndicats_avec_membres=frozenset(membres["siren"]),
            syndicats_debordants=frozenset(membres.loc[~dedans, "siren"]),
        )

    def _avec_porteurs(self, connection: Connection) -> PerimetreRegional:
        porteurs = pd.DataFrame(
            connection.execute(select(Porteur.siren, Porteur.type, Porteur.code_territoire)).all(),
            columns=["siren", "type", "code"],
            dtype=object,
        )
        dedans = porteurs.loc[self.laureats_dans(porteurs["type"], porteurs["code"]), "siren"]
        return replace(self, porteurs=frozenset(dedans))

    def _avec_structures(self, connection: Connection) -> PerimetreRegional:
        """The shared structures, read from the monthly structure activity (a row per laureate, structure
        and month, far fewer than the raw lines), and the places outside the région."""
        a = ActiviteStructureMensuelle
        utilisees = connection.execute(select(a.siret, a.role, a.siren_porteur).distinct()).all()
        lieux = connection.execute(select(Lieu.identifiant, Lieu.code_commune)).all()
        return replace(
            self,
            structures_partagees=frozenset(
                (siret, role) for siret, role, siren in utilisees if siren not in self.porteurs
            ),
            lieux_hors=frozenset(i for i, commune in lieux if commune not in self.communes),
        )


def _normaliser(region: str) -> str:
    code = str(region).strip()
    return code.zfill(2) if code.isdigit() else code  # "1" and "01" both mean Guadeloupe


def _territoires(connection: Connection, code: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Départements, EPCI and communes of the région (a few thousand codes at most)."""
    dans = Territoire.code_region == code
    departements = frozenset(
        connection.scalars(select(Territoire.code).where(Territoire.niveau == "departement", dans))
    )
    communes = connection.execute(
        select(Territoire.code, Territoire.code_epci).where(Territoire.niveau == "commune", dans)
    ).all()
    epci = set(connection.scalars(select(Territoire.code).where(Territoire.niveau == "epci", dans)))
    epci.update(code_epci for _, code_epci in communes if code_epci)
    return departements, frozenset(epci), frozenset(c for c, _ in communes)
