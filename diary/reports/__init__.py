"""The appointment report: the period on one page, as a PDF (WeasyPrint, SVG charts)."""
