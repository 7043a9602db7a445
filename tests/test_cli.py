import json

from typer.testing import CliRunner

from assistant.cli import app
from tests.conftest import invoke_cli


def _run(kb_settings, args, monkeypatch):
    return invoke_cli(args, kb_settings.data_dir)


def test_ask_json_follows_the_chat_contract(kb_container, kb_settings, monkeypatch):
    result = _run(kb_settings, ["ask", "Who wrote the paper?", "--json"], monkeypatch)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["refused"] is False
    assert body["citations"][0]["doc_id"] == "peng2026"


def test_search_shows_ranked_passages_with_scores(kb_container, kb_settings, monkeypatch):
    result = _run(kb_settings, ["search", "patent licensing", "-k", "3"], monkeypatch)
    assert result.exit_code == 0, result.output
    assert "fused" in result.stdout and "#" in result.stdout


def test_ingest_unchanged_corpus_reports_nothing_to_embed(kb_container, kb_settings, monkeypatch):
    result = _run(kb_settings, ["ingest"], monkeypatch)
    assert result.exit_code == 0, result.output
    assert "0 embedded" in result.stdout and "nothing to embed" in result.stdout


def test_ingest_exit_code_is_1_when_a_file_fails(kb_container, kb_settings, monkeypatch, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-garbage")
    result = _run(kb_settings, ["ingest", str(bad)], monkeypatch)
    assert result.exit_code == 1
    assert "not a readable PDF" in result.output


def test_every_command_has_help():
    for command in ("ingest", "ask", "search", "serve"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
