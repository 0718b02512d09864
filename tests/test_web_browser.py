"""A working day in a real browser: Debian's Chromium driven by Playwright against
the app served by uvicorn on a demo database.

The unit's clerk imports the seed file, fixes the checker's one error, submits; the
主管部门 reviewer returns it with a comment on one indicator; the clerk sees the
comment on that row, fixes it, resubmits; the reviewer passes it; finance approves
it and downloads the 批复表 PDF, which carries the approval number. Every page
visited is written to out/screenshots/. Two sessions editing the same sheet: the
second save is refused with the other change shown, and what was typed stays.
"""
from __future__ import annotations

import io
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "out" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    import uvicorn

    from jixiao.services.demo import load_demo
    from jixiao.settings import Settings
    from jixiao.storage import make_engine, session_factory, upgrade
    from jixiao.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'jixiao.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        load_demo(s, production=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(database_url=url), engine=engine), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Day:
    """One person's browser tab, taking a numbered screenshot of every page it shows."""

    counter = 0

    def __init__(self, browser, base: str, who: str):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.base = base
        self.who = who
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def shot(self, name: str, *, for_docs: bool = False) -> None:
        Day.counter += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{Day.counter:02d}-{self.who}-{name}.png"), full_page=True)
        if for_docs:   # the first screen only, small enough for docs/img and the README
            self.page.screenshot(path=str(SHOTS / f"web-{name}.png"))

    def login(self, username: str, password: str) -> None:
        self.page.goto(f"{self.base}/login")
        self.shot("login")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(password)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{self.base}/")
        self.shot("inbox")

    def logout(self) -> None:
        self.page.get_by_role("button", name="退出").click()
        self.page.wait_for_url(re.compile(r".*/login$"))

    def wait_checked(self, text: str) -> None:
        self.page.wait_for_function(
            "t => document.querySelector('#findings') && document.querySelector('#findings').innerText.includes(t)",
            arg=text, timeout=15000)


def test_a_working_day_from_import_to_the_approved_pdf(server, browser):
    clerk = Day(browser, server, "danwei")
    clerk.login("danwei", "danwei-demo-2024")
    page = clerk.page
    page.get_by_role("link", name="新建或导入绩效目标表").click()
    clerk.shot("new")
    page.set_input_files("input[type=file]", str(ROOT / "examples" / "seed_2024_town_approval.txt"))
    page.get_by_role("button", name="导入并预览").click()
    page.wait_for_selector("text=导入预览")
    clerk.shot("preview")
    page.get_by_role("button", name="确认, 保存为草稿").click()
    page.wait_for_url(re.compile(r".*/sheets/\d+$"))
    sheet_url = page.url
    assert "错误 1" in page.inner_text("#findings")
    clerk.shot("sheet-with-error")

    # Fix the one error: the 60 元 subsidy is money spent, a cost, not an output.
    page.get_by_role("link", name="编辑").click()
    page.wait_for_selector("#editor")
    page.fill("#f0-0-level1", "成本指标")
    page.fill("#f0-0-level2", "经济成本指标")
    page.locator("#f0-0-name").focus()
    clerk.wait_checked("错误 0")
    assert "读作" in page.inner_text("#parsed-f0-0")
    clerk.shot("editor-fixed", for_docs=True)
    page.get_by_role("button", name=re.compile("保存")).click()
    page.wait_for_url(sheet_url + "?done=save")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=已提交")
    clerk.shot("submitted")
    clerk.logout()

    reviewer = Day(browser, server, "zhuguan")
    reviewer.login("zhuguan", "zhuguan-demo-2024")
    reviewer.page.goto(sheet_url)
    reviewer.shot("review", for_docs=True)
    reviewer.page.get_by_label("总的意见").fill("请补充指标值的测算依据")
    row = reviewer.page.locator("#row-functions-1-indicators-0")
    name = row.locator("td").nth(3).inner_text().strip()
    row.get_by_label(re.compile("意见")).fill("目标值没有依据, 请说明")
    reviewer.page.get_by_role("button", name="退回", exact=True).click()
    reviewer.page.wait_for_selector("text=已退回")
    reviewer.shot("returned")

    clerk.login("danwei", "danwei-demo-2024")
    page.goto(sheet_url)
    commented = page.locator("#row-functions-1-indicators-0")
    assert "目标值没有依据, 请说明" in commented.inner_text()
    assert "has-comment" in (commented.get_attribute("class") or "")
    clerk.shot("sees-comment")
    page.get_by_role("link", name="编辑").click()
    page.wait_for_selector("#editor")
    assert "目标值没有依据" in page.inner_text("#row-functions-1-indicators-0")
    page.fill("#f1-0-target", "≥95%")
    clerk.wait_checked("错误 0")
    page.get_by_role("button", name=re.compile("保存")).click()
    page.wait_for_url(sheet_url + "?done=save")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=已提交")
    clerk.shot("resubmitted")

    reviewer.page.goto(sheet_url)
    reviewer.page.get_by_role("button", name="审核通过").click()
    reviewer.page.wait_for_selector("text=已审核通过")
    reviewer.shot("passed")

    finance = Day(browser, server, "caizheng")
    finance.login("caizheng", "caizheng-demo-2024")
    assert sheet_url.rsplit("/", 1)[-1] in finance.page.content()          # in finance's inbox
    finance.page.goto(sheet_url)
    finance.page.get_by_role("button", name="批复").click()
    finance.page.wait_for_selector("text=已批复")
    number = re.search(r"批复文号\s*(\S+号)", finance.page.inner_text("main"))[1]
    finance.shot("approved", for_docs=True)
    with finance.page.expect_download() as download:
        finance.page.get_by_role("link", name="PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert number in text.replace(" ", "") and "批复表" in text.replace(" ", "")
    assert name
    for day in (clerk, reviewer, finance):
        assert day.errors == [], day.errors
        day.context.close()


def test_two_sessions_editing_the_same_sheet_lose_nothing(server, browser):
    a, b = Day(browser, server, "danwei-a"), Day(browser, server, "danwei-b")
    a.login("danwei", "danwei-demo-2024")
    b.login("danwei", "danwei-demo-2024")
    a.page.get_by_role("link", name="全部表").click()
    # The demo's own draft (the day above took the imported copy all the way to 批复).
    a.page.locator("tr", has_text="草稿").get_by_role("link").first.click()
    url = a.page.url.split("?")[0]
    a.page.goto(url + "/edit")
    b.page.goto(url + "/edit")
    a.page.fill("#goals", "甲写的年度目标")
    a.page.get_by_role("button", name=re.compile("保存")).click()
    a.page.wait_for_url(url + "?done=save")
    b.page.fill("#f0-0-target", "=70元")
    b.page.get_by_role("button", name=re.compile("保存")).click()
    b.page.wait_for_selector("#conflict")
    b.shot("conflict")
    assert "甲写的年度目标" in b.page.inner_text("#conflict")
    assert b.page.input_value("#f0-0-target") == "=70元"            # nothing typed is lost
    assert b.page.input_value("#goals") == "甲写的年度目标"          # the other change merged in
    b.page.get_by_role("button", name=re.compile("保存")).click()    # saves on top of the newer version
    b.page.wait_for_url(url + "?done=save")
    b.page.goto(url + "/edit")
    assert b.page.input_value("#goals") == "甲写的年度目标" and b.page.input_value("#f0-0-target") == "=70元"
    for day in (a, b):
        day.context.close()


def test_after_publication_the_public_finds_reads_and_downloads_and_an_adjustment_stays_hidden(server, browser):
    finance = Day(browser, server, "caizheng-2")
    finance.login("caizheng", "caizheng-demo-2024")
    # The sheet the working day approved: publish it.
    finance.page.goto(f"{server}/sheets?status=approved")
    finance.page.locator("tr", has_text="已批复").get_by_role("link").first.click()
    sheet_url = finance.page.url.split("?")[0]
    sheet_id = sheet_url.rsplit("/", 1)[-1]
    finance.page.get_by_role("button", name="公开").click()
    finance.page.wait_for_selector("text=已公开")
    finance.shot("published")

    visitor = Day(browser, server, "public")
    visitor.page.goto(f"{server}/public")
    visitor.page.get_by_label(re.compile("搜索")).fill("党日活动")
    visitor.page.get_by_role("button", name="查询").click()
    visitor.page.wait_for_selector(f"a[href='/public/sheets/{sheet_id}']")
    visitor.shot("search", for_docs=True)
    visitor.page.locator(f"a[href='/public/sheets/{sheet_id}']").first.click()
    visitor.page.wait_for_selector("text=下载")
    visitor.shot("public-sheet")
    before = visitor.page.inner_text("main")
    with visitor.page.expect_download() as pdf:
        visitor.page.get_by_role("link", name="PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-")
    with visitor.page.expect_download() as table:
        visitor.page.get_by_role("link", name="CSV").click()
    rows = Path(table.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("year,unit,supervisor,function") and len(rows) > 20

    clerk = Day(browser, server, "danwei-adjust")
    clerk.login("danwei", "danwei-demo-2024")
    clerk.page.goto(sheet_url)
    clerk.page.get_by_role("button", name="调整").click()
    clerk.page.wait_for_selector("text=已调整")
    clerk.page.get_by_role("link", name="编辑").click()
    clerk.page.fill("#f2-0-name", "调整后新增的说法")
    clerk.page.get_by_role("button", name=re.compile("保存")).click()
    clerk.page.wait_for_url(sheet_url + "?done=save")
    clerk.shot("adjusting")
    visitor.page.reload()
    assert visitor.page.inner_text("main") == before and "调整后新增的说法" not in before
    for day in (finance, visitor, clerk):
        assert day.errors == [], day.errors
        day.context.close()


def test_monitoring_then_self_evaluation_with_charts_and_a_finance_rescore(server, browser):
    finance = Day(browser, server, "caizheng-3")
    finance.login("caizheng", "caizheng-demo-2024")
    page = finance.page
    page.get_by_role("link", name="运行监控").click()
    page.get_by_label("年度").fill("2024")
    page.get_by_label("名称").fill("1–7月")
    page.get_by_label("截至日期").fill("2024-07-31")
    page.get_by_role("button", name="发起").click()
    page.wait_for_selector("text=运行监控")
    round_url = page.url
    finance.shot("monitoring-round")

    clerk = Day(browser, server, "danwei-monitoring")
    clerk.login("danwei", "danwei-demo-2024")
    clerk.page.goto(round_url)
    clerk.page.locator("table a").first.click()
    clerk.page.wait_for_selector("text=绩效目标执行监控表")
    clerk.page.get_by_label(re.compile("全年预算数")).fill("200")
    clerk.page.get_by_label(re.compile("执行数")).fill("30")
    clerk.page.locator("input[name^='so_far:']").first.fill("=60元")
    clerk.page.get_by_role("button", name="报送").click()
    clerk.page.wait_for_selector("text=已保存")
    warnings = clerk.page.inner_text("#warnings")
    assert "低于 1–7月的预警线 40%" in warnings and ("黄灯" in warnings or "红灯" in warnings)
    clerk.shot("monitoring-warning", for_docs=True)
    with clerk.page.expect_download() as form:
        clerk.page.get_by_role("link", name="XLSX").click()
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(Path(form.value.path()).read_bytes()))
    cells = {str(c.value) for row in book.active.iter_rows() for c in row
             if c.value is not None}
    assert "实际完成值" in cells and "=60元" in cells and any("执行监控表" in c for c in cells)

    page.goto(round_url)
    page.wait_for_selector("[data-chart='monitoring-statuses'] svg")
    assert "已报送" in page.inner_text("main") and page.locator(".dashboard .chart svg").count() >= 3
    finance.shot("monitoring-overview")

    sheet_id = clerk.page.url.rsplit("/", 1)[-1]
    clerk.page.goto(f"{server}/sheets/{sheet_id}/self-evaluation")
    clerk.page.get_by_role("button", name="开始自评").click()
    clerk.page.wait_for_selector("text=复算总分")
    clerk.page.locator("input[name^='actual:']").first.fill("=60元")
    clerk.page.get_by_role("button", name="报送自评").click()
    clerk.page.wait_for_selector("text=已报送")
    clerk.shot("self-evaluation")

    page.goto(f"{server}/sheets/{sheet_id}/self-evaluation")
    page.wait_for_selector(".chart svg")
    page.get_by_label("复核得分").fill("1")
    page.get_by_label("复核理由").fill("实际完成值缺少佐证材料")
    page.get_by_role("button", name="改分").click()
    page.wait_for_selector("text=财政已抽查复核")
    finance.shot("self-evaluation-rescored", for_docs=True)
    page.goto(f"{server}/self-evaluations")
    page.wait_for_selector("[data-chart='evaluation-statuses'] svg")
    assert page.locator(".dashboard .chart svg").count() >= 3 and "风险指标" in page.inner_text("main")
    finance.shot("self-evaluation-overview")
    page.goto(f"{server}/sheets/{sheet_id}/self-evaluation")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    import pdfplumber

    with pdfplumber.open(Path(pdf.value.path())) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace(" ", "")
    assert "自评表" in text and "复核得分" in text
    with pdfplumber.open(Path(pdf.value.path())) as doc:
        assert sum(len(p.images) for p in doc.pages) == 1          # the chart of points per 一级
    for day in (finance, clerk):
        assert day.errors == [], day.errors
        day.context.close()


def test_the_pages_fit_a_phone_screen(server, browser):
    """On a 390 px wide phone nothing makes the page scroll sideways: wide tables scroll
    inside their own box, the navigation wraps."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/public")
    public_link = page.locator("table a").first.get_attribute("href")
    pages = ["/public", public_link, "/login"]
    page.goto(f"{server}/login")
    page.get_by_label("用户名").fill("danwei")
    page.get_by_label("密码").fill("danwei-demo-2024")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{server}/")
    pages += ["/", "/sheets", "/sheets/1", "/sheets/1/edit", "/sheets/new", "/monitoring"]
    for path in pages:
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(server + public_link)
    page.screenshot(path=str(SHOTS / "web-phone-public.png"))
    context.close()
