"""The optional LLM judge: faithfulness and answer relevance from any OpenAI-compatible chat endpoint.

Used only when an LLM is configured (ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL). Verdicts are cached
on disk by case, answer hash, judge model and prompt version, so re-running an unchanged suite costs no
model calls.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Any

import httpx

from assistant.prompts import render

PROMPT = "judge/answer"
_JSON = re.compile(r"\{.*\}", re.DOTALL)


class JudgeError(RuntimeError):
    """The judge model could not be asked or did not answer in the expected format."""


class LLMJudge:
    def __init__(self, base_url: str, model: str, api_key: str | None, cache_path: Path, timeout: float = 60.0) -> None:
        self.model = model
        self.version = render(PROMPT, "version")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self._cache_path = cache_path
        self._cache: dict[str, dict[str, Any]] = (
            json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
        )
        self._lock = threading.Lock()
        self.calls = 0

    def key(self, case_id: str, answer: str) -> str:
        answer_hash = hashlib.sha256(answer.encode()).hexdigest()[:16]
        return f"{case_id}|{answer_hash}|{self.model}|v{self.version}"

    def grade(self, case_id: str, question: str, answer: str, quotes: list[str]) -> dict[str, float]:
        """{"judge_faithfulness": x, "judge_relevance": y}, from the cache when this answer was graded before."""
        key = self.key(case_id, answer)
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._ask(question, answer, quotes)
            with self._lock:
                self._cache[key] = cached
                self._cache_path.parent.mkdir(parents=True, exist_ok=True)
                self._cache_path.write_text(json.dumps(self._cache, ensure_ascii=False, indent=1), encoding="utf-8")
        return {"judge_faithfulness": cached["faithfulness"], "judge_relevance": cached["relevance"]}

    def _ask(self, question: str, answer: str, quotes: list[str]) -> dict[str, Any]:
        messages = [
            {"role": "system", "content": render(PROMPT, "system")},
            {"role": "user", "content": render(PROMPT, "user", question=question, answer=answer, quotes=quotes)},
        ]
        self.calls += 1
        try:
            response = self._client.post(
                "/chat/completions", json={"model": self.model, "messages": messages, "temperature": 0}
            )
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
            raise JudgeError(f"judge model at {self._client.base_url} failed: {exc}") from exc
        match = _JSON.search(content or "")
        try:
            verdict = json.loads(match.group(0)) if match else {}
            return {
                "faithfulness": min(max(float(verdict["faithfulness"]), 0.0), 1.0),
                "relevance": min(max(float(verdict["relevance"]), 0.0), 1.0),
                "reason": str(verdict.get("reason", "")),
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise JudgeError(f"judge reply is not the expected JSON: {content[:200]!r}") from exc
