"""The maturity dashboard's two tables of every region (514 rows nationally), written in Python:
as template loops they cost a cold request more than its heaviest query.

    {% load dashboard_tables %}
    <tbody>{% heatmap_body data.heatmap_rows %}</tbody>
    <tbody>{% index_body data.indices %}</tbody>

The markup is the one the loops wrote. Every value is escaped as Django escapes it (`escape` of
the standard library, which Django's wraps: a fifth of the cost without the wrapper).
"""

from collections.abc import Iterable, Mapping
from html import escape

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def heatmap_body(rows: Iterable[Mapping]) -> SafeString:
    """One row per region: its name, its score texts per dimension, its index text."""
    return SafeString(
        "".join(
            f'<tr><th scope="row" class="fw-normal">{escape(row["region_name"])}</th>'
            + "".join(f'<td class="text-end">{escape(value)}</td>' for value in row["values"])
            + f'<td class="text-end">{escape(row["index"])}</td></tr>'
            for row in rows
        )
    )


@register.simple_tag
def index_body(rows: Iterable[Mapping]) -> SafeString:
    """One row per region: a link to its page (preliminary results marked), index, predikat."""
    badge = f' <span class="badge text-bg-warning">{escape(_("preliminary"))}</span>'
    return SafeString(
        "".join(
            f'<tr><th scope="row" class="fw-normal"><a href="{escape(row["url"])}">'
            f"{escape(row['region_name'])}</a>{badge if row['preliminary'] else ''}</th>"
            f'<td class="text-end">{escape(row["score"])}</td>'
            f"<td>{escape(row['predikat'] or '')}</td></tr>"
            for row in rows
        )
    )
