from django.conf import settings

from opiskeluhuolto.access import for_user

from .registry import navigation_html
from .services import current_break


def navigation(request):
    user = getattr(request, "user", None)
    service_break = current_break()
    if user is None or not user.is_authenticated:
        return {"navigation": "", "demo_mode": settings.DEMO_MODE, "service_break": service_break}
    return {
        "navigation": navigation_html(request, for_user(user)),
        "demo_mode": settings.DEMO_MODE,
        "service_break": service_break,
    }
