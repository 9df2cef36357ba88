"""Committees and their notes (dashboard.store.comites), on SQLite and PostgreSQL, over the small demo
dataset loaded through the importer: adding, validation in French, rights of each role, deletion and
restoration, the audit log; the demo's own committees; the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import delete, select

from dashboard.demo.chargement import ACTEUR_COMITES, COMITES_DEMO, charger_demo
from dashboard.domain.droits import ADMIN, COORDINATEUR, LECTEUR, Principal
from dashboard.settings import ROOT
from dashboard.store import comites, comptes, entites
from dashboard.store.comites import NoteInvalide, NoteRefusee
from dashboard.store.initialisation import initialiser
from dashboard.store.schema import Comite, NoteComite, Porteur
from tests.conftest import GEO_DIR, moteur_temporaire


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory):
    with moteur_temporaire(request.param, tmp_path_factory.mktemp("comites")) as engine:
        initialiser(engine, GEO_DIR)
        charger_demo(engine, GEO_DIR, "small")
        yield engine


@pytest.fixture
def base(demo):
    """The demo database without any committee nor note (each test starts from there)."""
    with demo.begin() as connexion:
        connexion.execute(delete(NoteComite))
        connexion.execute(delete(Comite))
    return demo


def _porteur_et_region(engine):
    with engine.connect() as connexion:
        sirens = connexion.scalars(select(Porteur.siren).order_by(Porteur.siren)).all()
    for siren in sirens:
        ent = entites.entite(engine, "porteur", siren)
        if ent is not None and ent.region:
            return ent.code, ent.region
    raise AssertionError("aucun lauréat avec sa région dans la démo")


def _actions(engine, depuis_id: int = 0) -> list[tuple[str, str, str]]:
    return [
        (e["action"], e["acteur"], e["cible"])
        for e in reversed(comptes.journal(engine, 500))
        if e["id"] > depuis_id
    ]


def _dernier_id(engine) -> int:
    journal = comptes.journal(engine, 1)
    return journal[0]["id"] if journal else 0


def test_com001_la_demo_a_ses_deux_comites_et_ses_notes(demo):
    """Before `base` empties them: what the demo loader wrote (run first in the module)."""
    liste = comites.comites(demo)
    demo_comites = [c for c in liste if c.cree_par == ACTEUR_COMITES]
    assert [c.date for c in demo_comites] == sorted((j for j, _ in COMITES_DEMO), reverse=True)
    notes = comites.notes(demo)
    assert len(notes) >= 4 and all(n.auteur == ACTEUR_COMITES for n in notes)
    assert {"national", "departement", "region"} <= {n.niveau for n in notes}
    # Each note's entity exists in the demo (validated on the way in).
    for n in notes:
        assert n.niveau == "national" or entites.entite(demo, n.niveau, n.code) is not None


def test_com002_comites_ajout_liste_dernier_suppression_journal(base):
    debut = _dernier_id(base)
    comites.ajouter_comite(base, "2023-11-14", "Comité de novembre", "admin@test")
    comites.ajouter_comite(base, date(2023, 12, 12), None, "admin@test")
    assert [c.date for c in comites.comites(base)] == [date(2023, 12, 12), date(2023, 11, 14)]
    assert comites.dernier_comite(base).date == date(2023, 12, 12)
    assert comites.dernier_comite(base, avant=date(2023, 12, 12)).date == date(2023, 11, 14)
    assert comites.dernier_comite(base, avant=date(2023, 11, 14)) is None
    assert comites.comites(base)[1].libelle == "Comité du 14/11/2023 — Comité de novembre"
    with pytest.raises(NoteInvalide, match="Un comité existe déjà le 14/11/2023"):
        comites.ajouter_comite(base, "2023-11-14", None, "admin@test")
    with pytest.raises(NoteInvalide, match="Date du comité invalide « 14/11/2023 »"):
        comites.ajouter_comite(base, "14/11/2023", None, "admin@test")
    comites.supprimer_comite(base, "2023-11-14", "admin@test")
    assert [c.date for c in comites.comites(base)] == [date(2023, 12, 12)]
    with pytest.raises(NoteInvalide, match="Aucun comité le 14/11/2023"):
        comites.supprimer_comite(base, "2023-11-14", "admin@test")
    assert _actions(base, debut) == [
        ("comite_ajoute", "admin@test", "2023-11-14"),
        ("comite_ajoute", "admin@test", "2023-12-12"),
        ("comite_supprime", "admin@test", "2023-11-14"),
    ]


def test_com003_notes_ajout_validation_en_francais(base):
    siren, _region = _porteur_et_region(base)
    n1 = comites.ajouter_note(base, "departement", "29", "2023-12-12", "  décision : relance du CD 29  ", "a")
    n2 = comites.ajouter_note(base, "national", None, date(2023, 11, 14), "point national", "b")
    n3 = comites.ajouter_note(base, "porteur", siren, date(2023, 12, 20), "relance du lauréat", "c")
    n4 = comites.ajouter_note(base, "departement", "2a", date(2023, 12, 1), "Corse-du-Sud", "d")
    assert (n1.niveau, n1.code, n1.date_note, n1.texte, n1.auteur) == (
        "departement",
        "29",
        date(2023, 12, 12),
        "décision : relance du CD 29",
        "a",
    )
    assert n4.code == "2A"
    assert [n.id for n in comites.notes(base)] == [n3.id, n1.id, n4.id, n2.id]  # latest date first
    assert [n.id for n in comites.notes(base, "departement", "29")] == [n1.id]
    assert [n.id for n in comites.notes(base, "national")] == [n2.id]
    assert [n.id for n in comites.notes(base, depuis=date(2023, 12, 1), jusqu_a=date(2023, 12, 12))] == [
        n1.id,
        n4.id,
    ]
    refus = [
        (("region", "99", "2023-12-12", "x"), "Code de région inconnu « 99 »"),
        (("departement", "96", "2023-12-12", "x"), "Code de département inconnu « 96 »"),
        (("porteur", "123456789", "2023-12-12", "x"), "Lauréat inconnu : SIREN « 123456789 »"),
        (("commune", "29019", "2023-12-12", "x"), "Niveau inconnu « commune »"),
        (("national", "29", "2023-12-12", "x"), "Une note nationale ne porte pas de code"),
        (("departement", "", "2023-12-12", "x"), "Code manquant pour le niveau « departement »"),
        (("departement", "29", "12/12/2023", "x"), "Date de la note invalide « 12/12/2023 »"),
        (("departement", "29", "2023-12-12", "   "), "Le texte de la note est vide"),
        (("departement", "29", "2023-12-12", "é" * 2001), "Note trop longue : 2001 caractères, 2000 au plus"),
    ]
    for arguments, message in refus:
        with pytest.raises(NoteInvalide, match=message):
            comites.ajouter_note(base, *arguments, "a")
    assert len(comites.notes(base)) == 4  # nothing written by the refusals
    assert comites.ajouter_note(base, "departement", "29", "2023-12-12", "é" * 2000, "a").texte == "é" * 2000


def test_com004_suppression_reversible_et_journal(base):
    debut = _dernier_id(base)
    note = comites.ajouter_note(base, "departement", "29", "2023-12-12", "relance", "admin@test")
    supprimee = comites.supprimer_note(base, note.id, "admin@test")
    assert supprimee.supprimee
    assert comites.notes(base) == []
    assert [n.id for n in comites.notes(base, avec_supprimees=True)] == [note.id]
    restauree = comites.restaurer_note(base, note.id, "admin@test")
    assert not restauree.supprimee and restauree.texte == "relance"
    assert [n.id for n in comites.notes(base)] == [note.id]
    with pytest.raises(NoteInvalide, match="Note inconnue"):
        comites.supprimer_note(base, 999999, "admin@test")
    cible = f"note:{note.id}"
    assert _actions(base, debut) == [
        ("note_ajoutee", "admin@test", cible),
        ("note_supprimee", "admin@test", cible),
        ("note_restauree", "admin@test", cible),
    ]
    details = [e["details"] for e in comptes.journal(base, 3)]
    assert details[-1] == {"entite": "departement:29", "date": "2023-12-12"}


def test_com005_droits_par_role_et_region(base):
    siren, region = _porteur_et_region(base)
    autre = "11" if region != "11" else "84"
    admin = Principal(ADMIN, "admin@test", "Admin")
    coordinateur = Principal(COORDINATEUR, "coord@test", "Coord", region=region)
    lecteur = Principal(LECTEUR, "lecteur@test", "Lecteur")
    deps = entites.territoires(base).loc["departement"]
    dep_region = deps.index[deps["code_region"] == region][0]
    dep_autre = deps.index[deps["code_region"] == autre][0]
    # The administrator: everything, the national level too.
    comites.ajouter_note(base, "national", None, "2023-12-12", "n", "Admin", admin)
    # The coordinator: their région's territories and laureates only.
    ok = comites.ajouter_note(base, "porteur", siren, "2023-12-12", "p", "Coord", coordinateur)
    comites.ajouter_note(base, "departement", dep_region, "2023-12-12", "d", "Coord", coordinateur)
    comites.ajouter_note(base, "region", region, "2023-12-12", "r", "Coord", coordinateur)
    for niveau, code in (("departement", dep_autre), ("region", autre), ("national", None)):
        with pytest.raises(NoteRefusee, match="Votre compte ne permet pas d'écrire cette note"):
            comites.ajouter_note(base, niveau, code, "2023-12-12", "x", "Coord", coordinateur)
    # The reader: nothing.
    with pytest.raises(NoteRefusee):
        comites.ajouter_note(base, "porteur", siren, "2023-12-12", "x", "Lecteur", lecteur)
    with pytest.raises(NoteRefusee):
        comites.supprimer_note(base, ok.id, "Lecteur", lecteur)
    autre_note = comites.ajouter_note(base, "departement", dep_autre, "2023-12-12", "a", "Admin", admin)
    with pytest.raises(NoteRefusee):
        comites.supprimer_note(base, autre_note.id, "Coord", coordinateur)
    assert comites.supprimer_note(base, ok.id, "Coord", coordinateur).supprimee
    assert len(comites.notes(base)) == 4  # n, d, r, a — p deleted, the refused ones never written


def _passnum(engine, *arguments):
    url = engine.url.render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *arguments],
        cwd=ROOT,
        env={**os.environ, "PASSNUM_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_com006_ligne_de_commande(base):
    r = _passnum(base, "comite", "ajouter", "2023-12-12", "--titre", "Comité de décembre")
    assert (r.returncode, r.stdout.strip()) == (0, "Comité du 12/12/2023 — Comité de décembre ajouté.")
    r = _passnum(base, "comite", "list")
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith(
        "12/12/2023\tComité de décembre\tconsole:"
    )
    r = _passnum(
        base,
        "note",
        "ajouter",
        "--entite",
        "departement:29",
        "--date",
        "2023-12-12",
        "--texte",
        "décision : relance du CD 29",
    )
    assert r.returncode == 0, r.stderr
    note = comites.notes(base)[0]
    assert r.stdout.strip() == f"Note n° {note.id} ajoutée (departement:29, 12/12/2023)."
    assert note.auteur.startswith("console:")
    r = _passnum(base, "note", "list", "--entite", "departement:29")
    colonnes = r.stdout.splitlines()[0].split("\t")
    assert colonnes[:3] == [str(note.id), "12/12/2023", "departement:29"]
    assert colonnes[4] == "décision : relance du CD 29"
    assert _passnum(base, "note", "list", "--entite", "departement:35").stdout.strip() == "Aucune note."
    r = _passnum(
        base, "note", "ajouter", "--entite", "departement:96", "--date", "2023-12-12", "--texte", "x"
    )
    assert r.returncode == 2 and "Erreur : Code de département inconnu « 96 »" in r.stderr
    r = _passnum(base, "note", "ajouter", "--entite", "29", "--date", "2023-12-12", "--texte", "x")
    assert r.returncode == 2 and "Entité illisible « 29 »" in r.stderr
    r = _passnum(base, "comite", "ajouter", "12/12/2023")
    assert r.returncode == 2 and "Date du comité invalide" in r.stderr
    assert _passnum(base, "note", "supprimer", str(note.id)).stdout.strip() == f"Note n° {note.id} supprimée."
    assert comites.notes(base) == []
    assert _passnum(base, "note", "restaurer", str(note.id)).stdout.strip() == f"Note n° {note.id} restaurée."
    assert [n.id for n in comites.notes(base)] == [note.id]
    actions = [e["action"] for e in comptes.journal(base, 4)]
    assert actions == ["note_restauree", "note_supprimee", "note_ajoutee", "comite_ajoute"]


# --- The web: the callback of the block, through the access layer, per role ------------------------------

COMPTES_WEB = {
    "admin": ("admin@exemple.fr", None),
    "coordinateur": ("coord@exemple.fr", "53"),  # Bretagne
    "lecteur": ("lecteur@exemple.fr", None),
}


@pytest.fixture(scope="module")
def web(base_demo, tmp_path_factory):
    from dashboard import create_app
    from tests.conftest import copie_avec_comptes
    from tests.integration.test_acces import MDP, connecter

    settings = copie_avec_comptes(base_demo, tmp_path_factory.mktemp("notes-web"), COMPTES_WEB, MDP)
    app = create_app(settings)
    app.server.test_client().get("/sante")
    clients = {role: connecter(app, identifiant) for role, (identifiant, _r) in COMPTES_WEB.items()}
    from dashboard.store.db import make_engine

    return app, clients, make_engine(settings.resolved_database_url)


def _ajouter_par_le_web(app, client, entite: str, texte: str):
    from tests.rappels import corps_rappel

    corps = corps_rappel(
        app,
        "notes-liste.children",
        valeurs={"notes-entite.data": entite},
        declencheur=({"type": "notes-ajouter", "n": 0}, "n_clicks"),
        composants=[
            ({"type": "notes-ajouter", "n": 0}, "n_clicks", 1),
            ({"type": "notes-date", "n": 0}, "value", "2023-12-12"),
            ({"type": "notes-texte", "n": 0}, "value", texte),
        ],
    )
    corps["outputs"][2] = [{"id": {"type": "notes-texte", "n": 0}, "property": "value"}]
    return client.post("/_dash-update-component", json=corps)


def test_com007_rappel_des_notes_selon_le_role_et_la_region(web):
    app, clients, engine = web
    avant = {n.id for n in comites.notes(engine)}
    # The administrator: anywhere; the answer redraws the list and empties the text.
    reponse = _ajouter_par_le_web(app, clients["admin"], "departement:13", "note de l'administrateur")
    assert reponse.status_code == 200
    corps = reponse.get_json()["response"]
    assert "note de l'administrateur" in str(corps["notes-liste"]["children"])
    assert corps["notes-message"]["children"][0]["props"]["children"] == "Note du 12/12/2023 ajoutée."
    assert corps['{"n":0,"type":"notes-texte"}']["value"] == ""
    # The coordinator of Bretagne: the Finistère yes, the Bouches-du-Rhône no (said, nothing written).
    assert (
        _ajouter_par_le_web(app, clients["coordinateur"], "departement:29", "note bretonne").status_code
        == 200
    )
    refus = _ajouter_par_le_web(app, clients["coordinateur"], "departement:13", "note hors région")
    message = refus.get_json()["response"]["notes-message"]["children"][0]["props"]
    assert message["children"].startswith("Votre compte ne permet pas d'écrire cette note")
    # The reader: refused before the callback runs.
    assert (
        _ajouter_par_le_web(app, clients["lecteur"], "departement:29", "note du lecteur").status_code == 403
    )
    ecrites = [n for n in comites.notes(engine) if n.id not in avant]
    assert sorted((n.code, n.texte, n.auteur) for n in ecrites) == [
        ("13", "note de l'administrateur", "Admin"),
        ("29", "note bretonne", "Coord"),
    ]


def test_com008_export_des_notes_de_la_fiche(base_demo):
    from types import SimpleNamespace

    from dashboard.store.db import make_engine
    from dashboard.store.geometries import Geometries
    from dashboard.vues import fiche

    engine = make_engine(base_demo.resolved_database_url)
    sources = SimpleNamespace(engine=engine, geometries=Geometries(base_demo.geo_dir))
    fichier = fiche.exporter(sources, "departement:29", "csv", "notes")
    texte = fichier.contenu.decode("utf-8-sig")
    assert "-notes-" in fichier.nom
    assert "Date;Entité;Note;Auteur" in texte
    # The demo's note on the Finistère, dated and named (dashboard.demo.chargement).
    assert "17/10/2023;Finistère;Décision : relance du CD 29 sur la distribution" in texte
    assert "démonstration" in texte
    engine.dispose()
