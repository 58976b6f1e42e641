import pytest
import sqlalchemy as sa

from kilocloud.core import pagination
from kilocloud.core.errors import BadRequest


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 25), ("5", 5), ("+5", 5), (" 5", 5), ("0", 0), ("9999", 1000)]
)
def test_limit_is_read_as_openstack_reads_it(raw, expected) -> None:
    assert pagination.parse_limit(raw, 25, 1000) == expected


@pytest.mark.parametrize(
    ("raw", "message"), [("x", "integer"), ("-1", "positive"), ("²", "integer")]
)
def test_bad_limit_is_400(raw, message) -> None:
    with pytest.raises(BadRequest, match=message):
        pagination.parse_limit(raw, 25, 1000)


def test_limit_without_default_or_maximum_is_unbounded() -> None:
    assert pagination.parse_limit(None) is None
    assert pagination.parse_limit("5000") == 5000


def test_bad_sort_direction_is_400() -> None:
    with pytest.raises(BadRequest, match="sort direction"):
        pagination.check_direction("up")


def test_keyset_pages_never_overlap_nor_skip() -> None:
    table = sa.table("t", sa.column("name", sa.String), sa.column("id", sa.String))
    engine = sa.create_engine("sqlite://")
    rows = [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4"), ("a", "5")]
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (name TEXT, id TEXT)"))
        conn.execute(sa.text("INSERT INTO t VALUES (:n, :i)"), [{"n": n, "i": i} for n, i in rows])
        sort = [(table.c.name, "desc"), (table.c.id, "asc")]
        seen, marker = [], None
        while True:
            query = sa.select(table).order_by(*pagination.order_by(sort)).limit(2)
            if marker is not None:
                query = query.where(pagination.after(sort, [marker.name, marker.id]))
            page = conn.execute(query).all()
            seen += page
            if pagination.next_marker(page, 2) is None:
                break
            marker = page[-1]
    assert [r.id for r in seen] == ["4", "1", "3", "2", "5"]


def test_page_links_keep_the_query_and_move_the_marker() -> None:
    params = [("limit", "2"), ("marker", "old"), ("name", "x y")]
    assert pagination.first_and_next("/v2/images", params, "m1") == {
        "first": "/v2/images?limit=2&name=x+y",
        "next": "/v2/images?limit=2&name=x+y&marker=m1",
    }
    assert pagination.first_and_next("/v2/images", [], None) == {"first": "/v2/images"}
