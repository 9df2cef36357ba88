"""The import report: anomalies (line, column, value, reason) and their French text, grouped and capped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.domain.formatage import nombre

# Anomalies kept in detail per reason: a million bad lines must not become a million objects in memory;
# the counts stay exact.
DETAIL_MAX_PAR_MOTIF = 1_000
# The report's size is bounded whatever the file: values and column names quoted are cut, and so are the
# lines of the text and the number of reasons it details.
VALEUR_MAX = 100
LIGNE_MAX = 500
MOTIFS_MAX = 20


def couper(valeur: object, longueur: int = VALEUR_MAX) -> str:
    """A value as a report may quote it: at most `longueur` characters, « … » when it was cut."""
    texte = str(valeur)
    return texte if len(texte) <= longueur else texte[:longueur] + "…"


@dataclass(frozen=True)
class Anomalie:
    ligne: int | None  # as the user sees it in a spreadsheet: header = 1, first data row = 2
    colonne: str | None
    valeur: str | None
    motif: str
    detail: str | None = None  # e.g. "identique à la ligne 3": kept out of the motif so reasons group

    def phrase(self) -> str:
        morceaux = []
        if self.ligne is not None:
            morceaux.append(f"ligne {self.ligne}")
        if self.colonne:
            morceaux.append(f"colonne {couper(self.colonne)}")
        if self.valeur is not None:
            morceaux.append(f"valeur « {couper(self.valeur)} »")
        lieu = ", ".join(morceaux)
        motif = f"{self.motif} ({self.detail})" if self.detail else self.motif
        return couper(f"{lieu} : {motif}" if lieu else motif, LIGNE_MAX)


@dataclass
class Collecteur:
    """Accumulates anomalies by reason, vectorised: a mask over the rows adds all its lines at once."""

    anomalies: list[Anomalie] = field(default_factory=list)
    comptes: Counter = field(default_factory=Counter)

    def ajouter_masque(
        self,
        masque: pd.Series | np.ndarray,
        lignes: np.ndarray,
        colonne: str | None,
        valeurs,
        motif: str,
        details=None,
    ) -> int:
        positions = np.flatnonzero(np.asarray(masque, dtype=bool))
        if not len(positions):
            return 0
        deja = self.comptes[motif]
        self.comptes[motif] += len(positions)
        place = max(DETAIL_MAX_PAR_MOTIF - deja, 0)
        valeurs = None if valeurs is None else np.asarray(valeurs, dtype=object)
        details = None if details is None else np.asarray(details, dtype=object)
        for p in positions[:place]:
            valeur = None if valeurs is None else valeurs[p]
            detail = None if details is None else details[p]
            self.anomalies.append(
                Anomalie(int(lignes[p]), colonne, None if valeur is None else str(valeur), motif, detail)
            )
        return len(positions)

    def ajouter(self, anomalie: Anomalie) -> None:
        self.comptes[anomalie.motif] += 1
        if self.comptes[anomalie.motif] <= DETAIL_MAX_PAR_MOTIF:
            self.anomalies.append(anomalie)

    def __bool__(self) -> bool:
        return bool(self.comptes)


@dataclass
class RapportImport:
    kind: str
    fichier: str
    checksum: str
    lignes: int
    erreurs: list[Anomalie]
    avertissements: list[Anomalie]
    ecrit: bool
    import_lot_id: int | None
    dry_run: bool = False
    description: str = ""  # how the file was read: "CSV Windows-1252, séparateur point-virgule"
    # Exact number of errors per reason (`erreurs` keeps at most DETAIL_MAX_PAR_MOTIF of each).
    comptes_erreurs: dict[str, int] = field(default_factory=dict)
    # What was converted or left aside without refusing the file, one sentence each (e.g. a former
    # commune code: "12 lignes : code ancien converti (code_commune), 44225 → 44180 Vallons-de-l'Erdre").
    informations: list[str] = field(default_factory=list)

    @property
    def accepte(self) -> bool:
        return not self.erreurs

    @property
    def nb_erreurs(self) -> int:
        return sum(self.comptes_erreurs.values()) or len(self.erreurs)

    def texte(self, limite_par_motif: int = 20, avec_informations: bool = True) -> str:
        """The French report; `avec_informations=False` when the informations are shown apart (the data
        page lists them in their own block)."""
        entete = f"Import « {self.kind} » du fichier {self.fichier}"
        if self.description:
            entete += f" ({self.description})"
        if not self.accepte:
            lignes = [
                f"{entete} : REFUSÉ, {nombre(self.nb_erreurs)} erreur{'s' if self.nb_erreurs > 1 else ''}. "
                "Rien n'a été écrit dans la base."
            ]
            lignes += _groupes(self.erreurs, self.comptes_erreurs, limite_par_motif)
        elif self.dry_run:
            lignes = [
                f"{entete} : valide ({nombre(self.lignes)} lignes). Validation seule : rien n'a été écrit."
            ]
        else:
            lignes = [f"{entete} : {nombre(self.lignes)} lignes importées (lot n° {self.import_lot_id})."]
        if self.informations and self.accepte and avec_informations:
            lignes.append(f"Informations ({nombre(len(self.informations))}) :")
            lignes += [f"    {phrase}" for phrase in self.informations[: limite_par_motif * 5]]
            if len(self.informations) > limite_par_motif * 5:
                lignes.append(f"    … et {nombre(len(self.informations) - limite_par_motif * 5)} autres")
        if self.avertissements:
            lignes.append(f"Avertissements ({nombre(len(self.avertissements))}), acceptés :")
            lignes += _groupes(self.avertissements, {}, limite_par_motif)
        return "\n".join(lignes)


def _groupes(anomalies: list[Anomalie], comptes: dict[str, int], limite: int) -> list[str]:
    par_motif: dict[str, list[Anomalie]] = {}
    for anomalie in anomalies:
        par_motif.setdefault(anomalie.motif, []).append(anomalie)
    lignes = []
    for motif, liste in list(par_motif.items())[:MOTIFS_MAX]:
        total = max(comptes.get(motif, 0), len(liste))
        lignes.append(
            couper(f"\n• {motif} ({nombre(total)} occurrence{'s' if total > 1 else ''})", LIGNE_MAX)
        )
        for anomalie in liste[:limite]:
            lieu = (
                Anomalie(anomalie.ligne, anomalie.colonne, anomalie.valeur, "").phrase().removesuffix(" : ")
            )
            texte = ", ".join(morceau for morceau in (lieu, anomalie.detail) if morceau)
            if texte:
                lignes.append(couper(f"    {texte}", LIGNE_MAX))
        if total > limite:
            reste = total - limite
            lignes.append(
                f"    … et {nombre(reste)} autre{'s' if reste > 1 else ''} ligne{'s' if reste > 1 else ''}"
            )
    if len(par_motif) > MOTIFS_MAX:
        reste = len(par_motif) - MOTIFS_MAX
        lignes.append(
            f"\n… et {nombre(reste)} autre{'s' if reste > 1 else ''} motif{'s' if reste > 1 else ''}"
        )
    return lignes
