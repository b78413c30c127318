"""Shared setup: the lukio's welfare group owns a bullying procedure with one published version."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.procedures import actions
from opiskeluhuolto.procedures.models import Kind, Procedure

STEPS = [
    {"text": "Keskeytä tilanne ja varmista turvallisuus.", "role": "havaitsija"},
    {"text": "Kirjaa tapahtuma samana päivänä.", "role": "havaitsija"},
    {"text": "Keskustele osapuolten kanssa erikseen.", "role": "kuraattori"},
]


def welfare_group(cast) -> Group:
    return Group.objects.get_or_create(
        provider=cast.provider,
        institution=cast.lukio,
        kind=Group.Kind.WELFARE,
        name="Lukion yhteisöllinen opiskeluhuoltoryhmä",
    )[0]


def bullying_procedure(cast, *, publish=True) -> Procedure:
    group = welfare_group(cast)
    procedure = Procedure.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        kind=Kind.BULLYING,
        title="Kiusaaminen, väkivalta ja häirintä",
        owner_group=group,
        audience=["staff", "students", "guardians", "public"],
        must_know_roles=[Role.TEACHER, Role.GROUP_SUPERVISOR],
        responsible=cast.kuraattori,
        follow_up_days=14,
    )
    procedure.followers.add(group)
    version = actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=365),
        summary="Näin toimimme, kun kiusaamista havaitaan.",
        translations={"sv": {"title": "Mobbning, våld och trakasserier"}},
    )
    if publish:
        actions.approve(version, by=cast.rehtori)
        actions.publish(version, by=cast.rehtori)
    return procedure
