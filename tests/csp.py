"""What the strict CSP forbids in a page's HTML, found by parsing it."""

import re
from html.parser import HTMLParser

# Script types the browser does not run: data for static scripts (json_script, Plotly figures).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
EVENT_HANDLER = re.compile(r"^on[a-z]+$")
# htmx features that evaluate strings as code (refused with allowEval: false, and by the CSP).
HTMX_EVAL = re.compile(r"^(?:data-)?hx-on(?:[:-].*)?$")


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: tuple[int, dict[str, str | None]] | None = None
        self._script_text: list[str] = []

    def _where(self) -> str:
        return f"line {self.getpos()[0]}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"{self._where()}: style attribute on <{tag}>: {value!r}")
            elif EVENT_HANDLER.match(name):
                self.problems.append(f"{self._where()}: event handler {name}= on <{tag}>")
            elif HTMX_EVAL.match(name):
                self.problems.append(f"{self._where()}: {name}= on <{tag}> needs eval")
            elif name in {"hx-vals", "hx-vars"} and (value or "").lstrip().startswith("js:"):
                self.problems.append(f"{self._where()}: {name}=js:… on <{tag}> needs eval")
            elif name == "hx-trigger" and "[" in (value or ""):
                self.problems.append(f"{self._where()}: hx-trigger filter needs eval: {value!r}")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"{self._where()}: javascript: URL in {name}= on <{tag}>")
        if tag == "style":
            self.problems.append(f"{self._where()}: <style> element")
        if tag == "script":
            self._script = (self.getpos()[0], names)
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        line, attrs = self._script
        kind = (attrs.get("type") or "").strip().lower()
        code = "".join(self._script_text).strip()
        if code and not attrs.get("src") and kind not in DATA_SCRIPT_TYPES:
            self.problems.append(f"line {line}: inline <script> with code: {code[:60]!r}")
        self._script = None


def inline_code_problems(html: str) -> list[str]:
    """Every inline script or style, event-handler attribute and eval-needing htmx attribute."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
