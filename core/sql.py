"""SQL functions that read the same on PostgreSQL and SQLite, for set-based queries over
terms held in columns: a date plus a number of days (a deadline from a policy term), and
whether a JSON list of text holds a value (a policy's covered countries)."""

from django.db.models import BooleanField, DateField, Func


class AddDays(Func):
    """`date + days`, both expressions; the result is a date."""

    arity = 2
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


class JsonListHas(Func):
    """Whether the JSON list (first expression) holds the text (second expression)."""

    arity = 2
    output_field = BooleanField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="jsonb_exists")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXISTS (SELECT 1 FROM json_each(%(expressions)s))",
            arg_joiner=") WHERE value = (",
        )
