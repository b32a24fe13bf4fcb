"""National IDs: the check digit, the accepted spellings, masking, encryption at rest and the keyed hash."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from core.thai import arabic_digits_to_thai
from households import national_id

twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


def test_a_known_id_and_its_check_digit():
    # 1-1037-02071-81-? : Σ d·w = 1·13 + 1·12 + 0 + 3·10 + 7·9 + 0 + 2·7 + 0 + 7·5 + 1·4 + 8·3 + 1·2 = 197;
    # 197 mod 11 = 10; (11 − 10) mod 10 = 1.
    assert national_id.check_digit("110370207181") == 1
    assert national_id.normalize("1103702071811") == "1103702071811"


@given(twelve_digits)
def test_an_id_with_its_check_digit_is_valid(first_twelve):
    assert national_id.is_valid(national_id.with_check_digit(first_twelve))


@given(twelve_digits)
def test_exactly_one_last_digit_is_valid(first_twelve):
    valid = [digit for digit in "0123456789" if national_id.is_valid(first_twelve + digit)]
    assert valid == [str(national_id.check_digit(first_twelve))]


@given(twelve_digits, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_caught_unless_the_weights_collide(first_twelve, position, delta):
    """The check digit catches a single wrong digit except where the weights make it invisible mod 11
    (the weight 11 of the third digit) or where two sums fold onto the same digit (mod 10)."""
    good = national_id.with_check_digit(first_twelve)
    digits = list(good)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    weight = 13 - position
    old_sum = sum(int(d) * (13 - i) for i, d in enumerate(good[:12]))
    new_sum = sum(int(d) * (13 - i) for i, d in enumerate(changed[:12]))
    same_digit = (11 - old_sum % 11) % 10 == (11 - new_sum % 11) % 10
    assert national_id.is_valid(changed) == same_digit
    if weight % 11 == 0:
        assert national_id.is_valid(changed)


@given(twelve_digits)
def test_dashes_spaces_and_thai_digits_are_the_same_id(first_twelve):
    identity = national_id.with_check_digit(first_twelve)
    spellings = [
        national_id.formatted(identity),
        " ".join([identity[0], identity[1:5], identity[5:10], identity[10:12], identity[12]]),
        arabic_digits_to_thai(national_id.formatted(identity)),
        arabic_digits_to_thai(identity),
        f"  {identity}\n",
    ]
    assert {national_id.normalize(text) for text in spellings} == {identity}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("110370207181", "length"),
        ("11037020718111", "length"),
        ("", "length"),
        ("1-1037-02071-81-X", "digits"),
        ("1103702071811a", "digits"),
        ("١١٠٣٧٠٢٠٧١٨١١", "digits"),  # Arabic-Indic digits are digits, but not ours
        ("1103702071812", "check_digit"),
    ],
)
def test_bad_ids_are_refused_with_a_reason(text, code):
    with pytest.raises(national_id.NationalIdError) as error:
        national_id.normalize(text)
    assert error.value.code == code
    assert "1103702071" not in error.value.message  # the message never repeats the ID


@given(twelve_digits)
def test_masking_keeps_the_first_five_digits_and_the_check_digit(first_twelve):
    identity = national_id.with_check_digit(first_twelve)
    masked = national_id.masked(identity)
    assert masked == f"{identity[0]}-{identity[1:5]}-xxxxx-xx-{identity[12]}"
    assert identity[5:12] not in masked.replace("-", "")[5:]


def test_masked_format_matches_the_issue():
    assert national_id.masked("1234567890121") == "1-2345-xxxxx-xx-1"
    assert national_id.formatted("1234567890121") == "1-2345-67890-12-1"


@given(twelve_digits)
def test_encryption_round_trip(first_twelve):
    identity = national_id.with_check_digit(first_twelve)
    token = national_id.encrypt(identity)
    assert identity not in token
    assert national_id.decrypt(token) == identity


def test_each_encryption_differs_but_the_keyed_hash_is_stable(settings):
    identity = "1103702071811"
    assert national_id.encrypt(identity) != national_id.encrypt(identity)
    digest = national_id.keyed_hash(identity)
    assert national_id.keyed_hash(identity) == digest
    assert len(digest) == 64
    assert identity not in digest
    settings.NATIONAL_ID_HASH_KEY = "another-key-another-key-another-key"
    assert national_id.keyed_hash(identity) != digest  # without the key, the hash cannot be recomputed


def test_the_keyed_hash_of_a_known_id_never_changes(settings):
    """The stored hashes are the uniqueness and lookup key: the README says this digest must never change.

    The literal was computed once outside Kongtun, with
    `printf %s 1103702071811 | openssl dgst -sha256 -hmac kongtun-fixed-value-test-key-never-change`.
    """
    settings.NATIONAL_ID_HASH_KEY = "kongtun-fixed-value-test-key-never-change"
    assert (
        national_id.keyed_hash("1103702071811")
        == "8224c9013dff3c1ec81b8e3604621390299cec80ec565276755dd073327adc2f"
    )


def test_keys_rotate_new_key_first_and_old_tokens_still_open(settings):
    old_token = national_id.encrypt("1103702071811")
    new_key = Fernet.generate_key().decode()
    settings.NATIONAL_ID_ENCRYPTION_KEYS = [new_key, *settings.NATIONAL_ID_ENCRYPTION_KEYS]
    new_token = national_id.encrypt("1103702071811")
    assert national_id.decrypt(old_token) == national_id.decrypt(new_token) == "1103702071811"
    settings.NATIONAL_ID_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(ImproperlyConfigured, match="cannot be decrypted"):
        national_id.decrypt(old_token)


def test_missing_keys_stop_with_a_clear_message(settings):
    settings.NATIONAL_ID_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="NATIONAL_ID_ENCRYPTION_KEYS"):
        national_id.encrypt("1103702071811")
    settings.NATIONAL_ID_HASH_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="NATIONAL_ID_HASH_KEY"):
        national_id.keyed_hash("1103702071811")
