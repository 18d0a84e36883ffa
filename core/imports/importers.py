"""What an app gives core.imports to import one kind of file: an Importer subclass, registered
under its kind when the app is ready. Core reads the file and keeps the job; the importer knows
what a line means and how to write a chunk of good rows."""

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from .lines import LineError


class Importer(ABC):
    """One instance per run of a job. Rows are the importer's own objects with a `line`
    attribute; they are pickled between the checking and the writing pass, so plain tuples
    of text and numbers (a NamedTuple) keep that cheap."""

    kind: ClassVar[str]
    title: ClassVar[Any]  # a lazily translated page title, e.g. "Import credit reports"
    upload_url: ClassVar[str]  # the URL name of the upload page, for the "back" link
    do_not_call_in_templates = True  # pages read the class's title and upload_url

    def __init__(self, *, actor, options: dict):
        self.actor = actor
        self.options = options
        self.columns: list[str] = []  # the file's columns, once its header is accepted

    @classmethod
    @abstractmethod
    def may_import(cls, user) -> bool:
        """Whether `user` may upload such a file and see such jobs."""

    @classmethod
    def may_see(cls, user, job) -> bool:
        """Whether `user` may see the job `job` of this kind (its page, progress and error
        report): by default whoever may import such files; an importer whose files belong to
        one company narrows it to that company's users."""
        return cls.may_import(user)

    @abstractmethod
    def header_problems(self, columns: list[str]) -> list[str]:
        """What is wrong with the header's columns (empty: nothing)."""

    @abstractmethod
    def parse(self, line: int, cells: list[str]) -> tuple[Any | None, list[LineError]]:
        """The line's row (None when it cannot be read at all) and its errors; `cells` are in
        the order of `self.columns`."""

    def check(self, rows: list) -> list[LineError]:
        """Errors that need other lines of the file or the database, for one chunk of rows
        (in file order; called once per chunk, so it may remember earlier chunks)."""
        return []

    @abstractmethod
    def write(self, rows: list) -> dict[str, int]:
        """Write a chunk of good rows, set-based, in the caller's transaction; the counts
        written, at least `imported` (lines) and `skipped` (lines imported before)."""

    @classmethod
    @abstractmethod
    def summary(cls, totals: dict[str, int]) -> str:
        """The result in words, from the summed counts of `write`."""


_IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> type[Importer]:
    return _IMPORTERS[kind]
