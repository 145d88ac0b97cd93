"""Documents of a trip (trips/documents.py): the approval PDF, the pre-trip publicity and the
post-trip disclosure, and the length of the publicity period in working days."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import Person, Unit
from eservices.models import Application, Move
from trips import documents
from trips.models import BudgetItem, Member, Passport, Stop, Trip

pytestmark = pytest.mark.django_db

NUMBER = "湘外审〔2025〕0042号"


# --- reading the PDF back ---------------------------------------------------------------------


def pdf_text(pdf):
    """The text of every page, as a PDF reader extracts it (the font's own Unicode map)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_pages(pdf):
    return len(PdfReader(io.BytesIO(pdf)).pages)


def shows(pdf, text):
    return text in pdf_text(pdf).replace("\n", "")


# --- a trip ------------------------------------------------------------------------------------


@pytest.fixture
def trip(make_user):
    unit = Unit.objects.create(name_zh="湖南师范大学", kind="university", jurisdiction_id="430000")
    people = [
        Person.objects.create(unit=unit, name_zh="周文华", gender="M", post="副校长", rank="bureau"),
        Person.objects.create(unit=unit, name_zh="吴晓琳", gender="F", post="外事处科员", rank="other"),
    ]
    passports = [Passport.objects.create(person=p, number=n, expires_on=date(2030, 1, 1))
                 for p, n in zip(people, ["E55501234", "EB7654321"], strict=True)]
    application = Application.objects.create(service="trip", number="CG-2025-00042", title="湖南师范大学赴法德学术交流团",
                                             unit=unit, owner_id="430000", state="approved")
    t = Trip.objects.create(
        application=application, kind="abroad", purpose="academic", tasks="出席中欧教育论坛并访问合作院校",
        invitation_issuer="巴黎索邦大学", departs_on=date(2025, 5, 12), returns_on=date(2025, 5, 18),
        approval_number=NUMBER, approved_on=date(2025, 3, 20),
        publicity_from=date(2025, 3, 20), publicity_to=date(2025, 3, 27),
        report="圆满完成论坛发言，签署两项合作备忘录。\n第二段：具体日程安排。",
    )
    for person, passport, role in zip(people, passports, ["leader", "interpreter"], strict=True):
        Member.objects.create(trip=t, person=person, post=person.post, passport=passport, group_role=role)
    Stop.objects.create(trip=t, order=1, country_id="FR", city="巴黎")
    Stop.objects.create(trip=t, order=2, country_id="DE", city="柏林")
    Stop.objects.create(trip=t, order=3, country_id="AE", city="迪拜", transit=True)
    BudgetItem.objects.create(trip=t, item="travel", amount=Decimal("36000"))
    BudgetItem.objects.create(trip=t, item="lodging", amount=Decimal("12500.50"))
    clerk = make_user("clerk", "clerk", unit=unit, last_name="刘", first_name="敏")
    office = make_user("office", "staff", last_name="王", first_name="主任")
    Move.objects.create(application=application, action="submit", from_state="draft", to_state="review", actor=clerk)
    Move.objects.create(application=application, action="approve", from_state="review", to_state="approved",
                        step="fao", actor=office)
    return t


# --- the approval document ---------------------------------------------------------------------


def test_approval_pdf_shows_the_number_and_the_document(trip):
    pdf = documents.approval_pdf(trip)
    assert pdf.startswith(b"%PDF")
    assert shows(pdf, NUMBER)
    assert shows(pdf, "CG-2025-00042")
    assert not shows(pdf, "湘外审〔2025〕0043号")  # the reading really can fail
    for text in ("出国（境）任务批件", "湖南师范大学", "周文华", "吴晓琳", "副校长", "团长", "翻译", "巴黎索邦大学",
                 "本批件仅限本次任务使用", "湖南省外事办公室", "王主任", "刘敏", "审核同意（外事办公室）",
                 "人民币48,500.50元", "2025年3月20日"):
        assert shows(pdf, text), text


def test_approval_pdf_prints_no_passport_number(trip):
    pdf = documents.approval_pdf(trip)
    text = pdf_text(pdf)
    for number in ("E55501234", "EB7654321", "01234", "54321"):
        assert number not in text and number.encode() not in pdf, number


def test_approval_pdf_for_hong_kong_and_macao(trip):
    trip.kind = "hk_macao"
    trip.save()
    pdf = documents.approval_pdf(trip)
    assert shows(pdf, "赴港澳任务批件") and not shows(pdf, "出国（境）任务批件")


def test_approval_pdf_is_the_same_for_the_same_trip(trip):
    assert documents.approval_pdf(trip) == documents.approval_pdf(trip)


# --- publicity and disclosure ------------------------------------------------------------------


def test_publicity_text(trip):
    text = documents.publicity_text(trip)
    for name in ("周文华", "吴晓琳"):
        assert name in text
    assert "法国（巴黎）、德国（柏林）" in text and "经停：阿联酋（迪拜）" in text
    assert "2025年5月12日出境" in text and "2025年5月18日入境" in text and "在外7天" in text
    assert "出席中欧教育论坛并访问合作院校" in text and "巴黎索邦大学" in text
    assert "人民币48,500.50元" in text
    assert "2025年3月20日至2025年3月27日（5个工作日）" in text
    assert "向湖南师范大学反映" in text
    assert "E55501234" not in text


def test_disclosure_text(trip):
    text = documents.disclosure_text(trip)
    assert "圆满完成论坛发言，签署两项合作备忘录。" in text and "第二段" not in text
    assert "周文华" in text and "吴晓琳" in text and NUMBER in text
    assert "2025年5月12日出境" in text


@pytest.mark.parametrize(("publicity_to", "ok"), [
    (date(2025, 3, 13), False),  # Friday 7 March to Thursday 13 March: 4 working days
    (date(2025, 3, 14), True),  # to Friday 14 March: 5, the weekend of 8-9 March not counted
])
def test_publicity_period_in_working_days(trip, settings, publicity_to, ok):
    settings.WAISHI_PUBLICITY_WORKING_DAYS = 5
    trip.publicity_from = date(2025, 3, 7)
    trip.publicity_to = publicity_to
    assert documents.publicity_period_ok(trip) is ok


def test_publicity_period_missing_is_not_ok(trip):
    trip.publicity_from = trip.publicity_to = None
    assert documents.publicity_period_ok(trip) is False


NAMES = ("São Paulo", "Ñúñez", "Łukasz", "İbrahim", "Nguyễn", "Universität")


def test_approval_pdf_flows_sixty_lines_of_tasks_with_foreign_names_onto_further_pages(trip):
    trip.tasks = "\n".join(f"第{n}项：在São Paulo会见Ñúñez、Łukasz、İbrahim、Nguyễn，访问Universität。"
                           for n in range(1, 61))
    trip.invitation_issuer = "Universität Wien · Łukasz Ñúñez"
    trip.save()
    pdf = documents.approval_pdf(trip)
    text = pdf_text(pdf)
    assert pdf_pages(pdf) > 1
    for name in NAMES:
        assert name in text, name
    assert "第60项" in text and "�" not in text


def test_approval_pdf_embeds_its_font(trip):
    pdf = documents.approval_pdf(trip)
    assert b"/FontFile2" in pdf  # a TrueType font carried inside the file, not left to the viewer
    assert b"STSong" not in pdf
    from reportlab.pdfbase.pdfmetrics import getFont

    covered = getFont(documents.FONT).face.charToGlyph
    assert [c for c in "".join(NAMES) + "Łódź湘外审〔〕号已作废" if ord(c) not in covered] == []


def test_approval_pdf_has_the_number_line_and_the_issuing_office_at_the_end(trip):
    text = pdf_text(documents.approval_pdf(trip))
    assert "— 1 —" in text  # the page number, 一字线 on each side
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("—")]
    assert lines[0] == "湖南省外事办公室" and lines[1] == NUMBER and lines[2] == "出国（境）任务批件"
    assert lines[-2:] == ["湖南省外事办公室", "2025年3月20日"]
