"""The readers' defences against hostile files, at the unit level: what must still be accepted as it is."""

from __future__ import annotations

import pytest

from dashboard.ingest.lecture import FichierIllisible, Limites, decoder, lire_fichier


def test_hos015_windows_1252_francais_jamais_pris_pour_un_melange():
    """The mixed-encoding check looks for UTF-8 sequences of French characters; a genuine Windows-1252
    text (capitals with accents before punctuation, œ, guillemets, apostrophes) never spells one."""
    texte = "nom\nÉTÉ… « Noël » l’œuvre — ÀÇ§°\n"
    lu, encodage = decoder(texte.encode("cp1252"))
    assert (lu, encodage) == (texte, "Windows-1252")
    with pytest.raises(FichierIllisible, match="encodages mélangés : la ligne 2 est en UTF-8, la ligne 3"):
        decoder("nom\nNoël\n".encode() + "Noël\n".encode("cp1252"))


def test_hos016_lignes_physiques_crlf_lignes_vides_et_champs_sur_plusieurs_lignes():
    contenu = b'a;b\r\n1;"x\r\ny"\r\n\r\n2;z\r\n3;"p\nq\nr"\r\n4;w\r\n'
    tableau = lire_fichier(contenu, "laureats")
    assert tableau.donnees["a"].tolist() == ["1", "2", "3", "4"]
    assert tableau.lignes.tolist() == [2, 5, 6, 9]


def test_hos017_bornes_par_defaut():
    limites = Limites()
    assert (limites.colonnes, limites.lignes, limites.cellule, limites.cellules) == (
        200,
        5_000_000,
        10_000,
        8_000_000,
    )
    assert limites.decompresse == 200 * 1024 * 1024 and limites.duree_s == 50
