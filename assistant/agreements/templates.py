"""Agreement clause templates: `prompts/agreements/<kind>.yaml`, loaded and checked once.

Each kind lists its fields (asked one at a time when missing) and its clauses; every clause carries its
grounding as `doc_id#section` plus the exact passage it rests on. See the files for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from typing import Any, Literal

import yaml

from assistant.prompts import PROMPTS_DIR

AGREEMENTS_DIR = PROMPTS_DIR / "agreements"
FieldType = Literal["text", "integer", "date", "money"]


class TemplateError(ValueError):
    """A clause template file that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Field:
    name: str
    type: FieldType
    required: bool
    label: dict[str, str]
    question: dict[str, str]
    #: Other words people label the field with ("题目：...", "Address: ..."), by language; optional.
    also_called: dict[str, tuple[str, ...]] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class Grounding:
    doc_id: str
    section: str
    quote: str


@dataclass(frozen=True)
class Clause:
    id: str
    heading: dict[str, str]
    text: dict[str, str]
    grounding: tuple[Grounding, ...]
    unverified: bool


@dataclass(frozen=True)
class AgreementTemplate:
    kind: str
    title: dict[str, str]
    summary: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    fields: tuple[Field, ...]
    clauses: tuple[Clause, ...]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)


def _both(node: Any, where: str) -> dict[str, str]:
    if not isinstance(node, dict) or not {"en", "zh"} <= set(node):
        raise TemplateError(f"{where}: needs `en` and `zh` texts")
    return {"en": str(node["en"]), "zh": str(node["zh"])}


def _parse(kind: str, data: dict[str, Any]) -> AgreementTemplate:
    where = f"prompts/agreements/{kind}.yaml"
    try:
        fields = tuple(
            Field(
                f["name"],
                f["type"],
                bool(f["required"]),
                _both(f["label"], where),
                _both(f["question"], where),
                {lang: tuple(str(w) for w in words) for lang, words in (f.get("also_called") or {}).items()},
            )
            for f in data["fields"]
        )
        clauses = []
        for clause in data["clauses"]:
            grounding = []
            for g in clause["grounding"]:
                doc_id, _, section = str(g["ref"]).partition("#")
                grounding.append(Grounding(doc_id, section, re.sub(r"\s+", " ", str(g["quote"])).strip()))
            if not grounding:
                raise TemplateError(f"{where}: clause {clause['id']} has no grounding; every clause needs one")
            clauses.append(
                Clause(
                    clause["id"],
                    _both(clause["heading"], where),
                    _both(clause["text"], where),
                    tuple(grounding),
                    bool(clause.get("unverified", False)),
                )
            )
        aliases = {lang: tuple(str(a).lower() for a in data["aliases"][lang]) for lang in ("en", "zh")}
        return AgreementTemplate(
            kind, _both(data["title"], where), _both(data["summary"], where), aliases, fields, tuple(clauses)
        )
    except (KeyError, TypeError) as exc:
        raise TemplateError(f"{where}: missing or malformed key {exc}; compare with another kind's file") from exc


@cache
def templates() -> dict[str, AgreementTemplate]:
    """Every agreement kind, by name, in file order."""
    if not AGREEMENTS_DIR.is_dir():
        raise TemplateError(f"{AGREEMENTS_DIR} is missing; restore prompts/agreements from the repository")
    loaded = {}
    for path in sorted(AGREEMENTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") != path.stem:
            raise TemplateError(f"{path.name}: `kind` must be {path.stem!r}, the file's name")
        loaded[path.stem] = _parse(path.stem, data)
    return loaded
