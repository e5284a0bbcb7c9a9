from tests.web.test_browser import browser, page  # noqa
from tests.web.test_browser_case_flow import _open_case
def test_dbg(page):
    logs = []
    page.on("response", lambda r: logs.append(f"{r.status} {r.url} {r.headers.get('hx-redirect')}"))
    ref = _open_case(severity=2)
    page.goto(f"/cases/{ref}")
    page.get_by_role("button", name="Acknowledge now: draft the reply").click()
    page.wait_for_timeout(8000)
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_timeout(8000)
    print("\n".join(l for l in logs if "static" not in l))
    print(page.locator("#flash").inner_text(), page.url)
    print(page.locator("#messages").inner_text()[:800])
    assert 0
