"""Documents of a trip (trips/documents.py): the approval PDF, the pre-trip publicity and the
post-trip disclosure, and the length of the publicity period in working days."""

import base64
import re
import zlib
from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Person, Unit
from eservices.models import Application, Move
from trips import documents
from trips.models import BudgetItem, Member, Passport, Stop, Trip

pytestmark = pytest.mark.django_db

NUMBER = "湘外审〔2025〕0042号"


# --- reading the PDF back ---------------------------------------------------------------------
# No PDF library is installed, so the content streams are decoded here (ASCII85, Flate) and the
# strings the page shows (`(...) Tj`) unescaped. Text in STSong-Light is UTF-16BE, in Helvetica Latin-1.


def _streams(pdf):
    for chunk in pdf.split(b"endstream")[:-1]:
        head, _sep, data = chunk.rpartition(b"stream")
        header = head[head.rfind(b"obj"):]
        data = data.lstrip(b"\r\n")
        if b"ASCII85Decode" in header:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        if b"FlateDecode" in header:
            data = zlib.decompressobj().decompress(data)
        yield data


def _unescape(literal):
    out, i = bytearray(), 0
    simple = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
    while i < len(literal):
        c = literal[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        nxt = literal[i + 1]
        if 0x30 <= nxt <= 0x37:
            digits = re.match(rb"[0-7]{1,3}", literal[i + 1:i + 4]).group()
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        else:
            out += simple.get(nxt, bytes([nxt]))
            i += 2
    return bytes(out)


def shown(pdf):
    """Every string the pages show, as raw bytes."""
    found = []
    for data in _streams(pdf):
        for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
            found.append(_unescape(m.group(1)))
    return found


def shows(pdf, text):
    encodings = [text.encode("utf-16-be")]
    if text.isascii():
        encodings.append(text.encode("latin-1"))
    return any(e in s for s in shown(pdf) for e in encodings)


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
    assert shows(pdf, "CG-2025-00042")  # the footer, in Helvetica
    assert not shows(pdf, "湘外审〔2025〕0043号")  # the reading really can fail
    for text in ("出国（境）任务批件", "湖南师范大学", "周文华", "吴晓琳", "副校长", "团长", "翻译", "巴黎索邦大学",
                 "本批件仅限本次任务使用", "湖南省外事办公室", "王主任", "刘敏", "审核同意（外事办公室）",
                 "人民币48,500.50元", "2025年3月20日"):
        assert shows(pdf, text), text


def test_approval_pdf_prints_no_passport_number(trip):
    pdf = documents.approval_pdf(trip)
    decoded = b"".join(_streams(pdf))
    for number in ("E55501234", "EB7654321", "01234", "54321"):
        for encoded in (number.encode("latin-1"), number.encode("utf-16-be")):
            assert encoded not in pdf and encoded not in decoded, number


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
