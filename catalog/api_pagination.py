"""Page-number pagination whose errors name the parameter at fault."""

from __future__ import annotations

from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not _is_number(raw):
            raise ValidationError(
                {"page_size": [f"A whole number from 1 to {self.max_page_size} is required."]}
            )
        size = int(raw)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": [f"Must be from 1 to {self.max_page_size}."]})
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not _is_number(raw) or int(raw) < 1:
            raise ValidationError({"page": ["A whole number from 1 is required."]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            pages = max(
                1,
                -(
                    -self.django_paginator_class(queryset, self.get_page_size(request)).count
                    // self.get_page_size(request)
                ),
            )
            raise NotFound({"page": [f"Page {raw} does not exist; the last page is {pages}."]}) from None


def _is_number(raw: str) -> bool:
    # ASCII digits only (str.isdigit() also admits "²", which int() refuses), and few enough of them
    # for int() to accept.
    return raw.isascii() and raw.isdigit() and len(raw) <= 18
