"""The report of a steering committee (`passnum rapport --comite AAAA-MM-JJ`): one self-contained HTML
document (embedded CSS, the UI's font as data: URLs, charts as PNG data: URLs — no request of any kind)
printed to an A4 PDF by the offline Chromium, every page stamped (committee, data date, generation time
in Paris time, source; demo data said so).

The document is a list of sections: each is a function `(engine, date_comite) -> Section | None` of
`SECTIONS` (national summary, notes, charts, envelopes, forecasts, points de vigilance, reporting
calendar), None when it has nothing to show: the table of contents says so.
"""

from __future__ import annotations

import asyncio
import base64
import html
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, and_, func, select

from dashboard.domain import formatage
from dashboard.domain.filtres import Filtres, Periode
from dashboard.domain.indicateurs import Nature, est_exact, indicateur, totaliser
from dashboard.domain.vocabulaire import effectif_niveau
from dashboard.exports import police
from dashboard.exports.chromium import NavigateurHorsLigne, chemin_chromium
from dashboard.exports.estampille import SOURCE_DONNEES
from dashboard.figures.graphiques import chronologie, entonnoir_des_totaux, mois_texte
from dashboard.store.indicateurs import table_indicateurs
from dashboard.store.metadonnees import etat_donnees
from dashboard.store.schema import Comite, NoteComite, Porteur, Territoire
from dashboard.store.vue_nationale import serie_mensuelle

MENTION_DEMO = "Données de démonstration — fictives"
CHIFFRES_SYNTHESE = (
    "subvention_etat_engagee_eur",
    "subvention_etat_versee_eur",
    "pass_commandes",
    "pass_distribues",
    "pass_utilises",
    "pass_expires",
    "taux_distribution",
    "taux_utilisation",
    "euros_etat_par_pass_utilise",
)
MOINS = "\u2212"  # the minus sign of a difference (not a hyphen)
DELAI_PDF_S = 120
# A4 portrait, in inches (Chromium's printToPDF unit); the margins hold the header and the stamp.
PAPIER = {"paperWidth": 8.27, "paperHeight": 11.69}
MARGES = {"marginTop": 0.6, "marginBottom": 0.75, "marginLeft": 0.55, "marginRight": 0.55}
Progression = Callable[[str, int, int], None]
# Integer columns that are names, not quantities: written without the thousands separator.
SANS_SEPARATEUR = ("vague", "annee", "année", "code", "siren", "mois")


@dataclass(frozen=True)
class Section:
    titre: str
    corps: str  # an HTML fragment, every text already escaped
    ancre: str = ""  # its id in the document (the table of contents links to it)


@dataclass(frozen=True)
class Contexte:
    """What every page's stamp says."""

    date_comite: date
    date_donnees: date | None
    genere_le: datetime  # aware (UTC)
    demo: bool
    titre_comite: str | None = None
    comite_precedent: date | None = None

    @property
    def estampille(self) -> str:
        """`Comité de pilotage du 15/01/2024 — données au 31/12/2023 — généré le 04/12/2026 à 20:15
        (heure de Paris) — source : …` (plain text)."""
        moment = formatage.heure_locale(self.genere_le)
        donnees = (
            f"données au {formatage.date_courte(self.date_donnees)}"
            if self.date_donnees
            else "aucune donnée d'activité"
        )
        return (
            f"Comité de pilotage du {formatage.date_courte(self.date_comite)} — {donnees} — généré le "
            f"{formatage.date_courte(moment.date())} à {moment:%H:%M} (heure de Paris) — source : "
            f"{SOURCE_DONNEES}"
        )


@dataclass(frozen=True)
class Rapport:
    contexte: Contexte
    html: str
    sommaire: tuple[tuple[str, bool], ...]  # (title, present) of every section, in order
    pied: str = field(repr=False, default="")  # Chromium's footer template (every page)
    entete: str = field(repr=False, default="")  # Chromium's header template (every page)


FonctionSection = Callable[[Engine, date], Section | None]


def section(titre: str, ancre: str) -> Callable[[FonctionSection], FonctionSection]:
    """Give a section function its title and anchor (the table of contents names omitted ones too)."""

    def decorer(fonction: FonctionSection) -> FonctionSection:
        fonction.titre = titre  # type: ignore[attr-defined]
        fonction.ancre = ancre  # type: ignore[attr-defined]
        return fonction

    return decorer


# --- Reading ---------------------------------------------------------------------------------------


def comite_precedent(engine: Engine, date_comite: date) -> date | None:
    """The latest committee of the `comite` table strictly before `date_comite`."""
    with engine.connect() as connexion:
        return connexion.scalar(select(func.max(Comite.date)).where(Comite.date < date_comite))


def titre_comite(engine: Engine, date_comite: date) -> str | None:
    with engine.connect() as connexion:
        return connexion.scalar(select(Comite.titre).where(Comite.date == date_comite))


def filtres_au(jour: date | None) -> Filtres:
    """The dashboard's filters for « as at `jour` »: every flow until the end of its month (`..AAAA-MM`);
    no filter when None."""
    if jour is None:
        return Filtres()
    return Filtres(periode=Periode(None, jour.replace(day=1)))


def totaux_nationaux(engine: Engine, jour: date | None = None) -> tuple[pd.Series, int]:
    """The national totals of the porteurs view (the KPI cards of `/`, `passnum indicateurs --niveau
    porteur` summed) and the number of laureates; `jour`: the flows until the end of its month."""
    table = table_indicateurs(engine, "porteur", "porteurs", filtres_au(jour))
    return totaliser(table), len(table)


def synthese(engine: Engine, date_comite: date) -> pd.DataFrame:
    """One row per key figure: id, libelle, maintenant, precedent (at the previous committee, NaN when
    there is none), ecart (maintenant − precedent), and the French texts of the three (`*_texte`)."""
    maintenant, laureats = totaux_nationaux(engine)
    precedent_jour = comite_precedent(engine, date_comite)
    avant, laureats_avant = totaux_nationaux(engine, precedent_jour) if precedent_jour else (None, None)
    exact = est_exact(maintenant)
    lignes = [
        _ligne(
            "laureats",
            "Lauréats",
            float(laureats),
            float(laureats_avant) if laureats_avant is not None else np.nan,
            formatage.nombre,
            Nature.STOCK,
        )
    ]
    for identifiant in CHIFFRES_SYNTHESE:
        ind = indicateur(identifiant)
        lignes.append(
            _ligne(
                identifiant,
                ind.libelle_en("porteurs", exact),
                float(maintenant[identifiant]),
                float(avant[identifiant]) if avant is not None else np.nan,
                ind.formater,
                ind.nature,
            )
        )
    return pd.DataFrame(lignes)


def _ligne(identifiant, libelle, maintenant, precedent, formater, nature) -> dict:
    ecart = maintenant - precedent if not (np.isnan(maintenant) or np.isnan(precedent)) else np.nan
    return {
        "id": identifiant,
        "libelle": libelle,
        "maintenant": maintenant,
        "precedent": precedent,
        "ecart": ecart,
        "maintenant_texte": formater(maintenant),
        "precedent_texte": formater(precedent) if not np.isnan(precedent) else formatage.NON_RENSEIGNE,
        "ecart_texte": ecart_texte(ecart, formater, nature),
    }


def ecart_texte(ecart: float, formater: Callable[[float | None], str], nature: Nature) -> str:
    """A signed difference in French: `+1 234`, `−68 000 €`; a rate's in points (`+2,5 pts`); `0`
    unchanged; `—` unknown."""
    if ecart is None or np.isnan(ecart):
        return formatage.NON_RENSEIGNE
    if nature is Nature.TAUX:
        points = float(formatage.arrondi(ecart * 100, 1))
        if points == 0:
            return "0 pt"
        texte = formatage.nombre(abs(points), 1)
        return f"{'+' if points > 0 else MOINS}{texte} pt{'s' if abs(points) >= 2 else ''}"
    texte = formater(abs(ecart))
    if texte == formater(0.0):  # rounds to nothing as shown
        return texte
    return f"{'+' if ecart > 0 else MOINS}{texte}"


def notes(engine: Engine, date_comite: date) -> pd.DataFrame:
    """The notes since the previous committee (after it, up to `date_comite` included; all notes up to
    it when there was none), not deleted, by date: date_note, niveau, code, entite (the entity's name),
    texte, auteur."""
    precedent = comite_precedent(engine, date_comite)
    requete = (
        select(
            NoteComite.date_note,
            NoteComite.niveau,
            NoteComite.code,
            NoteComite.texte,
            NoteComite.auteur,
            Territoire.nom.label("nom_territoire"),
            Porteur.nom.label("nom_porteur"),
        )
        .outerjoin(
            Territoire, and_(Territoire.niveau == NoteComite.niveau, Territoire.code == NoteComite.code)
        )
        .outerjoin(Porteur, and_(NoteComite.niveau == "porteur", Porteur.siren == NoteComite.code))
        .where(NoteComite.supprimee.is_(False), NoteComite.date_note <= date_comite)
        .order_by(NoteComite.date_note, NoteComite.id)
    )
    if precedent is not None:
        requete = requete.where(NoteComite.date_note > precedent)
    with engine.connect() as connexion:
        lignes = connexion.execute(requete).mappings().all()
    return pd.DataFrame(
        [
            {
                "date_note": ligne["date_note"],
                "niveau": ligne["niveau"],
                "code": ligne["code"],
                "entite": nom_entite(
                    ligne["niveau"], ligne["code"], ligne["nom_territoire"] or ligne["nom_porteur"]
                ),
                "texte": ligne["texte"],
                "auteur": ligne["auteur"],
            }
            for ligne in lignes
        ],
        columns=["date_note", "niveau", "code", "entite", "texte", "auteur"],
    )


def nom_entite(niveau: str, code: str | None, nom: str | None) -> str:
    """`National`, `Finistère (département)`, `Département du Finistère` (a laureate: its own name)."""
    if niveau == "national":
        return "National"
    if niveau == "porteur":
        return nom or f"Lauréat {code}"
    libelle = effectif_niveau(niveau)[0]
    return f"{nom} ({libelle})" if nom else f"{libelle[:1].upper()}{libelle[1:]} {code} (inconnu)"


# --- HTML pieces -----------------------------------------------------------------------------------


def e(texte: Any) -> str:
    return html.escape(str(texte), quote=True)


def tableau_html(
    table: pd.DataFrame,
    formats: Mapping[str, Callable[[Any], str] | str] | None = None,
    titres: Mapping[str, str] | None = None,
    legende: str | None = None,
    vide: str = "Aucune ligne.",
) -> str:
    """A DataFrame as an HTML table: `formats` per column, a callable or an indicator id of the registry
    (its formatter); without one, numbers get French grouping (decimals kept to 1 when not whole), dates
    JJ/MM/AAAA, the rest its text. `titres`: the column headers (else the column names). Numbers are
    right-aligned; every cell is escaped."""
    if table.empty:
        return f'<p class="vide">{e(vide)}</p>'
    formats = dict(formats or {})
    titres = dict(titres or {})
    entetes, lignes = [], []
    numeriques = {
        c for c in table.columns if pd.api.types.is_numeric_dtype(table[c]) and table[c].dtype != bool
    }
    for colonne in table.columns:
        classe = ' class="n"' if colonne in numeriques else ""
        entetes.append(f'<th scope="col"{classe}>{e(titres.get(colonne, colonne))}</th>')
    valeurs = {colonne: table[colonne].tolist() for colonne in table.columns}  # each column its own type
    for n in range(len(table)):
        cellules = []
        for colonne in table.columns:
            texte = _cellule(valeurs[colonne][n], formats.get(colonne), colonne)
            classe = ' class="n"' if colonne in numeriques else ""
            cellules.append(f"<td{classe}>{e(texte)}</td>")
        lignes.append(f"<tr>{''.join(cellules)}</tr>")
    titre = f"<caption>{e(legende)}</caption>" if legende else ""
    return (
        f'<table class="donnees">{titre}<thead><tr>{"".join(entetes)}</tr></thead>'
        f"<tbody>{''.join(lignes)}</tbody></table>"
    )


def _cellule(valeur: Any, format_: Callable[[Any], str] | str | None, colonne: str = "") -> str:
    if isinstance(format_, str):
        return indicateur(format_).formater(valeur)
    if format_ is not None:
        return format_(valeur)
    if valeur is None or (pd.api.types.is_scalar(valeur) and pd.isna(valeur)):  # NaN, NaT, NA
        return formatage.NON_RENSEIGNE
    if isinstance(valeur, datetime):
        return formatage.horodatage(valeur)
    if isinstance(valeur, date | pd.Timestamp):
        return formatage.date_courte(valeur if isinstance(valeur, date) else valeur.date())
    if isinstance(valeur, bool | np.bool_):
        return "oui" if valeur else "non"
    if isinstance(valeur, int | np.integer):
        if str(colonne).lower().startswith(SANS_SEPARATEUR):  # a wave, a year, a code: no grouping
            return str(int(valeur))
        return formatage.nombre(int(valeur))
    if isinstance(valeur, float | np.floating):
        if str(colonne).lower().startswith(SANS_SEPARATEUR) and float(valeur).is_integer():
            return str(int(valeur))
        return formatage.nombre(float(valeur), 0 if float(valeur).is_integer() else 1)
    return str(valeur)


def image_png(png: bytes, texte_alternatif: str) -> str:
    donnees = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{donnees}" alt="{e(texte_alternatif)}">'


# --- Sections --------------------------------------------------------------------------------------


@section("Synthèse nationale", "synthese")
def section_synthese(engine: Engine, date_comite: date) -> Section | None:
    table = synthese(engine, date_comite)
    precedent = comite_precedent(engine, date_comite)
    donnees = etat_donnees(engine)
    maintenant = f"Au {formatage.date_courte(donnees.date_donnees)}" if donnees.date_donnees else "Maintenant"
    colonnes = ["libelle", "maintenant_texte"]
    titres = {"libelle": "Indicateur", "maintenant_texte": maintenant}
    if precedent is not None:
        colonnes += ["precedent_texte", "ecart_texte"]
        titres["precedent_texte"] = f"Comité du {formatage.date_courte(precedent)}"
        titres["ecart_texte"] = "Écart"
    affichee = table[colonnes]
    corps = [
        _tableau_texte(affichee, titres, numeriques=colonnes[1:], classe="synthese", ids=table["id"].tolist())
    ]
    if precedent is None:
        corps.append(
            '<p class="note">Aucun comité n\'est enregistré avant celui-ci : les chiffres ne sont pas '
            "comparés.</p>"
        )
    else:
        corps.append(
            f'<p class="note">Comité du {e(formatage.date_courte(precedent))} : les commandes, '
            f"distributions, utilisations et montants jusqu'à fin {e(mois_texte(precedent))} (filtre de "
            f"période « jusqu'à {precedent:%m/%Y} » du tableau de bord), lus dans les données "
            f"d'aujourd'hui ; ses taux portent sur les pass distribués (commandés) jusque-là et "
            f"comptent ceux utilisés (distribués) depuis. Écart : chiffre d'aujourd'hui moins celui du "
            f"comité précédent (en points pour un taux). Les versements de subvention ne sont pas datés : "
            f"« — » au comité précédent.</p>"
        )
    corps.append(
        '<p class="note">Vue « porteurs », toutes vagues, tous types : les cartes d\'indicateurs de la '
        "page d'accueil et la somme de <code>passnum indicateurs --niveau porteur</code>. Définitions : "
        "page Méthodologie du tableau de bord.</p>"
    )
    return Section("Synthèse nationale", "".join(corps), "synthese")


def _tableau_texte(
    table: pd.DataFrame, titres: Mapping[str, str], numeriques: Sequence[str], classe: str, ids: Sequence[str]
) -> str:
    entetes = "".join(
        f'<th scope="col"{" class=n" if c in numeriques else ""}>{e(titres.get(c, c))}</th>'
        for c in table.columns
    )
    lignes = []
    for identifiant, (_, ligne) in zip(ids, table.iterrows(), strict=True):
        cellules = []
        for n, colonne in enumerate(table.columns):
            if n == 0:
                cellules.append(f'<th scope="row">{e(ligne[colonne])}</th>')
            else:
                cellules.append(f'<td class="n" data-colonne="{e(colonne)}">{e(ligne[colonne])}</td>')
        lignes.append(f'<tr data-id="{e(identifiant)}">{"".join(cellules)}</tr>')
    return (
        f'<table class="donnees {classe}"><thead><tr>{entetes}</tr></thead>'
        f"<tbody>{''.join(lignes)}</tbody></table>"
    )


@section("Notes du comité", "notes")
def section_notes(engine: Engine, date_comite: date) -> Section | None:
    table = notes(engine, date_comite)
    precedent = comite_precedent(engine, date_comite)
    if precedent is None:
        periode = f"Notes jusqu'au {formatage.date_courte(date_comite)}"
    else:
        periode = (
            f"Notes prises après le comité du {formatage.date_courte(precedent)} et jusqu'au "
            f"{formatage.date_courte(date_comite)}"
        )
    corps = f'<p class="note">{e(periode)} (les notes supprimées n\'y figurent pas).</p>'
    corps += tableau_html(
        table[["date_note", "entite", "texte", "auteur"]],
        titres={"date_note": "Date", "entite": "Territoire ou lauréat", "texte": "Note", "auteur": "Auteur"},
        vide="Aucune note sur cette période.",
    ).replace('<table class="donnees">', '<table class="donnees notes">', 1)
    return Section("Notes du comité", corps, "notes")


@section("Graphiques", "graphiques")
def section_graphiques(engine: Engine, date_comite: date) -> Section | None:
    from dashboard.exports.png import png_sans_estampille

    mensuel = serie_mensuelle(engine, "porteurs", Filtres())
    totaux, _ = totaux_nationaux(engine)
    chrono = chronologie(mensuel, cumul=True)
    entonnoir = entonnoir_des_totaux(totaux)
    corps = [
        "<figure>",
        "<figcaption>Pass distribués et utilisés, cumul mensuel (France entière)</figcaption>",
        image_png(
            png_sans_estampille(chrono, 720, 330, echelle=3),
            "Courbes des pass distribués et utilisés cumulés, mois par mois",
        ),
        "</figure><figure>",
        "<figcaption>Du pass commandé au pass utilisé (France entière)</figcaption>",
        image_png(
            png_sans_estampille(entonnoir, 720, 300, echelle=3),
            "Entonnoir : pass commandés, distribués, utilisés",
        ),
        "</figure>",
    ]
    return Section("Graphiques", "".join(corps), "graphiques")


PREMIERS = 15  # rows of the report's ranked lists (the pages give them all)


def _mois_annee(valeur, jamais: str = formatage.NON_RENSEIGNE) -> str:
    if valeur is None or (pd.api.types.is_scalar(valeur) and pd.isna(valeur)):
        return jamais
    return mois_texte(pd.Timestamp(valeur))


@section("Enveloppes des vagues", "enveloppes")
def section_enveloppes(engine: Engine, date_comite: date) -> Section | None:
    """Per wave: the national envelope, the subsidy committed, paid, consumed and remaining, the national
    objective; then the conventions whose money will not be used: most remaining State money once more
    than three quarters of their window has gone (dashboard.store.enveloppes, today's data)."""
    from dashboard.store.enveloppes import enveloppes_conventions, enveloppes_vagues

    vagues = enveloppes_vagues(engine)
    corps = tableau_html(
        vagues[
            [
                "vague",
                "enveloppe_texte",
                "engagee_eur",
                "versee_eur",
                "consommee_eur",
                "restante_eur",
                "objectif_pass",
                "avancement_objectif",
                "statut_objectif",
            ]
        ],
        formats={
            "engagee_eur": formatage.euros,
            "versee_eur": formatage.euros,
            "consommee_eur": formatage.euros,
            "restante_eur": formatage.euros,
            "avancement_objectif": formatage.pourcentage,
            "objectif_pass": lambda v: formatage.NON_RENSEIGNE if pd.isna(v) else formatage.nombre(v),
        },
        titres={
            "vague": "Vague",
            "enveloppe_texte": "Enveloppe nationale",
            "engagee_eur": "Engagée",
            "versee_eur": "Versée",
            "consommee_eur": "Consommée",
            "restante_eur": "Restante",
            "objectif_pass": "Objectif national (pass)",
            "avancement_objectif": "Avancement",
            "statut_objectif": "Statut",
        },
        legende="Subvention de l'État par vague (consommée = part de l'État des pass commandés)",
    )
    conventions = enveloppes_conventions(engine)
    fin_proche = conventions[(conventions["part_fenetre_ecoulee"] > 0.75) & (conventions["restante_eur"] > 0)]
    fin_proche = fin_proche.sort_values("restante_eur", ascending=False).head(PREMIERS)
    corps += tableau_html(
        fin_proche[
            ["nom", "vague", "engagee_eur", "consommee_eur", "restante_eur", "part_consommee", "fin_fenetre"]
        ],
        formats={
            "engagee_eur": formatage.euros,
            "consommee_eur": formatage.euros,
            "restante_eur": formatage.euros,
            "part_consommee": formatage.pourcentage,
        },
        titres={
            "nom": "Lauréat",
            "vague": "Vague",
            "engagee_eur": "Engagée",
            "consommee_eur": "Consommée",
            "restante_eur": "Restante",
            "part_consommee": "Part consommée",
            "fin_fenetre": "Fin de la fenêtre",
        },
        legende=(
            f"Enveloppes qui ne seront pas consommées : les {PREMIERS} conventions au plus fort montant "
            "restant dont la fenêtre est écoulée aux trois quarts ou close (date de fin en regard)"
        ),
        vide="Aucune convention dont la fenêtre est écoulée aux trois quarts n'a de subvention restante.",
    )
    return Section("Enveloppes des vagues", corps, "enveloppes")


@section("Prévisions", "previsions")
def section_previsions(engine: Engine, date_comite: date) -> Section | None:
    """The laureates that will lose the most State money when their passes expire, with the 80 %
    interval and the months their stock and their envelope run out (dashboard.store.prevision,
    estimated)."""
    from dashboard.store.calendrier import laureats
    from dashboard.store.prevision import prevision_porteurs

    table = prevision_porteurs(engine)
    total = table[["etat_risque_bas_eur", "etat_risque_eur", "etat_risque_haut_eur"]].sum()
    pass_total = table["pass_expirant_prevus"].sum()
    premiers = (
        table[table["etat_risque_eur"] > 0]
        .sort_values(["etat_risque_eur", "siren"], ascending=[False, True])
        .head(PREMIERS)
        .join(laureats(engine)[["nom"]], on="siren")
    )
    premiers = premiers.assign(
        argent=[
            formatage.euros(c)
            if b == h
            else f"{formatage.euros(c)} ({formatage.euros(b)} – {formatage.euros(h)})"
            for b, c, h in premiers[
                ["etat_risque_bas_eur", "etat_risque_eur", "etat_risque_haut_eur"]
            ].to_numpy()
        ]
    )
    corps = (
        f'<p class="note">Estimé : {e(formatage.nombre(pass_total))} pass expireront sans être utilisés, '
        f"soit {e(formatage.euros(total['etat_risque_eur']))} de subvention de l'État "
        + (
            "(sans fourchette : les pass encore valables expirent avant le mois suivant la date des "
            "données). "
            if total["etat_risque_bas_eur"] == total["etat_risque_haut_eur"]
            else f"(intervalle à 80 % : {e(formatage.euros(total['etat_risque_bas_eur']))} – "
            f"{e(formatage.euros(total['etat_risque_haut_eur']))}, somme des intervalles des lauréats). "
        )
        + "Méthode et erreur mesurée au back-test : page Méthodologie.</p>"
    )
    corps += tableau_html(
        premiers[["nom", "pass_expirant_prevus", "argent", "mois_rupture_stock", "mois_fin_enveloppe"]],
        formats={
            "pass_expirant_prevus": lambda v: formatage.nombre(int(v)),
            "mois_rupture_stock": lambda v: _mois_annee(v, "pas avant l'échéance"),
            "mois_fin_enveloppe": lambda v: _mois_annee(v, "pas au rythme actuel"),
        },
        titres={
            "nom": "Lauréat",
            "pass_expirant_prevus": "Pass qui expireront",
            "argent": "Argent de l'État à risque (intervalle 80 %)",
            "mois_rupture_stock": "Stock épuisé en",
            "mois_fin_enveloppe": "Enveloppe consommée en",
        },
        legende=f"Les {PREMIERS} lauréats qui perdront le plus d'argent de l'État à l'expiration (estimé)",
        vide="Aucun lauréat n'a d'argent de l'État à risque d'expiration.",
    )
    return Section("Prévisions", corps, "previsions")


@section("Points de vigilance", "vigilance")
def section_vigilance(engine: Engine, date_comite: date) -> Section | None:
    """The points per rule (and how many are new since the previous committee), then the first ones of
    the ranked list (dashboard.domain.vigilance: severity, then money at stake, then extent)."""
    from dashboard.domain.vigilance import GRAVITES, regle
    from dashboard.store.vigilance import avec_nouveaux, evaluation

    evalue = evaluation(engine)
    precedent = comite_precedent(engine, date_comite)
    points = avec_nouveaux(engine, evalue, precedent)
    depuis = (
        f"nouveaux depuis le comité du {formatage.date_courte(precedent)}"
        if precedent
        else "aucun comité précédent : pas de « nouveaux »"
    )
    par_regle = (
        points.groupby("regle", sort=False)
        .agg(points=("siren", "size"), nouveaux=("nouveau", "sum"))
        .reset_index()
        .assign(regle=lambda t: [regle(c).libelle for c in t["regle"]])
    )
    corps = f'<p class="note">{e(formatage.nombre(len(points)))} points de vigilance ; {e(depuis)}.</p>'
    if evalue.sans_objet:
        corps += "".join(
            f'<p class="note">{e(regle(c).libelle)} : sans objet ({e(motif)}).</p>'
            for c, motif in evalue.sans_objet.items()
        )
    corps += tableau_html(
        par_regle,
        formats={"points": formatage.nombre, "nouveaux": lambda v: formatage.nombre(int(v))},
        titres={"regle": "Règle", "points": "Points", "nouveaux": "Nouveaux"},
        legende="Points par règle (règles et seuils : page Méthodologie et /vigilance)",
        vide="Aucun point de vigilance.",
    )
    premiers = points.head(PREMIERS * 2).assign(
        gravite=lambda t: [GRAVITES.get(g, "") for g in t["gravite"]],
        regle=lambda t: [regle(c).libelle for c in t["regle"]],
        nouveau=lambda t: ["nouveau" if n else "" for n in t["nouveau"]],
    )
    corps += tableau_html(
        premiers[["gravite", "regle", "nom", "chiffre", "detail", "nouveau"]],
        titres={
            "gravite": "Gravité",
            "regle": "Règle",
            "nom": "Lauréat",
            "chiffre": "Chiffre",
            "detail": "Détail",
            "nouveau": "Depuis le comité",
        },
        legende=f"Les {PREMIERS * 2} premiers points (liste complète : /vigilance, exportable)",
    )
    return Section("Points de vigilance", corps, "vigilance")


@section("Calendrier des remontées", "calendrier")
def section_calendrier(engine: Engine, date_comite: date) -> Section | None:
    """The laureates to chase up (dashboard.domain.calendrier: a missing month among the latest three
    past due), the longest silence first."""
    from dashboard.store.calendrier import laureats, synthese

    table = synthese(engine)
    relance = table[table["a_relancer"]].join(laureats(engine)[["nom"]], on="siren")
    relance = relance.sort_values(["mois_sans_retour", "score"], ascending=[False, True])
    corps = (
        f'<p class="note">{e(formatage.nombre(len(relance)))} lauréat(s) à relancer sur '
        f"{e(formatage.nombre(len(table)))} qui doivent des retours mensuels ; complétude médiane "
        f"{e(formatage.pourcentage(table['score'].median()))}.</p>"
    )
    corps += tableau_html(
        relance[["nom", "mois_sans_retour", "dernier_mois_recu", "dernier_retour", "score"]],
        formats={
            "score": formatage.pourcentage,
            "dernier_mois_recu": _mois_annee,
            "mois_sans_retour": lambda v: formatage.nombre(int(v)),
        },
        titres={
            "nom": "Lauréat",
            "mois_sans_retour": "Mois sans retour",
            "dernier_mois_recu": "Dernier mois reçu",
            "dernier_retour": "Reçu le",
            "score": "Complétude",
        },
        legende="Lauréats à relancer (un mois manquant parmi les trois derniers échus)",
        vide="Aucun lauréat à relancer.",
    )
    return Section("Calendrier des remontées", corps, "calendrier")


SECTIONS: list[FonctionSection] = [
    section_synthese,
    section_notes,
    section_graphiques,
    section_enveloppes,
    section_previsions,
    section_vigilance,
    section_calendrier,
]


# --- Document --------------------------------------------------------------------------------------

CSS = """
@page { size: A4; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Source Sans 3", sans-serif; color: #161616; font-size: 10.5pt; line-height: 1.4;
  margin: 0; }
h1 { font-size: 22pt; line-height: 1.15; margin: 0 0 4pt; color: #000091; }
h2 { font-size: 15pt; margin: 0 0 8pt; padding-bottom: 3pt; border-bottom: 2px solid #000091;
  color: #000091; break-after: avoid; }
.surtitre { text-transform: uppercase; letter-spacing: .06em; font-size: 9pt; font-weight: 700;
  color: #3A3A3A; margin: 0 0 6pt; }
.couverture { border-left: 6px solid #000091; padding: 4pt 0 4pt 14pt; margin-bottom: 18pt; }
.couverture p { margin: 2pt 0; }
.badge-demo { display: inline-block; background: #CE0500; color: #fff; font-weight: 700; font-size: 10pt;
  padding: 2pt 8pt; border-radius: 3pt; margin-bottom: 8pt; }
nav.sommaire { background: #F6F6F6; padding: 8pt 14pt; margin-bottom: 18pt; }
nav.sommaire h2 { border: 0; font-size: 12pt; margin: 0 0 4pt; padding: 0; }
nav.sommaire ol { margin: 0; padding-left: 18pt; }
nav.sommaire a { color: #000091; text-decoration: none; }
nav.sommaire .omise { color: #666; }
section { margin-bottom: 18pt; }
section + section { break-before: auto; }
section.notes, section.graphiques { break-before: page; }
table.donnees { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 4pt 0 8pt; }
table.donnees caption { text-align: left; font-weight: 700; margin-bottom: 4pt; }
table.donnees th, table.donnees td { border-bottom: 1px solid #DDDDDD; padding: 3.5pt 6pt; text-align: left;
  vertical-align: top; }
table.donnees thead th { background: #EEEEEE; border-bottom: 2px solid #3A3A3A; font-weight: 700; }
table.donnees tbody th { font-weight: 400; }
table.donnees .n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.donnees tr { break-inside: avoid; }
table.synthese td:first-of-type { font-weight: 700; }
table.notes td:nth-child(1) { white-space: nowrap; }
table.notes td:nth-child(2) { width: 28%; }
.note { font-size: 9pt; color: #3A3A3A; margin: 4pt 0; }
.vide { font-style: italic; color: #3A3A3A; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
figure { margin: 0 0 12pt; break-inside: avoid; }
figcaption { font-weight: 700; margin-bottom: 4pt; }
figure img { width: 100%; height: auto; border: 1px solid #EEEEEE; }
"""

# Chromium draws the header and footer in their own little pages: font, size and colours are set there.
STYLE_MARGES = (
    "<style>{police} .bandeau {{ font-family: 'Source Sans 3', sans-serif; font-size: 7.5pt; color: #3A3A3A;"
    " width: 100%; margin: 0 0.55in; display: flex; justify-content: space-between; gap: 12pt;"
    " -webkit-print-color-adjust: exact; }} .demo {{ color: #CE0500; font-weight: 700; }}"
    " .page {{ white-space: nowrap; }}</style>"
)


def _marges_html(contexte: Contexte) -> tuple[str, str]:
    """Chromium's header and footer templates: the demo mention at the top, the stamp and the page
    number at the bottom of every page."""
    style = STYLE_MARGES.format(police=police.css_police())
    jour = e(formatage.date_courte(contexte.date_comite))
    haut = f"{style}<div class=bandeau><span>Pass numérique — comité de pilotage du {jour}</span>"
    if contexte.demo:
        haut += f"<span class=demo>{e(MENTION_DEMO)}</span>"
    haut += "</div>"
    bas = (
        f"{style}<div class=bandeau><span>{e(contexte.estampille)}"
        + (f" — <span class=demo>{e(MENTION_DEMO)}</span>" if contexte.demo else "")
        + "</span><span class=page>page <span class=pageNumber></span> / <span class=totalPages></span>"
        "</span></div>"
    )
    return haut, bas


def contexte_de(engine: Engine, date_comite: date, genere_le: datetime | None = None) -> Contexte:
    donnees = etat_donnees(engine)
    return Contexte(
        date_comite=date_comite,
        date_donnees=donnees.date_donnees,
        genere_le=genere_le or datetime.now(UTC),
        demo=bool(donnees.demo),
        titre_comite=titre_comite(engine, date_comite),
        comite_precedent=comite_precedent(engine, date_comite),
    )


def rapport_html(
    engine: Engine,
    date_comite: date,
    progression: Progression | None = None,
    sections: Sequence[FonctionSection] | None = None,
    genere_le: datetime | None = None,
) -> Rapport:
    """The report as one self-contained HTML document (and the templates of its page margins)."""
    contexte = contexte_de(engine, date_comite, genere_le)
    fonctions = list(SECTIONS if sections is None else sections)
    produites: list[tuple[FonctionSection, Section | None]] = []
    for n, fonction in enumerate(fonctions):
        if progression:
            progression("sections", n, len(fonctions))
        produites.append((fonction, fonction(engine, date_comite)))
    if progression:
        progression("sections", len(fonctions), len(fonctions))
    sommaire = tuple((_titre(f, s), s is not None) for f, s in produites)
    corps = "".join(
        f'<section id="{e(s.ancre or _ancre(f))}" class="{e(s.ancre or _ancre(f))}">'
        f"<h2>{e(s.titre)}</h2>{s.corps}</section>"
        for f, s in produites
        if s is not None
    )
    document = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{e(_titre_document(contexte))}</title>"
        f"<style>{police.css_police()}{CSS}</style></head><body>"
        f"{_couverture(contexte)}{_sommaire(produites)}{corps}</body></html>"
    )
    haut, bas = _marges_html(contexte)
    return Rapport(contexte, document, sommaire, pied=bas, entete=haut)


def _titre(fonction: FonctionSection, produite: Section | None) -> str:
    return produite.titre if produite is not None else getattr(fonction, "titre", fonction.__name__)


def _ancre(fonction: FonctionSection) -> str:
    return getattr(fonction, "ancre", "") or fonction.__name__


def _titre_document(contexte: Contexte) -> str:
    return f"Pass numérique — comité de pilotage du {formatage.date_courte(contexte.date_comite)}"


def _couverture(contexte: Contexte) -> str:
    morceaux = ['<header class="couverture">']
    if contexte.demo:
        morceaux.append(f'<p class="badge-demo">{e(MENTION_DEMO)}</p>')
    morceaux.append('<p class="surtitre">Pass numérique — tableau de bord de pilotage</p>')
    morceaux.append(f"<h1>Comité de pilotage du {e(formatage.date_courte(contexte.date_comite))}</h1>")
    if contexte.titre_comite:
        morceaux.append(f"<p><strong>{e(contexte.titre_comite)}</strong></p>")
    precedent = (
        f"comité précédent : {formatage.date_courte(contexte.comite_precedent)}"
        if contexte.comite_precedent
        else "premier comité enregistré"
    )
    morceaux.append(f"<p>{e(precedent)}</p>")
    morceaux.append(f'<p class="estampille">{e(contexte.estampille)}</p>')
    morceaux.append("</header>")
    return "".join(morceaux)


def _sommaire(produites: list[tuple[FonctionSection, Section | None]]) -> str:
    lignes = []
    for fonction, produite in produites:
        titre = e(_titre(fonction, produite))
        if produite is None:
            lignes.append(f'<li class="omise">{titre} — non disponible : section omise</li>')
        else:
            lignes.append(f'<li><a href="#{e(produite.ancre or _ancre(fonction))}">{titre}</a></li>')
    return f'<nav class="sommaire"><h2>Sommaire</h2><ol>{"".join(lignes)}</ol></nav>'


# --- PDF -------------------------------------------------------------------------------------------

PRET = """(() => document.readyState === 'complete' && document.fonts.status === 'loaded'
  && [...document.images].every(i => i.complete && i.naturalWidth > 0))()"""


def pdf_de(rapport: Rapport, delai_s: float = DELAI_PDF_S) -> bytes:
    """The report printed by the offline Chromium: A4 portrait, the stamp at the foot of every page.
    RuntimeError in French when Chromium is missing, crashes or is too slow."""
    with tempfile.TemporaryDirectory(prefix="passnum-rapport-") as dossier:
        chemin = Path(dossier) / "rapport.html"
        chemin.write_text(rapport.html, encoding="utf-8")
        try:
            return asyncio.run(asyncio.wait_for(_imprimer(chemin, rapport), timeout=delai_s))
        except Exception as exc:
            raise RuntimeError(f"Impression du rapport en PDF impossible : {exc!r}") from exc


async def _imprimer(chemin: Path, rapport: Rapport) -> bytes:
    from choreographer import Browser

    async with Browser(path=chemin_chromium(), browser_cls=NavigateurHorsLigne, headless=True) as navigateur:
        onglet = await navigateur.create_tab("about:blank")
        await onglet.send_command("Page.navigate", params={"url": chemin.as_uri()})
        for _ in range(600):
            reponse = await onglet.send_command(
                "Runtime.evaluate", params={"expression": PRET, "returnByValue": True}
            )
            if reponse.get("result", {}).get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("le document ne s'est pas chargé à temps")
        pdf = await onglet.send_command(
            "Page.printToPDF",
            params={
                **PAPIER,
                **MARGES,
                "printBackground": True,
                "displayHeaderFooter": True,
                "headerTemplate": rapport.entete,
                "footerTemplate": rapport.pied,
            },
        )
        if "result" not in pdf:
            raise RuntimeError(f"Chromium a refusé l'impression : {pdf.get('error')}")
        return base64.b64decode(pdf["result"]["data"])


def nombre_de_pages(pdf: bytes) -> int:
    """Pages of a PDF written by Chromium (its page objects are not compressed)."""
    import re

    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def rapport_pdf(
    engine: Engine, date_comite: date, progression: Progression | None = None
) -> tuple[bytes, Rapport]:
    """The committee's report, as PDF bytes and the document it was printed from."""
    rapport = rapport_html(engine, date_comite, progression)
    if progression:
        progression("pdf", 0, 1)
    pdf = pdf_de(rapport)
    if progression:
        progression("pdf", 1, 1)
    return pdf, rapport
