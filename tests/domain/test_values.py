"""Single values: NHS numbers, phone numbers, email, ODS codes, coded values."""

from __future__ import annotations

import pytest

from eolcare.domain import codes
from eolcare.domain.values import (
    Coded,
    CodedList,
    format_nhs_number,
    normalise_email,
    normalise_nhs_number,
    normalise_ods_code,
    normalise_phone,
)

from .factories import nhs_check_digit, nhs_numbers, nines_with_check_ten

# -- NHS number (DATASET.md 1) --------------------------------------------------------

KNOWN_VALID = ["9434765919", "4010232137"]
GENERATED = nhs_numbers(25)


def test_helper_agrees_with_published_examples() -> None:
    for number in KNOWN_VALID:
        assert nhs_check_digit(number[:9]) == int(number[9])


@pytest.mark.parametrize("number", KNOWN_VALID + GENERATED)
def test_valid_nhs_numbers_are_accepted(number: str) -> None:
    assert normalise_nhs_number(number) == number


def test_check_digit_eleven_means_zero() -> None:
    # 9 digits whose weighted sum is divisible by 11 take check digit 0
    nine = next(n[:9] for n in nhs_numbers(500) if n.endswith("0"))
    assert normalise_nhs_number(nine + "0") == nine + "0"


@pytest.mark.parametrize(
    "written",
    ["943 476 5919", "943-476-5919", " 943 476 5919 ", "9434 765 919", "943\t476\u00a05919"],
)
def test_spaces_and_dashes_are_accepted(written: str) -> None:
    assert normalise_nhs_number(written) == "9434765919"


@pytest.mark.parametrize("number", KNOWN_VALID + GENERATED[:10])
def test_every_wrong_check_digit_is_rejected(number: str) -> None:
    for digit in "0123456789":
        if digit != number[9]:
            with pytest.raises(ValueError, match="check digit"):
                normalise_nhs_number(number[:9] + digit)


@pytest.mark.parametrize("nine", nines_with_check_ten(8))
def test_check_digit_ten_makes_the_number_invalid(nine: str) -> None:
    for digit in "0123456789":
        with pytest.raises(ValueError, match="not a valid NHS number"):
            normalise_nhs_number(nine + digit)


def test_transposed_digits_are_caught() -> None:
    swapped = "9434765919"[:3] + "34" + "9434765919"[5:]  # 943 476 -> 943 347
    assert swapped != "9434765919"
    with pytest.raises(ValueError, match="check digit"):
        normalise_nhs_number(swapped)


@pytest.mark.parametrize(
    "raw",
    ["", "943476591", "94347659190", "943 476 591", "00943 476 5919", "9"],
)
def test_wrong_lengths_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="10 digits"):
        normalise_nhs_number(raw)


@pytest.mark.parametrize(
    "raw",
    ["943476591O", "ABCDEFGHIJ", "943.476.5919", "943/476/5919", "+449434765919",
     "943476591²", "٩٤٣٤٧٦٥٩١٩", "９４３４７６５９１９"],
)
def test_letters_and_other_characters_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="10 digits") as caught:
        normalise_nhs_number(raw)
    assert raw not in str(caught.value)


@pytest.mark.parametrize("raw", ["401 023 2138", "401023213", "401023213X", "4010232137 1"])
def test_nhs_number_errors_do_not_repeat_the_number(raw: str) -> None:
    with pytest.raises(ValueError, match="NHS number") as caught:
        normalise_nhs_number(raw)
    message = str(caught.value)
    assert raw.replace(" ", "") not in message.replace(" ", "")
    assert raw not in message


def test_nhs_numbers_are_shown_in_three_groups() -> None:
    assert format_nhs_number("9434765919") == "943 476 5919"
    assert format_nhs_number("4010232137") == "401 023 2137"


def test_formatting_leaves_anything_else_alone() -> None:
    assert format_nhs_number("12345") == "12345"
    assert format_nhs_number("") == ""


@pytest.mark.parametrize("number", GENERATED[:5])
def test_formatted_number_reads_back(number: str) -> None:
    assert normalise_nhs_number(format_nhs_number(number)) == number


# -- phone numbers (DATASET.md 1, 7, 8) -----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("020 7946 0123", "020 7946 0123"),
        ("02079460123", "020 7946 0123"),
        ("(020) 7946-0123", "020 7946 0123"),
        ("+44 20 7946 0123", "020 7946 0123"),
        ("+442079460123", "020 7946 0123"),
        ("0044 20 7946 0123", "020 7946 0123"),
        ("0113 496 0999", "0113 496 0999"),
        ("+44 113 496 0000", "0113 496 0000"),
        ("0161 496 0555", "0161 496 0555"),
    ],
)
def test_uk_numbers_are_written_the_national_way(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["111", "999", "112"])
def test_service_short_numbers_are_accepted(raw: str) -> None:
    assert normalise_phone(raw) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+33 1 42 68 53 00", "+33 1 42 68 53 00"),
        ("+33142685300", "+33 1 42 68 53 00"),
        ("+1 650 253 0000", "+1 650-253-0000"),
        ("+353 1 234 5678", "+353 1 234 5678"),
    ],
)
def test_foreign_numbers_are_written_in_international_form(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


def test_a_foreign_region_writes_its_own_numbers_nationally() -> None:
    assert normalise_phone("01 42 68 53 00", region="FR") == "01 42 68 53 00"
    with pytest.raises(ValueError, match="not a valid phone number"):
        normalise_phone("020 7946 0123", region="FR")  # a London number is not French


@pytest.mark.parametrize(
    "raw",
    ["12345", "020 7946 012", "020 7946 01234567", "07700 900123", "+44 20 12", "0000 000 000"],
)
def test_numbers_that_cannot_be_dialled_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="not a valid phone number") as caught:
        normalise_phone(raw)
    assert raw not in str(caught.value)


@pytest.mark.parametrize("raw", ["", "abc", "call me", "+"])
def test_text_that_is_no_number_is_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="not a phone number"):
        normalise_phone(raw)


# -- email, ODS codes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("a.carer@example.org", "a.carer@example.org"),
     ("  dn.team@nhs.net ", "dn.team@nhs.net"),
     ("o'neill+eol@example.co.uk", "o'neill+eol@example.co.uk")],
)
def test_emails_are_trimmed(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "someone", "someone@", "@example.org", "someone@example", "a b@example.org",
            "a@b@example.org"],
)
def test_bad_emails_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="not an email address") as caught:
        normalise_email(raw)
    if raw:
        assert raw not in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("A81001", "A81001"), ("a81001", "A81001"), (" Y02345 ", "Y02345"), ("RX1", "RX1"),
     ("8HT22", "8HT22")],
)
def test_ods_codes_are_upper_cased(raw: str, expected: str) -> None:
    assert normalise_ods_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "A8", "A810011", "A81-01", "A81 01", "Ä81001"])
def test_bad_ods_codes_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="ODS"):
        normalise_ods_code(raw)


# -- coded values (display) -----------------------------------------------------------


def test_coded_display_shows_the_code_display_and_the_words_beside_it() -> None:
    assert (Coded(codes.NOT_FOR_CPR, "DNACPR signed by Dr Patel").display(codes.CPR_DECISION)
            == "Not for cardiopulmonary resuscitation (DNACPR signed by Dr Patel)")
    assert Coded("450475007").display(codes.CPR_DECISION) == "For cardiopulmonary resuscitation"


def test_coded_other_shows_only_the_words() -> None:
    assert Coded(codes.OTHER, "her sister's house").display(codes.PLACE) == "her sister's house"
    assert Coded(codes.OTHER).display(codes.PLACE) == "Other (see text)"


def test_coded_display_of_an_unknown_code_shows_the_code() -> None:
    assert Coded("12345").display(codes.PLACE) == "12345"


def test_coded_list_display() -> None:
    helps = CodedList(("meals", "night"))
    assert helps.display(codes.HELP) == "Meals, Night cover"
    assert CodedList(("meals",), "Sundays only").display(codes.HELP) == "Meals; Sundays only"
    assert (CodedList(("meals", codes.OTHER), "walks the dog").display(codes.HELP)
            == "Meals; walks the dog")
    assert CodedList((codes.OTHER,), "walks the dog").display(codes.HELP) == "walks the dog"
    assert CodedList(()).display(codes.HELP) == ""
