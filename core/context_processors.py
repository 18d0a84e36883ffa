from django.conf import settings


def navigation(request):
    """The role of the person at the keyboard, for the one layout each role shares."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user and user.is_authenticated else None
    return {"nav_role": role, "LANGUAGES": settings.LANGUAGES}
