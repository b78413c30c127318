"""Who reaches the data-protection pages: the copy is the student's and their guardian's
(a minor's); the request list, the answers and ending a refusal of access are the register
responsible person's; the notice is public."""

from opiskeluhuolto.access.matrix import Row
from opiskeluhuolto.cases.tests.matrix import only


def setup(cast) -> None:
    from opiskeluhuolto.privacy import actions

    cast.data_request = actions.register_request(cast.aino, by=cast.student, kind="gdpr")
    # Onni's guardian Liisa (no member of the matrix) was refused under §34: a refusal in force.
    refused = actions.register_request(cast.onni, by=cast.guardian_onni, kind="gdpr")
    refused = actions.answer_request(
        refused,
        by=cast.admin,
        answer="Päätös postitettu.",
        outcome="refused",
        ground="tsl34_health",
        reason="Tietojen antaminen vaarantaisi Onnin hoidon.",
    )
    cast.access_restriction = refused.restrictions.get()


def aino(c):
    return {"pk": c.aino.pk}


ROWS = [
    Row("privacy:my_data", only("student", "adult", "guardian")),
    Row("privacy:copy_pdf", only("student", "guardian"), kwargs=aino),
    Row("privacy:copy_json", only("student", "guardian"), kwargs=aino),
    Row("privacy:notices", {"*": 200}),
    Row("privacy:notice", {"*": 200}, kwargs=lambda c: {"pk": c.aino.institution.provider_id}),
    Row("privacy:requests", only("admin")),
    Row(
        "privacy:answer",
        only("admin", status=302),
        kwargs=lambda c: {"pk": c.data_request.pk},
        method="post",
        data=lambda c: {"answer": "Kopio annettu.", "outcome": "given"},
    ),
    Row(
        "privacy:end_restriction",
        only("admin", status=302),
        kwargs=lambda c: {"pk": c.access_restriction.pk},
        method="post",
    ),
]
