"""Validation of a whole file, vectorised column by column: typed values for loading, or anomalies.

Nothing here writes: the reference sets (territories, porteurs, syndicats) are read once, before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, func, select

from dashboard.domain.formatage import date_courte, nombre
from dashboard.domain.territoires import REGIONS_AVANT_2016
from dashboard.domain.vocabulaire import ALIAS_TYPES, NIVEAU_DU_TYPE, VAGUES
from dashboard.ingest import numeros
from dashboard.ingest import valeurs as v
from dashboard.ingest.communes import CodesCommunes, informations, resoudre
from dashboard.ingest.lecture import Tableau, nom_colonne, normaliser_entete
from dashboard.ingest.perimetre import PerimetreRegional
from dashboard.ingest.rapport import Anomalie, Collecteur
from dashboard.ingest.schemas import (
    NIVEAUX_MEMBRE,
    PASS_PAR_CARNET,
    SCHEMAS,
    STRUCTURES,
    VALEUR_FACIALE_DEFAUT,
    Colonne,
)
from dashboard.store.schema import Convention, Porteur, Syndicat, SyndicatMembre, Territoire

DEBUT_PROGRAMME = date(2019, 1, 1)
FORMATS_DATE = "JJ/MM/AAAA, AAAA-MM-JJ, MM/AAAA ou AAAA-MM"
OBLIGATOIRE = "valeur obligatoire manquante"
DOUBLON = "ligne en double"
SOURCE_FICHIER = "fichier"  # syndicat.source of a membership given in this project's own format


@dataclass(frozen=True)
class Reference:
    """What the file's codes are checked against, read from the database before validating."""

    regions: frozenset[str]
    departements: frozenset[str]
    epci: dict[str, str | None]  # SIREN → nature (CC, CA, CU, ME)
    communes: frozenset[str]
    porteurs: frozenset[str]
    syndicats: frozenset[str]
    conventions: frozenset[tuple[str, int]] = frozenset()  # (SIREN, vague) of every convention
    codes: CodesCommunes | None = None  # commune codes of every vintage → today's commune
    millesime: int | None = None  # the COG vintage of the reference geography
    # Régions, départements and EPCI: (niveau, code) → name; région → its départements.
    noms: Mapping[tuple[str, str], str] = field(default_factory=dict)
    departements_des_regions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # SIREN of the CD and CR laureates → (niveau, code): the only real SIRENs of départements and régions
    # the database knows (BANATIC names its members by SIREN).
    collectivites: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    membres_syndicats: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @classmethod
    def lire(cls, connection: Connection) -> Reference:
        par_niveau: dict[str, dict[str, str | None]] = {}
        noms_communes: dict[str, str] = {}
        noms: dict[tuple[str, str], str] = {}
        departements_des_regions: dict[str, list[str]] = {}
        for niveau, code, nature, nom, region in connection.execute(
            select(
                Territoire.niveau, Territoire.code, Territoire.nature, Territoire.nom, Territoire.code_region
            )
        ):
            par_niveau.setdefault(niveau, {})[code] = nature
            if niveau == "commune":
                noms_communes[code] = nom
            else:
                noms[(niveau, code)] = nom
            if niveau == "departement" and region:
                departements_des_regions.setdefault(region, []).append(code)
        porteurs = connection.execute(select(Porteur.siren, Porteur.type, Porteur.code_territoire)).all()
        membres: dict[str, list[tuple[str, str]]] = {}
        for siren, niveau, code in connection.execute(
            select(SyndicatMembre.siren_syndicat, SyndicatMembre.niveau_membre, SyndicatMembre.code_membre)
        ):
            membres.setdefault(siren, []).append((niveau, code))
        return cls(
            regions=frozenset(par_niveau.get("region", {})),
            departements=frozenset(par_niveau.get("departement", {})),
            epci=par_niveau.get("epci", {}),
            communes=frozenset(par_niveau.get("commune", {})),
            porteurs=frozenset(siren for siren, _, _ in porteurs),
            syndicats=frozenset(connection.scalars(select(Syndicat.siren))),
            conventions=frozenset(
                (siren, int(vague))
                for siren, vague in connection.execute(select(Convention.siren_porteur, Convention.vague))
            ),
            codes=CodesCommunes.lire(connection, noms_communes),
            millesime=connection.scalar(select(func.max(Territoire.millesime))),
            noms=noms,
            departements_des_regions={r: tuple(sorted(d)) for r, d in departements_des_regions.items()},
            collectivites={
                siren: (NIVEAU_DU_TYPE[type_], code)
                for siren, type_, code in porteurs
                if type_ in ("CR", "CD") and code
            },
            membres_syndicats={siren: tuple(m) for siren, m in membres.items()},
        )

    def codes_communes(self) -> CodesCommunes:
        if self.codes is not None:
            return self.codes
        return CodesCommunes({c: c for c in self.communes}, dict.fromkeys(self.communes, "actuelle"), {})

    @property
    def cog(self) -> str:
        """ "COG 2026": the geography's vintage, as the messages name it."""
        return f"COG {self.millesime}" if self.millesime else "COG de référence"


@dataclass
class Contexte:
    """One file being validated: its lines, the anomaly collector, the reference."""

    lignes: np.ndarray
    erreurs: Collecteur
    reference: Reference
    aujourd_hui: date
    # Told to the user without refusing anything: "12 lignes : code ancien converti, 44225 → 44180 …".
    informations: list[str] = field(default_factory=list)
    bruts: dict[str, pd.Series] = field(default_factory=dict)  # commune columns: raw code if converted

    def signaler(self, masque, colonne: str | None, valeurs, motif: str, details=None) -> None:
        self.erreurs.ajouter_masque(masque, self.lignes, colonne, valeurs, motif, details)


def colonnes(tableau: Tableau, kind: str, erreurs: Collecteur, avertissements: list[Anomalie]) -> bool:
    """Check the headers; False (with the anomaly) when a required column is missing."""
    schema = SCHEMAS[kind]
    presentes = list(tableau.donnees.columns)
    doublons = sorted({c for c in presentes if presentes.count(c) > 1})
    for nom in doublons:
        erreurs.ajouter(Anomalie(1, nom, None, "colonne présente plusieurs fois"))
    manquantes = [c.nom for c in schema if c.obligatoire and c.nom not in presentes]
    if manquantes:
        trouvees = ", ".join(f"« {e} »" for e in tableau.entetes) or "aucune"
        pluriel = "s" if len(manquantes) > 1 else ""
        motif = f"colonne{pluriel} obligatoire{pluriel} absente{pluriel} : {', '.join(manquantes)}"
        erreurs.ajouter(Anomalie(1, None, None, motif, f"en-têtes trouvés : {trouvees}"))
    connues = {c.nom for c in schema}
    for entete in tableau.entetes:
        if nom_colonne(entete) not in connues:
            avertissements.append(Anomalie(1, entete, None, "colonne inconnue, ignorée"))
    return not manquantes and not doublons


def valider(
    tableau: Tableau,
    kind: str,
    reference: Reference,
    erreurs: Collecteur,
    aujourd_hui: date,
    perimetre: PerimetreRegional | None = None,
    infos: list[str] | None = None,
) -> pd.DataFrame:
    """Typed columns of the file (one row per data line); every problem goes to `erreurs`, every
    conversion worth telling (a former commune code) to `infos`.

    With `perimetre` (a regional coordinator), every line must also concern a laureate of that région."""
    ctx = Contexte(tableau.lignes, erreurs, reference, aujourd_hui, infos if infos is not None else [])
    brut = tableau.donnees
    schema = SCHEMAS[kind]
    texte = {c.nom: brut[c.nom] if c.nom in brut else pd.Series("", index=brut.index) for c in schema}
    for colonne in schema:
        if colonne.obligatoire:
            ctx.signaler(texte[colonne.nom].eq(""), colonne.nom, None, OBLIGATOIRE)
    types = pd.DataFrame({c.nom: _lire_colonne(ctx, c, texte[c.nom]) for c in schema}, index=brut.index)
    for colonne in schema:
        if colonne.nature == "commune":
            types[f"{colonne.nom}_brut"] = ctx.bruts.pop(colonne.nom)
    REGLES[kind](ctx, types, texte)
    if perimetre is not None:
        REGLES_REGION[kind](ctx, types, texte, perimetre)
    _doublons(ctx, pd.DataFrame(texte), kind)
    return types


def _lire_colonne(ctx: Contexte, colonne: Colonne, serie: pd.Series) -> pd.Series:
    nom = colonne.nom
    if colonne.nature in ("siren", "siret"):
        longueur = 9 if colonne.nature == "siren" else 14
        lus, invalides = v.lire_identifiants(serie, longueur)
        ctx.signaler(
            invalides,
            nom,
            serie,
            f"{colonne.nature.upper()} invalide : {longueur} chiffres dont une clé "
            "de contrôle (Luhn) valide attendus",
        )
        return lus
    if colonne.nature in ("entier", "vague"):
        nombres, illisibles, non_entiers = v.lire_entiers(serie)
        ctx.signaler(illisibles, nom, serie, "nombre entier attendu")
        ctx.signaler(non_entiers, nom, serie, "nombre entier attendu (pas de décimales)")
        if colonne.nature == "vague":
            inconnue = nombres.notna() & ~illisibles & ~non_entiers & ~nombres.isin(VAGUES)
            ctx.signaler(inconnue, nom, serie, "vague inconnue (2019 ou 2020)")
        else:
            ctx.signaler(nombres.le(0), nom, serie, "nombre entier supérieur à 0 attendu")
        return nombres
    if colonne.nature == "montant":
        nombres, illisibles = v.lire_nombres(serie)
        ctx.signaler(illisibles, nom, serie, "montant illisible (nombre en euros attendu)")
        ctx.signaler(nombres.lt(0), nom, serie, "montant négatif")
        return nombres
    if colonne.nature in ("date", "date_libre"):
        return _lire_date(ctx, nom, serie, bornee=colonne.nature == "date")
    if colonne.nature == "commune":
        return _lire_communes(ctx, nom, serie)
    if colonne.nature == "oui_non":
        lues, illisibles = v.lire_oui_non(serie)
        motif = f"valeur illisible (attendu : {v.VALEURS_OUI_NON} ; vide = inconnu)"
        ctx.signaler(illisibles, nom, serie, motif)
        return lues
    if colonne.nature == "type":
        return _lire_enumeration(ctx, nom, serie, ALIAS_TYPES, "type de lauréat inconnu (CR, CD, EPCI ou SM)")
    if colonne.nature == "niveau":
        return _lire_enumeration(
            ctx, nom, serie, NIVEAUX_MEMBRE, "niveau de membre inconnu (departement, epci ou commune)"
        )
    if colonne.longueur_max:
        ctx.signaler(
            serie.str.len().gt(colonne.longueur_max),
            nom,
            serie,
            f"texte trop long ({colonne.longueur_max} caractères au plus)",
        )
    return serie


def _lire_communes(ctx: Contexte, nom: str, serie: pd.Series) -> pd.Series:
    """Today's commune of codes of any vintage; the raw code kept in ctx.bruts when it was converted."""
    codes = v.completer_code(serie.str.upper(), 5)
    reference = ctx.reference.codes_communes()
    resolution = resoudre(codes, reference)
    ctx.signaler(
        resolution.inconnus,
        nom,
        serie,
        "code commune inconnu : ni commune actuelle, ni ancien code depuis 2015, ni commune déléguée ou "
        "associée, ni arrondissement municipal (code INSEE à 5 caractères attendu)",
    )
    ctx.bruts[nom] = resolution.bruts
    ctx.informations.extend(informations(resolution, reference, nom))
    return resolution.codes


def _lire_date(ctx: Contexte, nom: str, serie: pd.Series, bornee: bool) -> pd.Series:
    dates, illisibles = v.lire_dates(serie)
    ctx.signaler(illisibles, nom, serie, f"date illisible (formats acceptés : {FORMATS_DATE})")
    if bornee:
        hors = dates.notna() & (
            (dates < pd.Timestamp(DEBUT_PROGRAMME)) | (dates > pd.Timestamp(ctx.aujourd_hui))
        )
        ctx.signaler(
            hors,
            nom,
            serie,
            f"date hors de la période du programme (du {date_courte(DEBUT_PROGRAMME)} "
            f"au {date_courte(ctx.aujourd_hui)})",
        )
    iso = pd.Series(np.datetime_as_string(dates.to_numpy("datetime64[D]"), unit="D"), index=serie.index)
    return iso.where(dates.notna(), None).astype(object)


def _lire_enumeration(
    ctx: Contexte, nom: str, serie: pd.Series, valeurs: dict[str, str], motif: str
) -> pd.Series:
    lues = serie.map(lambda t: valeurs.get(normaliser_entete(t)))
    ctx.signaler(serie.ne("") & lues.isna(), nom, serie, motif)
    return lues.astype(object)


def _doublons(ctx: Contexte, texte: pd.DataFrame, kind: str) -> None:
    """Identical lines (every column of the schema, as written): reported with both line numbers."""
    if texte.empty:
        return
    doublees = texte.duplicated(keep="first").to_numpy()
    if not doublees.any():
        return
    groupes = texte.groupby(list(texte.columns), sort=False, dropna=False).ngroup().to_numpy()
    premieres = pd.Series(ctx.lignes).groupby(groupes).transform("min").to_numpy()
    details = np.array([f"identique à la ligne {p}" for p in premieres], dtype=object)
    ctx.signaler(doublees, None, None, DOUBLON, details)


def _porteur_connu(ctx: Contexte, sirens: pd.Series, texte: pd.Series, nom: str) -> None:
    ctx.signaler(
        sirens.notna() & ~sirens.isin(ctx.reference.porteurs),
        nom,
        texte,
        "porteur inconnu : importez d'abord le fichier des lauréats (KIND laureats)",
    )


def _regles_laureats(ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series]) -> None:
    ref = ctx.reference
    code = texte["code_territoire"]
    sans_espaces = code.str.replace(r"\s", "", regex=True)
    code_dep = v.completer_code(sans_espaces.str.upper(), 2)
    code_region, anciennes = _regions_avant_2016(ctx, types["type"].eq("CR") & code.ne(""), code_dep)
    attendu = {
        "CR": (code_region, code_region.isin(ref.regions), "code de région inconnu", None),
        "CD": (code_dep, code_dep.isin(ref.departements), "code de département inconnu", None),
        "EPCI": (
            sans_espaces,
            sans_espaces.isin(ref.epci.keys()),
            "SIREN d'EPCI inconnu de la géographie",
            _pas_un_epci(ref),
        ),
    }
    codes = sans_espaces.copy()
    for type_porteur, (normalises, connus, motif, detail) in attendu.items():
        du_type = types["type"].eq(type_porteur) & code.ne("")
        details = None if detail is None else np.full(len(types), detail, dtype=object)
        ctx.signaler(du_type & ~connus, "code_territoire", code, motif, details)
        codes = codes.where(~du_type, normalises)
    sm = types["type"].eq("SM") & code.ne("") & types["siren"].notna()
    ctx.signaler(
        sm & codes.ne(types["siren"]),
        "code_territoire",
        code,
        "pour un syndicat mixte, code_territoire est le SIREN du syndicat lui-même",
    )
    ctx.signaler(
        sm & codes.eq(types["siren"]) & ~codes.isin(ref.syndicats),
        "code_territoire",
        code,
        "syndicat mixte inconnu : importez d'abord le fichier des syndicats (KIND syndicats)",
    )
    types["code_territoire"] = codes
    types["code_territoire_brut"] = code_dep.where(anciennes, None).astype(object)
    types["sous_type"] = codes.map(ref.epci).where(types["type"].eq("EPCI"), None).astype(object)
    ctx.signaler(
        types["subvention_etat_eur"] > types["budget_total_eur"],
        "subvention_etat_eur",
        texte["subvention_etat_eur"],
        "subvention de l'État supérieure au budget total",
    )
    ctx.signaler(
        types["subvention_versee_eur"] > types["subvention_etat_eur"],
        "subvention_versee_eur",
        texte["subvention_versee_eur"],
        "subvention versée supérieure à la subvention de l'État engagée",
    )
    _meme_cle(ctx, types, ["siren", "vague"], "même convention (siren, vague) déjà décrite")
    _coherence(ctx, types, "siren", ["nom", "type", "code_territoire"], "lauréat décrit différemment")


def _regions_avant_2016(ctx: Contexte, regions: pd.Series, codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A région code of before 2016 (82 Rhône-Alpes) → today's région (84), told as information; returns
    the codes and the mask of the converted ones."""
    anciennes = regions & codes.isin(REGIONS_AVANT_2016.keys()) & ~codes.isin(ctx.reference.regions)
    if not anciennes.any():
        return codes, anciennes
    converties = codes.where(~anciennes, codes.map(REGIONS_AVANT_2016))
    for ancien, n in sorted(codes[anciennes].value_counts().items()):
        actuel = REGIONS_AVANT_2016[ancien]
        nom = ctx.reference.noms.get(("region", actuel), "")
        ctx.informations.append(
            f"{nombre(n)} ligne{'s' if n > 1 else ''} : code de région d'avant 2016 converti "
            f"(code_territoire), {ancien} → {actuel} {nom}".rstrip()
        )
    return converties, anciennes


def _pas_un_epci(ref: Reference) -> str:
    return (
        f"ce SIREN n'est pas celui d'un EPCI à fiscalité propre du {ref.cog} ; un EPCI fusionné ou dissous "
        "depuis n'est pas reconnu : indiquez le SIREN de l'EPCI actuel"
    )


def _regles_syndicats(ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series]) -> None:
    ref = ctx.reference
    code = texte["code_membre"].str.replace(r"\s", "", regex=True).str.upper()
    niveau = types["niveau_membre"]
    communes = niveau.eq("commune") & code.ne("")
    reference_communes = ref.codes_communes()
    resolution = resoudre(v.completer_code(code.where(communes, ""), 5), reference_communes)
    codes = code.where(~communes, resolution.codes)
    codes = codes.where(~niveau.eq("departement"), v.completer_code(code, 2))
    connus = (
        (communes & codes.isin(ref.communes))
        | (niveau.eq("departement") & codes.isin(ref.departements))
        | (niveau.eq("epci") & codes.isin(ref.epci.keys()))
    )
    pourquoi = {
        "commune": "commune : ni commune actuelle, ni ancien code depuis 2015, ni commune déléguée ou "
        "associée, ni arrondissement municipal (code INSEE à 5 caractères attendu)",
        "departement": f"département : code du {ref.cog} attendu (01 à 95, 2A, 2B, 971 à 976)",
        "epci": f"EPCI : {_pas_un_epci(ref)}",
    }
    ctx.signaler(
        niveau.notna() & code.ne("") & ~connus,
        "code_membre",
        texte["code_membre"],
        "code de membre inconnu de la géographie de référence à ce niveau",
        niveau.map(pourquoi).to_numpy(dtype=object),
    )
    types["code_membre"] = codes
    converties = (communes & resolution.convertis).to_numpy()
    types["code_brut"] = pd.Series(
        np.where(converties, resolution.bruts, None), index=types.index, dtype=object
    )
    types["source"], types["perimetre_au"] = SOURCE_FICHIER, None
    ctx.informations.extend(informations(resolution, reference_communes, "code_membre"))
    _coherence(ctx, types, "siren_syndicat", ["nom_syndicat"], "syndicat nommé différemment")


def _regles_commandes(ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series]) -> None:
    _porteur_connu(ctx, types["siren_porteur"], texte["siren_porteur"], "siren_porteur")
    carnet = types["pass_par_carnet"]
    ctx.signaler(
        carnet.notna() & carnet.gt(0) & (carnet % 1 == 0) & ~carnet.isin(PASS_PAR_CARNET),
        "pass_par_carnet",
        texte["pass_par_carnet"],
        "carnets de 5 ou de 10 pass seulement",
    )
    types["valeur_faciale_eur"] = types["valeur_faciale_eur"].fillna(VALEUR_FACIALE_DEFAUT)
    fin, debut = types["fin_validite"], types["date_commande"]
    ctx.signaler(
        fin.notna() & debut.notna() & (fin < debut),
        "fin_validite",
        texte["fin_validite"],
        "fin de validité antérieure à la date de commande",
    )
    _vague_du_porteur(ctx, types, texte)
    numeros.lire(ctx, types, texte, types["nb_carnets"] * types["pass_par_carnet"])


def _vague_du_porteur(ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series]) -> None:
    """An order attributed to a wave belongs to the laureate's convention of that wave: it must exist."""
    sirens, vagues = types["siren_porteur"], types["vague"]
    connues = vagues.isin(VAGUES) & sirens.isin(ctx.reference.porteurs)
    if not connues.any():
        return
    paires = pd.Series(list(zip(sirens, vagues.fillna(0).astype("int64"), strict=True)), index=types.index)
    sans_convention = connues & ~paires.isin(ctx.reference.conventions)
    ctx.signaler(
        sans_convention,
        "vague",
        texte["vague"],
        "le porteur n'a pas de convention de cette vague : importez-la d'abord (KIND laureats)",
    )


def _regles_evenements(ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series]) -> None:
    _porteur_connu(ctx, types["siren_porteur"], texte["siren_porteur"], "siren_porteur")
    numeros.lire(ctx, types, texte, types["nb_pass"])


REGLES = {
    "laureats": _regles_laureats,
    "syndicats": _regles_syndicats,
    "commandes": _regles_commandes,
    "distributions": _regles_evenements,
    "utilisations": _regles_evenements,
}


def _meme_cle(ctx: Contexte, types: pd.DataFrame, cle: list[str], motif: str) -> None:
    complete = types[cle].notna().all(axis=1)
    repetee = types[cle].duplicated(keep="first") & complete
    if not repetee.any():
        return
    premieres = pd.Series(ctx.lignes, index=types.index).groupby([types[c] for c in cle]).transform("min")
    details = np.array([f"déjà à la ligne {p}" for p in premieres.reindex(types.index)], dtype=object)
    ctx.signaler(repetee, ", ".join(cle), types[cle[0]], motif, details)


def _coherence(ctx: Contexte, types: pd.DataFrame, cle: str, attributs: list[str], motif: str) -> None:
    """Lines sharing a key must agree on its attributes (a laureate has one name, one type)."""
    premieres = types.groupby(cle, sort=False)[attributs].transform("first")
    lignes_premieres = pd.Series(ctx.lignes, index=types.index).groupby(types[cle]).transform("min")
    differentes = (types[attributs].ne(premieres) & premieres.notna()).any(axis=1) & types[cle].notna()
    details = np.array([f"autrement qu'à la ligne {p}" for p in lignes_premieres.reindex(types.index)])
    ctx.signaler(differentes, cle, types[cle], motif, details)


# --- Regional coordinators --------------------------------------------------------------------------
# Lines whose laureate or member is unknown were refused above with their own reason: they are left out
# here so that one mistake gives one error.

POUR_SA_REGION = "un coordinateur régional n'importe que pour les lauréats de sa région"
DEJA_AILLEURS = "lauréat déjà enregistré sur un territoire hors de votre région"
SANS_MEMBRE = (
    "aucun membre connu pour ce syndicat : importez d'abord le fichier des syndicats (KIND syndicats)"
)


def _region_laureats(
    ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series], perimetre: PerimetreRegional
) -> None:
    ref, type_, codes = ctx.reference, types["type"], types["code_territoire"]
    connus = (
        (type_.eq("CR") & codes.isin(ref.regions))
        | (type_.eq("CD") & codes.isin(ref.departements))
        | (type_.eq("EPCI") & codes.isin(ref.epci.keys()))
        | (type_.eq("SM") & codes.eq(types["siren"]) & codes.isin(ref.syndicats))
    )
    motif = f"lauréat hors de votre région ({perimetre.nom}) : {POUR_SA_REGION}"
    dans = perimetre.laureats_dans(type_, codes)
    sans_membre = type_.eq("SM") & ~codes.isin(perimetre.syndicats_avec_membres)
    ctx.signaler(
        connus & ~dans,
        "code_territoire",
        texte["code_territoire"],
        motif,
        np.where(sans_membre, SANS_MEMBRE, None),
    )
    # The import overwrites a known porteur's territory: without this, a laureate of another région
    # could be moved into this one by describing it with a local code.
    sirens = types["siren"]
    ctx.signaler(
        connus & dans & sirens.isin(ref.porteurs) & ~sirens.isin(perimetre.porteurs),
        "siren",
        texte["siren"],
        motif,
        np.full(len(types), DEJA_AILLEURS, dtype=object),
    )


def _region_syndicats(
    ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series], perimetre: PerimetreRegional
) -> None:
    ref, niveaux, codes = ctx.reference, types["niveau_membre"], types["code_membre"]
    connus = (
        (niveaux.eq("departement") & codes.isin(ref.departements))
        | (niveaux.eq("epci") & codes.isin(ref.epci.keys()))
        | (niveaux.eq("commune") & codes.isin(ref.communes))
    )
    hors = connus & ~perimetre.membres_dans(niveaux, codes)
    ctx.signaler(
        hors,
        "code_membre",
        texte["code_membre"],
        f"membre de syndicat hors de votre région ({perimetre.nom}) : {POUR_SA_REGION}",
    )
    # Importing a syndicat replaces all its members: those outside the région would be deleted.
    ctx.signaler(
        ~hors & types["siren_syndicat"].isin(perimetre.syndicats_debordants),
        "siren_syndicat",
        texte["siren_syndicat"],
        f"syndicat ayant des membres hors de votre région ({perimetre.nom}) : son import remplacerait "
        "toute sa composition, ce que seule l'administration nationale peut faire",
    )


def _region_porteur(
    ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series], perimetre: PerimetreRegional
) -> None:
    sirens = types["siren_porteur"]
    ctx.signaler(
        sirens.isin(ctx.reference.porteurs) & ~sirens.isin(perimetre.porteurs),
        "siren_porteur",
        texte["siren_porteur"],
        f"lauréat hors de votre région ({perimetre.nom}) : {POUR_SA_REGION}",
    )


COLONNE_PARTAGEE = "structure_partagee"


def _region_evenements(kind: str):
    """The laureates must be the région's; a structure that a laureate of another région also uses keeps
    its name and commune (column `structure_partagee`, read by the loader): only the national team may
    change a record that other régions' pages show."""
    col_siret, _, role = STRUCTURES[kind]

    def regle(
        ctx: Contexte, types: pd.DataFrame, texte: dict[str, pd.Series], perimetre: PerimetreRegional
    ) -> None:
        _region_porteur(ctx, types, texte, perimetre)
        partagees = {siret for siret, r in perimetre.structures_partagees if r == role}
        types[COLONNE_PARTAGEE] = types[col_siret].isin(partagees)
        n = types.loc[types[COLONNE_PARTAGEE], col_siret].nunique()
        if n:
            ctx.informations.append(
                f"{nombre(n)} structure{'s' if n > 1 else ''} utilisée{'s' if n > 1 else ''} aussi par des "
                "lauréats d'autres régions (même SIRET) : nom et commune gardés tels que la base les "
                "connaît (seule l'équipe nationale les modifie) ; les lignes sont importées."
            )

    return regle


REGLES_REGION = {
    "laureats": _region_laureats,
    "syndicats": _region_syndicats,
    "commandes": _region_porteur,
    "distributions": _region_evenements("distributions"),
    "utilisations": _region_evenements("utilisations"),
}
