"""Discover modes from the `tutor.plugins` entry point group; built-in modes are found the same way as third-party ones."""

from __future__ import annotations

import pluggy

from tutor import hookspecs
from tutor.plugin_api import EvalCheck, Mode

ENTRY_POINT_GROUP = "tutor.plugins"


def load_manager(extra_plugins: tuple = ()) -> pluggy.PluginManager:
    """The plugin manager with every installed plugin loaded (and any extra ones registered)."""
    manager = pluggy.PluginManager("tutor")
    manager.add_hookspecs(hookspecs)
    manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in extra_plugins:
        manager.register(plugin)
    return manager


class UnknownMode(KeyError):
    """No plugin provides the requested mode."""

    def __str__(self) -> str:
        return str(self.args[0])


class PluginRegistry:
    """The modes offered by the installed plugins."""

    def __init__(self, extra_plugins: tuple = ()):
        self.manager = load_manager(extra_plugins)
        self.modes: dict[str, Mode] = {}
        self.errors: list[str] = []
        self.eval_checks: list[EvalCheck] = []
        self.manager.hook.register_modes(register=self._register)
        self.manager.hook.register_eval_checks(register=self.eval_checks.append)

    def _register(self, mode: Mode) -> None:
        if not getattr(mode, "name", None) or not callable(getattr(mode, "turn", None)):
            self.errors.append(f"ignored a mode without a name or turn(): {mode!r}")
            return
        self.modes[mode.name] = mode

    def choices(self, first: str = "explain") -> list[tuple[str, str]]:
        """(title, name) of every mode for a picker: `first` (the default mode) first, then by title."""
        ordered = sorted(self.modes.values(), key=lambda m: (m.name != first, getattr(m, "title", m.name)))
        return [(getattr(m, "title", None) or m.name.title(), m.name) for m in ordered]

    def get(self, name: str) -> Mode:
        """The mode called `name`."""
        try:
            return self.modes[name]
        except KeyError:
            known = ", ".join(sorted(self.modes)) or "none"
            raise UnknownMode(f"There is no '{name}' mode. Available modes: {known}.") from None
