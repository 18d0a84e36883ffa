"""Who may see which page: role checks for views, and the insured's own company."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from core.exceptions import NotFound

from .models import Role

UNDERWRITING = (Role.UNDERWRITER, Role.ADMIN)
CLAIMS = (Role.CLAIMS, Role.ADMIN)
STAFF = (Role.UNDERWRITER, Role.CLAIMS, Role.ADMIN)
INSURED = (Role.INSURED,)
EVERYONE = (Role.INSURED, Role.UNDERWRITER, Role.CLAIMS, Role.ADMIN)


class RoleRequiredMixin(LoginRequiredMixin):
    """A page for the roles in `allowed_roles`; anyone else gets 403."""

    allowed_roles: tuple[str, ...] = EVERYONE

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role not in self.allowed_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def ensure_acts_for(
    actor, insured_id: int | None, *, error: type[NotFound] = NotFound, field: str | None = None
) -> None:
    """Every service that acts for an insured company calls this, whoever called it (a view,
    the API, a task, an import): an insured user acts only for its own company; staff and the
    system (`actor=None`) for any. Another company's data answers as if it did not exist."""
    if actor is not None and actor.role == Role.INSURED and actor.company_id != insured_id:
        raise error(field=field)
