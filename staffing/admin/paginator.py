"""The admin's paginator for lists of large tables."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

ESTIMATE_FROM = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered list of a large PostgreSQL table by the planner's estimate.

    There COUNT(*) reads the whole table (156 ms at 1,000,000 cases), while the estimate
    (pg_class.reltuples, kept current by autovacuum) is one catalog read. Filtered lists, small tables
    and SQLite (whose count walks an index: 4 ms at 1,000,000 cases) are counted exactly. The page
    shows 「约」 before an estimated count (admin/<app>/<model>/pagination.html)."""

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where and not queryset.query.distinct:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                # One query: the estimate, or (for a small table) the exact count, which PostgreSQL
                # runs only when the CASE takes that branch.
                table = connection.ops.quote_name(queryset.model._meta.db_table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT reltuples >= %s, CASE WHEN reltuples >= %s THEN reltuples::bigint"
                        f" ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class WHERE oid = %s::regclass",
                        [ESTIMATE_FROM, ESTIMATE_FROM, queryset.model._meta.db_table],
                    )
                    self.estimated, count = cursor.fetchone()
                return count
        return super().count
