"""Tools are typed functions with docstrings; name, description and JSON schema come from the signature.

The first parameter is always the `ToolContext` (dependencies and the caller's session); it is not part
of the schema a model sees. Side-effecting tools are marked: they only ever *propose* an action, which
the user confirms separately.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError, create_model


class ToolError(ValueError):
    """Bad arguments or a refused operation; the message (English) goes to the model, and `reason` with
    `params`, when given, let the offline conversation say it in the user's language."""

    def __init__(self, message: str, reason: str = "", **params: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    function: Callable[..., dict[str, Any]]
    arguments: type[BaseModel]
    side_effect: bool

    def json_schema(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "parameters": self.arguments.model_json_schema()}

    def __call__(self, context: Any, **arguments: Any) -> dict[str, Any]:
        try:
            parsed = self.arguments.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise ToolError(f"{self.name}: {problems}") from exc
        return self.function(context, **parsed.model_dump(exclude_unset=False))


REGISTRY: dict[str, Tool] = {}


def tool(*, side_effect: bool = False) -> Callable[[Callable[..., dict[str, Any]]], Tool]:
    """Register a function as a tool; a missing docstring or type annotation fails at import time."""

    def register(function: Callable[..., dict[str, Any]]) -> Tool:
        doc = inspect.getdoc(function)
        if not doc:
            raise TypeError(f"tool {function.__name__} needs a docstring: it is the description models read")
        signature = inspect.signature(function)
        hints = get_type_hints(function)  # resolves the string annotations of `from __future__ import annotations`
        parameters = list(signature.parameters.values())[1:]  # the first one is the context
        fields: dict[str, Any] = {}
        for parameter in parameters:
            if parameter.name not in hints:
                raise TypeError(f"tool {function.__name__}: parameter {parameter.name} needs a type annotation")
            default = ... if parameter.default is inspect.Parameter.empty else parameter.default
            fields[parameter.name] = (hints[parameter.name], default)
        model = create_model(f"{function.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)  # type: ignore[call-overload]
        registered = Tool(function.__name__, doc, function, model, side_effect)
        REGISTRY[registered.name] = registered
        return registered

    return register
