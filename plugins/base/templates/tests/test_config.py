import pytest
from pydantic import ValidationError

from app.core.config import Settings


def test_settings_rejects_short_secret_key() -> None:
    short_key = "k" * 31

    with pytest.raises(ValidationError) as excinfo:
        Settings(secret_key=short_key)

    message = str(excinfo.value)
    assert "at least 32 bytes" in message
    assert "secrets.token_urlsafe" in message
    assert short_key not in message


def test_settings_counts_secret_key_bytes() -> None:
    # 16 characters, but 32 bytes in UTF-8.
    key = "é" * 16

    assert Settings(secret_key=key).secret_key.get_secret_value() == key


def test_settings_requires_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY")

    with pytest.raises(ValidationError) as excinfo:
        Settings(_env_file=None)

    assert excinfo.value.errors()[0]["loc"] == ("secret_key",)
