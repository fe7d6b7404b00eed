"""SolaraViz's own controls in the session's language, and a default grid that fits our views.

Why this exists: Mesa's ``SolaraViz`` writes its chrome (the "Reset" and "Step" buttons, the
card titles "Controls", "Model Parameters", "Information", the "Play Interval (ms)" slider,
"Time: ...", the tabs "Page 0", ...) as English literals, and shows a "Select" parameter's raw
values. A Dutch class must see Dutch. Rather than copying SolaraViz, we give its module a
stand-in for the ``solara`` name it calls: an object that forwards everything to solara and,
for the few calls that carry text, translates that text first.

What keeps this contained:

- It changes what ``mesa.visualization.solara_viz`` sees, nothing else: our own code and the
  rest of Mesa use solara itself. :func:`install` is idempotent and happens when a dashboard
  page renders, not on import.
- The language is per session: each :func:`~sim.presentation.dashboard.app.Page` registers its
  :class:`Chrome` in a module-level ``solara.reactive``, which solara's server keeps per
  browser session (a solara context would not do: SolaraViz's sidebar renders through a
  portal outside the page's component tree). Where no dashboard page registered one, every
  call passes through unchanged, so any other SolaraViz app in the process is untouched.
- Only exact English strings in :data:`MESA_TEXT` are translated; a test checks that each one
  still occurs in Mesa's source, so a Mesa release that rewords its chrome fails a test rather
  than silently showing English.
- Reading the language's reactive value while Mesa's component renders subscribes that
  component to it, so a language switch redraws Mesa's controls too.

The stand-in also shows every slider's value at all times (SolaraViz shows it only while
dragging; a class needs to read it off the screen), and offers a default grid layout per
number of views on a page (the plots page gets compact monitors and six half-width plots; a
lone picture gets the full width), replacing Mesa's one-size layout only while the user has
not dragged anything.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Final

import solara
from mesa.visualization import solara_viz

from sim.presentation.dashboard.i18n import DEFAULT_LANGUAGE, t
from sim.presentation.dashboard.numbers import format_setting

logger = logging.getLogger(__name__)

MESA_ERRORS: Final[tuple[str, ...]] = ("error in step:", "error in visualization:")
"""How SolaraViz starts the messages it shows when playing fails (with the exception's text,
which may name server paths): replaced by a short message, the original logged."""

MESA_TEXT: Final[dict[str, str]] = {
    "Controls": "controls",
    "Model Parameters": "model_parameters",
    "Information": "information",
    "Command Console": "command_console",
    "Play Interval (ms)": "play_interval",
    "Render Interval (steps)": "render_interval",
    "Use Threads": "use_threads",
    "Increase play interval to avoid skipping plots": "threads_hint",
    "Reset": "reset",
    "Step": "step",
}
"""SolaraViz's English literals (exactly as in its source) -> our label keys."""

MESA_PATTERNS: Final[dict[str, str]] = {
    r"Time: (?P<time>[0-9.]+)": "time_week",
    r"Page (?P<page>[0-9]+)": "page",
}
"""SolaraViz's formatted texts (time shown, tab names) -> our label keys."""

ADVANCED_TEXT: Final[frozenset[str]] = frozenset(
    {"Play Interval (ms)", "Use Threads", "Increase play interval to avoid skipping plots"})
"""SolaraViz's technical controls: shown only under "Advanced settings" (a class needs the
weeks per step and the buttons, not the pause in milliseconds or the drawing thread)."""

ROW_HEIGHT_PX: Final[int] = 30
"""Height of one grid row in solara's draggable grid (its default), for sizing figures."""

MONITOR_ROWS: Final[int] = 6
"""Grid rows of the monitor table: a header, two strategies and a wrapped line under it."""

PROJECTOR_MONITOR_ROWS: Final[int] = 13
"""The same in projector mode (large type, a row per measure)."""

OUTCOME_ROWS: Final[int] = 14
"""Grid rows of the outcomes table (and, side by side, the effect plot) under the plots; the
table scrolls inside."""


def _plots_page(monitor_rows: int, plot_rows: int, effect: bool
                ) -> list[tuple[int, int, int, int]]:
    """The plots page: the monitors, six plots in two columns, then the outcomes table (full
    width, or beside the effect plot when two strategies run side by side)."""
    below = monitor_rows + 3 * plot_rows
    cells = [(0, 0, 12, monitor_rows)]
    cells += [(6 * (i % 2), monitor_rows + plot_rows * (i // 2), 6, plot_rows) for i in range(6)]
    if effect:
        return [*cells, (0, below, 6, OUTCOME_ROWS), (6, below, 6, OUTCOME_ROWS)]
    return [*cells, (0, below, 12, OUTCOME_ROWS)]


GRID_LAYOUTS: Final[dict[int, list[tuple[int, int, int, int]]]] = {
    1: [(0, 0, 12, 16)],
    2: [(0, 0, 6, 16), (6, 0, 6, 16)],
    8: _plots_page(MONITOR_ROWS, 9, effect=False),
    9: _plots_page(MONITOR_ROWS, 9, effect=True),
}
"""Default layout per number of views on a page, as (x, y, w, h) in grid cells of 12 columns:
one view fills the width; two stand side by side; the plots page has the monitor table
(one row per strategy) above six plots in two columns, and the outcomes under them."""

PROJECTOR_LAYOUTS: Final[dict[int, list[tuple[int, int, int, int]]]] = {
    8: _plots_page(PROJECTOR_MONITOR_ROWS, 11, effect=False),
    9: _plots_page(PROJECTOR_MONITOR_ROWS, 11, effect=True),
}
"""Projector mode: taller monitors and plots (large type); other pages as usual."""


@dataclass
class Chrome:
    """One session's view settings: what the stand-in needs (language, tab and choice names)
    and the view options that the session's pictures share."""

    language: solara.Reactive[str]
    page_names: list[str] = field(default_factory=list)
    """Label keys of the tabs, in page order."""
    choice_name: Callable[[Any, str], str | None] = lambda value, lang: None
    """Display name of a "Select" value in a language (None: show the value as it is)."""
    network_colour: solara.Reactive[str] | None = None
    """How the session's network pictures are coloured ("city" or "team"): one toggle for
    both pictures side by side, kept across Resets."""
    projector: solara.Reactive[bool] | None = None
    """Projector mode: large type and thick lines, for the back of a lecture room."""
    on_error: Callable[[BaseException], None] | None = None
    """Called with an exception that one of SolaraViz's buttons (Reset, Step, play) raised;
    the page logs it and shows a short message. Without it the exception would reach
    solara, which sends its traceback to the browser."""

    def guard(self, callback: Callable[..., Any] | None) -> Callable[..., Any] | None:
        """``callback`` with its exceptions passed to :attr:`on_error` instead of raised."""
        if callback is None or self.on_error is None:
            return callback
        report = self.on_error

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return callback(*args, **kwargs)
            except Exception as err:  # every error: the user sees a message, the log the rest
                report(err)
                return None
        return guarded

    @property
    def lang(self) -> str:
        """The current language (reading it subscribes the rendering component)."""
        return self.language.value


_SESSION_CHROME: solara.Reactive[Chrome | None] = solara.reactive(None)
"""The session's :class:`Chrome` (solara keeps a module-level reactive per session)."""


def use_chrome(chrome: Chrome) -> None:
    """Register ``chrome`` as this session's (called by the page on every render)."""
    if _SESSION_CHROME.peek() is not chrome:
        _SESSION_CHROME.set(chrome)


def current_chrome() -> Chrome | None:
    """This session's Chrome, or None where no dashboard page registered one."""
    return _SESSION_CHROME.value


def current_language() -> str:
    """The language of the page being rendered (English outside a dashboard page)."""
    chrome = current_chrome()
    return chrome.lang if chrome is not None else DEFAULT_LANGUAGE


def translate(text: Any) -> Any:
    """Mesa's English ``text`` in the session's language; anything else unchanged."""
    if not isinstance(text, str):
        return text
    chrome = current_chrome()
    if chrome is None:
        return text
    lang = chrome.lang
    if text in MESA_TEXT:
        return t(MESA_TEXT[text], lang)
    for pattern, key in MESA_PATTERNS.items():
        match = re.fullmatch(pattern, text)
        if match is None:
            continue
        if key == "page":
            index = int(match["page"])
            if index < len(chrome.page_names):
                return t(chrome.page_names[index], lang)
            return text
        return t(key, lang, week=int(float(match["time"])))
    return text


def projector_mode() -> bool:
    """True when this session shows the projector mode."""
    chrome = current_chrome()
    return bool(chrome is not None and chrome.projector is not None and chrome.projector.value)


def default_grid_layout(count: int, projector: bool = False) -> list[dict[str, Any]] | None:
    """Our default layout for ``count`` views on a page, in the grid's own format."""
    cells = (PROJECTOR_LAYOUTS if projector else GRID_LAYOUTS).get(count) or \
        GRID_LAYOUTS.get(count)
    if cells is None:
        return None
    return [{"i": i, "x": x, "y": y, "w": w, "h": h, "moved": False}
            for i, (x, y, w, h) in enumerate(cells)]


def cell_height_px(rows: int) -> int:
    """Pixel height of a grid item ``rows`` high (rows plus the 10-pixel gaps between them)."""
    return rows * ROW_HEIGHT_PX + (rows - 1) * 10


class _Vuetify:
    """``solara.v`` for SolaraViz: tab names translated, everything else forwarded."""

    def __getattr__(self, name: str) -> Any:
        return getattr(solara.v, name)

    @staticmethod
    def Tab(children: list[Any] | None = None, **kwargs: Any) -> Any:
        return solara.v.Tab(children=[translate(c) for c in (children or [])], **kwargs)


class _Solara(ModuleType):
    """The stand-in for ``solara`` inside ``mesa.visualization.solara_viz``."""

    v = _Vuetify()

    def __init__(self) -> None:
        super().__init__("solara", "solara, with SolaraViz's chrome translated per session")

    def __getattr__(self, name: str) -> Any:
        return getattr(solara, name)

    @staticmethod
    def Card(title: Any = None, *args: Any, **kwargs: Any) -> Any:
        return solara.Card(translate(title), *args, **kwargs)

    @staticmethod
    def SliderInt(label: str, *args: Any, **kwargs: Any) -> Any:
        with _advanced(label):
            return _slider(solara.SliderInt, translate(label), True, *args, **kwargs)

    @staticmethod
    def SliderFloat(label: str, *args: Any, **kwargs: Any) -> Any:
        return _slider(solara.SliderFloat, label, False, *args, **kwargs)

    @staticmethod
    def Checkbox(*args: Any, label: Any = None, **kwargs: Any) -> Any:
        with _advanced(label):
            return solara.Checkbox(*args, label=translate(label), **kwargs)

    @staticmethod
    def Text(text: str, *args: Any, **kwargs: Any) -> Any:
        with _advanced(text):
            return solara.Text(translate(text), *args, **kwargs)

    @staticmethod
    def Error(label: Any = "", *args: Any, **kwargs: Any) -> Any:
        """SolaraViz's error line: its exception text goes to the log, the user reads ours."""
        if isinstance(label, str) and label.startswith(MESA_ERRORS) \
                and current_chrome() is not None:
            logger.error("SolaraViz: %s", label)
            label = t("step_error", current_language())
        return solara.Error(label, *args, **kwargs)

    @staticmethod
    def Button(*args: Any, label: Any = None, on_click: Callable[[], None] | None = None,
               **kwargs: Any) -> Any:
        """SolaraViz's Reset, Step and play buttons, translated and guarded (see Chrome)."""
        chrome = current_chrome()
        if chrome is not None:
            on_click = chrome.guard(on_click)
        return solara.Button(*args, label=translate(label), on_click=on_click, **kwargs)

    @staticmethod
    def Select(label: str, *args: Any, values: list[Any] | None = None, value: Any = None,
               on_value: Callable[[Any], None] | None = None, **kwargs: Any) -> Any:
        """A drop-down showing translated names while its values stay the model's keys."""
        chrome = current_chrome()
        names = ([chrome.choice_name(x, chrome.lang) for x in values or []]
                 if chrome is not None else [])
        if not names or any(n is None for n in names):
            return solara.Select(label, *args, values=values, value=value, on_value=on_value,
                                 **kwargs)
        items = [{"text": n, "value": x} for n, x in zip(names, values or [], strict=True)]
        return NamedSelect(label, value, items, on_value)

    @staticmethod
    def GridDraggable(*args: Any, items: list[Any] | None = None,
                      grid_layout: list[dict[str, Any]] | None = None, **kwargs: Any) -> Any:
        """Mesa's grid, starting from our layout until the user moves something."""
        count = len(items or [])
        ours = default_grid_layout(count, projector_mode()) \
            if current_chrome() is not None else None
        if ours is not None and grid_layout == solara_viz.make_initial_grid_layout(count):
            grid_layout = ours
        return solara.GridDraggable(*args, items=items, grid_layout=grid_layout, **kwargs)


def _advanced(text: Any) -> contextlib.AbstractContextManager[Any]:
    """A container the page hides unless "Advanced settings" is on, for SolaraViz's
    technical controls; no container for anything else."""
    if isinstance(text, str) and text in ADVANCED_TEXT and current_chrome() is not None:
        return solara.Column(classes=["advanced-control"], gap="0px")
    return contextlib.nullcontext()


def _slider(solara_slider: Callable[..., Any], label: str, whole: bool, value: Any = None,
            on_value: Callable[[Any], None] | None = None, min: float = 0, max: float = 10,
            step: float = 1, **kwargs: Any) -> Any:
    """SolaraViz's sliders as :func:`LocalSlider` on a dashboard page; solara's elsewhere."""
    if current_chrome() is None:
        return solara_slider(label, value=value, on_value=on_value, min=min, max=max,
                             step=step, **kwargs)
    return LocalSlider(label, value, on_value, min, max, step, whole)


@solara.component
def LocalSlider(label: str, value: Any, on_value: Callable[[Any], None] | None, min: float,
                max: float, step: float, whole: bool) -> None:
    """A slider whose value always shows on its thumb, written as the session's language
    writes numbers.

    Why our own: SolaraViz shows a slider's value only while it is dragged, and a class reads
    the value off the screen; Vuetify's thumb label prints the browser's number ("0.3"),
    which a Dutch reader takes for English ("0,3"). The thumb shows the text the server
    formats instead (:func:`~sim.presentation.dashboard.numbers.format_setting`).
    """
    kind = int if whole else float
    current = solara.use_reactive(value, on_value)
    shown = format_setting(kind(current.value), current_language())
    thumb = solara.v.Html(tag="span", class_="slider-value", children=[shown])
    solara.v.Slider(v_model=current.value, on_v_model=lambda x: current.set(kind(x)),
                    label=label, min=min, max=max, step=step, thumb_label="always",
                    hide_details=True, v_slots=[{"name": "thumb-label", "children": thumb}])


@solara.component
def NamedSelect(label: str, value: Any, items: list[dict[str, Any]],
                on_value: Callable[[Any], None] | None) -> None:
    """A drop-down of (text, value) items that keeps the user's choice across redraws (a new
    language, say) until the ``value`` it is given changes, as ``solara.Select`` does."""
    chosen = solara.use_reactive(value, on_value)
    solara.v.Select(label=label, items=items, v_model=chosen.value, on_v_model=chosen.set,
                    dense=True, hide_details=True, class_="mb-3")


_STAND_IN = _Solara()


def install() -> None:
    """Let SolaraViz call the stand-in (idempotent; see the module docstring for the scope)."""
    if solara_viz.solara is not _STAND_IN:
        solara_viz.solara = _STAND_IN
