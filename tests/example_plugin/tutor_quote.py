"""A third-party plugin for the tests: a 'quote' mode that answers with the top passage's first sentence, cited."""

from tutor.hookspecs import hookimpl
from tutor.plugin_api import Mode


class QuoteMode(Mode):
    name = "quote"
    title = "Quote"
    description = "Answers with one cited sentence from the best passage."

    def turn(self, ctx):
        if ctx.command:
            return None
        passages = ctx.tools.retrieve(ctx.query, k=3)
        assessment = ctx.tools.assess(ctx.query, passages)
        best = assessment.candidates[0]
        from tutor.models import TurnResult

        return TurnResult(answer=f"{best.text} [1]", mode=self.name, backend="offline", citations=[ctx.tools.composer.cite(best, 1)], passages=passages)


@hookimpl
def register_modes(register):
    register(QuoteMode())
