"""The plugin hooks. A plugin is a module with functions marked `@hookimpl`, listed under the `tutor.plugins` entry point group."""

import pluggy

hookspec = pluggy.HookspecMarker("tutor")
hookimpl = pluggy.HookimplMarker("tutor")


@hookspec
def register_modes(register):
    """Register tutoring modes: call register(mode) with each Mode instance the plugin provides."""


@hookspec
def register_eval_checks(register):
    """Register measurements for `tutor eval`: call register(check) with each EvalCheck the plugin provides."""


@hookspec
def register_commands(subparsers):
    """Add `tutor` subcommands: call subparsers.add_parser(...) and give each a `func(args) -> int` default."""
