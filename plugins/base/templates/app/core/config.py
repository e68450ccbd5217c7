"""Application settings, read from environment variables and the .env file."""

from functools import lru_cache

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# HS256 signing keys should be at least as long as the 32-byte hash output
# (RFC 7518, section 3.2).
MIN_SECRET_KEY_BYTES = 32


class Settings(BaseSettings):
    """Application settings.

    Each field is read from the environment variable of the same name in any
    case (SECRET_KEY sets secret_key), then from .env in the working directory.
    Environment variables take precedence over .env.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    secret_key: SecretStr
    database_url: str = "sqlite:///./app.db"

    @field_validator("secret_key")
    @classmethod
    def check_secret_key_length(cls, value: SecretStr) -> SecretStr:
        length = len(value.get_secret_value().encode())
        if length < MIN_SECRET_KEY_BYTES:
            raise ValueError(
                f"SECRET_KEY is {length} bytes long but must be at least "
                f"{MIN_SECRET_KEY_BYTES} bytes. Generate one with "
                '`python -c "import secrets; print(secrets.token_urlsafe(48))"` '
                "and set it in .env or the environment."
            )
        return value


@lru_cache
def get_settings() -> Settings:
    """Return the settings, loaded once per process.

    Tests that change the environment call get_settings.cache_clear().
    """
    return Settings()
