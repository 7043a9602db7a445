"""Cooperation agreement drafting: clause templates, grounded drafts, Markdown and .docx, kept per session."""

from assistant.agreements.flow import AgreementFlow, FlowReply
from assistant.agreements.service import AgreementService
from assistant.agreements.store import DraftStore
from assistant.agreements.templates import AgreementTemplate, TemplateError, templates
from assistant.agreements.values import ValueProblem

__all__ = [
    "AgreementFlow",
    "AgreementService",
    "AgreementTemplate",
    "DraftStore",
    "FlowReply",
    "TemplateError",
    "ValueProblem",
    "templates",
]
