"""Sign-in, each role's home page ("what needs doing"), and the API token page."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from core.models import JobRun
from limits import selectors as limit_selectors
from limits.models import RequestStatus
from policies import selectors as policy_selectors
from policies.models import DocumentStatus, PolicyStatus

from .models import Role, User


def _with_premiums(policies, today):
    policies = list(policies)
    premiums = policy_selectors.policy_premiums(policies, today=today)
    return [(p, premiums[p.pk]) for p in policies]


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class HomeView(LoginRequiredMixin, TemplateView):
    def get_template_names(self):
        role = self.request.user.role
        return [f"accounts/home_{role}.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        builder = getattr(self, f"_context_{user.role}")
        ctx.update(builder(user, today))
        # "Since your last visit" needs the previous visit; remember this one for next time.
        ctx["last_seen"] = user.last_seen_home
        User.objects.filter(pk=user.pk).update(last_seen_home=timezone.now())
        return ctx

    def _context_insured(self, user, today):
        policies = list(policy_selectors.policies_for(user).order_by("-start_date"))
        outstanding = policy_selectors.outstanding_declarations(policies, today=today)
        new_documents = policy_selectors.documents_for(user)
        if user.last_seen_home:
            new_documents = new_documents.filter(rendered_at__gt=user.last_seen_home)
        active = [p for p in policies if p.status == PolicyStatus.ISSUED]
        requests = limit_selectors.limit_requests_for(user)
        since = user.last_seen_home or timezone.now() - timedelta(days=14)
        decided = requests.filter(decided_at__gt=since)
        return {
            "referred_requests": list(
                requests.filter(status=RequestStatus.REFERRED).order_by("submitted_at")[:10]
            ),
            "recent_decisions": list(
                decided.exclude(status=RequestStatus.WITHDRAWN).order_by("-decided_at")[:10]
            ),
            "limits_under_review": list(
                limit_selectors.limits_for(user).filter(review_requested_at__isnull=False)[:10]
            ),
            "upcoming_reductions": list(limit_selectors.upcoming_reductions(user, today)[:10]),
            "outstanding": outstanding,
            "new_documents": list(new_documents[:10]),
            "active_policies": _with_premiums(active, today),
            "other_policies": [p for p in policies if p.status != PolicyStatus.ISSUED],
        }

    def _context_underwriter(self, user, today):
        policies = policy_selectors.policies_for(user)
        issued = list(policies.filter(status=PolicyStatus.ISSUED))
        outstanding = policy_selectors.outstanding_declarations(issued, today=today)
        return {
            "queue": list(limit_selectors.referred_queue()[:10]),
            "queue_count": limit_selectors.referred_queue().count(),
            "risk_events": list(limit_selectors.unreviewed_risk_events()[:10]),
            "limits_under_review_count": limit_selectors.limits_under_review().count(),
            "drafts": list(policies.filter(status=PolicyStatus.DRAFT).order_by("start_date")),
            "renewals": [p for p in issued if p.end_date <= today + timedelta(days=60)],
            "late_declarations": [s for s in outstanding if s.state == "late"],
            "due_declarations": [s for s in outstanding if s.state == "due"],
            "status_counts": dict(policies.values_list("status").annotate(n=Count("id"))),
            "failed_documents": list(
                policy_selectors.documents_for(user).filter(status=DocumentStatus.FAILED)[:10]
            ),
        }

    def _context_claims(self, user, today):
        policies = policy_selectors.policies_for(user).filter(status=PolicyStatus.ISSUED)
        page = Paginator(policies.order_by("insured__name", "number"), 25).get_page(
            self.request.GET.get("page")
        )
        return {"page_obj": page, "active_policies": _with_premiums(page.object_list, today)}

    def _context_admin(self, user, today):
        ctx = self._context_underwriter(user, today)
        ctx["users_by_role"] = [
            (Role(role).label, n)
            for role, n in User.objects.values_list("role").annotate(n=Count("id")).order_by("role")
        ]
        ctx["job_runs"] = list(JobRun.objects.all()[:10])
        return ctx


class ApiTokenView(LoginRequiredMixin, TemplateView):
    """Shows the user's API token for an ERP integration, and replaces it on request."""

    template_name = "accounts/token.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["token"] = Token.objects.filter(user=self.request.user).first()
        return ctx

    def post(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        Token.objects.create(user=request.user)
        messages.success(request, _("A new API token was created; the old one no longer works."))
        return redirect("account-token")
