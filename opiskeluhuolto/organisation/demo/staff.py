"""The demo's staff: the named sign-ins of both providers (`cast.DEMO_SIGN_INS`), the
lukio's and Sedu's other welfare staff, and the principals of Sedu's other campuses."""

from __future__ import annotations

from datetime import date

from opiskeluhuolto.accounts.models import User

from ..admin_site import grant_admin_site
from ..models import Role, RoleAssignment
from .cast import DemoContext, email_address


def seed_staff(ctx: DemoContext) -> User:
    """Everyone working at the two providers of `seed_places`, with their roles; the group
    supervisor of SEI-LOG25A, whose group `students.seed_students` fills."""
    f = ctx.faker
    sedu, helsinki = ctx.providers["sedu"], ctx.providers["helsinki"]
    sedu_inst, lukio = ctx.institutions["sedu"], ctx.institutions["lukio"]
    start = date(ctx.today.year - 3, 8, 1)

    def assign(user, role, provider, institution=None, campus=None):
        RoleAssignment.objects.create(
            user=user,
            role=role,
            provider=provider,
            institution=institution,
            campus=campus,
            valid_from=start,
        )

    # --- the named demo sign-ins -------------------------------------------------
    admin = ctx.sign_in(
        "admin",
        "admin",
        "Paula",
        "Pääkäyttäjä",
        role_text="provider admin (Sedu)",
        title="pääkäyttäjä",
        try_text="school calendars, administration",
    )
    assign(admin, Role.PROVIDER_ADMIN, sedu)
    grant_admin_site(admin)
    sedu.register_responsible = admin
    sedu.save(update_fields=["register_responsible"])

    rehtori = ctx.sign_in(
        "rehtori",
        "rehtori",
        "Riitta",
        "Rinne",
        role_text="koulutuspäällikkö, Sedu Seinäjoki",
        title="koulutuspäällikkö",
        try_text="welfare group, dashboards",
    )
    assign(rehtori, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori = ctx.sign_in(
        "kuraattori",
        "kuraattori",
        "Kaisa",
        "Kuusela",
        role_text="kuraattori, Sedu Seinäjoki",
        title="kuraattori",
        try_text="requests, cases, records",
    )
    assign(kuraattori, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori2 = ctx.sign_in(
        "kuraattori2",
        "kuraattori2",
        "Kalle",
        "Koskinen",
        role_text="kuraattori, Sedu Lapua",
        title="kuraattori",
        try_text="not in the demo student's group: sees no record",
    )
    assign(kuraattori2, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["lapua"])
    psykologi = ctx.sign_in(
        "psykologi",
        "psykologi",
        "Pekka",
        "Peltola",
        role_text="psykologi, Sedu",
        title="psykologi",
        try_text="requests and bookings",
    )
    assign(psykologi, Role.PSYCHOLOGIST, sedu, sedu_inst)
    nurse = ctx.sign_in(
        "terveydenhoitaja",
        "terveydenhoitaja",
        "Tiina",
        "Tuominen",
        role_text="terveydenhoitaja, Sedu Seinäjoki",
        title="terveydenhoitaja",
        try_text="walk-in hours, bookings",
    )
    assign(nurse, Role.NURSE, sedu, sedu_inst, ctx.campuses["seinajoki"])
    opo = ctx.sign_in(
        "opo",
        "opo",
        "Olli",
        "Ojala",
        role_text="opinto-ohjaaja, Sedu Seinäjoki",
        title="opinto-ohjaaja",
        try_text="referral",
    )
    assign(opo, Role.STUDY_COUNSELLOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    eo = ctx.sign_in(
        "erityisopettaja",
        "erityisopettaja",
        "Eila",
        "Eskola",
        role_text="erityisopettaja, Sedu Seinäjoki",
        title="erityisopettaja",
        try_text="referral",
    )
    assign(eo, Role.SPECIAL_NEEDS_TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    ro = ctx.sign_in(
        "ryhmanohjaaja",
        "ryhmanohjaaja",
        "Sanna",
        "Salo",
        role_text="vastuuohjaaja of group SEI-LOG25A",
        title="opettaja, vastuuohjaaja",
        try_text="my group, care conversations",
    )
    assign(ro, Role.GROUP_SUPERVISOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    assign(ro, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    teacher = ctx.sign_in(
        "opettaja",
        "opettaja",
        "Teemu",
        "Toivonen",
        role_text="opettaja, Sedu Seinäjoki",
        title="opettaja",
        try_text="refer a student to welfare staff",
    )
    assign(teacher, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    external = ctx.sign_in(
        "ulkojasen",
        "ulkojasen",
        "Jari",
        "Jokela",
        role_text="etsivä nuorisotyö (external member)",
        title="etsivä nuorisotyöntekijä",
        try_text="welfare group membership",
    )
    assign(external, Role.EXTERNAL_MEMBER, sedu, sedu_inst)

    lukio_rehtori = ctx.sign_in(
        "etu-rehtori",
        "etu-rehtori",
        "Helena",
        "Heikkilä",
        role_text="rehtori, Etu-Töölön lukio",
        title="rehtori",
        try_text="another provider: sees nothing of Sedu",
    )
    assign(lukio_rehtori, Role.PRINCIPAL, helsinki, lukio)
    lukio_admin = ctx.sign_in(
        "etu-admin",
        "etu-admin",
        "Antti",
        "Aalto",
        role_text="provider admin (Helsinki)",
        title="pääkäyttäjä",
        try_text="Etu-Töölö calendar",
    )
    assign(lukio_admin, Role.PROVIDER_ADMIN, helsinki)
    grant_admin_site(lukio_admin)
    helsinki.register_responsible = lukio_rehtori
    helsinki.save(update_fields=["register_responsible"])
    lukio_kuraattori = ctx.sign_in(
        "etu-kuraattori",
        "etu-kuraattori",
        "Minna",
        "Mäkelä",
        role_text="kuraattori, Etu-Töölön lukio",
        title="kuraattori",
        try_text="lukio requests",
    )
    assign(lukio_kuraattori, Role.SOCIAL_WORKER, helsinki, lukio)
    lukio_nurse = User.objects.create(
        username="etu-terveydenhoitaja",
        first_name="Sari",
        last_name="Savolainen",
        title="terveydenhoitaja",
        password=ctx.password_hash,
        phone=ctx.phone(),
        email=email_address("Sari", "Savolainen"),
    )
    assign(lukio_nurse, Role.NURSE, helsinki, lukio)
    lukio_psych = User.objects.create(
        username="etu-psykologi",
        first_name="Jussi",
        last_name="Jääskeläinen",
        title="psykologi",
        password=ctx.password_hash,
        phone=ctx.phone(),
        email=email_address("Jussi", "Jääskeläinen"),
    )
    assign(lukio_psych, Role.PSYCHOLOGIST, helsinki, lukio)

    doctor = User.objects.create(
        username="laakari",
        first_name="Leena",
        last_name="Lahtinen",
        title="koululääkäri",
        password=ctx.password_hash,
        email=email_address("Leena", "Lahtinen"),
        phone=ctx.phone(),
    )
    assign(doctor, Role.DOCTOR, sedu, sedu_inst)

    # Welfare staff of the other Sedu campuses.
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        if key == "lapua":
            continue  # kuraattori2 works there
        first, last = f.first_name_female(), f.last_name()
        u = User.objects.create(
            username=f"kuraattori-{key}",
            first_name=first,
            last_name=last,
            title="kuraattori",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(u, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses[key])
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        first, last = f.first_name_female(), f.last_name()
        u = User.objects.create(
            username=f"terveydenhoitaja-{key}",
            first_name=first,
            last_name=last,
            title="terveydenhoitaja",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(u, Role.NURSE, sedu, sedu_inst, ctx.campuses[key])
        first, last = f.first_name(), f.last_name()
        p = User.objects.create(
            username=f"koulutuspaallikko-{key}",
            first_name=first,
            last_name=last,
            title="koulutuspäällikkö",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(p, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses[key])
    return ro
