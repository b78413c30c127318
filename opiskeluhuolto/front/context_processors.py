from django.conf import settings

from opiskeluhuolto.access import for_user

from .registry import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "demo_mode": settings.DEMO_MODE}
    return {"nav_items": nav_for(for_user(user)), "demo_mode": settings.DEMO_MODE}
