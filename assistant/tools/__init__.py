"""Typed tools over the records, shared by the offline router, every channel and the LLM path."""

from assistant.tools import agreement_tools, knowledge_tools, records_tools
from assistant.tools.records_tools import ToolContext
from assistant.tools.registry import REGISTRY, Tool, ToolError

__all__ = ["REGISTRY", "Tool", "ToolContext", "ToolError", "agreement_tools", "knowledge_tools", "records_tools"]
