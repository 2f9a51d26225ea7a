"""Plain-text tables line up in a terminal whatever script the names are written in."""

from __future__ import annotations

from eolcare.cli.tables import display_width, table


def test_display_width_counts_terminal_columns() -> None:
    assert display_width("Evans") == 5
    assert display_width("王秀英") == 6  # wide characters take two columns each
    assert display_width("Nguyễn") == 6  # precomposed
    assert display_width("Nguye\u0302\u0303n") == 6  # e + two combining marks: one column
    assert display_width("") == 0


def test_columns_line_up_with_wide_and_combining_characters() -> None:
    rows = [["王秀英", "943 476 5919"], ["Siân Evans", "943 476 5870"],
            ["Nguye\u0302\u0303n Thi", "401 023 2137"]]
    lines = table(["Name", "NHS number"], rows).splitlines()
    # the second column starts at the same terminal column on every line
    starts = {display_width(line[:line.index(nhs)]) for line, nhs in
              zip(lines[2:], ("943 476 5919", "943 476 5870", "401 023 2137"), strict=True)}
    assert starts == {display_width(lines[0][:lines[0].index("NHS number")])}
    assert lines[1].split("  ")[0] == "-" * display_width("Siân Evans")


def test_right_to_left_names_are_isolated_and_aligned() -> None:
    rows = [["عائشہ خان", "943 476 5919"], ["Siân Evans", "943 476 5870"]]
    lines = table(["Name", "NHS number"], rows).splitlines()
    # the Urdu name sits in bidi isolates, so a terminal that reorders it keeps the
    # padding and the next column on their side; the isolates take no columns
    assert lines[2].startswith("\u2068عائشہ خان\u2069")
    assert display_width("\u2068عائشہ خان\u2069") == display_width("عائشہ خان") == 9
    starts = {display_width(line[:line.index("943")]) for line in lines[2:]}
    assert starts == {display_width(lines[0][:lines[0].index("NHS number")])}


def test_multi_line_values_never_break_a_table_and_indent_in_a_record() -> None:
    lines = table(["Name", "Address"], [["Siân Evans", "12 Heol y Bont\nTenby\n"]]).splitlines()
    assert len(lines) == 3
    assert lines[2].endswith("12 Heol y Bont / Tenby")
    from datetime import date

    from eolcare.cli.render import record
    from eolcare.domain.entities import Person
    from eolcare.domain.record import PersonRecord
    shown = record(PersonRecord(Person(full_name="Siân Evans", date_of_birth=date(1941, 2, 3),
                                       address="12 Heol y Bont\nTenby\nSA70 7AA")))
    at = shown.splitlines().index("  Address: 12 Heol y Bont")
    assert shown.splitlines()[at + 1:at + 3] == ["           Tenby", "           SA70 7AA"]
