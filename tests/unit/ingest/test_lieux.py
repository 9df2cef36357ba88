"""Reading and validating a lieux file in memory (no database): JSON, the format told by the headers,
accepting the Pass and why, pivots, communes, coordinates, data·inclusion services grouped by structure."""

from datetime import date

import pandas as pd
import pytest

from dashboard.ingest.codes_postaux import CommunesParNom
from dashboard.ingest.communes import CodesCommunes
from dashboard.ingest.lecture import FichierIllisible
from dashboard.ingest.lieux import ReferenceLieux, detecter_format, lire, valider
from dashboard.ingest.rapport import Collecteur

AUJOURD_HUI = date(2026, 12, 1)
CONDITIONS_PASS = (
    "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu"
)
SOUS_CONDITION = (
    "Gratuit sous condition : La gratuité est conditionnée à des critères (adhésion, situation familiale, "
    "convention avec un organisme social, pass numériques…)"
)


@pytest.fixture(scope="module")
def reference() -> ReferenceLieux:
    """Nantes, Saint-Herblain, and Freigné (44225, déléguée of Vallons-de-l'Erdre, 44180)."""
    codes = CodesCommunes(
        {"44109": "44109", "44162": "44162", "44180": "44180", "44225": "44180"},
        {"44109": "actuelle", "44162": "actuelle", "44180": "actuelle", "44225": "deleguee"},
        {"44109": "Nantes", "44162": "Saint-Herblain", "44180": "Vallons-de-l'Erdre"},
    )
    table = pd.DataFrame(
        {
            "code": ["44109", "44162", "44180", "44225"],
            "nature": ["actuelle", "actuelle", "actuelle", "deleguee"],
            "code_actuel": ["44109", "44162", "44180", "44180"],
            "nom": ["Nantes", "Saint-Herblain", "Vallons-de-l'Erdre", "Freigné"],
            "codes_postaux": ["44000;44100", "44800", "44540", None],
        }
    )
    communes = pd.DataFrame(
        {"code": ["44109", "44162", "44180"], "nom": ["Nantes", "Saint-Herblain", "Vallons-de-l'Erdre"]}
    ).assign(code_departement="44")
    return ReferenceLieux(codes, CommunesParNom.depuis_tables(table, communes))


def _valider(contenu: str | bytes, reference) -> tuple[pd.DataFrame | None, list[str], Collecteur]:
    erreurs = Collecteur()
    octets = contenu.encode("utf-8") if isinstance(contenu, str) else contenu
    lieux, infos = valider(lire(octets), reference, erreurs, AUJOURD_HUI)
    return lieux, infos, erreurs


def test_lie014_json_liste_d_objets_ou_items():
    tableau = lire(
        b'[{"id": "a", "Nom": "Lieu", "frais": ["gratuit", "pass-numerique"], "latitude": 47.5, "x": null},'
        b' {"id": "b", "Nom": "Autre", "structure_id": "s", "ouvert": true}]'
    )
    assert list(tableau.donnees.columns) == ["id", "nom", "frais", "latitude", "x", "structure_id", "ouvert"]
    assert tableau.donnees.loc[0, "frais"] == "gratuit;pass-numerique"
    assert tableau.donnees.loc[0, "latitude"] == "47.5" and tableau.donnees.loc[1, "frais"] == ""
    assert tableau.donnees.loc[1, "ouvert"] == "true" and list(tableau.lignes) == [1, 2]
    assert tableau.description.startswith("JSON UTF-8, 2 objets")
    assert len(lire(b'{"items": [{"id": "a", "nom": "b"}]}').donnees) == 1
    for mauvais, motif in (
        (b'[{"id": 1,}]', "JSON illisible"),
        (b'{"total": 3}', "une liste d'objets"),
        (b'[{"id": "a"}, 3]', "l'élément n° 2"),
        (b"[]", "fichier vide"),
    ):
        with pytest.raises(FichierIllisible, match=motif):
            lire(mauvais)


@pytest.mark.parametrize(
    ("entetes", "format_"),
    [
        ({"id", "pivot", "nom", "conditions_acces", "labels_nationaux"}, "v0.1"),
        ({"id", "nom", "code_insee"}, "v0.1"),
        ({"id", "pivot", "nom", "frais_a_charge", "dispositif_programmes_nationaux", "itinerance"}, "v0.2"),
        ({"id", "structure_id", "source", "nom", "frais", "thematiques"}, "data·inclusion"),
        ({"id", "nom", "telephone"}, None),
    ],
)
def test_lie015_format_reconnu_aux_entetes(entetes, format_):
    assert detecter_format(entetes) == format_


def test_lie016_acceptation_du_pass_et_motif_v01(reference):
    lieux, infos, erreurs = _valider(
        "id;pivot;nom;commune;code_postal;code_insee;conditions_acces;labels_nationaux\n"
        f"a;;Cyber-base;Nantes;44000;44109;Gratuit : Je peux accéder gratuitement…|{CONDITIONS_PASS};\n"
        f"b;;Médiathèque;Nantes;44000;44109;{SOUS_CONDITION};France Services|APTIC\n"
        "c;;Mairie;Nantes;44000;44109;Payant : L'accès au lieu est payant;France Services\n"
        f"d;;Espace;Nantes;44000;44109;{CONDITIONS_PASS};APTIC\n",
        reference,
    )
    assert not erreurs, erreurs.anomalies
    assert lieux["format"].unique().tolist() == ["v0.1"]
    assert lieux["accepte_pass"].tolist() == [True, True, False, True]
    assert lieux["motif_pass"].tolist() == [
        "conditions d'accès",
        "label APTIC",  # "pass numériques…" in a free-of-charge condition is not an acceptance
        None,
        "conditions d'accès, label APTIC",
    ]
    assert lieux["labels"].tolist() == [None, "France Services;APTIC", "France Services", "APTIC"]
    assert "3 lieux acceptant le Pass numérique sur 4 (conditions d'accès : 2, label APTIC : 2)." in infos


def test_lie017_acceptation_v02_et_data_inclusion(reference):
    lieux, _, erreurs = _valider(
        "id,nom,code_insee,frais_a_charge,dispositif_programmes_nationaux,formations_labels\n"
        f'a,Lieu A,44109,"{SOUS_CONDITION}","Conseillers numériques|Pass numérique",\n'
        f'b,Lieu B,44109,"{SOUS_CONDITION}",Aidants Connect,APTIC\n'
        f'c,Lieu C,44109,"{SOUS_CONDITION}",France Services,\n',
        reference,
    )
    assert not erreurs, erreurs.anomalies
    assert lieux["motif_pass"].tolist() == ["dispositif Pass numérique", "label APTIC", None]
    services, infos, erreurs = _valider(
        '[{"id": "s1", "source": "dora", "structure_id": "17", "nom": "Atelier", "frais": ["gratuit"],'
        ' "code_insee": "44109"},'
        ' {"id": "s2", "source": "dora", "structure_id": "17", "nom": "Permanence",'
        ' "frais": ["pass-numerique"], "code_insee": "44109"},'
        ' {"id": "s3", "source": "dora", "structure_id": "18", "nom": "Accueil", "frais": "payant",'
        ' "code_insee": "44109", "siret": "44109000000015"}]',
        reference,
    )
    assert not erreurs, erreurs.anomalies
    # The services of one structure are one place, accepting the Pass when one of them does.
    assert services["identifiant"].tolist() == ["dora:17", "dora:18"]
    assert services["accepte_pass"].tolist() == [True, False]
    assert services["motif_pass"].tolist() == ["frais « pass-numerique »", None]
    assert (
        services["nom"].tolist() == ["Atelier", "Accueil"]
        and services["siret"].tolist()[1] == "44109000000015"
    )
    assert "3 services regroupés en 2 lieux (même structure_id)." in infos


def test_lie018_pivots_communes_coordonnees_dates(reference):
    lieux, infos, erreurs = _valider(
        "id,pivot,nom,commune,code_postal,code_insee,latitude,longitude,date_maj\n"
        'a,44109000000015,A,Nantes,44000,44109,47.218,"-1,553",2022-06-02\n'
        "b,w442000123,B,ST HERBLAIN CEDEX,44800,,,,15/03/2022\n"
        "c,00000000000000,C,Freigné,44540,44225,,,1970-01-01\n"
        "d,12345678901234,D,Freigné,44540,,,,06/2022\n",
        reference,
    )
    assert not erreurs, erreurs.anomalies
    assert lieux["siret"].tolist() == ["44109000000015", None, None, None]
    assert lieux["pivot"].tolist() == ["44109000000015", "w442000123", None, "12345678901234"]
    # Today's commune: from a code of any vintage (raw kept), else by postcode and name.
    assert lieux["code_commune"].tolist() == ["44109", "44162", "44180", "44180"]
    assert lieux["code_commune_brut"].tolist() == [None, None, "44225", None]
    assert lieux["latitude"].tolist()[0] == 47.218 and lieux["longitude"].tolist()[0] == -1.553
    assert lieux["date_maj"].tolist() == [date(2022, 6, 2), date(2022, 3, 15), None, date(2022, 6, 1)]
    for phrase in (
        "1 lieu : pivot « 00000000000000 » (valeur de remplissage) ignoré",
        "1 lieu : pivot RNA (W + 9 chiffres) gardé comme pivot, sans SIRET",
        "1 lieu : pivot ni SIRET valide (14 chiffres, clé de Luhn) ni RNA : gardé tel quel, sans SIRET",
        "1 ligne : commune déléguée convertie (code_insee), 44225 → 44180 Vallons-de-l'Erdre",
        "2 lieux : sans code_insee, commune trouvée par le code postal et le nom",
        "1 lieu : date de mise à jour 01/01/1970 (valeur de repli d'une conversion) lue comme absente",
    ):
        assert phrase in infos


def test_lie019_refus_en_francais(reference):
    _, _, erreurs = _valider(
        "id,nom,code_insee,latitude,date_maj\na,A,44109,91,2022-01-01\na,B,44109,,31/02/2022\n,,44109,,\n",
        reference,
    )
    motifs = {a.motif: a for a in erreurs.anomalies}
    assert (
        motifs["identifiant en double"].ligne == 3
        and motifs["identifiant en double"].detail == "déjà à la ligne 2"
    )
    assert motifs["latitude hors de [−90 ; 90] degrés"].valeur == "91"
    assert motifs["date illisible (formats acceptés : JJ/MM/AAAA, AAAA-MM-JJ, MM/AAAA ou AAAA-MM)"].ligne == 3
    assert erreurs.comptes["valeur obligatoire manquante"] == 2  # id and nom of line 4
    _, _, sans_id = _valider("identifiant;nom;code_insee\nx;A;44109\n", reference)
    assert sans_id.anomalies[0].motif == "colonne obligatoire absente : id"


def test_lie022_xlsx_par_le_lecteur_commun(reference):
    import io

    import openpyxl

    classeur = openpyxl.Workbook()
    feuille = classeur.active
    feuille.title = "Lieux"
    feuille.append(
        ["id", "pivot", "nom", "commune", "code_postal", "code_insee", "latitude", "formations_labels"]
    )
    feuille.append(["x-1", 44109000000015, "Cyber-base", "Nantes", 44000, 44109, 47.218, "APTIC"])
    feuille.append(["x-2", None, "Mairie annexe", "St Herblain", 44800, None, None, None])
    sortie = io.BytesIO()
    classeur.save(sortie)
    lieux, _, erreurs = _valider(sortie.getvalue(), reference)
    assert not erreurs, erreurs.anomalies
    assert lieux["format"].tolist() == ["v0.2", "v0.2"] and lieux["siret"].tolist()[0] == "44109000000015"
    assert lieux["code_commune"].tolist() == ["44109", "44162"] and lieux["latitude"].tolist()[0] == 47.218
    assert lieux["accepte_pass"].tolist() == [True, False]
