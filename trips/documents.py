"""Documents generated from an approved trip: the approval document (任务批件) as a PDF, the
pre-trip publicity notice (行前公示) and the post-trip disclosure (事后公示).

They are official documents in Chinese and are produced in Chinese only, whatever the user's
language; no English version is needed. Passport numbers are never printed.

Documents are versioned (ApprovalVersion): each approval issues a version, and a change after
approval or a withdrawal voids the version in force. Only a version in force is served as a document;
a void one is listed with its date and reason and never served.

The PDF embeds WenQuanYi Micro Hei, which covers Chinese and Latin letters with diacritics (São,
Łukasz, İbrahim, Nguyễn). The font file comes from a pinned PyPI package (requirements.txt);
nothing is fetched at run time. Its provenance and licence: data/fonts/SOURCES.md.
"""

import io
import re
from datetime import date
from decimal import Decimal
from importlib import resources
from xml.sax.saxutils import escape

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from geo.divisions import home_division
from geo.models import Country

from .models import ApprovalVersion, Member, Purpose, TripKind

FONT = "WenQuanYiMicroHei"
FONT_PACKAGE, FONT_FILE = "paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"
# States in which a trip's approval stands (before approval, after a change or a withdrawal it does not).
APPROVED_STATES = ("approved", "reported", "archived")

TITLES = {TripKind.ABROAD: "出国（境）任务批件", TripKind.HK_MACAO: "赴港澳任务批件"}
KIND_ZH = {TripKind.ABROAD: "因公临时出国（境）", TripKind.HK_MACAO: "因公赴港澳"}
PURPOSE_ZH = {
    Purpose.TALKS: "公务访问、会谈", Purpose.BUSINESS: "经贸洽谈、招商引资", Purpose.ACADEMIC: "学术交流",
    Purpose.TRAINING: "培训", Purpose.CONFERENCE: "出席国际会议", Purpose.FRIENDSHIP: "友好城市交流",
    Purpose.OTHER: "其他",
}
ROLE_ZH = {Member.GroupRole.LEADER: "团长", Member.GroupRole.MEMBER: "团员", Member.GroupRole.INTERPRETER: "翻译"}
SAR_ZH = {"HK": "香港", "MO": "澳门"}
ACTION_ZH = {
    "submit": "提交申请", "approve": "审核同意", "return": "退回修改", "reject": "不予同意", "withdraw": "撤回申请",
    "change": "批准后申请变更", "submit_report": "提交出访报告", "archive": "归档",
}
STEP_ZH = {"unit": "本单位", "department": "主管部门", "fao": "外事办公室"}


# --- versions ------------------------------------------------------------------------------------


def versions(trip):
    """Every version of the trip's approval document, newest first. A trip approved before versions
    were kept has one, made from its own fields, while its approval stands."""
    found = list(trip.approvals.order_by("-version"))
    if not found and trip.approval_number and trip.approved_on:
        found = [ApprovalVersion(trip=trip, version=1, approval_number=trip.approval_number,
                                 approved_on=trip.approved_on, publicity_from=trip.publicity_from,
                                 publicity_to=trip.publicity_to)]
    return found


def current_version(trip):
    """The version in force, or None: the newest one, if it is not void and the approval stands."""
    found = versions(trip)
    if found and not found[0].is_void and trip.application.state in APPROVED_STATES:
        return found[0]
    return None


def last_void(trip):
    """The newest void version (to say why there is no document in force), or None."""
    return next((v for v in versions(trip) if v.is_void), None)


@transaction.atomic
def issue_version(trip):
    """Record the approval just given as a new version (after voiding any version still in force)."""
    # The trip's fields already hold this approval; a trip approved before versions were kept has
    # its earlier version recorded (void) by the change that reopened it.
    last = trip.approvals.order_by("-version").first()
    if last is not None and not last.is_void:
        last.voided_on, last.void_action = trip.approved_on, "approve"
        last.save(update_fields=["voided_on", "void_action"])
    return ApprovalVersion.objects.create(
        trip=trip, version=(last.version + 1) if last else 1, approval_number=trip.approval_number,
        approved_on=trip.approved_on, publicity_from=trip.publicity_from, publicity_to=trip.publicity_to,
    )


@transaction.atomic
def void_current(trip, *, action, reason="", user=None, on=None):
    """Void the version in force (a change after approval, a withdrawal): it is kept, marked void
    with the date, the move and the reason, and is no longer served."""
    found = versions(trip)
    if not found or found[0].is_void:
        return None
    version = found[0]
    version.voided_on = on or date.today()
    version.void_action, version.void_reason, version.voided_by = action, reason.strip(), user
    version.save()
    return version


# --- shared pieces -------------------------------------------------------------------------------


def zh_date(day):
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def money(amount):
    return f"人民币{amount:,.2f}元"


def budget_total(trip):
    return trip.budget.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def budget_source(trip):
    """There is no field for the source of funds: the notes of the budget items when given,
    otherwise the dispatching unit."""
    notes = []
    for note in trip.budget.values_list("note", flat=True):
        note = note.strip()
        if note and note not in notes:
            notes.append(note)
    return "；".join(notes) or f"派出单位（{trip.application.unit.name_zh}）经费"


def office_name():
    return f"{home_division().name_zh}外事办公室"


def _country_names(codes):
    names = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "name_zh"))
    names.update({code: SAR_ZH[code] for code in codes if code in SAR_ZH})
    return names


def itinerary(trip):
    """(destinations, transits): "法国（巴黎、里昂）、德国（柏林）" in the order of the stops, transit-only
    stops apart."""
    stops = list(trip.stops.all())
    names = _country_names({s.country_id for s in stops})

    def join(selected):
        cities = {}
        for stop in selected:
            places = cities.setdefault(stop.country_id, [])
            if stop.city.strip() and stop.city.strip() not in places:
                places.append(stop.city.strip())
        return "、".join(names.get(code, code) + (f"（{'、'.join(places)}）" if places else "")
                         for code, places in cities.items())

    return join([s for s in stops if not s.transit]), join([s for s in stops if s.transit])


def members(trip):
    return list(trip.members.select_related("person").order_by("id"))


def member_line(member):
    post = member.post or member.person.post
    return f"{member.person.name_zh}（{post}，{ROLE_ZH.get(member.group_role, member.group_role)}）"


def dates_line(trip):
    return (f"{zh_date(trip.departs_on)}出境，{zh_date(trip.returns_on)}入境，"
            f"在外{trip.days_abroad}天（含出入境当日）")


def purpose_line(trip):
    return f"{PURPOSE_ZH.get(trip.purpose, trip.purpose)}。{trip.tasks.strip()}"


def actor_name(user):
    return user.get_full_name() or user.get_username()


# --- the approval document -----------------------------------------------------------------------


def font_path():
    return resources.files(FONT_PACKAGE) / FONT_FILE


def _register_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        # Embedded as a subset: the PDF shows the same glyphs on any machine.
        pdfmetrics.registerFont(TTFont(FONT, str(font_path()), subfontIndex=0))


def approval_pdf(trip) -> bytes:
    """The approval document (出国（境）任务批件, or 赴港澳任务批件 for Hong Kong and Macao) of an
    approved trip, as PDF bytes. In Chinese only: it is an official document and no English version
    is needed. The delegation is listed without passport numbers.

    Laid out after GB/T 9704: A4, text block 156 mm wide from 37 mm below the top and 28 mm from the
    left; the issuing office in red, the number line (湘外审〔2026〕0001号) and a red rule below it; the
    title centred; the body in 3号 (16 pt); the issuing office and the date at the end, the date 4
    characters in from the right; page numbers "— 1 —" 7 mm below the text block, right on odd pages
    and left on even ones. Any length of text flows onto further pages. The output is invariant (no
    creation time), so the same trip gives the same bytes."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    application = trip.application
    title = TITLES.get(trip.kind, TITLES[TripKind.ABROAD])
    red = colors.HexColor("#d40000")
    size = 16  # 3号
    char = size  # one character's width, for indents
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=28, wordWrap="CJK",
                          firstLineIndent=2 * char)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    office_mark = ParagraphStyle("office", parent=plain, fontSize=30, leading=40, alignment=TA_CENTER,
                                 textColor=red)
    number_line = ParagraphStyle("number", parent=plain, alignment=TA_CENTER)
    heading = ParagraphStyle("heading", parent=plain, fontSize=22, leading=34, alignment=TA_CENTER)  # 2号
    signature = ParagraphStyle("signature", parent=plain, alignment=TA_RIGHT, rightIndent=4 * char)
    cell = ParagraphStyle("cell", parent=plain, fontSize=12, leading=17)  # tables in 小四

    def p(text, style=body):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    def grid(rows, widths):
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ]))
        return table

    left, right, top, bottom = 28 * mm, 26 * mm, 37 * mm, 35 * mm
    width = A4[0] - left - right
    destinations, transits = itinerary(trip)
    planned = f"计划内（{trip.planned.title}）" if trip.planned_id else "计划外"
    version = current_version(trip)
    facts = [
        ("派出单位", application.unit.name_zh),
        ("团组名称", application.title),
        ("任务类别", KIND_ZH.get(trip.kind, trip.kind)),
        ("申请编号", application.number),
        ("出访国家（地区）及城市", destinations + (f"；经停：{transits}" if transits else "")),
        ("出入境日期及天数", dates_line(trip)),
        ("出访目的及任务", purpose_line(trip)),
        ("邀请单位", trip.invitation_issuer or "—"),
        ("经费预算", money(budget_total(trip))),
        ("年度出访计划", planned),
    ]
    numerals = "一 二 三 四 五 六 七 八 九 十 十一 十二".split()
    story = [
        p(office_name(), office_mark),
        Spacer(1, 6 * mm),
        p(trip.approval_number, number_line),
        HRFlowable(width="100%", thickness=1.2, color=red, spaceBefore=4 * mm, spaceAfter=8 * mm),
        p(title, heading),
        Spacer(1, 6 * mm),
        p(f"{application.unit.name_zh}：", plain),
        p(f"你单位报送的{application.title}出访申请收悉。经审核，同意该团组按下列事项执行{KIND_ZH.get(trip.kind, '')}任务。"),
    ]
    if version is not None and version.version > 1:
        story.append(p(f"本批件为第{version.version}版，此前各版批件已作废。"))
    story += [p(f"{numerals[n]}、{k}：{v}") for n, (k, v) in enumerate(facts)]
    story += [
        p(f"{numerals[len(facts)]}、团组成员：", body),
        grid([[p("序号", cell), p("姓名", cell), p("职务", cell), p("团内身份", cell)]]
             + [[p(n, cell), p(m.person.name_zh, cell), p(m.post or m.person.post, cell),
                 p(ROLE_ZH.get(m.group_role, m.group_role), cell)]
                for n, m in enumerate(members(trip), start=1)],
             [14 * mm, 46 * mm, width - 90 * mm, 30 * mm]),
        Spacer(1, 4 * mm),
        p(f"{numerals[len(facts) + 1]}、审批经过：", body),
    ]
    moves = list(application.moves.select_related("actor").order_by("at", "id"))
    if moves:
        story.append(grid(
            [[p("日期", cell), p("办理环节", cell), p("经办人", cell)]]
            + [[p(zh_date(timezone.localtime(m.at).date() if timezone.is_aware(m.at) else m.at.date()), cell),
                p(ACTION_ZH.get(m.action, m.action) + (f"（{STEP_ZH.get(m.step, m.step)}）" if m.step else ""), cell),
                p(actor_name(m.actor), cell)] for m in moves],
            [40 * mm, width - 85 * mm, 45 * mm],
        ))
    else:
        story.append(p("—", plain))
    story += [
        Spacer(1, 4 * mm),
        p("本批件仅限本次任务使用。"),
        Spacer(1, 14 * mm),
        p(office_name(), signature),
        p(zh_date(trip.approved_on), signature),
    ]

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 14)  # 4号
        number = f"— {doc.page} —"
        y = bottom - 7 * mm - 14
        if doc.page % 2:
            canvas.drawRightString(A4[0] - right - char, y, number)
        else:
            canvas.drawString(left + char, y, number)
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=title, author=office_name(), subject=trip.approval_number, invariant=1,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


# --- publicity and disclosure --------------------------------------------------------------------


def publicity_period_ok(trip) -> bool:
    """The publicity period lasts at least WAISHI_PUBLICITY_WORKING_DAYS working days (counted after
    its first day up to and including its last, by the Chinese calendar)."""
    from eservices.calendar import working_days_between

    from .workflow import publicity_working_days

    if not trip.publicity_from or not trip.publicity_to:
        return False
    return working_days_between(trip.publicity_from, trip.publicity_to) >= publicity_working_days()


def publicity_text(trip) -> str:
    """The pre-trip publicity notice (行前公示), in Chinese."""
    from eservices.calendar import working_days_between

    application = trip.application
    unit = application.unit.name_zh
    destinations, transits = itinerary(trip)
    region = "赴港澳" if trip.kind == TripKind.HK_MACAO else "因公临时出国（境）"
    lines = [
        f"关于{application.title}的行前公示",
        "",
        f"根据{region}管理有关规定，现将本单位以下出访任务予以公示：",
        "",
        f"一、派出单位：{unit}",
        f"二、团组名称：{application.title}",
        "三、团组成员：" + "、".join(member_line(m) for m in members(trip)),
        f"四、出访国家（地区）：{destinations}" + (f"；经停：{transits}" if transits else ""),
        f"五、出访日期：{dates_line(trip)}",
        f"六、出访目的及任务：{purpose_line(trip)}",
        f"七、邀请单位：{trip.invitation_issuer or '—'}",
        f"八、经费预算：共计{money(budget_total(trip))}；经费来源：{budget_source(trip)}",
    ]
    if trip.approval_number:
        lines.append(f"九、批件编号：{trip.approval_number}")
    lines.append("")
    if trip.publicity_from and trip.publicity_to:
        days = working_days_between(trip.publicity_from, trip.publicity_to)
        lines.append(f"公示期：{zh_date(trip.publicity_from)}至{zh_date(trip.publicity_to)}（{days}个工作日）。")
    else:
        lines.append("公示期：批准后确定。")
    lines += [
        f"公示期间，如有意见或建议，请以书面或当面方式向{unit}反映。",
        "",
        unit,
        zh_date(trip.publicity_from or date.today()),
    ]
    return "\n".join(lines)


def first_paragraph(text):
    """The first non-empty paragraph (paragraphs end at a line break)."""
    for part in re.split(r"\n", text or ""):
        if part.strip():
            return part.strip()
    return ""


def disclosure_text(trip) -> str:
    """The post-trip disclosure (事后公示), in Chinese: the trip as carried out, from the report."""
    application = trip.application
    unit = application.unit.name_zh
    destinations, _transits = itinerary(trip)
    lines = [
        f"关于{application.title}出访情况的公示",
        "",
        f"一、派出单位：{unit}",
        f"二、批件编号：{trip.approval_number or '—'}",
        "三、团组成员：" + "、".join(member_line(m) for m in members(trip)),
        f"四、出访国家（地区）：{destinations}",
        f"五、实际出访日期：{dates_line(trip)}",
        f"六、出访任务完成情况：{first_paragraph(trip.report) or '—'}",
    ]
    if trip.disclosure.strip():
        lines.append(f"七、其他需说明的情况：{trip.disclosure.strip()}")
    lines += [
        "",
        f"如有意见，请向{unit}反映。",
        "",
        unit,
        zh_date(trip.disclosed_on or trip.report_submitted_on or date.today()),
    ]
    return "\n".join(lines)

