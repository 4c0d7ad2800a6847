"""The explainer: answers what/why/how questions with cited sentences and offers follow-up questions."""

from tutor.hookspecs import hookimpl
from tutor.plugin_api import Mode, TurnContext
from tutor.models import TurnResult


class Explainer(Mode):
    name = "explain"
    title = "Explain"
    description = "Explains events, causes and people, citing the sources for every fact."

    def turn(self, ctx: TurnContext) -> TurnResult | None:
        if ctx.command:
            return None
        tools = ctx.tools
        # More passages than a search shows: the sentence that answers is often in the sixth or ninth.
        passages = tools.retrieve(ctx.query, k=tools.services.settings.retrieval.answer_k)
        assessment = tools.assess(ctx.query, passages)
        if not assessment.in_scope:
            return tools.abstain(ctx.query, passages, self.name)
        result = tools.answer(ctx.query, passages, assessment, self.name, prompt="explain", stream=ctx.stream)
        if result.follow_ups:
            more = "\n\nYou could ask next:\n" + "\n".join(f"- *{q}*" for q in result.follow_ups)
            result.answer += more
            ctx.stream.append(more)
        return result


@hookimpl
def register_modes(register):
    register(Explainer())
