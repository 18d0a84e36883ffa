"""Reading an uploaded CSV file line by line: every record with its line, every line that
cannot be read refused with a named error on its line (and column, where there is one)."""

import io

import pytest

from core.imports.lines import MAX_LINE_BYTES, CsvFile, LineError, Record


def read(data: bytes):
    file = CsvFile(io.BytesIO(data))
    header_errors = file.header()
    return file, header_errors, list(file.records())


def errors_of(items) -> list[tuple]:
    return [(e.line, e.column, e.code) for e in items if isinstance(e, LineError)]


def test_records_carry_their_line_their_cells_in_column_order_and_their_text():
    file, problems, items = read(b"\xef\xbb\xbfA, b ,c\r\n1, two ,3\r\n\r\n,,\n4,5,6")

    assert problems == [] and file.columns == ["a", "b", "c"]
    assert items == [
        Record(2, ["1", "two", "3"], "1, two ,3\r\n"),
        Record(5, ["4", "5", "6"], "4,5,6"),
    ]
    assert file.bytes_read == len(b"\xef\xbb\xbfA, b ,c\r\n1, two ,3\r\n\r\n,,\n4,5,6")


def test_a_quoted_cell_may_hold_commas_quotes_and_line_breaks():
    _, _, items = read(b'a,b,c\n1,"Smith, ""Jones"" & Co",3\n2,"two\nlines",4\n5,6,7\n')

    assert [(r.line, r.cells[1]) for r in items] == [
        (2, 'Smith, "Jones" & Co'),
        (3, "two\nlines"),
        (5, "6"),
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (b"1,2\n", [(2, None, "cell_count")]),
        (b"1,2,3,4\n", [(2, None, "cell_count")]),
        (b"1,2\x00,3\n", [(2, "b", "nul_byte")]),
        (b"1,\xff\xfe,3\n", [(2, None, "not_utf8")]),
        (b'1,"x"y,3\n', [(2, None, "bad_quote")]),
        (b"1," + b"x" * MAX_LINE_BYTES + b",3\n", [(2, None, "line_too_long")]),
    ],
    ids=["fewer cells", "more cells", "NUL byte", "not UTF-8", "bad quote", "too long"],
)
def test_a_line_that_cannot_be_read_is_a_named_error_on_its_line(lines, expected):
    _, _, items = read(b"a,b,c\n" + lines + b"7,8,9\n")

    assert errors_of(items) == expected
    assert [r.line for r in items if isinstance(r, Record)] == [3]  # the next line still reads


def test_an_unterminated_quote_is_an_error_on_its_line_and_the_lines_after_it_still_read():
    data = b'a,b,c\n1,"Acme AB,3\n4,5,6\n7,"quoted",9\n10,"open to the end\n11,12,13\n'

    _, _, items = read(data)

    assert errors_of(items) == [(2, "b", "unterminated_quote"), (5, "b", "unterminated_quote")]
    assert [r.line for r in items if isinstance(r, Record)] == [3, 4, 6]
    assert str(items[0]) == (
        "line 2, b: A quote is opened and not closed on this line: it would take the next lines "
        "into one cell."
    )


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty", "The file is empty."),
        (b"a;b;c\n1;2;3\n", "header", "Columns are separated by commas, not semicolons."),
        (b"a,b,A\n", "header", "A column appears twice."),
        (b"\xff,b\n", "not_utf8", "The line is not UTF-8 text (byte 1)."),
    ],
)
def test_a_header_that_cannot_be_read_is_an_error_on_line_one(data, code, message):
    _, problems, _ = read(data)

    assert [(e.line, e.code, e.message) for e in problems] == [(1, code, message)]
