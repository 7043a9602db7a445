"""Run outputs: per-case JSONL, summary JSON, JUnit XML and a static HTML report."""

from evals.report.writers import write_outputs

__all__ = ["write_outputs"]
