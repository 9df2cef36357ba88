"""Large event CSVs read by blocks: where a block may end, the blocks, their lines, the duplicates between
blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dashboard.ingest import flux
from dashboard.ingest.lecture import Limites
from dashboard.ingest.rapport import Collecteur
from dashboard.ingest.validation import DOUBLON

ENTETE = "siren_porteur;date;code_commune;siret_lieu;nom_lieu;nb_pass\r\n"


def _ligne(i: int) -> str:
    return f"200054781;{1 + i % 28:02d}/03/2022;75056;;Lieu {i};{1 + i % 5}\r\n"


def _fichier(tmp_path: Path, lignes: list[str], nom: str = "u.csv") -> Path:
    chemin = tmp_path / nom
    chemin.write_bytes((ENTETE + "".join(lignes)).encode("utf-8"))
    return chemin


def test_xdx010_un_bloc_ne_finit_pas_dans_des_guillemets():
    assert flux._coupure(b"a;b\nc;d\ne") == 8
    assert flux._coupure(b"sans saut") is None
    # The last line break is inside a quoted value: the block ends at the one before.
    tampon = b'a;b\nc;"un\nnom";d'
    assert flux._coupure(tampon) == 4
    assert flux._coupure(b'x;"a ""cite"" ici"\ny') == len(b'x;"a ""cite"" ici"\n')
    assert flux._coupure(b'"ouvert\nencore') is None


def test_xdx011_les_blocs_recomposent_le_fichier(tmp_path):
    lignes = [_ligne(i) for i in range(500)]
    lignes[100] = '200054781;01/03/2022;75056;;"Lieu\r\nsur deux lignes";1\r\n'
    chemin = _fichier(tmp_path, lignes)
    blocs = list(flux.corps(chemin, taille=1000))
    assert len(blocs) > 10
    assert all(entete == ENTETE.encode() for entete, _, _ in blocs)
    assert all(corps.endswith(b"\n") and corps.count(b'"') % 2 == 0 for _, corps, _ in blocs)
    assert b"".join(corps for _, corps, _ in blocs) == "".join(lignes).encode()
    assert blocs[-1][2] == chemin.stat().st_size


def test_xdx012_lignes_du_fichier_et_doublons_entre_blocs(tmp_path):
    lignes = [_ligne(i) for i in range(300)]
    lignes[250] = lignes[10]  # the same line in another block
    lignes[11] = lignes[12]  # and in the same block (the validation of the block reports it)
    chemin = _fichier(tmp_path, lignes)
    lecteur = flux.LecteurFlux(chemin, "utilisations", Limites(), taille=2_000)
    blocs = list(lecteur.blocs())
    assert len(blocs) > 5
    numeros = np.concatenate([b.tableau.lignes for b in blocs])
    assert list(numeros) == list(range(2, 302))  # the file's lines: header = 1
    assert lecteur.lignes == 300 and lecteur.description.startswith("CSV UTF-8")
    erreurs = Collecteur()
    lecteur.doublons(erreurs)
    assert erreurs.comptes[DOUBLON] == 1
    (anomalie,) = erreurs.anomalies
    assert (anomalie.ligne, anomalie.detail) == (252, "identique à la ligne 12")


def test_xdx013_seuls_les_gros_csv_d_evenements(tmp_path, monkeypatch):
    petit = _fichier(tmp_path, [_ligne(i) for i in range(10)])
    assert not flux.en_flux(petit, "utilisations")
    monkeypatch.setattr(flux, "SEUIL_OCTETS", 100)
    assert flux.en_flux(petit, "utilisations") and flux.en_flux(petit, "distributions")
    assert not flux.en_flux(petit, "commandes")
    assert not flux.en_flux(petit.read_bytes(), "utilisations")
    xlsx = tmp_path / "u.xlsx"
    xlsx.write_bytes(b"PK\x03\x04" + b"\0" * 200)
    assert not flux.en_flux(xlsx, "utilisations")
