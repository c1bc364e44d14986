"""HTML to PDF with WeasyPrint, imported only when a report is asked for (it is heavy)."""

from __future__ import annotations

from diary.errors import DomainError


class PdfUnavailable(DomainError):
    status = 503
    title = "Reports are unavailable"


def render_pdf(html: str) -> bytes:
    """The HTML document as PDF bytes."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # Pango or HarfBuzz missing from the system
        raise PdfUnavailable(
            "This server cannot draw PDFs: WeasyPrint needs the Pango library "
            "(Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)."
        ) from error
    # The report is self-contained (inline SVG, system fonts): no protocol may be fetched.
    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return pdf
