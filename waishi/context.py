"""Template context shared by every page: the home jurisdiction's name."""

from django.conf import settings


def site(request):
    from geo.models import Division

    home = Division.objects.filter(code=settings.WAISHI_HOME_CODE).first()
    return {"home_division": home}
