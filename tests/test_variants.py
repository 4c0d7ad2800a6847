"""The variant table (corpus/variants.json) keeps its own rules, checked on the real corpus texts, and its matcher finds whole forms."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta

import pytest

from tutor.corpus import default_corpus_dir
from tutor.variants import KINDS, default_variants_path, load_variants

TEXTS = ("revolutionary-russia-1891-1991.txt", "russian-revolution-and-stalin.txt")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
# Written out here rather than taken from tutor.variants, so the data checks do not lean on the code they test.
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_DATE = re.compile(r"(\d{1,2})(?:-(\d{1,2}))? ([A-Z][a-z]+) (\d{4})")
JULIAN_GAP = timedelta(days=13)  # from 1 March 1900 until Russia's change of calendar in February 1918


def key(form: str) -> str:
    return " ".join(form.translate(_FOLD).casefold().split())


def occurs(form: str, text: str) -> bool:
    """Whether ``form`` is a whole word or phrase of ``text`` (folded and lower-cased)."""
    phrase = r"\s+".join(re.escape(word) for word in key(form).split())
    return re.search(rf"(?<!\w){phrase}(?!\w)", text) is not None


def days(form: str) -> list[date]:
    """The first and last day of a calendar form such as '3–5 July 1917'."""
    match = _DATE.fullmatch(form.translate(_FOLD))
    assert match, f"calendar form {form!r} is not 'D Month YYYY' or 'D–D Month YYYY'"
    first, last, month, year = match.groups()
    assert month in MONTHS, f"{form!r}: unknown month"
    return [date(int(year), MONTHS[month], int(day)) for day in (first, last or first)]


@pytest.fixture(scope="module")
def table():
    return load_variants()


@pytest.fixture(scope="module")
def groups() -> list[dict]:
    """The raw JSON groups, read without the loader."""
    return json.loads(default_variants_path().read_text(encoding="utf-8"))["groups"]


@pytest.fixture(scope="module")
def corpus_text() -> str:
    return "\n".join((default_corpus_dir() / name).read_text(encoding="utf-8") for name in TEXTS).translate(_FOLD).lower()


def test_the_packaged_table_loads_once_from_the_corpus_folder(table):
    assert default_variants_path() == default_corpus_dir() / "variants.json"
    assert load_variants() is table
    assert len(table.groups) >= 120
    assert {group.kind for group in table.groups} == KINDS


def test_every_group_has_two_distinct_forms_a_known_kind_and_a_note(groups):
    for group in groups:
        assert set(group) == {"forms", "kind", "note"}, group
        assert len({key(form) for form in group["forms"]}) == len(group["forms"]) >= 2, group["forms"]
        assert group["kind"] in KINDS, group
        assert group["note"].strip(), group


def test_no_form_is_in_two_groups(groups):
    counts = Counter(key(form) for group in groups for form in group["forms"])
    assert [form for form, count in counts.items() if count > 1] == []


def test_every_group_names_something_the_texts_say(groups, corpus_text):
    missing = [group["forms"] for group in groups if group["kind"] != "calendar" and not any(occurs(form, corpus_text) for form in group["forms"])]
    assert missing == []


def test_the_preferred_form_is_the_texts_own(groups, corpus_text):
    # Canonicalising then yields the texts' vocabulary; calendar forms carry a year the texts leave out, so they are checked below.
    foreign = [group["forms"] for group in groups if group["kind"] != "calendar" and not occurs(group["forms"][0], corpus_text)]
    assert foreign == []


def test_calendar_groups_pair_an_old_style_date_with_the_new_style_one(groups, corpus_text):
    calendar = [group for group in groups if group["kind"] == "calendar"]
    assert len(calendar) >= 15
    for group in calendar:
        assert len(group["forms"]) == 2, group["forms"]
        old, new = (days(form) for form in group["forms"])
        assert [day + JULIAN_GAP for day in old] == new, group["forms"]
        assert date(1900, 3, 1) <= old[0] and old[1] <= date(1918, 1, 31), group["forms"]
        # The texts name these days by day and month (the book leaves out the year inside 1917).
        named = {f"{day.day} {MONTH_NAMES[day.month - 1]}" for day in old + new}
        assert any(occurs(day, corpus_text) for day in named), group["forms"]


def test_the_famous_dates_are_paired(table):
    assert table.expand("What happened on 7 November 1917?") == ["25 October 1917"]
    assert "8 March 1917" in table.expand("the strike of 23 February 1917")
    assert "15 March 1917" in table.expand("Nicholas abdicated on 2 March 1917")


def test_expand_finds_the_full_name_from_the_abbreviation_and_back(table):
    assert "New Economic Policy" in table.expand("what was the NEP")
    assert "NEP" in table.expand("Why did Lenin bring in the New Economic Policy?")
    assert "Yezhov" in table.expand("What did Ezhov do?")
    assert "collectivization" in table.expand("collectivisation in Ukraine")


def test_expand_leaves_out_forms_the_question_already_has(table):
    assert table.expand("the NEP, or New Economic Policy") == ["Novaya Ekonomicheskaya Politika"]
    # 'Brest-Litovsk Treaty' would only add 'Treaty' to the 'Brest-Litovsk' the question has.
    assert table.expand("the Treaty of Brest-Litovsk") == ["Brest Litovsk", "Treaty of Brest Litovsk"]


def test_expand_keeps_table_order_without_repeats(table):
    expansions = table.expand("the Czar, Nicholas II, and the kulaks")
    assert expansions.index("Nikolai II") < expansions.index("Tsar") < expansions.index("koolaks")
    assert len(expansions) == len(set(expansions))


def test_forms_match_whole_words_only(table):
    assert [g.preferred for g in table.groups_in("Tsaritsyn in 1918")] == ["Stalingrad"]
    assert "Czar" not in table.expand("Tsaritsyn and the tsarist police")
    assert not any("Socialist Revolutionar" in form for form in table.expand("the USSR"))
    assert "Socialist Revolutionaries" in table.expand("the SRs")
    assert [g.preferred for g in table.groups_in("Leningrad")] == ["Petrograd"]
    assert [g.preferred for g in table.groups_in("Alexander III")] == ["Alexander III"]
    assert table.groups_in("17 November 1917") == []


def test_the_longest_form_wins(table):
    assert [g.preferred for g in table.groups_in("the Left SRs")] == ["Left SRs"]
    assert [g.preferred for g in table.groups_in("the Petrograd Soviet")] == ["Petrograd Soviet"]
    assert [g.preferred for g in table.groups_in("Alexandra Kollontai")] == ["Kollontai"]
    assert [g.preferred for g in table.groups_in("Novyi Mir")] == ["Novyi Mir"]


def test_ambiguous_bare_names_and_yearless_dates_match_nothing(table):
    assert table.groups_in("Alexei Kosygin's reforms") == []
    assert table.expand("Stalin's article of 7 November 1929") == ["Jughashvili", "Dzhugashvili", "Djugashvili", "Koba", "Soso"]
    assert table.expand("What happened on 8 March?") == []
    assert table.expand("Why did the Reds win?") == []


def test_canonical_rewrites_each_form_to_the_preferred_one(table):
    assert table.canonical("Why did the Czar abdicate?") == "Why did the Tsar abdicate?"
    assert table.canonical("What did Ezhov do?") == "What did Yezhov do?"
    assert table.canonical("Trotskii’s exile") == "Trotsky’s exile"
    assert table.canonical("collectivisation and dekulakization") == "collectivization and de-kulakisation"
    assert table.canonical("What happened on 7 November 1917?") == "What happened on 25 October 1917?"
    assert table.canonical("Tsaritsyn, later Volgograd") == "Stalingrad, later Stalingrad"
    assert table.canonical("Who won the Civil War?") == "Who won the Civil War?"
    # The longer "Tsar's family" is the family, not the Tsar: the article's "the tsar and his family" is one with it.
    assert table.canonical("When were the Romanovs shot?") == table.canonical("When were the tsar and his family shot?") == "When were the Imperial family shot?"
    assert table.canonical("Where was the Czar's family killed?") == "Where was the Imperial family killed?"


def test_same_tells_forms_of_one_group(table):
    assert table.same("Ezhov", "YEZHOV")
    assert table.same("KGB", "NKVD")
    assert table.same("St Petersburg", "Leningrad")
    assert table.same("Lenin", " lenin ")
    assert table.same("Molotov-Ribbentrop pact", "Non-Aggression Treaty")  # students name the 1939 pact by its signatories
    assert table.same("Some Name", "some name")
    assert not table.same("Russia", "USSR")
    assert not table.same("Bolsheviks", "Communists")
    assert not table.same("Trotsky", "Zinoviev")
    assert not table.same("Alexei", "Alexis")


VALID_GROUP = {"forms": ["NEP", "New Economic Policy"], "kind": "abbreviation", "note": "n"}


@pytest.mark.parametrize(
    "content, problem",
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"_comment": "no groups"}), "groups"),
        (json.dumps({"groups": [{"forms": ["NEP", "nep"], "kind": "abbreviation", "note": "n"}]}), "two distinct forms"),
        (json.dumps({"groups": [{**VALID_GROUP, "kind": "nickname"}]}), "kind"),
        (json.dumps({"groups": [VALID_GROUP, {"forms": ["Nep", "NEPmen"], "kind": "spelling", "note": "n"}]}), "already in group 1"),
        (json.dumps({"groups": [{**VALID_GROUP, "from": ["x"]}]}), "keys"),
        (json.dumps({"groups": [{**VALID_GROUP, "note": ""}]}), "note"),
    ],
)
def test_a_malformed_table_raises_value_error_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "variants.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(str(path))) as raised:
        load_variants(path)
    assert problem in str(raised.value)


def test_a_table_at_a_given_path_is_read_from_that_path(tmp_path):
    path = tmp_path / "variants.json"
    path.write_text(json.dumps({"_comment": "test", "groups": [VALID_GROUP]}), encoding="utf-8")
    small = load_variants(path)
    assert small is not load_variants()
    assert small.expand("the nep") == ["New Economic Policy"]
