"""Take the README's screenshot of the web page in Chinese: a question on the paper, its source panel open.

Run after `make run` has built the index and loaded the demo records (or point ASSISTANT_DATA_DIR at a data
dir that has them); needs Debian's chromium:

    .venv/bin/python docs/screenshot.py            # writes docs/web-chat-zh.png
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from assistant.api import create_app
from assistant.api.deps import Container
from assistant.fakes.serving import serving
from assistant.settings import get_settings

QUESTION = "论文对现代学徒制提出了哪些建议？"
OUT = Path(__file__).with_name("web-chat-zh.png")


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.stderr.write("needs Debian's chromium (apt-get install chromium fonts-noto-cjk)\n")
        return 2
    container = Container.build(get_settings())
    with serving(create_app(container=container)) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        page = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900}).new_page()
        page.goto(url)
        page.locator("#message").fill(QUESTION)
        page.keyboard.press("Enter")
        citation = page.locator(".msg.assistant .cite").first
        citation.wait_for(timeout=60_000)
        citation.click()
        page.locator("#source-original-quote").wait_for(timeout=10_000)
        page.screenshot(path=str(OUT))
        browser.close()
    sys.stdout.write(f"wrote {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
