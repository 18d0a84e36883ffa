"""Invoice pages for everyone, scoped: an insured user sees its company's invoices and
payments, staff see all. The insured reports invoices and payments here and, from an
invoice's page, records a payment, a credit note, a dispute and its end, or a later due date;
underwriters decide extensions beyond the maximum extension period (underwriting.py)."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from accounts.access import INSURED, RoleRequiredMixin
from core.currencies import format_money
from core.exceptions import DomainError
from core.views import ServiceFormMixin, filter_params, id_param, ordered
from debtors.models import Debtor
from debtors.selectors import debtor_lookup
from policies.models import PolicyStatus
from policies.selectors import policies_for

from .. import selectors, services, timeline
from ..forms import (
    CreditNoteForm,
    DisputeForm,
    ExtendForm,
    InvoiceForm,
    InvoicePaymentForm,
    PaymentForm,
    SettleDisputeForm,
)
from ..models import ExtensionRequest, ExtensionStatus, Invoice, Payment, StopDelivery
from ..services.invoices import REPORTABLE

PAGE_SIZE = 25
ZERO = Decimal("0.00")
PICKER_SIZE = 10

# The list's status filter; an invoice's state on the pages is the first that applies.
STATES = {
    "overdue": gettext_lazy("Overdue"),
    "disputed": gettext_lazy("Disputed"),
    "unpaid": gettext_lazy("Unpaid"),
    "paid": gettext_lazy("Paid"),
}


def invoice_state(invoice: Invoice, today: date) -> str:
    """paid, disputed, overdue (unpaid after its due date) or unpaid."""
    if invoice.open_amount <= 0:
        return "paid"
    if invoice.disputed_since is not None:
        return "disputed"
    if invoice.due_date < today:
        return "overdue"
    return "unpaid"


def _with_state(qs, state: str, today: date):
    if state == "paid":
        return qs.filter(open_amount__lte=0)
    if state == "unpaid":
        return qs.filter(open_amount__gt=0)
    if state == "overdue":
        return qs.filter(open_amount__gt=0, due_date__lt=today)
    if state == "disputed":
        return qs.filter(disputed_since__isnull=False)
    return qs


def _viewable_policies(user):
    return policies_for(user).exclude(status=PolicyStatus.DRAFT).order_by("number")


def reportable_policies(user):
    """The policies the insured reports invoices and payments under: issued or expired."""
    return policies_for(user).filter(status__in=REPORTABLE).order_by("number")


def covers_of(invoices, today: date) -> dict[int, selectors.InvoiceCover]:
    """The cover of each of `invoices` (a page of them), computed over every invoice of their
    policy and debtor pairs, which share the limit (one statement)."""
    pairs = {(i.policy_id, i.debtor_id) for i in invoices if i.open_amount > 0}
    if not pairs:
        return {}
    same = Q()
    for policy_id, debtor_id in pairs:
        same |= Q(policy_id=policy_id, debtor_id=debtor_id)
    covers = selectors.invoice_cover(Invoice.objects.filter(same), today=today)
    return {i.pk: covers[i.pk] for i in invoices if i.pk in covers}


# Invoices -----------------------------------------------------------------------------------


class InvoiceListView(RoleRequiredMixin, ListView):
    """Invoices with what is unpaid and covered of each, filtered, sorted, paginated, with
    the filtered set's totals per currency; a fixed number of queries whatever the rows."""

    template_name = "exposure/invoice_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "number": "number",
        "debtor": "debtor__name",
        "delivered": "delivery_date",
        "due": "due_date",
        "gross": "gross",
        "unpaid": "open_amount",
        "insured": "policy__insured__name",
    }

    def filtered(self):
        g = filter_params(self.request)
        qs = selectors.invoices_for(self.request.user).select_related("policy__insured")
        if policy := id_param(g.get("policy")):
            qs = qs.filter(policy_id=policy)
        if debtor := id_param(g.get("debtor")):
            qs = qs.filter(debtor_id=debtor)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q) | Q(debtor__registration_number__icontains=q)
            )
        if number := g.get("number", "").strip():
            qs = qs.filter(number__icontains=number)
        if g.get("status") in STATES:
            qs = _with_state(qs, g["status"], timezone.localdate())
        return qs

    def get_queryset(self):
        qs = self.filtered().annotate(gross=F("net_amount") + F("vat_amount"))
        return ordered(qs, self.request, self.ORDERING, "-delivery_date")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = list(ctx["object_list"])
        covers = covers_of(rows, today)
        for invoice in rows:
            invoice.state = invoice_state(invoice, today)
            invoice.cover = covers.get(invoice.pk)
        g = filter_params(self.request)
        totals = (
            self.filtered()
            .order_by()
            .values("currency")
            .annotate(
                count=Count("id"),
                gross=Sum(F("net_amount") + F("vat_amount")),
                unpaid=Sum("open_amount"),
            )
            .order_by("currency")
        )
        ctx.update(
            rows=rows,
            totals=list(totals),
            policies=_viewable_policies(self.request.user),
            states=list(STATES.items()),
            filtered=any(g.get(k) for k in ("policy", "debtor", "q", "number", "status")),
            today=today,
        )
        return ctx


class InvoiceMixin:
    def get_invoice(self) -> Invoice:
        qs = selectors.invoices_for(self.request.user).select_related("policy__insured")
        return get_object_or_404(qs, pk=self.kwargs["pk"])


def milestone_rows(milestones, today: date, *, open_: bool) -> list[dict]:
    """The timeline as the page shows it: each date past or to come, and the next one (while
    the invoice is unpaid) marked as the deadline to watch."""
    rows, next_found = [], False
    for m in milestones:
        past = m.day < today
        is_next = open_ and not past and not next_found
        next_found = next_found or is_next
        rows.append(
            {
                "milestone": m,
                "past": past,
                "next": is_next,
                "in_days": (m.day - today).days,
                "ago": (today - m.day).days,
            }
        )
    return rows


class InvoiceDetailView(RoleRequiredMixin, InvoiceMixin, TemplateView):
    template_name = "exposure/invoice_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        invoice = self.get_invoice()
        allocations = list(
            invoice.allocations.select_related("payment__recorded_by").order_by(
                "payment__received_on", "payment_id"
            )
        )
        credit_notes = list(invoice.credit_notes.select_related("recorded_by").order_by("id"))
        extensions = list(
            invoice.extensions.select_related("requested_by", "decided_by").order_by(
                "-requested_at", "-id"
            )
        )
        is_open = invoice.open_amount > 0
        rows = milestone_rows(selectors.invoice_milestones(invoice), today, open_=is_open)
        terms = timeline.Terms.of(invoice.policy)
        ctx.update(
            invoice=invoice,
            currency=invoice.currency,
            today=today,
            state=invoice_state(invoice, today),
            states=STATES,
            milestones=rows,
            next_milestone=next((r for r in rows if r["next"]), None),
            cover=selectors.cover_of(invoice, today=today) if is_open else None,
            allocations=allocations,
            paid_total=sum((a.amount for a in allocations), ZERO),
            credit_notes=credit_notes,
            credited_total=sum((c.amount for c in credit_notes), ZERO),
            extensions=extensions,
            pending_extension=next(
                (e for e in extensions if e.status == ExtensionStatus.PENDING), None
            ),
            extension_end=timeline.extension_end(
                invoice.original_due_date, invoice.consented_due_date, terms
            ),
            is_open=is_open,
            notified=any(r["milestone"].code == "notified" for r in rows),
            stop=StopDelivery.objects.filter(
                policy_id=invoice.policy_id, debtor_id=invoice.debtor_id, lifted_on__isnull=True
            ).first(),
            can_act=user.role in INSURED,
        )
        return ctx


# The debtor picker of the invoice and payment forms -----------------------------------------


class DebtorPickerMixin:
    """The form's debtor is found in the register with a search box whose matches come back
    (htmx, `?debtor_q=`) as radio buttons posting the debtor's id: the chosen one first, then
    the matches, or the insured's own debtors (a limit or an invoice) before any search."""

    options_template = "exposure/debtor_options.html"

    def get(self, request, *args, **kwargs):
        if request.headers.get("HX-Request") and "debtor_q" in request.GET:
            return self.render_to_response(
                self.picker_context(chosen_id=id_param(filter_params(request).get("debtor"))),
                template_name=self.options_template,
            )
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name is None:
            return super().render_to_response(context, **kwargs)
        return self.response_class(
            request=self.request, template=[template_name], context=context, using=None
        )

    def picker_context(self, chosen_id: int | None) -> dict:
        q = filter_params(self.request).get("debtor_q", "").strip()
        chosen = Debtor.objects.filter(pk=chosen_id).first() if chosen_id else None
        if q:
            found = debtor_lookup(q, limit=PICKER_SIZE)
        else:
            company = self.request.user.company_id
            found = list(
                Debtor.objects.filter(
                    Q(limits__policy__insured_id=company) | Q(invoices__policy__insured_id=company)
                )
                .distinct()
                .order_by("name", "pk")[:PICKER_SIZE]
            )
        found = [d for d in found if chosen is None or d.pk != chosen.pk]
        return {
            "debtor_q": q,
            "chosen": chosen,
            "found": found,
            "too_short": 0 < len(q) < 2,
            "own_debtors": not q,
            "register_url": self.register_url(),
        }

    def register_url(self) -> str:
        """Registering a debtor comes back to this form (debtor-create adds ?debtor=)."""
        back = self.request.path
        policy = self.request.POST.get("policy") if self.request.method == "POST" else None
        if policy and policy.isdigit():
            back += "?" + urlencode({"policy": policy})
        return f"{reverse('debtor-create')}?{urlencode({'next': back})}"

    def chosen_debtor_id(self, form) -> int | None:
        value = form["debtor"].value()
        value = getattr(value, "pk", value)
        return id_param(str(value)) if value not in (None, "") else None


class _PolicyFormMixin:
    """Forms with a policy choice among the insured's reportable policies, the debtor and
    policy preset from the link (`?policy=`, `?debtor=`)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy_qs = reportable_policies(request.user)
            self.policies = list(self.policy_qs)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "policies": self.policy_qs}

    def get_initial(self):
        g, initial = filter_params(self.request), super().get_initial()
        ids = [p.pk for p in self.policies]
        policy = id_param(g.get("policy"))
        if policy in ids or len(ids) == 1:
            initial["policy"] = policy if policy in ids else ids[0]
        if (debtor := id_param(g.get("debtor"))) and Debtor.objects.filter(pk=debtor).exists():
            initial["debtor"] = debtor
        return initial

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            has_policies=bool(self.policies),
            **self.picker_context(self.chosen_debtor_id(ctx["form"])),
        )
        return ctx


class InvoiceCreateView(
    RoleRequiredMixin, _PolicyFormMixin, DebtorPickerMixin, ServiceFormMixin, FormView
):
    allowed_roles = INSURED
    template_name = "exposure/invoice_form.html"
    form_class = InvoiceForm

    def call_service(self, form):
        data = dict(form.cleaned_data)
        policy, debtor = data.pop("policy"), data.pop("debtor")
        if data.get("vat_amount") is None:
            data.pop("vat_amount")
        return services.invoice_report(
            actor=self.request.user, policy_id=policy.pk, debtor_id=debtor.pk, **data
        )

    def service_succeeded(self, invoice):
        messages.success(
            self.request,
            _(
                "Invoice %(number)s to %(debtor)s is reported: %(amount)s, due %(due)s. Its "
                "deadlines are below."
            )
            % {
                "number": invoice.number,
                "debtor": invoice.debtor.name,
                "amount": format_money(invoice.gross_amount, invoice.currency),
                "due": invoice.original_due_date.isoformat(),
            },
        )
        return redirect("invoice-detail", pk=invoice.pk)


# Actions on one invoice (the insured's) ------------------------------------------------------


class InvoiceActionView(RoleRequiredMixin, InvoiceMixin, ServiceFormMixin, FormView):
    """A small form page for one action on one of the insured's invoices; another company's
    invoice answers 404, staff 403. After the action: the invoice's page, saying what was
    done."""

    allowed_roles = INSURED

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.invoice = self.get_invoice()
        return super().dispatch(request, *args, **kwargs)

    def available(self) -> bool:
        return True

    def get_context_data(self, **kwargs):
        invoice, today = self.invoice, timezone.localdate()
        return super().get_context_data(
            invoice=invoice,
            currency=invoice.currency,
            state=invoice_state(invoice, today),
            states=STATES,
            available=self.available(),
            today=today,
            **kwargs,
        )

    def done(self, text: str, level=messages.SUCCESS):
        messages.add_message(self.request, level, text)
        return redirect("invoice-detail", pk=self.invoice.pk)


def describe_payment(payment: Payment) -> str:
    """What a payment paid: the part on each invoice and any credit balance left."""
    currency = payment.policy.currency
    parts = [
        _("%(amount)s against invoice %(number)s (unpaid now %(open)s)")
        % {
            "amount": format_money(a.amount, currency),
            "number": a.invoice.number,
            "open": format_money(a.invoice.open_amount, currency),
        }
        for a in payment.allocations.select_related("invoice").order_by("id")
    ]
    if payment.unallocated_amount:
        parts.append(
            _("%(amount)s left as the debtor's credit balance")
            % {"amount": format_money(payment.unallocated_amount, currency)}
        )
    text = _("Payment of %(amount)s from %(debtor)s recorded") % {
        "amount": format_money(payment.amount, currency),
        "debtor": payment.debtor.name,
    }
    return f"{text}: {'; '.join(parts)}." if parts else f"{text}."


class InvoicePaymentView(InvoiceActionView):
    template_name = "exposure/invoice_payment.html"
    form_class = InvoicePaymentForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["amount"].label = _("Amount received (%(currency)s)") % {
            "currency": self.invoice.currency
        }
        return form

    def get_initial(self):
        return {"amount": self.invoice.open_amount or None}

    def call_service(self, form):
        data = form.cleaned_data
        return services.payment_record(
            actor=self.request.user,
            policy_id=self.invoice.policy_id,
            debtor_id=self.invoice.debtor_id,
            amount=data["amount"],
            received_on=data["received_on"],
            invoice_id=self.invoice.pk if data["named"] else None,
            reference=data["reference"],
        )

    def service_succeeded(self, payment):
        return self.done(describe_payment(payment))


class InvoiceCreditNoteView(InvoiceActionView):
    template_name = "exposure/invoice_credit_note.html"
    form_class = CreditNoteForm

    def available(self) -> bool:
        return self.invoice.open_amount > 0

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["amount"].label = _("Amount (%(currency)s)") % {
            "currency": self.invoice.currency
        }
        return form

    def call_service(self, form):
        return services.credit_note_record(
            actor=self.request.user, invoice_id=self.invoice.pk, **form.cleaned_data
        )

    def service_succeeded(self, note):
        invoice = note.invoice
        return self.done(
            _(
                "Credit note %(number)s of %(amount)s recorded on invoice %(invoice)s: unpaid "
                "now %(open)s."
            )
            % {
                "number": note.number,
                "amount": format_money(note.amount, invoice.currency),
                "invoice": invoice.number,
                "open": format_money(invoice.open_amount, invoice.currency),
            }
        )


class InvoiceDisputeView(InvoiceActionView):
    template_name = "exposure/invoice_dispute.html"
    form_class = DisputeForm

    def available(self) -> bool:
        return self.invoice.disputed_since is None

    def call_service(self, form):
        return services.invoice_dispute(
            actor=self.request.user, invoice_id=self.invoice.pk, **form.cleaned_data
        )

    def service_succeeded(self, invoice):
        return self.done(
            _(
                "Invoice %(number)s is marked disputed since %(day)s. While the dispute lasts "
                "it counts in your exposure but is not covered."
            )
            % {"number": invoice.number, "day": invoice.disputed_since.isoformat()},
            messages.WARNING,
        )


class InvoiceSettleDisputeView(InvoiceActionView):
    template_name = "exposure/invoice_settle_dispute.html"
    form_class = SettleDisputeForm

    def available(self) -> bool:
        return self.invoice.disputed_since is not None

    def call_service(self, form):
        return services.invoice_dispute_end(
            actor=self.request.user, invoice_id=self.invoice.pk, **form.cleaned_data
        )

    def service_succeeded(self, invoice):
        return self.done(
            _("The dispute on invoice %(number)s is settled; the invoice can be covered again.")
            % {"number": invoice.number}
        )


class InvoiceExtendView(InvoiceActionView):
    template_name = "exposure/invoice_extend.html"
    form_class = ExtendForm

    def available(self) -> bool:
        return self.invoice.open_amount > 0

    def extension_end(self) -> date:
        invoice = self.invoice
        return timeline.extension_end(
            invoice.original_due_date, invoice.consented_due_date, timeline.Terms.of(invoice.policy)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            extension_end=self.extension_end(),
            max_extension_days=self.invoice.policy.max_extension_days,
            pending_extension=self.invoice.extensions.filter(
                status=ExtensionStatus.PENDING
            ).first(),
            **kwargs,
        )

    def call_service(self, form):
        return services.invoice_extend(
            actor=self.request.user, invoice_id=self.invoice.pk, **form.cleaned_data
        )

    def service_succeeded(self, result):
        if isinstance(result, ExtensionRequest):
            return self.done(
                _(
                    "%(due)s lies beyond the maximum extension period, which ends on %(end)s: "
                    "the insurer must consent. Your request is sent to the insurer; the due "
                    "date stays %(current)s until it is granted."
                )
                % {
                    "due": result.due_date.isoformat(),
                    "end": self.extension_end().isoformat(),
                    "current": self.invoice.due_date.isoformat(),
                },
                messages.INFO,
            )
        return self.done(
            _(
                "The due date of invoice %(number)s is now %(due)s. This is within the maximum "
                "extension period; the deadlines still count from the original due date."
            )
            % {"number": result.number, "due": result.due_date.isoformat()}
        )


# Payments -----------------------------------------------------------------------------------


class PaymentCreateView(
    RoleRequiredMixin, _PolicyFormMixin, DebtorPickerMixin, ServiceFormMixin, FormView
):
    allowed_roles = INSURED
    template_name = "exposure/payment_form.html"
    form_class = PaymentForm

    def call_service(self, form):
        data = form.cleaned_data
        invoice_id = None
        if number := data["invoice_number"].strip():
            invoice = Invoice.objects.filter(
                policy=data["policy"], debtor=data["debtor"], number=number
            ).first()
            if invoice is None:
                raise DomainError(
                    _("No invoice %(number)s of this debtor under this policy.")
                    % {"number": number},
                    field="invoice_number",
                    code="does_not_exist",
                )
            invoice_id = invoice.pk
        try:
            return services.payment_record(
                actor=self.request.user,
                policy_id=data["policy"].pk,
                debtor_id=data["debtor"].pk,
                amount=data["amount"],
                received_on=data["received_on"],
                invoice_id=invoice_id,
                reference=data["reference"],
            )
        except DomainError as exc:
            if exc.field == "invoice":
                exc.field = "invoice_number"
            raise

    def service_succeeded(self, payment):
        messages.success(self.request, describe_payment(payment))
        return redirect(reverse("payment-list") + f"?{urlencode({'debtor': payment.debtor_id})}")


class PaymentListView(RoleRequiredMixin, ListView):
    template_name = "exposure/payment_list.html"
    paginate_by = PAGE_SIZE
    ORDERING = {
        "received": "received_on",
        "debtor": "debtor__name",
        "amount": "amount",
        "insured": "policy__insured__name",
    }

    def get_queryset(self):
        g = filter_params(self.request)
        qs = (
            selectors.payments_for(self.request.user)
            .select_related("policy__insured", "debtor", "invoice", "recorded_by")
            .prefetch_related("allocations__invoice")
        )
        if policy := id_param(g.get("policy")):
            qs = qs.filter(policy_id=policy)
        if debtor := id_param(g.get("debtor")):
            qs = qs.filter(debtor_id=debtor)
        if q := g.get("q", "").strip():
            qs = qs.filter(
                Q(debtor__name__icontains=q)
                | Q(debtor__registration_number__icontains=q)
                | Q(reference__icontains=q)
            )
        return ordered(qs, self.request, self.ORDERING, "-received_on")

    def get_context_data(self, **kwargs):
        g = filter_params(self.request)
        return super().get_context_data(
            policies=_viewable_policies(self.request.user),
            filtered=any(g.get(k) for k in ("policy", "debtor", "q")),
            **kwargs,
        )
