#!/usr/bin/env python3
"""The README's pictures of the reader's box: docs/box-desktop.png, docs/box-phone.png (360 px wide)
and docs/box-ru.png (a page in Russian), taken in headless Chromium against a running server.

    pledger serve --box Fixtures/box/box.toml &
    KEY=$(pledger box key create --origin http://localhost:8765)
    python3 scripts/box-screenshots.py --pledger http://127.0.0.1:8080 --key "$KEY" --port 8765

It serves a sample article on http://localhost:PORT (the origin the key must allow) and writes the
three files into docs/ (or --out).
"""

import argparse
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from headless_chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ARTICLES = {
    "en": ("Winter floods: what the council knew",
           "Three years of minutes show the warnings came early. Our reporters read all of them."),
    "ru": ("Зимние паводки: что знали в администрации",
           "Протоколы за три года показывают, что предупреждения звучали заранее. Мы прочли их все."),
}

PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>
  body {{ margin: 0; background: #f4f1ea; font: 18px/1.6 Georgia, serif; color: #222; }}
  header {{ background: #111; color: #fff; padding: .6rem 1rem; font: 700 1.1rem system-ui, sans-serif; }}
  main {{ max-width: 40rem; margin: 0 auto; padding: 1rem; }}
  h1 {{ font-size: 1.8rem; line-height: 1.2; }}
</style></head>
<body><header>The Daily Example</header><main id="article">
<h1>{title}</h1><p>{lead}</p>
<div data-pledger-box data-campaign="winter"></div>
<script src="{pledger}/box.js" data-key="{key}" async></script>
</main></body></html>
"""


def serve(port, pledger, key):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            lang = "ru" if "lang=ru" in self.path else "en"
            title, lead = ARTICLES[lang]
            body = PAGE.format(lang=lang, title=title, lead=lead, pledger=pledger, key=key).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shoot(driver, url, width, path):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 1400, "deviceScaleFactor": 2 if width < 500 else 1,
                            "mobile": width < 500})
    driver.get(url)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script(
        "const h = document.querySelector('[data-pledger-box]');"
        "return h && h.shadowRoot && h.shadowRoot.querySelector('.continue') !== null"))
    # The picture ends under the box, whatever its height in this language and width.
    bottom = driver.execute_script(
        "return Math.ceil(document.querySelector('[data-pledger-box]').getBoundingClientRect().bottom) + 24")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": bottom, "deviceScaleFactor": 2 if width < 500 else 1,
                            "mobile": width < 500})
    driver.save_screenshot(path)
    print(f"wrote {path} ({width} px wide)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pledger", required=True, help="the server's origin, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", required=True, help="a pk_… key whose origins include http://localhost:PORT")
    parser.add_argument("--port", type=int, default=8765, help="the sample article's port (default 8765)")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "docs"))
    args = parser.parse_args()
    pledger = args.pledger.rstrip("/")
    server = serve(args.port, pledger, args.key)

    driver = chromium(extra=["--hide-scrollbars"])
    try:
        page = f"http://localhost:{args.port}/article"
        shoot(driver, page + "?lang=en", 1000, os.path.join(args.out, "box-desktop.png"))
        shoot(driver, page + "?lang=en", 360, os.path.join(args.out, "box-phone.png"))
        shoot(driver, page + "?lang=ru", 1000, os.path.join(args.out, "box-ru.png"))
    finally:
        driver.quit()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
