from opiskeluhuolto.access.matrix import Row

STAFF = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "outsider",
)


def staff(status=200, **overrides):
    """Every staff member gets `status`; students, guardians 404; anonymous → sign-in."""
    expect = {"*": 404, "anonymous": 302, **{m: status for m in STAFF}}
    expect.update(overrides)
    return expect


ROWS = [
    Row("organisation:institutions", staff()),
    # The lukio: its own staff and provider-wide roles; not the other provider.
    Row(
        "organisation:institution",
        staff(kuraattori_out=404, outsider=404),
        kwargs=lambda c: {"pk": c.lukio.pk},
    ),
    Row(
        "organisation:calendar",
        {"*": 404, "anonymous": 302, "admin": 200},
        kwargs=lambda c: {"pk": c.lukio.pk},
    ),
    Row(
        "organisation:calendar",
        {"*": 404, "anonymous": 302},
        kwargs=lambda c: {"pk": c.other_institution.pk},
    ),
    Row(
        "organisation:add_period",
        {"*": 404, "anonymous": 302, "admin": 200},
        kwargs=lambda c: {"pk": c.school_year.pk},
    ),
    Row(
        "organisation:remove_period",
        {"*": 404, "anonymous": 302, "admin": 405},
        kwargs=lambda c: {"pk": c.school_year.periods.first().pk},
    ),
    # The directory is for the school's own staff: an external member has none.
    Row("organisation:students", staff(external=404)),
    # Aino (16, lukio): lukio staff, provider-wide roles, herself and her guardian.
    Row(
        "organisation:student",
        {
            "*": 404,
            "anonymous": 302,
            "admin": 200,
            "rehtori": 200,
            "kuraattori": 200,
            "psykologi": 200,
            "nurse": 200,
            "teacher": 200,
            "supervisor": 200,
            "student": 200,
            "guardian": 200,
        },
        kwargs=lambda c: {"pk": c.aino.pk},
    ),
    # Eero (20, vocational): no guardian; lukio-only staff do not see him.
    Row(
        "organisation:student",
        {
            "*": 404,
            "anonymous": 302,
            "admin": 200,
            "kuraattori_out": 200,
            "adult": 200,
        },
        kwargs=lambda c: {"pk": c.eero.pk},
    ),
    Row(
        "organisation:group",
        staff(kuraattori_out=404, outsider=404, external=404),
        kwargs=lambda c: {"pk": c.group.pk},
    ),
    Row("api:institutions", {"*": 200, "anonymous": 401}),
    Row(
        "api:institution",
        {"*": 200, "anonymous": 401, "kuraattori_out": 404, "outsider": 404, "adult": 404},
        kwargs=lambda c: {"institution_id": c.lukio.pk},
    ),
]


# --- organisations around the school (issue 20) ----------------------------------------
# Youth work Nuorisotila of Testilä works at the lukio's campus: every staff role of the
# provider reads it (partners too), the other provider's kuraattori does not; the
# provider admin and the principal edit it (docs/organisations.md).


def setup(cast) -> None:
    from datetime import date

    from opiskeluhuolto.organisation import actions
    from opiskeluhuolto.organisation.models import Organisation, OrganisationService

    org = actions.save_organisation(
        Organisation(provider=cast.provider),
        kind=Organisation.Kind.YOUTH_WORK,
        name="Testilän nuorisopalvelut",
        campuses=[cast.lukio_campus],
    )
    cast.partner = org
    cast.partner_contact = actions.add_contact(org, name="Nea Nuorisotyö", phone="040 123 4567")
    cast.partner_service = actions.save_service(
        OrganisationService(organisation=org),
        name="Koulunuorisotyö",
        audience="kaikki opiskelijat",
        hours="tiistaisin 12–15 Olkkarissa",
    )
    cast.partner_agreement = actions.add_agreement(
        org, starts_on=date(cast.today.year, 1, 1), scope="Koulunuorisotyö kampuksella"
    )


PARTNER_MANAGERS = {"*": 404, "anonymous": 302, "admin": 200, "rehtori": 200}


def _org(c):
    return {"pk": c.partner.pk}


ROWS += [
    Row("organisation:organisations", staff()),
    Row("organisation:organisation_new", PARTNER_MANAGERS),
    Row("organisation:organisation", staff(outsider=404), kwargs=_org),
    Row("organisation:organisation_edit", PARTNER_MANAGERS, kwargs=_org),
    Row("organisation:contact_add", PARTNER_MANAGERS, kwargs=_org),
    # Recording the organisation as an employer changes role assignments: the provider
    # admin only (a principal edits the organisation, not the roles). POST only.
    Row("organisation:employer_set", staff(405), kwargs=_org),
    Row(
        "organisation:employer_set",
        {"*": 404, "anonymous": 302, "admin": 302},
        kwargs=_org,
        method="post",
        data=lambda c: {
            "assignment": c.users["kuraattori"].role_assignments.first().pk,
            "employs": "1",
        },
    ),
    Row("organisation:service_add", PARTNER_MANAGERS, kwargs=_org),
    Row("organisation:agreement_add", PARTNER_MANAGERS, kwargs=_org),
    Row(
        "organisation:service_edit",
        PARTNER_MANAGERS,
        kwargs=lambda c: {"pk": c.partner_service.pk},
    ),
    # Removing answers POST only: a GET is refused (405) for staff before the object is read.
    Row(
        "organisation:contact_remove",
        staff(405),
        kwargs=lambda c: {"pk": c.partner_contact.pk},
    ),
    Row(
        "organisation:service_remove",
        staff(405),
        kwargs=lambda c: {"pk": c.partner_service.pk},
    ),
    Row(
        "organisation:agreement_remove",
        staff(405),
        kwargs=lambda c: {"pk": c.partner_agreement.pk},
    ),
]
