"""Print an HTML document to PDF, and a PDF to PNG pages for looking at it.

WeasyPrint is the printer (pure Python, CJK text through the system's Noto CJK fonts);
when it is missing, headless Chromium's `--print-to-pdf` prints the same HTML, so a PDF
never depends on a single tool.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


def write_pdf(html: str, path: Path) -> str:
    """Print the page to PDF; returns the tool used ("weasyprint" or "chromium")."""
    try:
        import weasyprint
    except ImportError:
        weasyprint = None
    if weasyprint is not None:
        weasyprint.HTML(string=html).write_pdf(str(path))
        return "weasyprint"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise RuntimeError("neither WeasyPrint nor Chromium is installed: cannot write a PDF")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "document.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={path}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return "chromium"


def pdf_to_png(pdf: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    """Render every page of `pdf` to `prefix-N.png` with poppler's pdftoppm; returns the pages."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm (Debian package poppler-utils) is not installed")
    subprocess.run([tool, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))
