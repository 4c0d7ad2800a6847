"""The quiz plugin: the `quiz` mode and the `tutor quiz` command, registered through the `tutor.plugins` entry point like any third party's."""

from tutor.hookspecs import hookimpl


@hookimpl
def register_modes(register):
    from .mode import Quiz

    register(Quiz())


@hookimpl
def register_commands(subparsers):
    from .command import add_parser

    add_parser(subparsers)
