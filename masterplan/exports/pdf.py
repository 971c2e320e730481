"""The PDF book: the book templates through WeasyPrint, charts as inline SVG."""

import base64

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML

from masterplan.exports.content import Book

STYLESHEET = "css/book.css"


def _page_labels() -> str:
    """The running footer in the book's language: "halaman X dari Y" / "page X of Y"."""
    words = _("page %(page)s of %(pages)s") % {
        "page": '" counter(page) "',
        "pages": '" counter(pages) "',
    }
    return f'@page {{ @bottom-right {{ content: "{words}"; }} }}'


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def book_pdf(book: Book, images: dict[str, bytes], note: str) -> bytes:
    """The PDF of `book`; `images` are the figures as SVG (empty when charts failed, and then
    `note` takes each chart's place)."""
    html = render_to_string(
        "masterplan/book/book.html",
        {"book": book, "images": {key: data_uri(svg) for key, svg in images.items()}, "note": note},
    )
    stylesheets = [CSS(filename=finders.find(STYLESHEET)), CSS(string=_page_labels())]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)
