"""Plotly figures to SVG (the PDF) or PNG (the DOCX) through kaleido and Debian's chromium.

kaleido's sync server (one headless Chromium) is started once per process, on the first figure,
and reused by every later export of the worker: a new browser per figure costs seconds. When the
browser cannot be started or a figure fails, `ChartsUnavailable` carries a message for the user;
the writers then put the figure's table and a note in its place.
"""

import logging
import os
import threading
import time

import kaleido
import plotly.graph_objects as go
from django.conf import settings
from django.utils.translation import gettext_noop
from kaleido._sync_server import GlobalKaleidoServer

logger = logging.getLogger(__name__)

CHARTS_UNAVAILABLE = gettext_noop(
    "The charts could not be drawn (the chart renderer is not available on the server); "
    "the book shows their tables instead. Try again later or tell the administrators."
)
WIDTH, HEIGHT = 720, 440

RENDER_TIMEOUT = 90  # seconds for one figure, kaleido's own limit included

_lock = threading.Lock()
_started = False


class ChartsUnavailable(Exception):
    """kaleido or its browser failed; `message` is the English msgid for the user."""

    message = CHARTS_UNAVAILABLE


def _server() -> GlobalKaleidoServer:
    return GlobalKaleidoServer()


def _server_alive() -> bool:
    thread = getattr(_server(), "_thread", None)
    return thread is not None and thread.is_alive()


def _ensure_server() -> None:
    """Start the process's renderer once. A browser that is not there fails here: kaleido's
    server thread would die on it and leave every later call waiting forever."""
    global _started
    with _lock:
        if _started and _server_alive():
            return
        _reset()
        browser = settings.KALEIDO_BROWSER_PATH
        if not (os.path.isfile(browser) and os.access(browser, os.X_OK)):
            raise ChartsUnavailable(f"no browser at {browser}")
        kaleido.start_sync_server(path=browser, timeout=RENDER_TIMEOUT - 10, silence_warnings=True)
        _started = True


def _reset() -> None:
    """Forget a renderer whose thread has ended (joining a dead thread returns at once)."""
    global _started
    if _server().is_running() and not _server_alive():
        _server().close(silence_warnings=True)
    _started = False


def stop_server() -> None:
    """Stop the process's renderer (tests that change the browser path start a new one)."""
    global _started
    with _lock:
        if _server().is_running():
            _server().close(silence_warnings=True)
        _started = False


def _calc(figure: go.Figure, opts: dict) -> bytes:
    """kaleido's call, given up after RENDER_TIMEOUT (its server waits without a limit)."""
    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["data"] = kaleido.calc_fig_sync(figure, opts=opts)
        except Exception as error:  # noqa: BLE001 - handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    deadline = time.monotonic() + RENDER_TIMEOUT
    while worker.is_alive() and _server_alive() and time.monotonic() < deadline:
        worker.join(0.2)
    if worker.is_alive() or not _server_alive():
        raise ChartsUnavailable("the chart renderer did not answer")
    if "error" in outcome:
        raise ChartsUnavailable(str(outcome["error"])) from outcome["error"]
    return outcome["data"]


def render(figure: go.Figure, *, image_format: str, width: int = WIDTH) -> bytes:
    """The figure as SVG or PNG bytes, at its own height when it sets one (the roadmap grows
    with the plan); raises ChartsUnavailable."""
    height = figure.layout.height or HEIGHT
    try:
        _ensure_server()
        return _calc(figure, {"format": image_format, "width": width, "height": height})
    except ChartsUnavailable as failed:
        logger.warning("Chart rendering failed: %s", failed)
        raise
    except Exception as error:
        logger.warning("Chart rendering failed: %r", error)
        raise ChartsUnavailable(str(error)) from error


def render_all(figures: dict[str, go.Figure], *, image_format: str) -> dict[str, bytes]:
    """Every figure rendered, or ChartsUnavailable at the first failure."""
    return {key: render(figure, image_format=image_format) for key, figure in figures.items()}
