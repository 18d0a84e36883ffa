from django.conf import settings

from exposure.views.cover import cover_box_policies

from .inbox import unread_count


def navigation(request):
    """The role of the person at the keyboard, for the one layout each role shares, and the
    number of unread messages in the inbox."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"nav_role": None, "LANGUAGES": settings.LANGUAGES, "unread_count": 0}
    return {
        "nav_role": user.role,
        "LANGUAGES": settings.LANGUAGES,
        "unread_count": unread_count(user),
        # The cover check box on every insured page chooses among these.
        "cover_policies": cover_box_policies(user),
    }
