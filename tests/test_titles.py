"""The title table (corpus/titles.json) names people the texts name, and a focus named by its holder finds a sentence naming the title."""

from __future__ import annotations

import json
import re

from tutor.answer_types import about_focus, has_type, names_people
from tutor.corpus import default_corpus_dir
from tutor.question import analyse, asked_parts
from tutor.titles import TITLES_FILE, as_holders, load_titles

TEXTS = ("revolutionary-russia-1891-1991.txt", "russian-revolution-and-stalin.txt")
PSKOV = "When the Tsar finally arrived at in Pskov, the Army Chief Nikolai Ruzsky, and the Duma deputees Guchkov suggested that he abdicate the throne."


def test_every_holder_and_title_occurs_in_the_texts_and_no_title_names_two_people():
    text = "\n".join((default_corpus_dir() / name).read_text(encoding="utf-8") for name in TEXTS)
    holders = json.loads((default_corpus_dir() / TITLES_FILE).read_text(encoding="utf-8"))["holders"]
    titles = [title.lower() for group in holders.values() for title in group]
    assert len(titles) == len(set(titles))
    for holder, group in holders.items():
        assert re.search(rf"\b{re.escape(holder)}\b", text), holder
        assert all(re.search(rf"\b{re.escape(title)}\b", text) for title in group), holder


def test_a_title_is_read_as_its_holder():
    assert as_holders({"tsar", "pskov"}) == {"nicholas", "pskov"}
    assert load_titles()["emperor"] == "nicholas"


def test_a_question_about_nicholas_ii_is_about_a_sentence_calling_him_the_tsar():
    where = asked_parts(analyse("Where was Nicholas II when he abdicated, and who did he hand the crown to?"))[0]
    assert about_focus(PSKOV, where) and names_people(PSKOV, where) and has_type(PSKOV, where)
    assert not about_focus("Lenin arrived in Petrograd in April.", where)
