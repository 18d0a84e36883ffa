"""Who may see which page: role checks for views, and the insured's own company."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

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
