"""Each role's home page ("what needs doing"), put together from the panels each app offers.

The portal reads no app's models: `limits.panels`, `policies.panels`, `exposure.panels`,
`claims.panels`, `accounts.panels` and `core.panels` each return the dict their part of the
page needs, and the home view merges the panels of the user's role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from accounts import panels as account_panels
from accounts.models import Role, User
from claims import panels as claim_panels
from core import panels as core_panels
from exposure import panels as exposure_panels
from limits import panels as limit_panels
from policies import panels as policy_panels


class HomeView(LoginRequiredMixin, TemplateView):
    def get_template_names(self):
        return [f"portal/home_{self.request.user.role}.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        ctx.update(self.panels(user, today))
        # "Since your last visit" needs the previous visit; remember this one for next time.
        ctx["last_seen"] = user.last_seen_home
        User.objects.filter(pk=user.pk).update(last_seen_home=timezone.now())
        return ctx

    def panels(self, user, today) -> dict:
        """The panels of the user's role, merged into one context."""
        match user.role:
            case Role.INSURED:
                parts = [
                    limit_panels.insured_home_panel(user, today),
                    policy_panels.insured_home_panel(user, today),
                    exposure_panels.insured_home_panel(user, today),
                    claim_panels.insured_home_panel(user, today),
                ]
            case Role.UNDERWRITER:
                parts = [
                    limit_panels.underwriter_home_panel(user, today),
                    policy_panels.underwriter_home_panel(user, today),
                    exposure_panels.underwriter_home_panel(user, today),
                ]
            case Role.CLAIMS:
                page = self.request.GET.get("page")
                parts = [
                    policy_panels.claims_home_panel(user, today, page=page),
                    exposure_panels.claims_home_panel(user, today),
                    claim_panels.claims_home_panel(user, today),
                ]
            case Role.ADMIN:
                parts = [
                    limit_panels.underwriter_home_panel(user, today),
                    policy_panels.underwriter_home_panel(user, today),
                    exposure_panels.underwriter_home_panel(user, today),
                    account_panels.admin_home_panel(user, today),
                    core_panels.admin_home_panel(user, today),
                ]
            case _:
                parts = []
        merged: dict = {}
        for part in parts:
            merged.update(part)
        return merged
