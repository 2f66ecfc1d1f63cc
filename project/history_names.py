"""Names of many records at once, in a number of queries that does not grow with the records (issue 20).

The timeline names each record by its own `__str__`, as it stands in the history row. A name may
read more than the row: a related record (a material names its case, a post its department), the
center's settings (an approval names the center's title for a role), or fields the history does not
keep (simple-history reads those from the live row). Named one by one, that is a query or more for
every row of a page.

Here the records of one model are named together:
- the fields their history leaves out are read for all of them in one query (`instances_of`);
- which related records a model's name reads is learnt, not declared: each record is named with
  queries forbidden; the first one whose name needs a query is named the ordinary way, and the
  relations that this loaded (its field cache, followed down) are fetched for all the records after
  it in one query per relation, and for every record of that model on later pages up front.
  Control panels are read once for all the names.

So a page costs, per model on it, one query per relation its names read (plus, the first time a
process names that model, the queries of one ordinary name), whatever the number of rows. A name that still needs a query of its own (one that
is neither a relation nor a control panel) is made the ordinary way: slower, never different.
"""

from django.db import connection
from django.db.models import Model, prefetch_related_objects
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from staffing.models.control_panel import panels_read_once

MAX_DEPTH = 3  # relations of relations of relations: deeper names are made the ordinary way


class _QueryNeeded(Exception):
    """A name tried to read the database while queries were forbidden."""


class _NoQueries:
    """An execute wrapper that refuses every SELECT and remembers that one was tried: a name that
    catches the error itself must not pass for a name made without the database."""

    def __init__(self):
        self.tried = False

    def __call__(self, execute, sql, params, many, context):
        # Only reads: a savepoint released or rolled back on the way out of a refused name must run.
        if sql.lstrip()[:6].upper() == "SELECT":
            self.tried = True
            raise _QueryNeeded(sql)
        return execute(sql, params, many, context)


def _name_without_queries(instance):
    """(True, name) — or (True, None) if naming failed without the database; (False, None) if it needed it."""
    guard = _NoQueries()
    with connection.execute_wrapper(guard):
        try:
            name = str(instance)
        except _QueryNeeded:
            return False, None
        except Exception:  # noqa: BLE001 — a related record gone: the caller shows the model's name
            return not guard.tried, None
    return (False, None) if guard.tried else (True, name)


def _name(instance):
    try:
        return str(instance)
    except Exception:  # noqa: BLE001 — a related record since deleted
        return None


def _loaded_relations(instance, prefix="", depth=0) -> set[str]:
    """Lookups ("case", "approver__department") of the related records cached on `instance`."""
    found = set()
    if depth >= MAX_DEPTH:
        return found
    for name, related in instance._state.fields_cache.items():
        if not isinstance(related, Model):
            continue
        path = f"{prefix}{name}"
        found.add(path)
        found |= _loaded_relations(related, f"{path}__", depth + 1)
    return found


def _prefetch(instances, lookups) -> None:
    if not instances:
        return
    for lookup in sorted(lookups):
        try:
            prefetch_related_objects(instances, lookup)
        except (AttributeError, ValueError, TypeError):  # a lookup some records cannot follow (a generic relation)
            continue


# {model: lookups of the related records its names read}, learnt as pages are named. Kept for the
# process: a model's __str__ does not change while it runs, and a lookup learnt once is fetched up
# front on every later page, without the one ordinary name it took to learn it.
_learnt: dict[type, set[str]] = {}


def names_of(instances) -> list:
    """str() of each instance (None where naming failed: a related record gone), all of one model."""
    if not instances:
        return []
    model = type(instances[0])
    learnt = _learnt.setdefault(model, set())
    names = [None] * len(instances)
    with panels_read_once():
        _prefetch(instances, learnt)
        for n, instance in enumerate(instances):
            done, name = _name_without_queries(instance)
            if done:
                names[n] = name
                continue
            names[n] = _name(instance)
            new = _loaded_relations(instance) - learnt
            if new:
                learnt |= new
                _prefetch(instances[n + 1:], new)
    return names


def instances_of(model, rows) -> list:
    """The records as their history rows have them (simple-history's `row.instance`), with the
    fields the history leaves out read from the live rows in one query instead of one per row."""
    if not rows:
        return []
    excluded = [
        field.attname
        for field in (model._meta.get_field(name) for name in type(rows[0])._history_excluded_fields)
        if not field.many_to_many
    ]
    live = {}
    if excluded:
        pk = model._meta.pk.attname
        ids = {getattr(row, pk) for row in rows}
        live = {values.pop("pk"): values for values in model.objects.filter(pk__in=ids).values("pk", *excluded)}
    instances = []
    for row in rows:
        row._history_excluded_fields = ()  # this row's own get_instance() then reads nothing more
        try:
            instance = row.instance
        finally:
            del row._history_excluded_fields
        for attname, value in live.get(instance.pk, {}).items():
            setattr(instance, attname, value)
        setattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, row)
        instances.append(instance)
    return instances


def history_names(model, rows) -> dict:
    """{history_id: name} of the records in `rows` (history rows of `model`) as each row has it;
    None where the name cannot be made."""
    return {row.history_id: name for row, name in zip(rows, names_of(instances_of(model, rows)))}
