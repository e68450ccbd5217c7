"""Application settings, read from environment variables and the .env file."""

from functools import lru_cache

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# RFC 7518, section 3.2 requires HS256 keys of at least 256 bits, the size of
# the hash output.
MIN_SECRET_KEY_BYTES = 32


class Settings(BaseSettings):
    """Application settings.

    Each field comes from the environment variable of the same name, matched
    without regard to case (SECRET_KEY sets secret_key), or else from .env in
    the working directory.
    """

    # hide_input_in_errors keeps a rejected secret out of the error message.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", hide_input_in_errors=True
    )

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
