from __future__ import annotations

from ninja import Router, Schema

from opiskeluhuolto.access import fetch, for_user
from opiskeluhuolto.access.api import api_policy

router = Router(tags=["organisation"])


class CampusOut(Schema):
    id: int
    name: str
    address: str


class InstitutionOut(Schema):
    id: int
    name: str
    slug: str
    level: str
    municipality: str
    provider_id: int
    provider_name: str


class InstitutionDetailOut(InstitutionOut):
    campuses: list[CampusOut]


def _institution(inst) -> dict:
    return {
        "id": inst.pk,
        "name": inst.name,
        "slug": inst.slug,
        "level": inst.level,
        "municipality": inst.municipality,
        "provider_id": inst.provider_id,
        "provider_name": inst.provider.name,
    }


@router.get(
    "/institutions",
    response=list[InstitutionOut],
    auth=api_policy("authenticated"),
    url_name="institutions",
)
def institutions(request):
    """The institutions the signed-in person belongs to (as staff, student or guardian)."""
    rows = for_user(request.user).institutions_scope().select_related("provider")
    return [_institution(i) for i in rows]


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionDetailOut},
    auth=api_policy("authenticated"),
    url_name="institution",
)
def institution(request, institution_id: int):
    inst = fetch.get_institution(request.user, institution_id)
    data = _institution(inst)
    data["campuses"] = [
        {"id": c.pk, "name": c.name, "address": c.address} for c in inst.campuses.all()
    ]
    return data
