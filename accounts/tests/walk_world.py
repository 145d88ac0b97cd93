"""The world the URL walk (test_url_walk.py) runs in: two jurisdictions, A = 长沙市 (430100) and
B = 株洲市 (430200), each with a partnership, an exchange, a project, an agreement document, an internal
map layer with an item, units, a person with an ID number and a passport, an approved trip with its
passport out on loan (overdue), a trip waiting at the office (overdue), a notification and an import job;
users of every role; and the means to read any answer (page, JSON, xlsx, PDF) as text.

Every record of a side carries that side's markers (MARKERS): a user who must not reach a side must
never find one of its markers in any answer."""

import io
import json
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.files.base import ContentFile

from accounts.models import Person, Role, Unit, User
from atlas.models import Layer, LayerItem
from eservices.models import Application, Notification
from eservices.services import new_application
from trips.models import Member, Passport, PassportLoan, Stop, Trip
from twinning.models import AgreementDocument, Exchange, ImportJob, Partnership, Project
from twinning.services import advance_project

# Per side: the jurisdiction, the reference partnership it owns (data/twinning/hunan_2018_appendix2.csv),
# the tag in the names of its records, and personal data that is its own.
SIDES = {
    "A": {"code": "430100", "foreign": "鹿儿岛市", "country": "JP", "tag": "甲方标记", "id_number": "43010019800101771X",
          "passport": "EAA112233", "phone": "13900001111", "lat": 28.2, "lon": 112.9},
    "B": {"code": "430200", "foreign": "纳沃伊市", "country": "UZ", "tag": "乙方标记", "id_number": "43020019900101881X",
          "passport": "EZZ998877", "phone": "13900002222", "lat": 27.8, "lon": 113.1},
}

# What must never reach a user who may not see the side. The foreign side's name counts: the partnerships
# are made unpublished here, so not even the map may show them outside their jurisdiction.
MARKERS = {side: (s["tag"], s["id_number"], s["passport"], s["phone"], s["foreign"]) for side, s in SIDES.items()}
PERSONAL = {side: (s["id_number"], s["passport"], s["phone"]) for side, s in SIDES.items()}

# The department both layers are kept by: a liaison of that department in A must still not reach B's layer.
DEPARTMENT = "商务局"

PDF_BODY = "%PDF-1.4\n% {tag}协议正文\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _user(username, role, code, **extra):
    user = User(username=username, role=role, jurisdiction_id=code, **extra)
    user.set_unusable_password()  # the walk logs in with force_login; no hashing
    user.save()
    return user


def _trip(side, unit, clerk, person, passport, *, title, state, departs_on, step="", due_on=None, approved=False):
    application = new_application(service="trip", unit=unit, title=title, user=clerk)
    application.state, application.step, application.due_on = state, step, due_on
    application.save(update_fields=["state", "step", "due_on"])
    trip = Trip.objects.create(
        application=application, kind="abroad", purpose="friendship", tasks=f"{side['tag']}：友城交流",
        departs_on=departs_on, returns_on=departs_on + timedelta(days=5),
        invitation_issuer=f"{side['foreign']}政府", invitation_issuer_kind="government",
    )
    if approved:
        trip.approval_number = f"{settings.WAISHI_APPROVAL_PREFIX}〔{departs_on.year}〕{9001 + int(unit.pk)}号"
        trip.approved_on = departs_on - timedelta(days=20)
        trip.publicity_from, trip.publicity_to = trip.approved_on, trip.approved_on + timedelta(days=7)
        trip.report_due_on = trip.returns_on + timedelta(days=30)
        trip.save()
    Member.objects.create(trip=trip, person=person, post=person.post, rank=person.rank, passport=passport,
                          group_role="leader")
    Stop.objects.create(trip=trip, order=1, country_id=side["country"], city=side["foreign"])
    trip.budget.create(item="travel", amount=30000)
    return trip


def build_side(name, today):
    side = SIDES[name]
    tag, code = side["tag"], side["code"]
    lower = name.lower()
    o = SimpleNamespace(name=name, code=code)

    o.partnership = Partnership.objects.select_related("foreign").get(foreign__name_zh=side["foreign"], owner_id=code)
    o.partnership.published = False
    o.partnership.notes = f"{tag}：友城备注"
    o.partnership.save()

    o.unit = Unit.objects.create(name_zh=f"{tag}外国语学院", kind="university", jurisdiction_id=code,
                                 review_chain="unit,fao")
    o.pending_unit = Unit.objects.create(name_zh=f"{tag}待审公司", kind="company", jurisdiction_id=code,
                                         active=False)
    o.staff = _user(f"walk_staff_{lower}", Role.STAFF, code)
    o.clerk = _user(f"walk_clerk_{lower}", Role.CLERK, code, unit=o.unit)
    o.reviewer = _user(f"walk_reviewer_{lower}", Role.UNIT_REVIEWER, code, unit=o.unit)
    o.pending_user = _user(f"walk_pending_{lower}", Role.CLERK, code, unit=o.pending_unit, is_active=False)

    o.exchange = Exchange.objects.create(owner_id=code, kind="visit_in", title=f"{tag}来访交流",
                                         occurred_on=date(2024, 5, 1), description=f"{tag}：交流说明",
                                         created_by=o.staff)
    o.exchange.partnerships.add(o.partnership)
    o.project = Project.objects.create(owner_id=code, title=f"{tag}合作项目", sector="教育",
                                       description=f"{tag}：项目说明", proposed_on=date(2024, 6, 1), created_by=o.staff)
    o.project.partnerships.add(o.partnership)
    advance_project(o.project, user=o.staff, stage=Project.Stage.PROPOSED, on=date(2024, 6, 1), note=f"{tag}：立项")

    o.document = AgreementDocument(partnership=o.partnership, title=f"{tag}友好城市协议书", doc_kind="agreement",
                                   signed_on=date(2020, 1, 1), original_name=f"{tag}协议.pdf",
                                   content_type="application/pdf", uploaded_by=o.staff)
    o.document.file.save("agreement.pdf", ContentFile(PDF_BODY.format(tag=tag).encode()), save=True)

    o.layer = Layer.objects.create(code=f"walk-{lower}", name_zh=f"{tag}内部图层", name_en=f"walk {lower}", owner_id=code,
                                   department=DEPARTMENT, visibility="internal", map="home", color="#123456",
                                   description_zh=f"{tag}：图层说明")
    o.item = LayerItem.objects.create(layer=o.layer, name_zh=f"{tag}联络点", lat=side["lat"], lon=side["lon"],
                                      country_id="CN", division_id=code, description_zh=f"{tag}：地点说明")

    o.person = Person.objects.create(unit=o.unit, name_zh=f"{tag}张三", gender="M", post="外事处处长", rank="division",
                                     id_number=side["id_number"], phone=side["phone"], born_on=date(1980, 1, 1))
    o.passport = Passport.objects.create(person=o.person, number=side["passport"], expires_on=today + timedelta(days=3000))

    # Approved, back 40 days ago, the passport 33 days overdue (the unit is locked), the report overdue.
    departs = today - timedelta(days=45)
    o.trip = _trip(side, o.unit, o.clerk, o.person, o.passport, title=f"{tag}赴{side['foreign']}友城交流团",
                   state="approved", departs_on=departs, approved=True)
    o.application = o.trip.application
    o.loan = PassportLoan.objects.create(passport=o.passport, trip=o.trip, lent_on=departs - timedelta(days=2),
                                         due_on=o.trip.returns_on + timedelta(days=7), recorded_by=o.clerk)
    # Waiting at the office, overdue: shows in the office's inbox and in the overdue lists.
    o.waiting = _trip(side, o.unit, o.clerk, o.person, None, title=f"{tag}待审出访团", state="review", step="fao",
                      departs_on=today + timedelta(days=60), due_on=today - timedelta(days=3))
    o.notification = Notification.objects.create(user=o.clerk, application=o.application,
                                                  message=f"{tag}：护照已逾期未还")
    o.import_job = ImportJob.objects.create(what="partnerships", state=ImportJob.State.READY, file="imports/walk.xlsx",
                                            original_name=f"{tag}导入.xlsx", total=1, processed=1, created_by=o.staff,
                                            preview=[{"foreign": f"{tag}预览城市"}])
    return o


def build(today=None):
    today = today or date.today()
    a, b = build_side("A", today), build_side("B", today)
    users = {
        "anonymous": None,
        "province_staff": _user("walk_province", Role.STAFF, "430000"),
        "staff_a": a.staff,
        "staff_b": b.staff,
        "viewer_a": _user("walk_viewer_a", Role.VIEWER, "430100"),
        "liaison_a": _user("walk_liaison_a", Role.LIAISON, "430100", department=DEPARTMENT),
        "clerk_a": a.clerk,
        "reviewer_a": a.reviewer,
        # The three administrators as ensure_admin makes them: acting for the home province.
        "admin": _user("walk_admin", Role.ADMIN, "430000", is_superuser=True, is_staff=True),
        "security_admin": _user("walk_secadmin", Role.SECURITY_ADMIN, "430000"),
        "audit_admin": _user("walk_auditadmin", Role.AUDIT_ADMIN, "430000"),
    }
    return SimpleNamespace(A=a, B=b, users=users, today=today)


def snapshot(world):
    """Everything the refused POSTs might change, to compare before and after."""
    rows = {}
    for side in (world.A, world.B):
        n = side.name
        p = Partnership.objects.get(pk=side.partnership.pk)
        rows[f"{n}.partnership"] = (p.status, p.notes, p.updated_at, p.documents.count(), p.exchanges.count(),
                                    p.projects.count())
        pr = Project.objects.get(pk=side.project.pk)
        rows[f"{n}.project"] = (pr.stage, pr.updates.count(), pr.updated_at)
        rows[f"{n}.layer"] = tuple(Layer.objects.filter(pk=side.layer.pk).values_list("name_zh", "visibility",
                                                                                       "updated_at"))
        rows[f"{n}.items"] = tuple(LayerItem.objects.filter(layer=side.layer).values_list("pk", "name_zh", "updated_at"))
        rows[f"{n}.unit"] = tuple(Unit.objects.filter(jurisdiction_id=side.code).values_list("pk", "active"))
        rows[f"{n}.users"] = tuple(User.objects.filter(jurisdiction_id=side.code).order_by("pk").values_list(
            "pk", "is_active", "role", "password", "must_change_password"))
        rows[f"{n}.applications"] = tuple(Application.objects.filter(owner_id=side.code).order_by("pk").values_list(
            "pk", "state", "version", "step"))
        rows[f"{n}.trip"] = tuple(Trip.objects.filter(pk=side.trip.pk).values_list("report", "disclosure",
                                                                                    "departs_on"))
        rows[f"{n}.loans"] = tuple(PassportLoan.objects.filter(trip__application__owner_id=side.code).values_list(
            "pk", "returned_on"))
        rows[f"{n}.person"] = tuple(Person.objects.filter(unit__jurisdiction_id=side.code).values_list(
            "pk", "name_zh", "id_number", "phone"))
        rows[f"{n}.passports"] = tuple(Passport.objects.filter(person__unit__jurisdiction_id=side.code).values_list(
            "pk", "number"))
        rows[f"{n}.notification"] = tuple(Notification.objects.filter(pk=side.notification.pk).values_list("read_at"))
        rows[f"{n}.import"] = tuple(ImportJob.objects.filter(pk=side.import_job.pk).values_list("state", "created"))
        rows[f"{n}.owned"] = (Partnership.objects.filter(owner_id=side.code).count(),
                              Exchange.objects.filter(owner_id=side.code).count(),
                              Project.objects.filter(owner_id=side.code).count(),
                              Layer.objects.filter(owner_id=side.code).count())
    return rows


# --- reading an answer as text -------------------------------------------------------------------


def _pdf_strings(pdf):
    """The text a PDF's pages show as a reader extracts it (fonts are embedded subsets, so the
    content streams hold glyph numbers, not characters), lines also joined, and its metadata."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        text = "\n".join(page.extract_text() for page in reader.pages)
    except (PdfReadError, ValueError):  # an uploaded file that only looks like a PDF: searched raw
        return pdf.decode("utf-8", "replace")
    return "\n".join([text, text.replace("\n", ""), *(str(v) for v in (reader.metadata or {}).values())])


def body_bytes(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def body_text(response, raw=None):
    """All the text an answer carries, whatever its type, for the marker search."""
    raw = body_bytes(response) if raw is None else raw
    content_type = response.get("Content-Type", "")
    parts = [raw.decode("utf-8", "replace")]
    if raw[:4] == b"PK\x03\x04":  # xlsx (and any other zip): every part's text
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    if raw[:5] == b"%PDF-":
        parts.append(_pdf_strings(raw))
    if "json" in content_type:
        try:  # \uXXXX escapes (JsonResponse's default) back to characters
            parts.append(json.dumps(json.loads(raw), ensure_ascii=False))
        except ValueError:
            pass
    return "\n".join(parts)


def markers_in(text, side):
    return [m for m in MARKERS[side] if m in text]
