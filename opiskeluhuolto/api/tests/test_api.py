import pytest

pytestmark = pytest.mark.django_db


def test_openapi_describes_the_api(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert "/api/v1/accounts/me" in paths
    assert "/api/v1/organisation/institutions" in paths


def test_whoami(client, cast):
    client.force_login(cast.student)
    me = client.get("/api/v1/accounts/me").json()
    assert me["username"] == "aino"
    assert me["student_id"] == cast.aino.pk
    assert me["roles"] == []
    client.force_login(cast.guardian)
    assert client.get("/api/v1/accounts/me").json()["guarded_student_ids"] == [cast.aino.pk]


def test_anonymous_gets_401_not_a_redirect(client):
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_institutions_are_scoped(client, cast):
    client.force_login(cast.kuraattori_out)
    names = [i["name"] for i in client.get("/api/v1/organisation/institutions").json()]
    assert names == ["Testilän ammattiopisto"]
    r = client.get(f"/api/v1/organisation/institutions/{cast.lukio.pk}")
    assert r.status_code == 404
    r = client.get(f"/api/v1/organisation/institutions/{cast.amis.pk}")
    assert r.json()["campuses"] == [{"id": cast.amis_campus.pk, "name": "Koulutie", "address": ""}]


def test_missing_and_forbidden_look_the_same(client, cast):
    client.force_login(cast.outsider)
    forbidden = client.get(f"/api/v1/organisation/institutions/{cast.lukio.pk}")
    missing = client.get("/api/v1/organisation/institutions/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
