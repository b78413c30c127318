from __future__ import annotations

from ninja import Router, Schema

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.api import api_policy

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    provider_id: int
    institution_id: int | None
    campus_id: int | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    title: str
    roles: list[RoleOut]
    student_id: int | None
    guarded_student_ids: list[int]


@router.get("/me", response=MeOut, auth=api_policy("authenticated"), url_name="me")
def me(request):
    """Who am I: the signed-in person, their active roles and relations."""
    can = for_user(request.user)
    return {
        "id": request.user.pk,
        "username": request.user.username,
        "name": request.user.display_name,
        "title": request.user.title,
        "roles": [g.__dict__ for g in can.grants],
        "student_id": can.own_student.pk if can.own_student else None,
        "guarded_student_ids": sorted(can.guarded_student_ids),
    }
