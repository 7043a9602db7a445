"""The suite file format: YAML, one suite per file, validated here. Documented in evals/README.md."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SUITES_DIR = Path(__file__).parent / "suites"
Kind = Literal["qa", "multi_turn", "tool", "refusal"]
Persona = Literal["student", "enterprise", "teacher", "admin"]


class SuiteError(ValueError):
    """A suite that cannot be loaded; the message names the file, the case and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Fixtures(_Strict):
    """What a case runs under. Case fixtures override the suite's, key by key."""

    role: Persona | None = None
    lang: Literal["auto", "en", "zh"] | None = None
    records: list[str] = Field(default_factory=list, description="records files to load before the case")
    clock: datetime | None = Field(default=None, description="a fixed 'now' for the case (ISO 8601)")

    def merged(self, override: Fixtures | None) -> Fixtures:
        if override is None:
            return self
        data = self.model_dump()
        data.update({k: v for k, v in override.model_dump().items() if v not in (None, [])})
        return Fixtures(**data)


class ToolCallExpectation(_Strict):
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    match: Literal["exact", "partial", "ignore"] = "partial"


class Expectations(_Strict):
    sources: list[str] = Field(default_factory=list, description="gold doc_id#section, any of them")
    must_include: list[list[str]] = Field(default_factory=list, description="every group needs one phrase")
    must_not_include: list[str] = Field(default_factory=list)
    refuse: bool | None = None
    tool_calls: list[ToolCallExpectation] | None = None
    action_status: Literal["confirmed", "cancelled", "taken", "dismissed"] | None = Field(
        default=None, description="final state: the outcome of a confirmed action in this turn"
    )
    pending_action: bool | None = Field(default=None, description="whether the turn must propose an action")

    @field_validator("must_include", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> Any:
        # A bare phrase is a group of one: ["30%", ["Article 30", "Art. 30"]] is accepted.
        if isinstance(value, list):
            return [item if isinstance(item, list) else [item] for item in value]
        return value


class Turn(Expectations):
    input: str


class Case(Expectations):
    id: str
    kind: Kind = "qa"
    tags: list[str] = Field(default_factory=list)
    input: str | None = None
    turns: list[Turn] = Field(default_factory=list)
    blocking: bool = False
    fixtures: Fixtures | None = None

    @field_validator("turns", mode="before")
    @classmethod
    def _plain_turns(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"input": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _has_input(self) -> Case:
        if self.kind == "multi_turn":
            if len(self.turns) < 2:
                raise ValueError("a multi_turn case needs `turns` with at least two entries")
        elif not self.input:
            raise ValueError(f"a {self.kind} case needs `input` (use kind: multi_turn for `turns`)")
        if self.kind == "refusal" and self.refuse is None:
            self.refuse = True
        return self

    @property
    def steps(self) -> list[Turn]:
        """The turns to send; case-level expectations apply to the last one."""
        if self.kind != "multi_turn":
            return [Turn(input=self.input or "", **self._expectations())]
        last = self.turns[-1].model_dump()
        for key, value in self._expectations().items():
            if value not in (None, []) and last.get(key) in (None, []):
                last[key] = value
        return [*self.turns[:-1], Turn(**last)]

    def _expectations(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in Expectations.model_fields}

    @property
    def personas(self) -> list[str]:
        return [t for t in self.tags if t in ("student", "enterprise", "teacher", "admin")]


class Suite(_Strict):
    suite: str
    description: str = ""
    thresholds: dict[str, float] = Field(default_factory=dict)
    fixtures: Fixtures = Field(default_factory=Fixtures)
    cases: list[Case]
    path: str | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        seen: set[str] = set()
        for case in self.cases:
            if case.id in seen:
                raise ValueError(f"case id {case.id!r} appears twice; ids must be unique within a suite")
            seen.add(case.id)
        return self

    def fixtures_for(self, case: Case) -> Fixtures:
        return self.fixtures.merged(case.fixtures)


def resolve(name_or_path: str) -> Path:
    """A suite name (`paper`) under evals/suites/, or a path to any suite file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    candidate = SUITES_DIR / f"{name_or_path}.yaml"
    if candidate.exists():
        return candidate
    known = ", ".join(sorted(p.stem for p in SUITES_DIR.glob("*.yaml")))
    raise SuiteError(f"no suite {name_or_path!r}: give a file path or one of: {known}")


def load_suite(name_or_path: str) -> Suite:
    path = resolve(name_or_path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: not valid YAML ({exc})") from exc
    try:
        suite = Suite.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = ".".join(str(p) for p in loc)
            if len(loc) > 1 and loc[0] == "cases" and isinstance(loc[1], int) and isinstance(data, dict):
                case_id = (data.get("cases") or [{}])[loc[1]].get("id", f"#{loc[1]}")
                where = f"case {case_id}: " + ".".join(str(p) for p in loc[2:])
            problems.append(f"{where}: {error['msg']}")
        raise SuiteError(f"{path}: " + "; ".join(problems)) from exc
    suite.path = str(path)
    return suite


def all_suite_names() -> list[str]:
    return sorted(p.stem for p in SUITES_DIR.glob("*.yaml"))
