"""The deployment files agree with the settings, the README and each other (no server is started here)."""

from __future__ import annotations

import inspect
import itertools
import os
import re
import shlex
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from assistant.api.app import create_app
from assistant.settings import REPO_ROOT, Settings

DEPLOY = REPO_ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "assistant.env.example"
ALIASES = {
    alias
    for field in Settings.model_fields.values()
    for alias in (
        field.validation_alias.choices if hasattr(field.validation_alias, "choices") else [field.validation_alias]
    )
}


def env_names(text: str) -> set[str]:
    """Names set or shown commented out (`# NAME=value`) in an env file."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))


def exec_start(unit: Path) -> list[str]:
    text = unit.read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_env_example_names_every_setting_and_every_readme_variable():
    names = env_names(ENV_EXAMPLE.read_text(encoding="utf-8"))
    table = re.search(r"## Configuration\n(.*?)\n## ", (REPO_ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    first_column = re.findall(r"^\| (`[A-Z][A-Z0-9_]+`(?: / `[A-Z][A-Z0-9_]+`)?) \|", table.group(1), re.M)
    in_readme = {name for cell in first_column for name in re.findall(r"`([A-Z0-9_]+)`", cell)}
    assert len(in_readme) >= 35
    assert {str(a) for a in ALIASES} - {"TIKTOKEN_CACHE_DIR"} <= names
    assert in_readme <= names, in_readme - names
    assert names <= {str(a) for a in ALIASES} | in_readme  # nothing the app would ignore


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in {*map(str, ALIASES), *env_names(ENV_EXAMPLE.read_text(encoding="utf-8"))}:
        monkeypatch.delenv(name, raising=False)


def test_the_env_example_fails_closed_until_the_admin_token_is_set(clean_environment, tmp_path):
    with pytest.raises(ValueError, match="ASSISTANT_ADMIN_TOKEN is a placeholder"):
        Settings(_env_file=ENV_EXAMPLE)  # type: ignore[call-arg]
    filled = tmp_path / "assistant.env"
    token = "t" * 40
    filled.write_text(
        ENV_EXAMPLE.read_text(encoding="utf-8").replace("ASSISTANT_ADMIN_TOKEN=\n", f"ASSISTANT_ADMIN_TOKEN={token}\n")
    )
    settings = Settings(_env_file=filled)  # type: ignore[call-arg]
    assert settings.env == "prod" and settings.admin_token == token
    assert settings.effective_database_url.startswith("postgresql") and settings.chroma_host == "127.0.0.1"
    assert settings.telegram_mode == "webhook" and not settings.telegram_webhook_secret  # closed until set
    assert settings.cors_origins == ["https://assistant.example.edu.cn"]


def test_the_api_unit_runs_the_app_factory_with_workers_behind_the_proxy():
    command = exec_start(DEPLOY / "systemd" / "iei-api.service")
    assert Path(command[0]).name == "uvicorn" and (REPO_ROOT / ".venv" / "bin" / "uvicorn").exists()
    assert command[1] == "assistant.api.app:create_app" and "--factory" in command
    assert all(p.default is not inspect.Parameter.empty for p in inspect.signature(create_app).parameters.values())
    options = dict(itertools.pairwise(command))
    assert options["--host"] == "127.0.0.1" and options["--port"] == "8000" and int(options["--workers"]) >= 2
    assert options["--forwarded-allow-ips"] == "127.0.0.1" and int(options["--timeout-worker-healthcheck"]) >= 30


def test_the_chroma_unit_listens_where_the_env_example_points():
    command = exec_start(DEPLOY / "systemd" / "iei-chroma.service")
    assert Path(command[0]).name == "chroma" and command[1] == "run"
    options = dict(zip(command[2::2], command[3::2], strict=False))
    env = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert f"CHROMA_PORT={options['--port']}" in env and f"CHROMA_HOST={options['--host']}" in env
    # Only the API may reach Chroma: chromadb 1.5.9's unfixed advisories (docs/SECURITY.md) rest on it.
    assert options["--host"] == "127.0.0.1"


def test_the_compose_file_wires_postgres_chroma_and_the_api():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert set(compose["services"]) == {"postgres", "chroma", "api"}
    api = compose["services"]["api"]
    environment = api["environment"]
    assert api["env_file"] == ["assistant.env"] and (REPO_ROOT / api["build"]["dockerfile"]).exists()
    assert environment["CHROMA_HOST"] == "chroma" and environment["DATABASE_URL"].startswith("postgresql://")
    assert environment["CHROMA_PORT"] == "8000" and "chroma:/data" in compose["services"]["chroma"]["volumes"]
    assert api["ports"] == ["127.0.0.1:8000:8000"]
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "ports" not in compose["services"]["chroma"]  # on the compose network only (docs/SECURITY.md)
    # The Chroma server image is the version of the client the app installs.
    assert compose["services"]["chroma"]["image"].rsplit(":", 1)[1] == version("chromadb")


def test_the_command_line_wrapper_is_executable():
    assert os.access(DEPLOY / "iei-assistant", os.X_OK)
