"""Which routes the public mode opens: the aggregates of territories, never one laureate."""

from dashboard.web.api.autorisation import regle_de


def test_api020_regles_par_route_et_par_niveau():
    assert (
        regle_de("api.indicateurs", {}).portee == "indicateurs" and regle_de("api.indicateurs", {}).publique
    )
    assert regle_de("api.entite", {"niveau": "departement", "code": "29"}).publique
    assert not regle_de("api.entite", {"niveau": "porteur", "code": "200046977"}).publique
    assert not regle_de("api.serie", {"niveau": "porteur", "code": "200046977"}).publique
    assert regle_de("api.serie", {"niveau": "porteur", "code": "1"}).portee == "series"
    assert regle_de("api.openapi", {}).documentation and regle_de("api.openapi", {}).portee is None
    assert not regle_de("inconnu", None).publique  # an endpoint nobody declared stays closed
