"""The one PDF renderer: a Django template from templates/pdf/, in one language, through
WeasyPrint. Resources come from the static files on disk; nothing is fetched from the network.

A rendered document is stored and never changed, so a resource that cannot be loaded (a
missing stylesheet, a remote URL) fails the rendering instead of leaving a wrong PDF behind.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from core.insurer import insurer

# Relative and root-relative URLs in the templates resolve against this origin, which never
# resolves on a network (.invalid is reserved); the fetcher maps it to the static files.
PDF_ORIGIN = "https://pdf.invalid/"


class PdfRenderError(RuntimeError):
    """A PDF could not be rendered, e.g. because a resource it needs could not be loaded."""


def insurer_name() -> str:
    return insurer().name


def static_base_url() -> str:
    """The absolute URL the static files sit under, as the templates' `{% static %}` gives."""
    return urljoin(PDF_ORIGIN, settings.STATIC_URL)


def _static_file_path(name: str) -> str | None:
    """The file on disk for a static file name: from the finders (the source files), else
    from the collected files (where a manifest storage keeps hashed names)."""
    found = finders.find(name)
    if found:
        return found
    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if staticfiles_storage.exists(name) else None


class StaticFileFetcher(URLFetcher):
    """Serves static files from disk and data: URLs; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True)
        self.static_base = static_base_url()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.static_base):
            raise ValueError(f"PDF resources come from the static files only, not {url}")
        name = unquote(urlsplit(url[len(self.static_base) :]).path)
        normalised = posixpath.normpath(name)
        if normalised.startswith(("../", "/")) or normalised in (".", ".."):
            raise ValueError(f"Not a static file name: {name}")
        path = _static_file_path(normalised)
        if path is None:
            raise FileNotFoundError(f"Static file not found: {normalised}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def render_html(template_name: str, context: dict, language: str) -> str:
    """The template rendered in the given language, with the insurer's identity at hand."""
    identity = insurer()
    with translation.override(language):
        return render_to_string(
            template_name,
            {"insurer": identity, "insurer_name": identity.name, "language": language, **context},
        )


def render_pdf(template_name: str, context: dict, language: str) -> bytes:
    """Render templates/pdf/... in `language` to PDF bytes."""
    html = render_html(template_name, context, language)
    try:
        document = HTML(string=html, base_url=static_base_url(), url_fetcher=StaticFileFetcher())
        return document.write_pdf()
    except FatalURLFetchingError as exc:
        # WeasyPrint raises this as a BaseException; callers handle ordinary errors.
        raise PdfRenderError(f"{exc}: {exc.__cause__}") from exc.__cause__
