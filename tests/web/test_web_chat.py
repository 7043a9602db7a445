"""The web page end to end in headless Chromium (Debian's package, driven by Playwright)."""

import shutil

import pytest

from assistant.api import create_app
from assistant.fakes.serving import serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium)")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(kb_container):
    with serving(create_app(container=kb_container, rate_limit=1_000_000)) as url:
        yield url


@pytest.fixture
def page(base_url, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.goto(base_url)
        yield page
        page.screenshot(path=str(tmp_path / "web-chat.png"), full_page=True)
        browser.close()


def ask(page, text):
    page.locator("#message").fill(text)
    page.keyboard.press("Enter")


def test_one_conversation_question_citation_offer_search_and_booking(page):
    ask(page, "What does the paper propose for modern apprenticeship?")
    citation = page.locator(".msg.assistant .cite").first
    citation.wait_for(timeout=30_000)
    assert "modern apprenticeship" in page.locator(".msg.assistant .bubble").last.inner_text()
    citation.click()
    dialog = page.locator("#source")
    assert dialog.is_visible()
    assert "peng2026#" in page.locator("#source-where").inner_text()
    assert len(page.locator("#source-quote").inner_text()) > 40
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Helpful").first.click()
    ask(page, "Is there an apprenticeship in ship welding?")
    page.locator(".card").first.wait_for(timeout=30_000)
    assert "weld" in page.locator(".card h3").first.inner_text().lower()
    ask(page, "I need to talk to an expert about patent licensing")
    page.locator(".card .book-button").first.wait_for(timeout=30_000)
    assert page.locator(".card").count() >= 1
    page.locator(".card .book-button").first.click()
    page.locator("#book-name").fill("Web Tester")
    page.locator("#book-contact").fill("web.tester@example.cn")
    page.get_by_role("button", name="Continue").click()
    confirm = page.locator(".confirm .confirm-button")
    confirm.wait_for(timeout=30_000)
    assert "Web Tester" in page.locator(".confirm").inner_text()
    confirm.click()
    page.get_by_text("Booked. Reference: BK-").wait_for(timeout=30_000)


def test_chinese_switch_and_mobile_layout(page):
    page.get_by_role("button", name="中文").click()
    assert page.locator("h1").inner_text() == "产教融合智能助手"
    page.set_viewport_size({"width": 390, "height": 800})
    ask(page, "实习生的工资最低是多少？")
    page.locator(".msg.assistant .cite").first.wait_for(timeout=30_000)
    answer = page.locator(".msg.assistant .bubble").last.inner_text()
    assert answer.startswith("根据《职业学校学生实习管理规定》") and "80%" in answer
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone


def test_a_quote_from_the_translated_paper_shows_the_english_original(page):
    page.get_by_role("button", name="中文").click()
    ask(page, "论文对现代学徒制提出了哪些建议？")
    citation = page.locator(".msg.assistant .cite").first
    citation.wait_for(timeout=30_000)
    assert "非官方中文译文" in page.locator(".msg.assistant .bubble").last.inner_text()
    citation.click()
    assert "peng2026#" in page.locator("#source-where").inner_text()
    quote = page.locator("#source-quote").inner_text()
    original = page.locator("#source-original-quote")
    assert original.is_visible() and "非官方译文" in page.locator("#source-original-label").inner_text()
    # The Chinese quote and the English sentences it renders, side by side.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in quote)
    assert len(original.inner_text().split()) >= 8 and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in original.inner_text()
    )


def test_a_teacher_drafts_an_agreement_and_downloads_the_word_file(page, base_url):
    import httpx

    ask(page, "Draft a patent licensing agreement between Jiangsu Maritime Institute and Taizhou Marine Co.")
    page.locator(".msg.assistant").first.wait_for(timeout=30_000)
    page.wait_for_function("document.querySelectorAll('.msg.assistant .bubble:not(.typing)').length >= 1")
    ask(page, "go ahead")
    link = page.locator("a.download")
    link.wait_for(timeout=30_000)
    assert "Patent Licence Agreement" in link.inner_text() or ".docx" in link.inner_text()
    href = link.get_attribute("href")
    assert href and href.startswith("/v1/documents/")
    downloaded = httpx.get(f"{base_url}{href}", timeout=30)
    assert downloaded.status_code == 200 and downloaded.content[:2] == b"PK"  # a .docx is a zip
    assert "[TO FILL:" in page.locator(".msg.assistant .bubble").last.inner_text()
