"""The report as a PDF: the HTML page, paginated by WeasyPrint (the ``pdf`` extra).

The print stylesheet gives A4 pages with a running title (skills, plan, date and verdict) and
``Page N of M`` at the foot, each section on a new page.
"""

from __future__ import annotations

from harness.errors import UsageError
from harness.report.html import render_html
from harness.report.model import Report


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes; needs WeasyPrint (``pip install 'roboverify[pdf]'``)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: installed, but Pango is missing
        raise UsageError(
            f"PDF reports need WeasyPrint, which could not be loaded ({error}); "
            "install it with: pip install 'roboverify[pdf]'"
        ) from error
    document = weasyprint.HTML(string=render_html(report), base_url=None)
    pdf: bytes = document.write_pdf()
    return pdf
