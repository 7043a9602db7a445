"""The knowledge tool of LLM mode: the model searches the paper and the policies for passages to cite."""

from __future__ import annotations

from typing import Any, Literal

from assistant.tools.records_tools import ToolContext
from assistant.tools.registry import ToolError, tool

DocType = Literal["paper", "policy"]


@tool()
def search_knowledge(ctx: ToolContext, query: str, doc_type: DocType | None = None) -> dict[str, Any]:
    """Search the paper (peng2026) and the national and Jiangsu policy documents.

    Returns numbered passages; cite a passage as [n] right after the claim it supports. Use it when the
    passages already given do not answer the question, with a query in English or Chinese.
    """
    if ctx.knowledge is None:
        raise ToolError("search_knowledge is only available to the language model")
    return {"passages": ctx.knowledge(query, doc_type)}
