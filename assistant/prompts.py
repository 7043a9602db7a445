"""Prompt and message templates: YAML files under `prompts/`, rendered strictly."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
import yaml

from assistant.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


class PromptError(LookupError):
    """A template or a key in it is missing."""


@lru_cache(maxsize=32)
def _load(name: str) -> dict[str, Any]:
    path = PROMPTS_DIR / f"{name}.yaml"
    if not path.exists():
        raise PromptError(f"prompt file {path} is missing; restore it from the repository")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=512)
def _template(source: str) -> jinja2.Template:
    # Compiling is most of a render's cost, and every turn renders several of the same few templates.
    return _ENV.from_string(source)


def render(name: str, key: str, **variables: Any) -> str:
    """Render `key` (dotted path, e.g. `decline.off_topic.en`) of `prompts/<name>.yaml`."""
    node: Any = _load(name)
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise PromptError(f"{name}.yaml has no key {key!r}")
        node = node[part]
    return _template(str(node)).render(**variables).strip()
