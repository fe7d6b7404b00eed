"""Plugins: strategies and outcomes users add without editing the package.

Two ways to provide them:

- **Entry points** of an installed package, in the groups ``merger_sim.strategies`` and
  ``merger_sim.outcomes``. Each entry point names a strategy class, an
  ``sim.experiments.observables.Observable``, or a list of them. They are loaded in every process
  that
  asks for a strategy or outcome (the sweep process and every worker).
- **A module** named in a sweep file (``plugins = ["plugins/mine.py"]``, relative to the
  sweep file, or an importable module name) or on the command line
  (``merger-sim --plugin plugins/mine.py compare ...``). The module lists what it adds in
  ``STRATEGIES = [...]`` and ``OUTCOMES = [...]``.

A strategy class has ``name``, ``summary``, ``setup(model)``, ``week(model)`` and
``vacate(model, slots)`` (called when employees leave; ``sim.strategies.base``). An
outcome is ``Observable(name, label, unit, better, function=f)`` with ``f(ts, meta) ->
float``. Plugin source is part of the code fingerprint (``sim.provenance``), so an edited
plugin recomputes the runs that used it; workers load the same modules and check it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

#: Entry-point groups.
STRATEGY_GROUP = "merger_sim.strategies"
OUTCOME_GROUP = "merger_sim.outcomes"


class PluginError(ValueError):
    """A plugin cannot be loaded or declares something invalid (the message names it)."""


_entry_points_loaded = False
#: Module specs loaded from files or names, in load order -> their source file.
_modules: dict[str, Path | None] = {}
#: Source files of plugins loaded through entry points.
_entry_files: set[Path] = set()


def _module_file(module: Any) -> Path | None:
    file = getattr(module, "__file__", None)
    return Path(file).resolve() if file else None


def register_strategy(cls: Any, source: str = "plugin") -> None:
    """Add a strategy class to the registry (``sim.strategies.STRATEGIES``).

    Raises:
        PluginError: not a strategy class, or its name is a built-in strategy's.
    """
    from sim.strategies import STRATEGIES

    name = getattr(cls, "name", None)
    missing = [a for a in ("name", "summary", "setup", "week", "vacate")
               if not hasattr(cls, a)]
    if not isinstance(cls, type) or missing or not isinstance(name, str) or not name:
        raise PluginError(f"{source}: {cls!r} is not a strategy class (it needs name, "
                          f"summary, setup(model), week(model) and vacate(model, slots); "
                          f"missing: "
                          f"{', '.join(missing) or 'a name'})")
    known = STRATEGIES.get(name)
    if known is not None and known is not cls and known.__module__.startswith("sim."):
        raise PluginError(f"{source}: strategy {name!r} is a built-in strategy's name")
    STRATEGIES[name] = cls


def register_outcome(observable: Any, source: str = "plugin") -> None:
    """Add a run outcome to the registry (``sim.experiments.observables``).

    Raises:
        PluginError: not an Observable, or an invalid one.
    """
    from sim.experiments.observables import Observable, register

    if not isinstance(observable, Observable):
        raise PluginError(f"{source}: {observable!r} is not a "
                          "sim.experiments.observables.Observable")
    try:
        register(observable)
    except ValueError as exc:
        raise PluginError(f"{source}: {exc}") from None


def _register_all(items: Any, kind: str, source: str) -> None:
    items = items if isinstance(items, list | tuple) else [items]
    for item in items:
        (register_strategy if kind == "strategies" else register_outcome)(item, source)


def load_entry_points() -> None:
    """Load the installed packages' plugins (once per process)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    for group, kind in ((STRATEGY_GROUP, "strategies"), (OUTCOME_GROUP, "outcomes")):
        for entry in metadata.entry_points(group=group):
            source = f"plugin {entry.name} ({entry.value})"
            try:
                obj = entry.load()
            except Exception as exc:  # a broken plugin is named, not a traceback
                raise PluginError(f"{source}: cannot be loaded ({type(exc).__name__}: "
                                  f"{exc})") from None
            _register_all(obj, kind, source)
            file = _module_file(sys.modules.get(entry.module))
            if file is not None:
                _entry_files.add(file)


def load_module(spec: str) -> None:
    """Load a plugin module by file path (``.py``) or module name, once, and register what
    its ``STRATEGIES`` and ``OUTCOMES`` list.

    Raises:
        PluginError: the module cannot be found or imported, or declares nothing valid.
    """
    if spec in _modules:
        return
    try:
        if spec.endswith(".py"):
            path = Path(spec).resolve()
            if not path.is_file():
                raise PluginError(f"plugins: no file {spec!r}")
            name = f"merger_sim_plugin_{path.stem}"
            loader = importlib.util.spec_from_file_location(name, path)
            if loader is None or loader.loader is None:
                raise PluginError(f"plugins: {spec!r} cannot be imported")
            module = importlib.util.module_from_spec(loader)
            sys.modules[name] = module  # pickling a plugin class finds its module
            loader.loader.exec_module(module)
        else:
            module = importlib.import_module(spec)
    except PluginError:
        raise
    except Exception as exc:
        raise PluginError(f"plugins: cannot load {spec!r} ({type(exc).__name__}: {exc})") \
            from None
    declared = [getattr(module, "STRATEGIES", None), getattr(module, "OUTCOMES", None)]
    if not any(declared):
        raise PluginError(f"plugins: {spec!r} lists no STRATEGIES or OUTCOMES")
    _register_all(declared[0] or [], "strategies", f"plugin {spec}")
    _register_all(declared[1] or [], "outcomes", f"plugin {spec}")
    _modules[spec] = _module_file(module)


def ensure(modules: tuple[str, ...] | list[str] = ()) -> None:
    """Load the entry-point plugins and the given modules (each only once)."""
    load_entry_points()
    for spec in modules:
        load_module(spec)


def loaded_modules() -> tuple[str, ...]:
    """The plugin modules loaded in this process, in order (workers load the same)."""
    return tuple(_modules)


def plugin_files() -> tuple[Path, ...]:
    """Source files of every loaded plugin (part of the code fingerprint)."""
    files = {f for f in _modules.values() if f is not None} | _entry_files
    return tuple(sorted(files))
