"""The dashboards' long tables, written in Python: the maturity dashboard's two tables of every
region (514 rows nationally) and the progress dashboard's province and region tables. As
template loops they cost a cold request more than its heaviest query.

    {% load dashboard_tables %}
    <tbody>{% heatmap_body data.heatmap_rows %}</tbody>
    <tbody>{% index_body data.indices %}</tbody>
    {% province_options data.province_options form.province.value %}
    <tbody>{% province_body data.provinces cycle.pk %}</tbody>
    <tbody>{% region_body page %}</tbody>

The markup is the one the loops wrote. Every value is escaped as Django escapes it (`escape` of
the standard library, which Django's wraps: a fifth of the cost without the wrapper).
"""

from collections.abc import Iterable, Mapping
from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
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


def _percent(share: float) -> str:
    """A share as `{% widthratio share 1 100 %}` wrote it."""
    return str(round(share * 100))


@register.simple_tag
def province_options(options: Iterable[tuple[str, str]], selected: str | None) -> SafeString:
    """The province filter's options after "all provinces", the chosen one selected."""
    return SafeString(
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>'
            f"{escape(name)}</option>"
            for code, name in options
        )
    )


@register.simple_tag
def province_body(rows: Iterable[Mapping], cycle_pk: int) -> SafeString:
    """One row per province: its name (a link that filters the table to it), its regions, how
    many reported and how many are approved, with their rates."""
    return SafeString(
        "".join(
            f'<tr><th scope="row" class="fw-normal"><a href="?cycle={cycle_pk}&amp;province='
            f'{escape(row["province_code"])}">{escape(row["province_name"])}</a></th>'
            f'<td class="text-end">{row["regions"]}</td>'
            f'<td class="text-end">{row["reported"]} ({_percent(row["reported_rate"])}%)</td>'
            f'<td class="text-end">{row["approved"]} ({_percent(row["approved_rate"])}%)</td></tr>'
            for row in rows
        )
    )


def _region_row(row: Mapping, region_url: str, overdue: str, preliminary: str) -> str:
    activity = row["last_activity"]
    index = row["index"]
    score = "–"
    if index is not None:
        score = escape(floatformat(index, 2)) + (preliminary if row["preliminary"] else "")
    return (
        f'<tr data-region="{escape(row["region_code"])}">'
        f'<td><a href="{region_url}{row["region"]}/">{escape(row["region_name"])}</a> '
        f'<span class="text-body-secondary small">{escape(row["region_code"])}</span></td>'
        f"<td>{escape(row['province_name'])}</td>"
        f'<td><span class="badge status-{escape(row["status"])}">{escape(row["status_label"])}'
        f"</span>{overdue if row['overdue'] else ''}</td>"
        f"<td>{escape(date_format(localtime(activity), 'DATETIME_FORMAT')) if activity else '–'}"
        f"</td><td>{score}</td><td>{escape(row['predikat'] or '–')}</td></tr>"
    )


@register.simple_tag
def region_body(rows: Iterable[Mapping]) -> SafeString:
    """One row per region of the page: a link to its page, its province, its status (overdue
    marked), its last activity, its index (preliminary marked) and predikat."""
    region_url = escape(reverse("dashboards:region", args=[0]).removesuffix("0/"))
    overdue = f' <span class="badge text-bg-danger">{escape(_("overdue"))}</span>'
    preliminary = f' <span class="badge text-bg-warning">{escape(_("preliminary"))}</span>'
    return SafeString("".join(_region_row(row, region_url, overdue, preliminary) for row in rows))
