from django.conf import settings

from opiskeluhuolto.access import for_user

from .registry import navigation_html


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": "", "demo_mode": settings.DEMO_MODE}
    return {"navigation": navigation_html(request, for_user(user)), "demo_mode": settings.DEMO_MODE}
