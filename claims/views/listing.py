"""The claims list: the insured's own company's claims, the claims handler's queue of all.
It sorts, filters and pages in a fixed number of queries whatever the rows."""

from django.db.models import Case, DateField, F, Q, When
from django.utils import timezone
from django.views.generic import ListView

from accounts.access import EVERYONE, INSURED, RoleRequiredMixin
from core.views import filter_params

from ..models import Cause, ClaimStatus
from ..selectors import claims_for
from ..selectors.pages import OPEN

PAGE_SIZE = 25
CLAIM_ROLES = EVERYONE  # underwriters read claims too (debtor risk); the API does the same
FILTERS = ("status", "cause", "q", "second")


class ClaimListView(RoleRequiredMixin, ListView):
    allowed_roles = CLAIM_ROLES
    template_name = "claims/claim_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "number": "number",
        "filed": "filed_on",
        "status": "status",
        "debtor": "debtor__name",
        "insured": "policy__insured__name",
        "claimed": "claimed_amount",
        "indemnity": "indemnity",
    }

    @property
    def is_handler(self) -> bool:
        """Staff see the queue (every insured's claims); underwriters read it."""
        return self.request.user.role not in INSURED

    def get_queryset(self):
        g, user = filter_params(self.request), self.request.user
        # An open claim's age counts from its filing; a closed one has none.
        qs = claims_for(user).annotate(
            open_since=Case(
                When(status__in=OPEN, then=F("filed_on")), default=None, output_field=DateField()
            )
        )
        status = g.get("status", "")
        if status == "open":
            qs = qs.filter(status__in=OPEN)
        elif status in ClaimStatus.values:
            qs = qs.filter(status=status)
        if g.get("cause") in Cause.values:
            qs = qs.filter(cause=g["cause"])
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(number__icontains=q)
                | Q(debtor__name__icontains=q)
                | Q(debtor__registration_number__icontains=q)
                | Q(policy__number__icontains=q)
            )
        if g.get("second") and self.is_handler:  # the second approvals this handler may give
            qs = qs.filter(status=ClaimStatus.SECOND_APPROVAL).exclude(decided_by=user)
        return self.sort(qs)

    def sort(self, qs):
        value = self.request.GET.get("ordering", "")
        name = value.lstrip("-")
        if name == "age":  # youngest first; "-age": oldest first; closed claims last
            since = F("open_since")
            first = since.desc(nulls_last=True) if value == "age" else since.asc(nulls_last=True)
            return qs.order_by(first, "-filed_on", "pk")
        if name in self.ORDERING:  # a claim not yet settled has no indemnity: last
            path = F(self.ORDERING[name])
            first = path.desc(nulls_last=True) if value.startswith("-") else path.asc()
            return qs.order_by(first, "pk")
        if self.is_handler:  # the queue: open claims first, the oldest first
            return qs.order_by(F("open_since").asc(nulls_last=True), "-filed_on", "pk")
        return qs.order_by("-filed_on", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(ctx["object_list"])
        for claim in rows:
            claim.age = (today - claim.open_since).days if claim.open_since else None
        g = filter_params(self.request)
        ctx.update(
            rows=rows,
            statuses=ClaimStatus.choices,
            causes=Cause.choices,
            filtered=any(g.get(k) for k in FILTERS),
            is_handler=self.is_handler,
            today=today,
        )
        return ctx
