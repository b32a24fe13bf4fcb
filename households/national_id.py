"""Thai national ID numbers (เลขประจำตัวประชาชน): checking, masking, encryption at rest and the keyed hash.

An ID is 13 digits; the last is a check digit: (11 − Σ d[i]·(13 − i) for i < 12, mod 11) mod 10.
People type it with or without dashes and spaces, and in Thai digits; `normalize` accepts all of these.

At rest an ID is kept twice: encrypted with Fernet (keys from NATIONAL_ID_ENCRYPTION_KEYS, so that it can be
revealed to those allowed) and as an HMAC-SHA256 under NATIONAL_ID_HASH_KEY (so that uniqueness and lookups
work without decrypting anything). Neither the ID nor its hash may appear in a URL or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.thai import thai_digits_to_arabic

LENGTH = 13
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]")

ERROR_MESSAGES = {
    "length": _("A national ID has 13 digits."),
    "digits": _("A national ID has digits only (dashes and spaces are allowed)."),
    "check_digit": _("This national ID is not valid: its last digit (the check digit) does not match."),
}


class NationalIdError(ValueError):
    """``code`` is one of "length", "digits", "check_digit". The message never contains the ID."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)

    @property
    def message(self) -> str:
        return str(ERROR_MESSAGES[self.code])


def check_digit(first_twelve: str) -> int:
    total = sum(int(digit) * (LENGTH - index) for index, digit in enumerate(first_twelve[:12]))
    return (11 - total % 11) % 10


def normalize(text: str) -> str:
    """The 13 digits of a typed ID ("1-2345-67890-12-1", "๑๒๓๔...", "1 2345 ...").

    Raises NationalIdError when it is not a valid ID.
    """
    digits = _SEPARATORS.sub("", thai_digits_to_arabic(str(text)))
    if digits and (not digits.isascii() or not digits.isdigit()):
        raise NationalIdError("digits")
    if len(digits) != LENGTH:
        raise NationalIdError("length")
    if check_digit(digits) != int(digits[-1]):
        raise NationalIdError("check_digit")
    return digits


def is_valid(text: str) -> bool:
    try:
        normalize(text)
    except NationalIdError:
        return False
    return True


def with_check_digit(first_twelve: str) -> str:
    """The full ID for 12 digits: used to make fictional demo and test IDs."""
    return f"{first_twelve}{check_digit(first_twelve)}"


def formatted(national_id: str) -> str:
    """As printed on the ID card: 1-2345-67890-12-1."""
    d = national_id
    return f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}"


def masked(national_id: str) -> str:
    """The first five digits and the check digit only: 1-2345-xxxxx-xx-1."""
    d = national_id
    return f"{d[0]}-{d[1:5]}-xxxxx-xx-{d[12]}"


# --- encryption and the keyed hash ------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "NATIONAL_ID_ENCRYPTION_KEYS is not set: national IDs cannot be encrypted."
        )
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _hash_key() -> bytes:
    key = settings.NATIONAL_ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("NATIONAL_ID_HASH_KEY is not set: national IDs cannot be looked up.")
    return key.encode()


def encrypt(national_id: str) -> str:
    """A Fernet token (ASCII text) for a normalized ID."""
    return _fernet(tuple(settings.NATIONAL_ID_ENCRYPTION_KEYS)).encrypt(national_id.encode()).decode()


def decrypt(token: str) -> str:
    """The ID in a token; ImproperlyConfigured when none of the configured keys opens it."""
    try:
        return _fernet(tuple(settings.NATIONAL_ID_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored national ID cannot be decrypted with NATIONAL_ID_ENCRYPTION_KEYS: was a key removed?"
        ) from None


def keyed_hash(national_id: str) -> str:
    """HMAC-SHA256 of a normalized ID, in hex: equal IDs give equal hashes, and nothing can be read back."""
    return hmac.new(_hash_key(), national_id.encode(), hashlib.sha256).hexdigest()
