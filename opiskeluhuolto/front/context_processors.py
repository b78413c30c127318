from django.conf import settings

from opiskeluhuolto.access import for_user

from .registry import navigation_html
from .services import current_break


def navigation(request):
    user = getattr(request, "user", None)
    service_break = current_break()
    if user is None or not user.is_authenticated:
        return {"navigation": "", "demo_mode": settings.DEMO_MODE, "service_break": service_break}
    can = for_user(user)
    return {
        "navigation": navigation_html(request, can),
        "demo_mode": settings.DEMO_MODE,
        "service_break": service_break,
        # The legal confidentiality mark is for staff; a student or guardian reads a short
        # reassurance instead (components/confidential.html). Lazy: only pages that show it.
        "staff_reader": lambda: can.is_staff_member,
    }
