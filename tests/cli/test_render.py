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
