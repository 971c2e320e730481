"""Progress bars without inline styles: the strict CSP allows no `style="width: …"` attribute."""

from django import template

register = template.Library()

STEP = 5  # static/css/app.css has one width class per step: .w-pct-0, .w-pct-5, … .w-pct-100


@register.simple_tag
def progress_width(done: int, total: int) -> str:
    """The class `w-pct-N` for a bar `done` of `total` full, N rounded to a multiple of 5.

    Something done never shows as an empty bar, and an unfinished one never as a full bar.
    """
    if not total or total <= 0:
        return "w-pct-0"
    percent = round(100 * done / total / STEP) * STEP
    if done > 0:
        percent = max(percent, STEP)
    if done < total:
        percent = min(percent, 100 - STEP)
    return f"w-pct-{max(0, min(percent, 100))}"
