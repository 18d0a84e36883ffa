"""Page plumbing shared by the apps: the one page-level handler for domain errors, and
list pages that search, sort and paginate."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect

from core.exceptions import DomainError
from core.text import forbidden_character


def apply_errors_to_form(form, exc: Exception) -> None:
    """Put a service's error on the form field it names (or on the form as a whole)."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages)
    elif isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    else:
        form.add_error(None, exc.messages if hasattr(exc, "messages") else str(exc))


class ServiceFormMixin:
    """A form view whose valid form goes to a service; the service's errors return to the form
    (input kept, field named) instead of becoming a 500. Views define `call_service(form)`
    and `service_succeeded(result)`."""

    def form_valid(self, form):
        try:
            result = self.call_service(form)
        except (ValidationError, DomainError) as exc:
            apply_errors_to_form(form, exc)
            return self.form_invalid(form)
        return self.service_succeeded(result)


def action_with_message(request, action, *, success: str, back: str):
    """Run a button's service call; say what happened either way and go back."""
    try:
        action()
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(back)


ORDERING_PARAM = "ordering"
# No name, number, code or date a list is filtered by is longer.
FILTER_MAX_LENGTH = 200
# An id beyond PostgreSQL's bigint is no row's; int() of a long text is slow or refused.
ID_MAX_DIGITS = 18


def filter_params(request) -> QueryDict:
    """The query string as a list page's filters read it: every list view reads its filters
    here. A value no filter can use is left out, so the filter is ignored as if not given:
    one holding a NUL byte (PostgreSQL refuses it in a query, which answered 500) or another
    control character, or one longer than FILTER_MAX_LENGTH."""
    params = getattr(request, "_filter_params", None)
    if params is None:
        params = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            kept = [v for v in values if len(v) <= FILTER_MAX_LENGTH and _usable(v)]
            if kept and _usable(key):
                params.setlist(key, kept)
        params._mutable = False
        request._filter_params = params
    return params


def _usable(text: str) -> bool:
    return forbidden_character(text) is None


def id_param(value: str | None) -> int | None:
    """An id from the query string, or None: ASCII digits only ("²" is a digit to
    str.isdigit, not to int) and no more than a bigint holds."""
    if value and len(value) <= ID_MAX_DIGITS and value.isascii() and value.isdigit():
        return int(value)
    return None


def ordered(qs, request, allowed: dict[str, str], default: str):
    """Sort a queryset by `?ordering=` among the allowed fields (name → ORM path)."""
    value = request.GET.get(ORDERING_PARAM, "")
    name = value.lstrip("-")
    if name not in allowed:
        return qs.order_by(default)
    path = allowed[name]
    return qs.order_by(f"-{path}" if value.startswith("-") else path, "pk")


def stored_pdf_response(request, document, *, not_ready: str):
    """A stored PDF (a policy document or a decision letter) as a download, or `?inline=1`
    in the browser; 404 with `not_ready` while it is still being rendered."""
    from django.http import FileResponse, Http404

    if document.status != "ready" or not document.file:
        raise Http404(not_ready)
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("inline") != "1",
        filename=document.filename,
    )


def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links to."""
    from django.contrib.staticfiles import finders
    from django.http import FileResponse, Http404
    from django.utils.cache import patch_cache_control

    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("favicon.ico")
    # FileResponse closes the file once sent.
    icon = open(path, "rb")  # noqa: SIM115
    response = FileResponse(icon, content_type="image/vnd.microsoft.icon")
    patch_cache_control(response, public=True, max_age=86400)
    return response
