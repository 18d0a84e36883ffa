"""Reading an uploaded CSV file in bounded memory: one physical line at a time, each record
with its line number and its cells by column, or a named error on its line.

What a line can be refused for, whatever is imported:

- `not_utf8`: the line's bytes are not UTF-8 text;
- `line_too_long`: more than MAX_LINE_BYTES bytes without a line break;
- `unterminated_quote`: a quote opened and not closed on its line, which swallows the lines
  after it (those lines are then read on their own, so none is lost);
- `bad_quote`: a quoted cell followed by more text before the next comma;
- `cell_count`: more or fewer cells than the header has columns;
- `nul_byte`: a NUL character in a cell (no database should be asked to store it).

A quoted cell may hold a line break when its record has as many cells as the header; the
record counts from its first line.
"""

import codecs
import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from django.utils.translation import gettext as _

MAX_LINE_BYTES = 64 * 1024
MAX_RECORD_LINES = 20  # physical lines one quoted record may span


@dataclass(frozen=True)
class LineError:
    """An error on a line of the file; `column` is None when the whole line is at fault."""

    line: int
    column: str | None
    message: str
    code: str = "invalid"
    content: str = ""  # the line as read, when the reader refused it whole

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)s, %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class Record(NamedTuple):  # a tuple: made for every line, so cheap to make
    line: int
    cells: list[str]  # stripped, in the order of the header's columns
    text: str  # the record as read, for the error report


@dataclass(frozen=True)
class _Physical:
    number: int
    text: str | None
    error: LineError | None = None


class CsvFile:
    """The header and then the records of a CSV file opened in binary mode."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.bytes_read = 0
        self.columns: list[str] = []
        self._number = 0
        self._pending: deque[_Physical] = deque()

    def header(self) -> list[LineError]:
        """Read the header line; its errors (then there are no records to read)."""
        first = next(self._records(None), None)
        if first is None:
            return [LineError(1, None, _("The file is empty."), "empty")]
        if isinstance(first, LineError):
            return [first]
        _line, cells, _text = first
        if len(cells) == 1 and ";" in cells[0]:
            message = _("Columns are separated by commas, not semicolons.")
            return [LineError(1, None, message, "header")]
        self.columns = [c.strip().lower() for c in cells]
        if len(set(self.columns)) != len(self.columns):
            return [LineError(1, None, _("A column appears twice."), "header")]
        return []

    def records(self) -> Iterator[Record | LineError]:
        """Every non-empty line after the header, as a Record or the LineError that refuses
        it."""
        width = len(self.columns)
        for item in self._records(width):
            if isinstance(item, LineError):
                yield item
                continue
            line, cells, text = item
            stripped = [c.strip() for c in cells]
            if not any(stripped):
                continue
            if len(cells) != width:
                message = _("%(n)s cells, but the header has %(cols)s columns.") % {
                    "n": len(cells),
                    "cols": width,
                }
                yield LineError(line, None, message, "cell_count", text)
                continue
            nul = (
                next((c for c, v in zip(self.columns, cells, strict=True) if "\x00" in v), None)
                if "\x00" in text
                else None
            )
            if nul is not None:
                message = _("The cell holds a NUL character (a zero byte), which is not text.")
                yield LineError(line, nul, message, "nul_byte", text.replace("\x00", ""))
                continue
            yield Record(line, stripped, text)

    # Lines and records ---------------------------------------------------------------------

    def _next_physical(self) -> _Physical | None:
        if self._pending:
            return self._pending.popleft()
        raw = self.stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return None
        self.bytes_read += len(raw)
        self._number += 1
        number = self._number
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (more := self.stream.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                self.bytes_read += len(more)
            self.bytes_read += len(more)
            message = _("The line is longer than %(n)s bytes.") % {"n": MAX_LINE_BYTES}
            error = LineError(number, None, message, "line_too_long", _text(raw[:2000]))
            return _Physical(number, None, error)
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            return _Physical(number, raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            message = _("The line is not UTF-8 text (byte %(at)s).") % {"at": exc.start + 1}
            return _Physical(number, None, LineError(number, None, message, "not_utf8", _text(raw)))

    def _push_back(self, lines: list[_Physical]) -> None:
        self._pending.extendleft(reversed(lines))

    def _records(self, width: int | None):
        """(line, cells, text) of each record, or a LineError."""
        while (first := self._next_physical()) is not None:
            if first.error is not None:
                yield first.error
                continue
            text = first.text
            if '"' not in text:  # the common case, without the csv module
                yield first.number, text.rstrip("\r\n").split(","), text
                continue
            lines = [first]
            while True:
                try:
                    cells = next(csv.reader([p.text for p in lines], strict=True), [])
                except csv.Error as exc:
                    if len(lines) > 1 and "unexpected end of data" not in str(exc):
                        self._push_back(lines[1:])  # the quote ran into the next lines
                        yield self._unterminated(first)
                        break
                    if "unexpected end of data" not in str(exc):
                        message = _(
                            "A quoted cell is followed by more text before the next comma: "
                            'write a quote inside a quoted cell as two quotes ("").'
                        )
                        yield LineError(first.number, None, message, "bad_quote", first.text)
                        break
                    more = self._next_physical() if len(lines) < MAX_RECORD_LINES else None
                    if more is not None and more.error is None:
                        lines.append(more)
                        continue
                    self._push_back(lines[1:] + ([more] if more is not None else []))
                    yield self._unterminated(first)
                    break
                if len(lines) > 1 and width is not None and len(cells) != width:
                    self._push_back(lines[1:])
                    yield self._unterminated(first)
                    break
                yield first.number, cells, "".join(p.text for p in lines)
                break

    def _unterminated(self, first: _Physical) -> LineError:
        """The error on the line where the quote opens, in the column it opens in."""
        alone = next(csv.reader([first.text]), [])
        index = len(alone) - 1
        column = self.columns[index] if 0 <= index < len(self.columns) else None
        message = _(
            "A quote is opened and not closed on this line: it would take the next lines into "
            "one cell."
        )
        return LineError(first.number, column, message, "unterminated_quote", first.text)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")
