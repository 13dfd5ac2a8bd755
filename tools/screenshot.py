"""Screenshot of the chat page (docs/screenshot.png), made with Debian's Chromium through Playwright.

    python tools/screenshot.py [--out docs/screenshot.png] [--width 900] [--dark]

Starts `advisor serve` on a free local port, asks a few questions as a person would, and saves
the page. Needs the web and test extras and /usr/bin/chromium (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
QUESTIONS = ["When did the second call close?", "and the third?", "Am I eligible?"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/screenshot.png")
    parser.add_argument("--width", type=int, default=900)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--dark", action="store_true", help="as with the system's dark preference")
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "advisor", "serve", "--port", str(port)], stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height},
                color_scheme="dark" if args.dark else "light",
            )
            page.goto(f"http://127.0.0.1:{port}/")
            for number, question in enumerate(QUESTIONS, 1):
                page.get_by_label("Your question").fill(question)
                page.get_by_label("Your question").press("Enter")
                expect(page.locator(".message.answer")).to_have_count(number)
            page.evaluate("window.scrollTo(0, 0)")
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
