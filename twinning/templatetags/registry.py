"""Template filters of the registry: dates as their source gave them (twinning.dates.format_partial)
and the marks the timeline needs.

    {% load registry %}
    {{ p|signing_date }}                 a partnership's signing date: 2014年 / 1979年5月 / 1979年5月2日
    {{ value|partial_date:precision }}   any date with its precision
    {% if exchange|before_signing:p %}   the exchange took place before the partnership was signed
"""

from django import template
from django.utils.translation import get_language

from twinning import selectors
from twinning.dates import format_partial

register = template.Library()


@register.filter
def partial_date(value, precision="day"):
    return format_partial(value, precision, get_language())


@register.filter
def signing_date(partnership):
    """A partnership's signing date with its precision, "" when none is known."""
    if partnership is None:
        return ""
    return format_partial(partnership.signed_on, partnership.signed_precision, get_language())


@register.filter
def before_signing(exchange, partnership):
    return selectors.before_signing(exchange.occurred_on, partnership)
