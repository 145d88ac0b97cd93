"""Template context shared by every page: the home jurisdiction and the names derived from it.

The home (WAISHI_HOME_CODE) names the site and the map: Hunan's office runs "湖南智慧外事平台" and
"湖南HERE", Hangzhou's "杭州智慧外事平台" and "杭州HERE" (English: "Hunan HERE", "Hangzhou HERE").
"""

from django.conf import settings
from django.utils.translation import gettext as _


def home_names(home):
    """The names a home division gives the site and the map, in the active language."""
    short = home.display_short if home is not None else ""
    if not short:
        return {"home": "", "site": _("Smart Foreign Affairs"), "map": _("Map")}
    return {
        "home": short,
        "site": _("%(home)s Smart Foreign Affairs") % {"home": short},
        "map": _("%(home)s HERE") % {"home": short},
    }


def site(request):
    from geo.models import Division

    home = Division.objects.filter(code=settings.WAISHI_HOME_CODE).first()
    return {"home_division": home, "home_names": home_names(home)}
