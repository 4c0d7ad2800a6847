"""`tutor timeline`: the JSON format, the filters and clear messages for bad arguments."""

import json

from tutor.cli import main
from tutor.corpus import Corpus


def test_json_items_have_exactly_the_documented_fields(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    assert main(["timeline", "--from", "1917", "--to", "1917", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items
    corpus = Corpus()
    for item in items:
        assert set(item) == {"date", "old_style", "precision", "text", "source", "start", "end", "quote"}
        assert item["date"].startswith("1917") and item["precision"] in {"day", "month", "year", "decade"}
        assert corpus.document(item["source"]).original[item["start"] : item["end"]] == item["quote"]
    assert [i["date"] for i in items] == sorted(i["date"] for i in items)
    assert any(i["date"] == "1917-11-07" and i["old_style"] == "1917-10-25" for i in items)


def test_topic_and_source_filters(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    assert main(["timeline", "--topic", "Kronstadt", "--source", "revolutionary-russia", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and all("Kronstadt" in i["text"] and i["source"] == "revolutionary-russia" for i in items)


def test_text_output_shows_both_styles_and_disagreements(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    assert main(["timeline", "--from", "1917", "--to", "1917", "--topic", "attack"]) == 0
    out = capsys.readouterr().out
    assert "(Old Style 1917-06-16)" in out and "! russian-revolution-and-stalin dates this 1917-06-18" in out


def test_bad_arguments_get_a_message(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    assert main(["timeline", "--source", "nope"]) == 2
    assert "Unknown source nope" in capsys.readouterr().err
    assert main(["timeline", "--from", "1930", "--to", "1920"]) == 2
    assert "--from 1930 is after --to 1920" in capsys.readouterr().err
