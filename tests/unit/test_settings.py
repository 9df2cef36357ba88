from pathlib import Path

import pytest

from dashboard.settings import ROOT, Settings


def test_set001_valeurs_par_defaut():
    s = Settings.from_env({})
    assert (s.host, s.port, s.cache_url) == ("127.0.0.1", 8050, None)
    assert s.database_url == "sqlite:///data/passnum.sqlite"
    assert s.is_embedded_database


def test_set002_sqlite_relatif_a_la_racine_du_depot():
    s = Settings.from_env({})
    assert s.resolved_database_url == f"sqlite:///{ROOT / 'data' / 'passnum.sqlite'}"


def test_set003_variables_d_environnement():
    s = Settings.from_env(
        {
            "PASSNUM_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
            "PASSNUM_CACHE_URL": "redis://127.0.0.1:6379/0",
            "PASSNUM_HOST": "0.0.0.0",
            "PASSNUM_PORT": "9000",
            "PASSNUM_SECRET_KEY": "s3cret",
        }
    )
    assert not s.is_embedded_database
    assert s.resolved_database_url == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert (s.cache_url, s.host, s.port, s.effective_secret_key()) == (
        "redis://127.0.0.1:6379/0",
        "0.0.0.0",
        9000,
        "s3cret",
    )


def test_set004_port_invalide_message_francais():
    with pytest.raises(ValueError, match="PASSNUM_PORT"):
        Settings.from_env({"PASSNUM_PORT": "huit-mille"})


def test_set005_cle_secrete_de_developpement_stable(tmp_path: Path):
    s = Settings(data_dir=tmp_path)
    premiere = s.effective_secret_key()
    assert len(premiere) == 64 and s.effective_secret_key() == premiere
    assert (tmp_path / ".secret_key").stat().st_mode & 0o777 == 0o600


def test_set006_https_et_proxies():
    settings = Settings.from_env({"PASSNUM_HTTPS": "1", "PASSNUM_PROXIES": "2"})
    assert settings.https is True and settings.proxies == 2
    assert Settings.from_env({}).https is False and Settings.from_env({}).proxies == 0
    for variable, valeur in (("PASSNUM_HTTPS", "peut-être"), ("PASSNUM_PROXIES", "-1")):
        with pytest.raises(ValueError, match=variable):
            Settings.from_env({variable: valeur})


def test_rap040_url_smtp_du_rapport():
    assert Settings.from_env({}).smtp_url is None
    assert Settings.from_env({"PASSNUM_SMTP_URL": " "}).smtp_url is None
    for url in ("smtp://u:p%40ss@smtp.exemple.fr:587", "smtps://smtp.exemple.fr", "smtp://127.0.0.1:2525"):
        assert Settings.from_env({"PASSNUM_SMTP_URL": url}).smtp_url == url
    for url in ("http://h", "smtp://", "smtp://h:99999", "smtp://u:secret@h/chemin", "smtp://h?x=1"):
        with pytest.raises(ValueError, match="PASSNUM_SMTP_URL doit être une adresse smtp://") as refus:
            Settings.from_env({"PASSNUM_SMTP_URL": url})
        assert "secret" not in str(refus.value)  # a password is never repeated


def test_exr002_chauffe_des_exports_desactivable():
    from dashboard.exports import chauffer

    assert Settings.from_env({}).exports_chauffe
    sans = Settings.from_env({"PASSNUM_EXPORTS_CHAUFFE": "0"})
    assert not sans.exports_chauffe
    assert chauffer(sans) is None  # nothing started
    with pytest.raises(ValueError, match="PASSNUM_EXPORTS_CHAUFFE"):
        Settings.from_env({"PASSNUM_EXPORTS_CHAUFFE": "peut-être"})
