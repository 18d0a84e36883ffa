"""What the accounts app shows on the administrator's home page."""

from datetime import date

from django.db.models import Count

from .models import Role, User


def admin_home_panel(user, today: date) -> dict:
    """How many users each role has, as (role label, count), by role."""
    counts = User.objects.values_list("role").annotate(n=Count("id")).order_by("role")
    return {"users_by_role": [(Role(role).label, n) for role, n in counts]}
