"""The credit decision template editor, for administrators: the list of templates, and one
template with a row for every parameter of the engine and its change history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.access import RoleRequiredMixin
from accounts.models import Role
from core.exceptions import DomainError
from core.views import ordered
from debtors.models import Debtor

from ..models import DecisionTemplate, TemplateRule
from ..params import param_def
from ..services.templates import template_save
from ..uw_forms import TemplateEditor

ADMINS = (Role.ADMIN,)


class AdminMixin(RoleRequiredMixin):
    allowed_roles = ADMINS


class TemplateListView(AdminMixin, ListView):
    template_name = "limits/uw_template_list.html"
    paginate_by = 25
    ORDERING = {"legal_form": "legal_form", "name": "name", "updated": "updated_at"}

    def get_queryset(self):
        qs = DecisionTemplate.objects.annotate(
            rule_count=Count("rules", filter=Q(rules__enabled=True))
        )
        return ordered(qs, self.request, self.ORDERING, "legal_form")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["has_general"] = DecisionTemplate.objects.filter(legal_form="").exists()
        return ctx


# History ------------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    at: datetime
    user: object
    lines: list[str] = field(default_factory=list)


def _value(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    if name == "enabled":
        return _("counts") if value else _("does not count")
    if name == "threshold":
        return f"{value.normalize():f}"
    if name == "on_fail":
        return _("refuse") if value == "refuse" else _("refer")
    return str(value)


RULE_FIELDS = ("enabled", "threshold", "months", "on_fail")


def _rule_summary(record) -> str:
    """ "counts, threshold 40, within 12 months, refer"."""
    parts = [_value("enabled", record.enabled)]
    if record.threshold is not None:
        parts.append(_("threshold %(v)s") % {"v": _value("threshold", record.threshold)})
    if record.months is not None:
        parts.append(_("within %(v)s months") % {"v": record.months})
    parts.append(_value("on_fail", record.on_fail))
    return ", ".join(parts)


def _rule_lines(record, before) -> list[str]:
    spec = param_def(record.param)
    label = str(spec.label) if spec else record.param
    values = {"param": label, "values": _rule_summary(record)}
    if record.history_type == "-":
        return [_("%(param)s: row removed") % values]
    if record.history_type == "+":
        return [_("%(param)s: added (%(values)s)") % values]
    if before is None:  # a row written without history (e.g. loaded data) changed
        return [_("%(param)s: now %(values)s") % values]
    return [
        f"{label}: {TemplateRule._meta.get_field(f).verbose_name} "
        f"{_value(f, getattr(before, f))} → {_value(f, getattr(record, f))}"
        for f in RULE_FIELDS
        if getattr(before, f) != getattr(record, f)
    ]


def template_history(template: DecisionTemplate) -> list[HistoryEntry]:
    """Every save of the template, newest first: who, when and what changed (two queries).
    template_save stamps the template and its rule rows with one time, which groups them."""
    entries: dict[tuple, HistoryEntry] = {}
    previous = None
    for record in template.history.select_related("history_user").order_by("history_id"):
        key = (record.history_date, record.history_user_id)
        entry = entries.setdefault(key, HistoryEntry(record.history_date, record.history_user))
        if previous is None:
            entry.lines.append(_("Template created"))
        else:
            for name in ("name", "legal_form", "above_guideline"):
                old, new = getattr(previous, name), getattr(record, name)
                if old != new:
                    label = DecisionTemplate._meta.get_field(name).verbose_name
                    entry.lines.append(f"{str(label).capitalize()}: {old or '—'} → {new or '—'}")
        previous = record
    last_by_rule = {}
    rules = TemplateRule.history.filter(template_id=template.pk).select_related("history_user")
    for record in rules.order_by("history_id"):
        key = (record.history_date, record.history_user_id)
        entry = entries.setdefault(key, HistoryEntry(record.history_date, record.history_user))
        entry.lines.extend(_rule_lines(record, last_by_rule.get(record.id)))
        last_by_rule[record.id] = record
    return sorted(entries.values(), key=lambda e: e.at, reverse=True)


# Editing ------------------------------------------------------------------------------------


class _TemplateFormView(AdminMixin, View):
    template_name = "limits/uw_template_form.html"
    template: DecisionTemplate | None = None

    def render(self, editor: TemplateEditor, status: int = 200):
        legal_forms = (
            Debtor.objects.exclude(legal_form="")
            .order_by("legal_form")
            .values_list("legal_form", flat=True)
            .distinct()
        )
        context = {
            "editor": editor,
            "form": editor.form,
            "template": self.template,
            "legal_forms": legal_forms,
            "history": template_history(self.template) if self.template else [],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(TemplateEditor(template=self.template))

    def post(self, request, *args, **kwargs):
        editor = TemplateEditor(request.POST, template=self.template)
        if editor.is_valid():
            data = editor.form.cleaned_data
            try:
                saved = template_save(
                    actor=request.user,
                    template_id=self.template.pk if self.template else None,
                    name=data["name"],
                    legal_form=data["legal_form"],
                    above_guideline=data["above_guideline"],
                    rules=editor.rule_rows(),
                )
            except DomainError as exc:
                editor.apply_error(exc)
            else:
                messages.success(
                    request,
                    _("Template “%(name)s” saved; requests from now on are decided by it.")
                    % {"name": saved.name},
                )
                return redirect("template-edit", pk=saved.pk)
        return self.render(editor)


class TemplateCreateView(_TemplateFormView):
    pass


class TemplateEditView(_TemplateFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.template = get_object_or_404(
                DecisionTemplate.objects.prefetch_related("rules"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)
