"""A trip filed and approved through the pages in a real browser (Debian's
chromium, Playwright): the clerk fills the form with its live rule checks,
submits, the unit's reviewer and the office approve. Screenshots go to
test-artifacts/trip-*.png."""

from datetime import date, timedelta

from waishi.testing import ARTIFACTS, needs_browser

pytestmark = needs_browser


def log_in(page, app_url, username):
    page.goto(f"{app_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Browser-pass-1")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def act(page, verb):
    page.click(f"#actions button:has-text('{verb}')")
    page.wait_for_load_state()


def test_a_trip_is_filed_and_approved_through_the_pages(browser, app_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    outside = []
    page.on("request", lambda r: not r.url.startswith(app_url) and outside.append(r.url))
    departs = date.today() + timedelta(days=90)

    log_in(page, app_url, "unitclerk")
    page.goto(f"{app_url}/trips/new/")
    page.fill("input[name=title]", "湖南师范大学赴英国学术交流团")
    page.select_option("select[name=purpose]", "academic")
    page.fill("textarea[name=tasks]", "出席国际学术会议并宣读论文")
    page.fill("input[name=departs_on]", departs.isoformat())
    page.fill("input[name=returns_on]", (departs + timedelta(days=4)).isoformat())
    page.fill("input[name=invitation_issuer]", "牛津大学")
    page.select_option("select[name=invitation_issuer_kind]", "university")
    page.select_option("select[name=members-0-person]", label="赵教授")
    page.click("button[data-add-form=members]")
    page.select_option("select[name=members-1-person]", label="钱老师")
    page.select_option("select[name=stops-0-country]", "GB")
    page.fill("input[name=stops-0-city]", "牛津")
    page.select_option("select[name=budget-0-item]", "travel")  # R19: a budget, every amount positive
    page.fill("input[name=budget-0-amount]", "36000")
    # The rule checks follow the form as it is filled (htmx), before anything is saved.
    page.wait_for_selector("#rule-results tr[data-rule=group_size].rule-ok")
    page.wait_for_selector("#rule-results tr[data-rule=countries_per_trip].rule-ok")
    # Not in the annual plan: the form asks for the written reason R9 requires.
    page.fill("textarea[name=reason_in_plan]", "外方临时邀请，在年度总量内")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trip-form.png"), full_page=True)
    page.click("form#trip-form button[type=submit]")
    page.wait_for_selector("#state")
    assert page.inner_text("#state") == "草稿"
    act(page, "提交")
    assert page.inner_text("#state") == "审核中"

    for reviewer in ("dean", "faostaff"):
        page.click("header form button[type=submit]")  # log out
        log_in(page, app_url, reviewer)
        page.goto(f"{app_url}/services/")
        page.click("#waiting a")
        page.wait_for_selector("#state")
        act(page, "同意")
    assert page.inner_text("#state") == "已批准"
    assert "湘外审〔" in page.inner_text("#where")
    page.screenshot(path=str(ARTIFACTS / "trip-approved.png"), full_page=True)
    response = page.request.get(app_url + page.get_attribute("#where a[href$='approval.pdf']", "href"))
    assert response.ok and response.body().startswith(b"%PDF")
    assert outside == []
    context.close()
