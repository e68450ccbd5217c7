"""Normalization of the email addresses that users are stored and looked up by."""

from email_validator import validate_email

# RFC 5321 limits a forward path to 256 octets including the angle brackets,
# and email_validator rejects an address over 254 bytes in UTF-8. Longer input
# is rejected before parsing, which bounds the work of one request.
MAX_EMAIL_LENGTH = 254


def normalize_email(email: str) -> str:
    """Validate an email address and return its normalized, lowercase form.

    Registration stores this form and login looks it up, so both accept the
    same spellings of one address. Surrounding whitespace is removed, and the
    whole address is lowercased, so case variants are one account.
    email_validator then applies Unicode NFC to the local part and converts an
    IDNA domain such as xn--bcher-kva.example.com to bücher.example.com. A
    display name as in "Bob <bob@example.com>" is rejected.

    Raises ValueError, or its subclass email_validator.EmailNotValidError, when
    the address is invalid. The result normalizes to itself.
    """
    email = email.strip()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValueError(
            f"The email address is {len(email)} characters long but must be at "
            f"most {MAX_EMAIL_LENGTH}"
        )
    validated = validate_email(
        email.lower(), check_deliverability=False, allow_display_name=False
    )
    return validated.normalized
