"""Set-based writes: rows made by the database from a SELECT, never one Python object per row."""

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone


def insert_from_select(
    model: type[models.Model], *, selected: dict[str, str], source: str, params: list
) -> int:
    """One `INSERT INTO <model> (...) SELECT ... <source>` statement; returns the rows inserted.

    `selected` maps field attnames (e.g. "assessment_id") to SQL expressions over `source` (the
    FROM ... WHERE ... part); every other column gets its field's default, and `auto_now` /
    `auto_now_add` fields the current time. `params` fill the `%s` placeholders in reading order:
    those of the `selected` expressions (in the model's field order), then those of `source`.
    Like `bulk_create`: no `save()`, no signals, no history rows.
    """
    template = model()
    now = timezone.now()
    quote = connection.ops.quote_name
    given = iter(params)
    columns, expressions, values = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        if field.attname in selected:
            expression = selected[field.attname]
            values.extend(next(given) for _ in range(expression.count("%s")))
        else:
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            expression = "%s"
            values.append(
                field.get_db_prep_save(
                    now if stamped else getattr(template, field.attname), connection
                )
            )
        expressions.append(expression)
    values.extend(given)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.rowcount


ROWS_PER_STATEMENT = 1000


def insert_rows(model: type[models.Model], *, fields: Sequence[str], rows: list[tuple]) -> int:
    """Plain value tuples inserted as rows of `model` (its `fields`, by attname), with no model
    instance per row: SQLite takes them in one `executemany` (no round trips in process), other
    databases in multi-row INSERTs of `ROWS_PER_STATEMENT`. Values must already be what the
    database stores (numbers, text, booleans, None). Like `bulk_create`: no `save()`, no signals.
    """
    quote = connection.ops.quote_name
    attnames = {field.attname: field.column for field in model._meta.concrete_fields}
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(attnames[name]) for name in fields)}) VALUES "
    )
    one = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(head + one, rows)
        else:
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = rows[start : start + ROWS_PER_STATEMENT]
                cursor.execute(
                    head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row]
                )
    return len(rows)
