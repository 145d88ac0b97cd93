"""Documents generated from an approved trip: the approval document (任务批件) as a PDF, the
pre-trip publicity notice (行前公示) and the post-trip disclosure (事后公示).

They are official documents in Chinese and are produced in Chinese only, whatever the user's
language; no English version is needed. Passport numbers are never printed.

The PDF uses reportlab's built-in CID font STSong-Light (the font is not embedded; PDF viewers
supply a Song typeface), so no font file and nothing from the internet is needed.
"""

import io
import re
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import Sum
from django.utils import timezone

from geo.divisions import home_division
from geo.models import Country

from .models import Member, Purpose, TripKind

FONT = "STSong-Light"
LATIN = "Helvetica"

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
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


# --- the approval document -----------------------------------------------------------------------


def _register_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def approval_pdf(trip) -> bytes:
    """The approval document (出国（境）任务批件, or 赴港澳任务批件 for Hong Kong and Macao) of an
    approved trip, as PDF bytes. In Chinese only: it is an official document and no English version
    is needed. The delegation is listed without passport numbers.

    The approval number is drawn on every page as one string; the application number is also printed
    in Helvetica in the footer. The output is invariant (no creation time), so the same trip gives
    the same bytes."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_fonts()
    application = trip.application
    title = TITLES.get(trip.kind, TITLES[TripKind.ABROAD])
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    label = ParagraphStyle("label", parent=body, fontSize=10.5)
    heading = ParagraphStyle("heading", parent=body, fontSize=20, leading=28, alignment=TA_CENTER)
    section = ParagraphStyle("section", parent=body, fontSize=12, leading=20, spaceBefore=8, spaceAfter=4)
    note = ParagraphStyle("note", parent=body, fontSize=11, alignment=TA_CENTER, spaceBefore=10)

    def p(text, style=body):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    def grid(rows, widths, header=False):
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")))
        else:
            style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f4f4f4")))
        table.setStyle(TableStyle(style))
        return table

    destinations, transits = itinerary(trip)
    planned = f"计划内（{trip.planned.title}）" if trip.planned_id else "计划外"
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
    width = A4[0] - 40 * mm
    story = [
        p(title, heading),
        Spacer(1, 4 * mm),
        p(f"批件编号：{trip.approval_number}　　批准日期：{zh_date(trip.approved_on)}"),
        Spacer(1, 3 * mm),
        grid([[p(k, label), p(v)] for k, v in facts], [46 * mm, width - 46 * mm]),
        p("团组成员", section),
        grid([[p("序号"), p("姓名"), p("职务"), p("团内身份")]]
             + [[p(n), p(m.person.name_zh), p(m.post or m.person.post), p(ROLE_ZH.get(m.group_role, m.group_role))]
                for n, m in enumerate(members(trip), start=1)],
             [15 * mm, 40 * mm, width - 95 * mm, 40 * mm], header=True),
        p("审批经过", section),
    ]
    moves = list(application.moves.select_related("actor").order_by("at", "id"))
    if moves:
        story.append(grid(
            [[p("日期"), p("办理环节"), p("经办人")]]
            + [[p(zh_date(timezone.localtime(m.at).date() if timezone.is_aware(m.at) else m.at.date())),
                p(ACTION_ZH.get(m.action, m.action) + (f"（{STEP_ZH.get(m.step, m.step)}）" if m.step else "")),
                p(actor_name(m.actor))] for m in moves],
            [40 * mm, width - 90 * mm, 50 * mm], header=True,
        ))
    else:
        story.append(p("—"))
    story += [
        Spacer(1, 8 * mm),
        p(f"审批机关：{office_name()}"),
        p("本批件仅限本次任务使用", note),
    ]

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawRightString(A4[0] - 20 * mm, A4[1] - 12 * mm, f"批件编号：{trip.approval_number}")
        canvas.setFont(LATIN, 8)
        canvas.drawString(20 * mm, 10 * mm, f"{application.number}  {trip.approved_on or ''}")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm,
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

