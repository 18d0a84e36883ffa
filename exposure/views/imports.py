"""The invoice CSV upload: the file is stored as an import job under the chosen policy and run
by the worker; the answer is the job's page (core.imports), where its progress and then its
result show."""

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from accounts.access import RoleRequiredMixin
from accounts.models import Role
from core.forms import StyledFormMixin
from core.models import ImportJob, ImportMode
from core.views import ServiceFormMixin
from policies.models import Policy
from policies.selectors import policies_for

from ..csv_import import IMPORTERS, KIND, invoice_import_create
from ..services.invoices import REPORTABLE

RECENT = 10


class PolicyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if self.show_insured:
            return f"{obj.number} ({obj.currency}), {obj.insured.name}"
        return f"{obj.number} ({obj.currency})"


class InvoiceImportForm(StyledFormMixin, forms.Form):
    policy = PolicyChoiceField(label=_("Policy"), queryset=None)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, one invoice per line."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    mode = forms.ChoiceField(
        label=_("When a line has an error"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        required=False,  # not chosen: all or nothing
    )

    def __init__(self, *args, policies, show_insured: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["policy"]
        field.queryset = policies
        field.show_insured = show_insured
        if policies.count() == 1:
            field.empty_label = None
        self.fields["mode"].widget.attrs["class"] = "form-check-input"

    def clean_mode(self):
        return self.cleaned_data["mode"] or ImportMode.ALL_OR_NOTHING

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(n)s MB.")
                % {"n": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class InvoiceImportView(RoleRequiredMixin, ServiceFormMixin, FormView):
    """Insured users (their company's issued or expired policies) and administrators."""

    allowed_roles = IMPORTERS
    template_name = "exposure/invoice_import.html"
    form_class = InvoiceImportForm

    def policies(self):
        """The policies the user may report invoices under."""
        qs = policies_for(self.request.user).filter(status__in=REPORTABLE)
        return qs.order_by("-start_date", "number")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "policies": self.policies(),
            "show_insured": self.request.user.role != Role.INSURED,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        recent = ImportJob.objects.filter(kind=KIND).select_related("created_by")
        user = self.request.user
        if user.role == Role.INSURED:  # the imports under its company's policies (may_see)
            mine = Policy.objects.filter(insured_id=user.company_id).values_list("pk", flat=True)
            recent = recent.filter(options__policy__in=list(mine))
        recent = list(recent[:RECENT])
        ids = {job.options.get("policy") for job in recent}
        numbers = dict(Policy.objects.filter(pk__in=ids).values_list("pk", "number"))
        for job in recent:
            job.policy_number = numbers.get(job.options.get("policy"), "")
        ctx.update(recent=recent, has_policies=ctx["form"].fields["policy"].queryset.exists())
        return ctx

    def call_service(self, form):
        upload = form.cleaned_data["file"]
        return invoice_import_create(
            actor=self.request.user,
            policy_id=form.cleaned_data["policy"].pk,
            file=upload,
            name=upload.name,
            mode=form.cleaned_data["mode"],
        )

    def service_succeeded(self, job):
        return redirect("import-job", pk=job.pk)
