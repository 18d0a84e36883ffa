"""The API's pagination: `?limit=&offset=`, bounded. A `?limit=` or `?offset=` beyond what the
database takes (a bigint) answered 500; the page size is capped and an offset beyond any table
gives an empty page."""

from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2**62


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE

    def get_offset(self, request):
        return min(super().get_offset(request), MAX_OFFSET)
