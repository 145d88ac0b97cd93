"""Suggesting foreign places from the offline gazetteer."""

from .models import Place
from .text import query_key


def suggest(query, country=None, limit=10):
    key = query_key(query)
    if len(key) < 2:
        return []
    qs = Place.objects.select_related("country").filter(search_text__contains=key)
    if country is not None:
        qs = qs.filter(country=country)
    # admin1 divisions first (friendship partners are often states or prefectures), then by population.
    return list(qs.order_by("kind", "-population")[:limit])
