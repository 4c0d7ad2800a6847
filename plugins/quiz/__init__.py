"""The quiz plugin: the `quiz` mode, the `tutor quiz` command and the quiz's eval check, registered through the `tutor.plugins` entry point like any third party's."""

from tutor.hookspecs import hookimpl


@hookimpl
def register_modes(register):
    from .mode import Quiz

    register(Quiz())


@hookimpl
def register_eval_checks(register):
    from .evaluation import QuizCheck

    register(QuizCheck())


@hookimpl
def register_commands(subparsers):
    from .command import add_parser

    add_parser(subparsers)
