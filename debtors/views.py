"""Pages of the debtor register: find a debtor, read it, register one, import credit reports,
record a risk event."""

from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import BooleanField, Exists, OuterRef, Value
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import EVERYONE, UNDERWRITING, RoleRequiredMixin
from core.exceptions import DomainError
from core.identifiers import search_variants
from core.imports.services import import_job_create
from core.models import ImportJob
from core.views import ServiceFormMixin, apply_errors_to_form, filter_params, ordered

from . import selectors, services
from .csv_import import KIND
from .forms import DebtorForm, ReportImportForm, RiskEventForm, country_choices
from .models import Debtor, RiskEvent, RiskEventKind
from .risk import BAND_LABELS, band_of, band_range
from .selectors import RiskAccess

PAGE_SIZE = 25


class RiskAccessMixin:
    """Pages that show risk data are given who may see it (`as_view(access=...)`, see
    selectors.RiskAccess); without it the URL conf fails to load rather than guess."""

    access: RiskAccess | None = None

    @classmethod
    def as_view(cls, **initkwargs):
        if initkwargs.get("access") is None:
            raise ImproperlyConfigured(f"{cls.__name__} needs as_view(access=...).")
        return super().as_view(**initkwargs)


class DebtorListView(RiskAccessMixin, RoleRequiredMixin, ListView):
    allowed_roles = EVERYONE
    template_name = "debtors/debtor_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "name": "name",
        "country": "country",
        "number": "registration_number",
        "city": "city",
        "rating": "latest_report__rating",
        "as_of": "latest_report__as_of",
    }
    INSURED_ORDERING = ("name", "country", "number", "city")

    def get_queryset(self):
        g, user = filter_params(self.request), self.request.user
        qs = selectors.debtors_list(q=g.get("q", ""), country=g.get("country", ""))
        allowed = self.ORDERING
        if user.is_insured:
            limits = self.access.company_limits(user.company_id).filter(debtor=OuterRef("pk"))
            qs = qs.annotate(has_limit=Exists(limits))
            if g.get("mine") == "1":
                qs = qs.filter(has_limit=True)
            allowed = {k: v for k, v in self.ORDERING.items() if k in self.INSURED_ORDERING}
        else:
            qs = qs.annotate(has_limit=Value(True, output_field=BooleanField()))
            band = g.get("band", "")
            if band in BAND_LABELS:
                low, high = band_range(band)
                qs = qs.filter(latest_report__rating__gte=low, latest_report__rating__lte=high)
            if g.get("insolvent") == "1":
                qs = qs.filter(insolvent_since__isnull=False)
        return ordered(qs, self.request, allowed, "name")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for debtor in ctx["object_list"]:
            report = debtor.latest_report if debtor.has_limit else None
            debtor.band = band_of(report.rating) if report else None
        ctx.update(
            countries=country_choices(),
            bands=list(BAND_LABELS.items()),
            can_import=self.request.user.role in UNDERWRITING,
        )
        return ctx


def _safe(request, url: str) -> bool:
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _with_param(url: str, name: str, value) -> str:
    """The URL with one query parameter set (replacing it if present)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, str(value)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def company_age(registered_on: date | None, today: date) -> tuple[int, int] | None:
    """(years, months) since registration."""
    if registered_on is None:
        return None
    delta = relativedelta(today, registered_on)
    return delta.years, delta.months


class DebtorDetailView(RiskAccessMixin, RoleRequiredMixin, TemplateView):
    allowed_roles = EVERYONE
    template_name = "debtors/debtor_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        debtor = get_object_or_404(Debtor.objects.select_related("latest_report"), pk=kwargs["pk"])
        show_risk = self.access.may_see(user, debtor)
        report = debtor.latest_report if show_risk else None
        ctx.update(
            debtor=debtor,
            show_risk=show_risk,
            report=report,
            band=band_of(report.rating) if report else None,
            age=company_age(report.registered_on, timezone.localdate()) if report else None,
            reports=selectors.debtor_reports(debtor) if show_risk else [],
            events=selectors.debtor_events(debtor) if show_risk else [],
            can_record_event=user.role in UNDERWRITING,
            my_limits=(
                self.access.company_limits(user.company_id)
                .filter(debtor=debtor)
                .select_related("policy")
                if user.is_insured
                else []
            ),
        )
        return ctx


class DebtorCreateView(RoleRequiredMixin, FormView):
    allowed_roles = EVERYONE
    template_name = "debtors/debtor_form.html"
    form_class = DebtorForm

    def get_initial(self):
        g = self.request.GET
        initial = {}
        if g.get("country", "").upper() in dict(country_choices()):
            initial["country"] = g["country"].upper()
        if g.get("registration_number"):
            initial["registration_number"] = g["registration_number"][:40]
        if g.get("name"):
            initial["name"] = g["name"][:200]
        return initial

    def form_valid(self, form):
        try:
            debtor = services.debtor_register(actor=self.request.user, **form.cleaned_data)
        except services.DebtorExists as exc:
            apply_errors_to_form(form, exc)
            existing = Debtor.objects.filter(pk=exc.values.get("debtor_id")).first()
            return self.render_to_response(self.get_context_data(form=form, existing=existing))
        except (ValidationError, DomainError) as exc:
            apply_errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s is now in the register.") % {"name": debtor.name},
        )
        back = self.next_url()
        if back:
            return redirect(_with_param(back, "debtor", debtor.pk))
        return redirect("debtor-detail", pk=debtor.pk)

    def next_url(self) -> str:
        back = self.request.POST.get("next") or self.request.GET.get("next") or ""
        return back if back and _safe(self.request, back) else ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)


class DebtorLookupView(RoleRequiredMixin, TemplateView):
    """An HTML fragment for htmx (`hx-get`): up to ten debtors matching `?q=`."""

    allowed_roles = EVERYONE
    template_name = "debtors/lookup_results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = filter_params(self.request).get("q", "").strip()
        params = {"registration_number" if search_variants(q) else "name": q}
        # htmx names the page the box is on: registering comes back to it.
        back = self.request.headers.get("HX-Current-URL", "")
        if back and _safe(self.request, back):
            parts = urlsplit(back)
            params["next"] = urlunsplit(("", "", parts.path, parts.query, ""))
        ctx.update(
            q=q,
            results=selectors.debtor_lookup(q),
            too_short=0 < len(q) < 2,
            register_query=urlencode(params),
        )
        return ctx


class ReportImportView(RoleRequiredMixin, FormView):
    """The upload: stored as an import job and run by the worker; the answer is the job's
    page, at once, where its progress and then its result show."""

    allowed_roles = UNDERWRITING
    template_name = "debtors/import.html"
    form_class = ReportImportForm

    def get_context_data(self, **kwargs):
        recent = ImportJob.objects.filter(kind=KIND).select_related("created_by")[:10]
        return super().get_context_data(recent=recent, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = import_job_create(
            actor=self.request.user,
            kind=KIND,
            file=upload,
            name=upload.name,
            mode=form.cleaned_data["mode"],
            options={"source": f"import:{upload.name}"},
        )
        return redirect("import-job", pk=job.pk)


class RiskEventCreateView(RoleRequiredMixin, ServiceFormMixin, FormView):
    allowed_roles = UNDERWRITING
    template_name = "debtors/risk_event_form.html"
    form_class = RiskEventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.debtor = get_object_or_404(Debtor, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(debtor=self.debtor, **kwargs)

    def call_service(self, form):
        data = form.cleaned_data
        self.already = RiskEvent.objects.filter(
            debtor=self.debtor,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            source=services.MANUAL_SOURCE,
        ).exists()
        return services.risk_event_record(
            actor=self.request.user,
            debtor=self.debtor,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            details=data["details"],
        )

    def service_succeeded(self, event):
        label = RiskEventKind(event.kind).label
        if self.already:
            messages.info(
                self.request,
                _("%(kind)s on %(day)s was already recorded; nothing changed.")
                % {"kind": label, "day": date_format(event.occurred_on, "DATE_FORMAT")},
            )
        else:
            messages.success(
                self.request,
                _(
                    "%(kind)s recorded. Every insured with a limit on %(name)s is being alerted "
                    "and those limits are up for review."
                )
                % {"kind": label, "name": self.debtor.name},
            )
        return redirect("debtor-detail", pk=self.debtor.pk)
