"""Contracts of the repository itself: the README's commands, CI, the licence."""

import re

from dashboard.settings import ROOT


def _commandes_readme() -> list[str]:
    texte = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", texte, flags=re.S)


def test_dep001_readme_commence_par_les_deux_commandes():
    lancer, tester = _commandes_readme()[:2]
    assert lancer.endswith("python app.py")
    assert "chromium chromium-driver" in tester and '".[test]"' in tester and "pytest" in tester


def test_dep002_ci_execute_exactement_la_commande_de_test_du_readme():
    tester = _commandes_readme()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tester in ci.splitlines()


def test_dep003_licence_agpl():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert 'license = "AGPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def _exigences() -> list[str]:
    """Every requirement of pyproject.toml: the dependencies and those of each extra."""
    import tomllib

    projet = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [e for groupe in projet["optional-dependencies"].values() for e in groupe]
    return [*projet["dependencies"], *(e for e in extras if not e.startswith("passnum"))]


def _nom(exigence: str) -> str:
    return re.split(r"[\[<>=!~ ;]", exigence, maxsplit=1)[0].lower().replace("_", "-")


def _contraintes() -> dict[str, str]:
    lignes = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    paires = [ligne.split("==") for ligne in lignes if ligne and not ligne.startswith("#")]
    return {nom.lower().replace("_", "-"): version for nom, version in paires}


def test_dep004_installations_reproductibles_par_le_fichier_de_contraintes():
    """The README's two commands (so CI) install the tested versions; every dependency is bounded below its
    next major version and pinned in constraints.txt."""
    for commande in _commandes_readme()[:2]:
        assert "pip install" in commande and "-c constraints.txt" in commande
    contraintes = _contraintes()
    for exigence in _exigences():
        assert "<" in exigence or "==" in exigence, f"{exigence} : sans borne supérieure"
        assert _nom(exigence) in contraintes, f"{exigence} : absente de constraints.txt"


def test_dep005_l_environnement_de_test_a_les_versions_du_fichier_de_contraintes():
    """What runs the suite is what constraints.txt says (a dependency moved without regenerating it, or
    installed without `-c`, fails here)."""
    from importlib.metadata import distributions

    contraintes = _contraintes()
    ecarts = {
        nom: (d.version, contraintes[nom])
        for d in distributions()
        if (nom := d.metadata["Name"].lower().replace("_", "-")) in contraintes
        and d.version != contraintes[nom]
    }
    assert not ecarts, f"versions installées ≠ constraints.txt : {ecarts}"
