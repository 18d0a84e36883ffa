"""The cover check pages: the insured's form with the answer on the same page (htmx swaps it
in; without scripts the form posts and the page comes back with the answer), the compact box
other pages include (templates/exposure/cover_box.html), and one stored answer, printable:
proof of what was said.

The answers a user may read come from `exposure.selectors.cover_checks_for`, as in the API."""

import uuid

from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from accounts.access import INSURED, RoleRequiredMixin
from accounts.models import Role
from core.exceptions import DomainError
from core.views import apply_errors_to_form, filter_params, id_param
from debtors.models import Debtor
from policies.models import PolicyStatus
from policies.selectors import policies_for

from ..forms_cover import CoverCheckForm
from ..models import CoverCheck
from ..selectors import cover_checks_for
from ..services.cover import NOTES, cover_check, reason_message

RECENT = 5
BOX_TARGET = "cover-box-answer"  # the box's answer area: htmx names it in HX-Target


def cover_box_policies(user) -> list:
    """The policies the cover box offers (the user's issued ones): for a context processor
    that gives the box its policy choice as `cover_policies`."""
    if not (user.is_authenticated and user.role == Role.INSURED):
        return []
    return list(policies_for(user).filter(status=PolicyStatus.ISSUED).order_by("number"))


def described(check: CoverCheck) -> list[dict]:
    """The answer's reasons in the reader's language; `note` for one that only informs."""
    return [
        {
            "code": reason["code"],
            "message": reason_message(reason, check.currency),
            "note": reason["code"] in NOTES,
        }
        for reason in check.reasons or []
    ]


def answer_context(check: CoverCheck) -> dict:
    reasons = described(check)
    if check.covered:
        verdict = "yes"
    elif check.covered_amount > 0:
        verdict = "partly"
    else:
        verdict = "no"
    return {
        "check": check,
        "verdict": verdict,
        "blocking": [r for r in reasons if not r["note"]],
        "notes": [r for r in reasons if r["note"]],
        "currency": check.currency,
    }


def _last_debtor(data: QueryDict) -> QueryDict:
    """A debtor picked from the matches (a button posting `debtor`) comes after the form's
    hidden debtor field: the last value given is the choice."""
    chosen = [v for v in data.getlist("debtor") if v]
    if len(chosen) > 1:
        data = data.copy()
        data.setlist("debtor", chosen[-1:])
    return data


class CoverCheckView(RoleRequiredMixin, FormView):
    """GET: the form (preset from `?policy=&debtor=&amount=&terms_days=`), with a stored answer
    when `?answer=<id>` names one of the company's. POST: ask, then come back to the page
    with the answer (`?answer=`), or with htmx get the answer swapped in."""

    allowed_roles = INSURED
    template_name = "exposure/cover_check.html"
    panel_template = "exposure/cover_panel.html"
    box_answer_template = "exposure/cover_box_answer.html"
    form_class = CoverCheckForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.policy_qs = policies_for(request.user).filter(status=PolicyStatus.ISSUED)
        return super().dispatch(request, *args, **kwargs)

    @property
    def from_box(self) -> bool:
        return self.request.headers.get("HX-Target") == BOX_TARGET

    @property
    def htmx(self) -> bool:
        return bool(self.request.headers.get("HX-Request"))

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "policies": self.policy_qs.order_by("number")}
        if "data" in kwargs:
            kwargs["data"] = _last_debtor(kwargs["data"])
        return kwargs

    def get_initial(self):
        g = filter_params(self.request)
        initial = {}
        answer = self.stored_answer()
        if answer is not None:
            return {
                "policy": answer.policy_id,
                "debtor": answer.debtor_id,
                "amount": answer.amount,
                "terms_days": answer.terms_days,
                "delivery_date": answer.delivery_date
                if answer.delivery_date != timezone.localdate(answer.asked_at)
                else None,
            }
        if policy := id_param(g.get("policy")):
            initial["policy"] = policy
        if debtor := id_param(g.get("debtor")):
            initial["debtor"] = debtor
        for name in ("amount", "terms_days"):
            if g.get(name):
                initial[name] = g[name]
        return initial

    def stored_answer(self) -> CoverCheck | None:
        """The answer `?answer=<id>` names, if it is one the user may read."""
        if not hasattr(self, "_answer"):
            self._answer = None
            key = filter_params(self.request).get("answer", "")
            if key and self.request.method == "GET":
                try:
                    pk = uuid.UUID(key)
                except ValueError:
                    pk = None
                if pk is not None:
                    self._answer = cover_checks_for(self.request.user).filter(pk=pk).first()
        return self._answer

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            check = cover_check(
                actor=self.request.user,
                policy_id=data["policy"].pk,
                debtor_id=data["debtor"].pk,
                amount=data["amount"],
                terms_days=data["terms_days"],
                delivery_date=data["delivery_date"],
            )
        except DomainError as exc:
            apply_errors_to_form(form, exc)
            return self.form_invalid(form)
        if self.from_box:
            return self.render_to_response(
                {"answer": answer_context(check), "form": form}, self.box_answer_template
            )
        if self.htmx:
            return self.render_to_response(
                self.get_context_data(form=form, answer=answer_context(check), oob=True),
                self.panel_template,
            )
        return redirect(f"{reverse('cover-check')}?answer={check.pk}")

    def form_invalid(self, form):
        if self.from_box:
            return self.render_to_response({"form": form}, self.box_answer_template)
        if self.htmx:
            return self.render_to_response(self.get_context_data(form=form), self.panel_template)
        return super().form_invalid(form)

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name:
            return self.response_class(
                request=self.request, template=[template_name], context=context, **kwargs
            )
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        answer = self.stored_answer()
        if "answer" not in ctx:
            ctx["answer"] = answer_context(answer) if answer is not None else None
        chosen = getattr(form, "cleaned_data", {}).get("debtor")  # found from what was typed
        value = id_param(str(form["debtor"].value() or ""))
        if chosen is None and value is not None and "debtor" not in form.errors:
            chosen = Debtor.objects.filter(pk=value).first()
        ctx.update(
            has_policies=bool(form.policy_list),
            chosen=chosen,
            matches=form.matches,
            recent=cover_checks_for(self.request.user).order_by("-asked_at")[:RECENT],
        )
        return ctx


class CoverCheckDetailView(RoleRequiredMixin, TemplateView):
    """One stored answer: what was asked, by whom and when, and what was answered."""

    template_name = "exposure/cover_check_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        check = get_object_or_404(cover_checks_for(self.request.user), pk=self.kwargs["pk"])
        ctx.update(check=check, answer=answer_context(check), now=timezone.now())
        return ctx
