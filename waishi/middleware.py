"""Input no database takes: a NUL character in a query or form value is refused at the door
(PostgreSQL rejects it in text and would turn it into a server error deep inside a view)."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("The request holds a NUL character."))
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded",
                                                                  "multipart/form-data"):
            if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists()):
                return HttpResponseBadRequest(_("The request holds a NUL character."))
        return self.get_response(request)
