"""The search index: ranking (exact code, exact name, name's beginning, a word's beginning, every word,
any part), insensitivity to accents, case and punctuation, the labels, the map link."""

import csv
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.domain.etat import lire_query
from dashboard.domain.recherche import (
    CODE_EXACT,
    DANS_LE_NOM,
    DEBUT_D_UN_MOT,
    DEBUT_DU_NOM,
    LIMITE,
    NOM_EXACT,
    TOUS_LES_MOTS,
    Element,
    Index,
    lien_carte,
    mots,
)
from dashboard.settings import ROOT

MORBIHAN = Element("departement", "56", "Morbihan", "département", "Bretagne", "53")
COTES = Element("departement", "22", "Côtes-d'Armor", "département", "Bretagne", "53")
CORSE_DU_SUD = Element("departement", "2A", "Corse-du-Sud", "département", "Corse", "94")
BRETAGNE = Element("region", "53", "Bretagne", "région", "", "53")
MAYENNE = Element("departement", "53", "Mayenne", "département", "Pays de la Loire", "52")
RENNES = Element("epci", "243500139", "Rennes Métropole", "EPCI", "Ille-et-Vilaine", "53", ("Bretagne",))
SAINT_MALO = Element(
    "epci", "200070670", "CA du Pays de Saint-Malo Agglomération", "EPCI", "Ille-et-Vilaine", "53"
)
GOLFE = Element("epci", "200067932", "CA Golfe du Morbihan - Vannes Agglomération", "EPCI", "Morbihan", "53")
CR_BRETAGNE = Element("porteur", "233500016", "Région Bretagne", "lauréat", "conseil régional", "53", ("53",))
MARENNES = Element("epci", "200041689", "CC du Bassin de Marennes", "EPCI", "Charente-Maritime", "75")
PETIT = Index(
    [MORBIHAN, COTES, CORSE_DU_SUD, BRETAGNE, MAYENNE, RENNES, SAINT_MALO, GOLFE, CR_BRETAGNE, MARENNES]
)


def _trouves(texte, index=PETIT):
    return [(r.element.code, r.rang) for r in index.chercher(texte)]


def test_rch001_classement_code_exact_puis_nom_puis_debut_puis_mot_puis_partie():
    # The exact code first (a région and a département may share it: the région first), then the
    # laureate whose territory code it is.
    assert _trouves("53") == [("53", CODE_EXACT), ("53", CODE_EXACT), ("233500016", TOUS_LES_MOTS)]
    assert [r.element.niveau for r in PETIT.chercher("53")][:2] == ["region", "departement"]
    # The exact name, then a word's beginning, then every word found in the name and its context.
    assert _trouves("morbihan") == [("56", NOM_EXACT), ("200067932", DEBUT_D_UN_MOT)]
    assert _trouves("rennes") == [("243500139", DEBUT_DU_NOM), ("200041689", DANS_LE_NOM)]
    assert _trouves("bretagne")[:2] == [("53", NOM_EXACT), ("233500016", DEBUT_D_UN_MOT)]
    assert _trouves("region bretagne") == [("233500016", NOM_EXACT), ("53", TOUS_LES_MOTS)]
    assert _trouves("rennes bretagne") == [("243500139", TOUS_LES_MOTS)]
    assert _trouves("region b") == [("233500016", DEBUT_DU_NOM), ("53", TOUS_LES_MOTS)]
    # A SIREN, and its beginning.
    assert _trouves("243500139") == [("243500139", CODE_EXACT)]
    assert _trouves("2435") == [("243500139", DEBUT_DU_NOM)]
    assert _trouves("zzz") == [] and _trouves("   ") == [] and _trouves(None) == []


def test_rch002_accents_casse_tirets_apostrophes_et_abreviations():
    for texte in ("Côtes-d'Armor", "cotes darmor", "COTES D ARMOR", "côtes-d’armor", "cotesdarmor"):
        assert _trouves(texte)[0] == ("22", NOM_EXACT), texte
    assert _trouves("2a") == [("2A", CODE_EXACT)]
    assert _trouves("corse du sud")[0] == ("2A", NOM_EXACT)
    assert _trouves("st-malo") == [("200070670", DEBUT_D_UN_MOT)]
    assert _trouves("Saint Malo") == [("200070670", DEBUT_D_UN_MOT)]
    assert _trouves("rennes metropole") == [("243500139", NOM_EXACT)]
    assert mots("Saint-Brieuc") == mots("st brieuc") == ["saint", "brieuc"]


def test_rch003_au_plus_dix_resultats():
    beaucoup = Index(Element("epci", f"2000000{i:02d}", f"CC Saint-Exemple {i}", "EPCI") for i in range(30))
    assert len(beaucoup.chercher("saint")) == LIMITE == 10
    assert len(beaucoup.chercher("saint", limite=3)) == 3


def test_rch004_libelles_en_francais():
    assert MORBIHAN.libelle == "Morbihan (56) — département, Bretagne"
    assert RENNES.libelle == "Rennes Métropole — EPCI, Ille-et-Vilaine"
    assert CR_BRETAGNE.libelle == "Région Bretagne — lauréat, conseil régional"
    assert BRETAGNE.libelle == "Bretagne (53) — région"
    assert (MORBIHAN.fiche, CR_BRETAGNE.fiche) == ("/territoire/departement/56", "/porteur/233500016")
    assert RENNES.comparaison == "/comparer?ids=epci:243500139"
    assert PETIT.element("epci:243500139") is RENNES and PETIT.element("epci:1") is None


def test_rch005_lien_vers_la_carte_centree_sur_l_entite():
    lien = lien_carte("epci", "243500139", "53")
    assert lien == "/?vue=territoires&niveau=epci&region=53&focus=epci:243500139"
    etat = lire_query(lien.removeprefix("/"))  # the map's own codec reads the rest
    assert (etat.vue, etat.niveau, etat.filtres.regions) == ("territoires", "epci", ("53",))
    departement = lire_query(MORBIHAN.carte.removeprefix("/"))
    assert (departement.vue, departement.niveau, departement.filtres.regions) == (
        "territoires",
        "departement",
        ("53",),
    )
    assert MORBIHAN.carte.endswith("&focus=departement:56")
    # a région among all the régions; a laureate among the laureates of its région
    assert BRETAGNE.carte == "/?vue=territoires&niveau=region&focus=region:53"
    assert CR_BRETAGNE.carte == "/?region=53&focus=porteur:233500016"
    assert lien_carte("porteur", "233500016", None) == "/?focus=porteur:233500016"


def _territoires_de_reference() -> list[Element]:
    with open(ROOT / "data" / "geo" / "territoires.csv", encoding="utf-8") as flux:
        lignes = [ligne for ligne in csv.DictReader(flux) if ligne["niveau"] != "commune"]
    return [Element(ligne["niveau"], ligne["code"], ligne["nom"], ligne["niveau"]) for ligne in lignes]


REFERENCE = _territoires_de_reference()
INDEX_REFERENCE = Index(REFERENCE)


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(REFERENCE), st.sampled_from([str.lower, str.upper, str.title, str]))
def test_rch006_tout_territoire_trouve_par_son_code_et_par_son_nom_sans_accents(element, casse):
    par_code = INDEX_REFERENCE.chercher(casse(element.code))
    assert element in [r.element for r in par_code if r.rang == CODE_EXACT]
    assert all(r.rang == CODE_EXACT for r in par_code[:1])
    nom = casse(_sans_accents(element.nom))
    par_nom = INDEX_REFERENCE.chercher(nom)
    assert element in [r.element for r in par_nom if r.rang <= NOM_EXACT], nom
    assert par_nom[0].rang <= NOM_EXACT
    # and by its name's beginning, as one types it
    debut = INDEX_REFERENCE.chercher(nom[: max(3, len(nom) // 2)], limite=2000)
    assert element in [r.element for r in debut]
