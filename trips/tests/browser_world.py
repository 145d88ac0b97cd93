"""People and units for the browser test of the trip service, created in the
served app's own database (run with manage.py shell)."""

from datetime import date


def build():
    from accounts.models import Person, Unit, User
    from trips.models import Passport

    unit = Unit.objects.create(name_zh="湖南师范大学", kind="university", jurisdiction_id="430000",
                               review_chain="unit,fao")
    User.objects.create_user("unitclerk", password="Browser-pass-1", role="clerk", jurisdiction_id="430000",
                             unit=unit, first_name="王专办")
    User.objects.create_user("dean", password="Browser-pass-1", role="unit_reviewer", jurisdiction_id="430000",
                             unit=unit, first_name="院长")
    User.objects.create_user("faostaff", password="Browser-pass-1", role="staff", jurisdiction_id="430000",
                             first_name="外办审核")
    for name, post, rank in (("赵教授", "教授", "division"), ("钱老师", "讲师", "other")):
        person = Person.objects.create(unit=unit, name_zh=name, gender="M", post=post, rank=rank,
                                       teaching_research=True)
        Passport.objects.create(person=person, number=f"E1234{person.pk:04d}", expires_on=date(2032, 1, 1))
