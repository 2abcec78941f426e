"""PDF rendering with WeasyPrint: the report HTML over the portal's own CSS and the fonts
installed on the machine. The URL fetcher serves only the portal's static files and
refuses everything else (no network, no local files)."""

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "kttt-static:"


class FetchRefused(ValueError):
    """A URL outside the portal's static files."""


class StaticOnlyFetcher(URLFetcher):
    """``kttt-static:css/report.css`` → that static file; any other URL is refused."""

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_PREFIX):
            raise FetchRefused(f"refused: {url}")
        relative = url[len(STATIC_PREFIX) :].lstrip("/")
        if ".." in Path(relative).parts:
            raise FetchRefused(f"refused: {url}")
        path = finders.find(relative)
        if path is None:
            raise FetchRefused(f"not a static file: {url}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, Path(path).read_bytes(), headers={"Content-Type": content_type}
        )


def render_pdf(template: str, context: dict) -> bytes:
    """Render ``template`` to PDF bytes."""
    html = render_to_string(template, {**context, "static_prefix": STATIC_PREFIX})
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticOnlyFetcher()).write_pdf()
