#!/usr/bin/env python3
"""The reader's box in a real browser: headless Chromium driven by Selenium (issue 14).

Runs against a live `pledger serve --box …` (started by Tests/PledgerEndToEndTests/BoxBrowserTests.swift,
or by hand). This script serves the publisher's side on 127.0.0.1:PORT, reachable under two origins:
http://localhost:PORT, which the key must allow, and http://127.0.0.1:PORT, which it must not.

    /article?lang=en   an article embedding the box with the two lines of docs/box.md
    /framed            an article embedding /box/frame in an iframe
    /checkout          where the box.toml's checkout_url must point (the "processor")
    /hooks             POST: an endpoint receiving Pledger's events (register it for reminder.*)

It walks the box as a reader would (mouse and keyboard) and checks the minimum, the rate limit's
message, CORS, contrast, accessible names, a 320 px screen, the iframe, cookies and the requests
made; then it prints one JSON line on stdout for the caller to check the ledger with:
{"pledges": [{"id", "cadence", "amount", "page"}], "reminder_email": "…", "foreign_origin": "…"}.
Progress goes to stderr. Exit status 0 when every check held, 1 with the reason otherwise.

    python3 scripts/box-browser.py --pledger http://127.0.0.1:8080 --key pk_… --port 8765
"""

import argparse
import json
import socket
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium.common.exceptions import TimeoutException, WebDriverException
from headless_chromium import chromium
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def log(message):
    print(f"box-browser: {message}", file=sys.stderr, flush=True)


ARTICLE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>An article</title>
<style>
  /* A publisher's careless global CSS: the box's Shadow DOM must keep it out. */
  body {{ font: 18px/1.6 Georgia, serif; color: #333; margin: 0; padding: 1rem; }}
  button, input, p {{ color: red !important; font-size: 30px !important; }}
  * {{ box-sizing: content-box; }}
  main {{ max-width: 40rem; margin: 0 auto; }}
</style></head>
<body><main>
<a href="/">Home</a>
<h1>Winter floods: what the council knew</h1>
<p>The article's text.</p>
<div data-pledger-box data-campaign="{campaign}"></div>
<script src="{pledger}/box.js" data-key="{key}" async></script>
<p>More of the article.</p>
</main></body></html>
"""

FRAMED = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Framed</title></head>
<body><h1>An article with the box in a frame</h1>
<!-- Inside the frame the article is document.referrer: by default only its origin; this policy
     lets the frame know the article's path, which the pledge keeps. -->
<iframe src="{pledger}/box/frame?key={key}&campaign=frame&lang=en&cadence=one_off" title="Support us"
        referrerpolicy="no-referrer-when-downgrade"
        style="border:0;width:100%;max-width:28rem;height:40rem"></iframe>
</body></html>
"""

CHECKOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head>
<body><h1>The processor's checkout</h1></body></html>"""


class Site:
    """The publisher's pages and an events receiver, on one loopback port."""

    def __init__(self, port, pledger, key):
        self.pledger, self.key = pledger, key
        self.events = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, status, body, content_type="text/html; charset=utf-8"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/article":
                    self.send(200, ARTICLE.format(
                        lang=query.get("lang", "en"), campaign=query.get("campaign", "winter"),
                        pledger=site.pledger, key=site.key))
                elif url.path == "/framed":
                    self.send(200, FRAMED.format(pledger=site.pledger, key=site.key))
                elif url.path == "/checkout":
                    self.send(200, CHECKOUT)
                else:
                    self.send(404, "not here", "text/plain")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/hooks":
                    with site.lock:
                        site.events.append(json.loads(body))
                    self.send(200, "", "text/plain")
                else:
                    self.send(404, "not here", "text/plain")

        try:
            # Dual stack, so that http://localhost reaches it whichever address Chromium tries first.
            class DualStack(ThreadingHTTPServer):
                address_family = socket.AF_INET6

                def server_bind(self):
                    self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                    super().server_bind()

            self.server = DualStack(("::", port), Handler)
        except OSError:
            self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def event(self, kind, predicate, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for event in self.events:
                    if event.get("type") == kind and predicate(event):
                        return event
            time.sleep(0.1)
        with self.lock:
            raise CheckFailed(f"no {kind} event arrived within {timeout} s; got {[e.get('type') for e in self.events]}")


def browser(width=1200, height=1000):
    return chromium(width, height, capabilities={"goog:loggingPrefs": {"performance": "ALL", "browser": "ALL"}})


# JavaScript run in the page: the focused element, looking through shadow roots.
DEEP_FOCUS = """
let node = document.activeElement;
while (node && node.shadowRoot && node.shadowRoot.activeElement) node = node.shadowRoot.activeElement;
if (!node || node === document.body) return 'body';
const role = node.getAttribute('role');
if (role === 'tab') return 'tab:' + node.dataset.cadence;
if (node.type === 'radio') return 'amount:' + node.value;
if (node.classList.contains('link')) return 'remind-link';
if (node.classList.contains('continue')) return 'continue';
if (node.classList.contains('submit')) return 'remind-submit';
return (node.tagName + (node.id ? '#' + node.id.replace(/^pb\\w+-/, '') : '')).toLowerCase();
"""

# WCAG 2.x contrast of every visible text in the box against its effective background.
CONTRAST = """
const root = arguments[0].shadowRoot;
function rgb(text) {
  const m = text.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function lum(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function background(node) {
  for (let n = node; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c && c.a > 0) return c;
  }
  return {r: 255, g: 255, b: 255, a: 1};
}
const results = [];
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
for (let t = walker.nextNode(); t; t = walker.nextNode()) {
  const node = t.parentElement;
  if (!t.textContent.trim() || !node) continue;
  const box = node.getBoundingClientRect();
  const style = getComputedStyle(node);
  if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden' || node.closest('[hidden]')) continue;
  const fg = rgb(style.color), bg = background(node);
  const a = lum(fg), b = lum(bg);
  results.push({text: t.textContent.trim().slice(0, 30), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
                color: style.color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`});
}
return results;
"""


def confirmation(event):
    """The request and its link in a reminder.confirmation_requested body: data.confirmation (docs/events)."""
    data = event.get("data", {})
    return data.get("confirmation") or dict(data.get("request", {}), confirm_url=data.get("confirm_url"))


class Walk:
    def __init__(self, args):
        self.args = args
        self.site = Site(args.port, args.pledger, args.key)
        self.allowed = f"http://localhost:{self.site.port}"
        self.foreign = f"http://127.0.0.1:{self.site.port}"
        self.copy = self.fetch_copy()
        self.driver = browser()
        self.wait = WebDriverWait(self.driver, 15, poll_frequency=0.05)
        self.pledges = []
        self.requests = []

    def fetch_copy(self):
        """The box's configuration as a page on the allowed origin gets it: the copy to expect."""
        query = urllib.parse.urlencode({"key": self.args.key, "lang": "en"})
        request = urllib.request.Request(f"{self.args.pledger}/v1/public/box?{query}", headers={"Origin": self.allowed})
        with urllib.request.urlopen(request, timeout=10) as response:
            check(response.headers.get("Access-Control-Allow-Origin") == self.allowed,
                  f"CORS answer for the key's origin: {response.headers.get('Access-Control-Allow-Origin')!r}")
            return json.load(response)

    # Helpers over the box's shadow root.
    def open_article(self, origin=None, lang="en", campaign="winter"):
        self.driver.get(f"{origin or self.allowed}/article?lang={lang}&campaign={campaign}")
        self.wait.until(lambda d: d.execute_script(
            "const h = document.querySelector('[data-pledger-box]');"
            "return h && h.shadowRoot && h.shadowRoot.querySelector('.box') !== null"))
        return self.driver.find_element(By.CSS_SELECTOR, "[data-pledger-box]")

    def part(self, host, selector):
        return host.shadow_root.find_element(By.CSS_SELECTOR, selector)

    def parts(self, host, selector):
        return host.shadow_root.find_elements(By.CSS_SELECTOR, selector)

    def amount_label(self, host, amount):
        return self.part(host, f".amount input[value='{amount}'] + span")

    def landed_on_checkout(self, what):
        try:
            self.wait.until(lambda d: d.current_url.startswith(f"{self.allowed}/checkout"))
        except TimeoutException:
            shown = self.driver.execute_script(
                "return [...document.querySelectorAll('[data-pledger-box]')].flatMap(h => h.shadowRoot ?"
                " [...h.shadowRoot.querySelectorAll('.error')].map(e => e.textContent).filter(Boolean) : [])")
            raise CheckFailed(f"{what}: Continue did not reach the checkout; at {self.driver.current_url}, "
                              f"the box shows {shown}")
        url = urllib.parse.urlsplit(self.driver.current_url)
        pledge = dict(urllib.parse.parse_qsl(url.query)).get("client_reference_id", "")
        check(pledge.startswith("pl_"), f"{what}: the checkout URL carries the pledge id: {self.driver.current_url}")
        log(f"{what}: landed on {self.driver.current_url}")
        return pledge

    def collect_requests(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                request = message["params"]["request"]
                self.requests.append((request["method"], request["url"], request.get("headers", {})))

    def focus(self):
        return self.driver.execute_script(DEEP_FOCUS)

    def press(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def shift_tab(self):
        ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()

    # The checks, in the order of the issue.
    def pledge_with_mouse(self):
        host = self.open_article()
        tabs = self.parts(host, "[role=tab]")
        check([t.text for t in tabs] == [self.copy["copy"][k] for k in ("once", "monthly", "annual")],
              f"tabs: {[t.text for t in tabs]}")
        selected = self.part(host, "[role=tab][aria-selected=true]")
        check(selected.get_attribute("data-cadence") == self.copy["default_cadence"],
              f"the default tab is {self.copy['default_cadence']}")
        self.part(host, "[role=tab][data-cadence=one_off]").click()
        check(self.part(host, ".amount input[value='1000']") is not None, "once shows its presets")
        self.part(host, "[role=tab][data-cadence=monthly]").click()
        check(self.part(host, "[role=tab][data-cadence=monthly]").get_attribute("aria-selected") == "true",
              "Monthly is selected after a click")
        self.amount_label(host, 500).click()
        check(self.part(host, ".amount input[value='500']").is_selected(), "$5 is chosen")
        self.part(host, ".continue").click()
        pledge = self.landed_on_checkout("mouse")
        self.pledges.append({"id": pledge, "cadence": "monthly", "amount": 500, "page": "/article"})

    def refuse_below_minimum(self):
        host = self.open_article()
        minimum = self.copy["minimums"]["USD"]
        other = self.part(host, "input[name=other]")
        other.send_keys("1")
        self.part(host, ".continue").click()
        error = self.part(host, ".error[id$=other-error]")
        self.wait.until(lambda d: error.text.strip() != "")
        expected = self.copy["copy"]["below_minimum"].replace("{minimum}", f"${minimum // 100}")
        check(error.text == expected, f"below minimum: shown {error.text!r}, expected {expected!r}")
        check(other.get_attribute("aria-invalid") == "true", "the field is marked invalid")
        check(self.driver.current_url.startswith(f"{self.allowed}/article"), "no navigation for $1")
        from_line = self.part(host, ".from").text
        check(f"${minimum // 100}" in from_line, f"'From just' names the minimum: {from_line!r}")
        # An acceptable amount clears the refusal as it is typed.
        other.send_keys(Keys.BACKSPACE, "2")
        self.wait.until(lambda d: error.text.strip() == "")
        log(f"$1 refused with {expected!r}")
        # An address the box lets through but the server refuses: the refusal shows at the field it
        # names, in the page's language, with the focus there.
        email = self.part(host, "input[id$=-email]:not([id$=remind-email])")
        email.send_keys("a(b)@example.org")
        self.part(host, ".continue").click()
        email_error = self.part(host, ".error[id$=-email-error]")
        self.wait.until(lambda d: email_error.text.strip() != "")
        check(email_error.text == self.copy["copy"]["invalid_email"], f"the server's refusal: {email_error.text!r}")
        check(email.get_attribute("aria-invalid") == "true" and self.focus() == "input#email",
              "the refused e-mail is marked and focused")
        check(self.part(host, ".continue").is_enabled(), "Continue can be pressed again")
        check(self.driver.current_url.startswith(f"{self.allowed}/article"), "no navigation on a refusal")

    def remind_and_confirm(self):
        host = self.open_article()
        link = self.part(host, ".link")
        check(link.get_attribute("aria-expanded") == "false", "the remind form starts closed")
        link.click()
        email = self.part(host, "input[id$=remind-email]")
        check(email.is_displayed() and self.focus() == "input#remind-email", "the remind e-mail field opens, focused")
        email.send_keys("not-an-email", Keys.ENTER)
        error = self.part(host, ".error[id$=remind-error]")
        self.wait.until(lambda d: error.text == self.copy["copy"]["invalid_email"])
        address = f"reader-{int(time.time() * 1000)}@example.org"
        email.clear()
        email.send_keys(address)
        self.part(host, ".submit").click()
        done = self.part(host, ".done")
        self.wait.until(lambda d: done.text == self.copy["copy"]["remind_done"])
        event = self.site.event("reminder.confirmation_requested", lambda e: confirmation(e).get("email") == address)
        confirm = confirmation(event).get("confirm_url", "")
        check(confirm.startswith(self.args.pledger + "/r/confirm?token="), f"confirm_url: {confirm}")
        self.driver.get(confirm)
        # Opening the link only asks (mail scanners open links too); the button confirms.
        check(self.driver.find_element(By.TAG_NAME, "h1").text == self.copy["copy"]["confirm_ask"], "confirm page asks")
        asking = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(By.CSS_SELECTOR, "form[action='/r/confirm'] button[type=submit]").click()
        # The button posts and a new page comes: read it only once the asking page is gone.
        self.wait.until(expected_conditions.staleness_of(asking))
        heading = self.driver.find_element(By.TAG_NAME, "h1").text
        body = self.driver.find_element(By.TAG_NAME, "body").text
        check(heading == self.copy["copy"]["confirm_title"], f"confirmation page title: {heading!r}")
        check(self.copy["copy"]["confirm_done"] in body, f"confirmation page says done: {body!r}")
        log(f"reminder for {address} confirmed through {confirm[:60]}…")
        self.reminder_email = address

    def rate_limited(self):
        """The same e-mail past the per-e-mail burst: the server's 429 shows as the rate_limited copy."""
        host = self.open_article()
        address = f"eager-{int(time.time() * 1000)}@example.org"
        link, email, submit = self.part(host, ".link"), self.part(host, "input[id$=remind-email]"), None
        done, error = self.part(host, ".done"), self.part(host, ".error[id$=remind-error]")
        for attempt in range(1, 12):
            if link.get_attribute("aria-expanded") == "false":
                link.click()
            email.clear()
            email.send_keys(address)
            submit = submit or self.part(host, ".submit")
            submit.click()
            self.wait.until(lambda d: done.text or error.text)
            if error.text:
                break
        check(error.text == self.copy["copy"]["rate_limited"], f"after {attempt} requests: {error.text!r}")
        check(attempt > 1, "the first request was accepted")
        log(f"the same e-mail refused as rate limited after {attempt - 1} requests")

    def refused_origin(self):
        host = self.open_article(origin=self.foreign)
        alert = self.part(host, "[role=alert]")
        check(alert.text.strip() != "", "a foreign origin shows the box's error")
        check(self.parts(host, "[role=tab]") == [] and self.parts(host, "form") == [],
              "nothing but the error is rendered for a foreign origin")
        messages = [e["message"] for e in self.driver.get_log("browser")]
        check(any("CORS" in m or "Access-Control-Allow-Origin" in m for m in messages),
              f"the browser refused through CORS: {messages}")
        log("a foreign origin is refused by CORS")

    def keyboard_only(self):
        host = self.open_article()
        self.driver.execute_script("document.activeElement && document.activeElement.blur()")
        seen = []
        for _ in range(14):
            self.press(Keys.TAB)
            seen.append(self.focus())
            if seen[-1] == "remind-link":
                break
        expected = ["tab:monthly", "amount:1000", "input#other", "select#currency", "input#email", "continue",
                    "remind-link"]
        stops = [s for s in seen if s in expected]
        check(stops == expected, f"Tab walks the box in order: {seen}")
        check("input" not in seen, f"the honeypot (an input without id) is never focused: {seen}")
        # Enter opens the remind form; the focus goes into it.
        self.press(Keys.ENTER)
        check(self.focus() == "input#remind-email", f"Enter on the remind link opens it: {self.focus()}")
        # Space closes it again from the link, and opens it once more.
        self.shift_tab()
        check(self.focus() == "remind-link", f"Shift-Tab goes back to the remind link: {self.focus()}")
        self.press(Keys.SPACE)
        check(self.part(host, ".link").get_attribute("aria-expanded") == "false", "Space closes the remind form")
        self.press(Keys.SPACE)
        check(self.focus() == "input#remind-email", f"Space opens it again: {self.focus()}")
        # Back up to the tabs with Shift-Tab, then arrows between tabs and amounts.
        back = []
        for _ in range(12):
            self.shift_tab()
            back.append(self.focus())
            if back[-1].startswith("tab:"):
                break
        check(back == ["remind-link", "continue", "input#email", "select#currency", "input#other", "amount:1000",
                       "tab:monthly"], f"Shift-Tab walks back to the tabs: {back}")
        self.press(Keys.ARROW_LEFT)
        check(self.focus() == "tab:one_off", "ArrowLeft moves to Once")
        check(self.part(host, "[data-cadence=one_off]").get_attribute("aria-selected") == "true", "and selects it")
        self.press(Keys.END)
        check(self.focus() == "tab:annual", "End moves to Annual")
        self.press(Keys.ARROW_RIGHT)
        check(self.focus() == "tab:one_off", "ArrowRight wraps to Once")
        self.press(Keys.ARROW_RIGHT)
        check(self.focus() == "tab:monthly", "ArrowRight moves to Monthly")
        self.press(Keys.TAB)
        check(self.focus() == "amount:1000", f"Tab enters the amounts at the chosen one: {self.focus()}")
        self.press(Keys.ARROW_LEFT)
        check(self.focus() == "amount:500" and self.part(host, "input[value='500']").is_selected(),
              "ArrowLeft chooses $5")
        self.press(Keys.ARROW_RIGHT, Keys.ARROW_LEFT)
        check(self.part(host, "input[value='500']").is_selected(), "arrows move the choice and back")
        for _ in range(6):
            if self.focus() == "continue":
                break
            self.press(Keys.TAB)
        check(self.focus() == "continue", f"Tab reaches Continue: {self.focus()}")
        # The focus ring is visible on the focused control.
        outline = self.driver.execute_script(
            "const h = arguments[0]; const s = getComputedStyle(h.shadowRoot.activeElement);"
            "return [s.outlineStyle, s.outlineWidth];", host)
        check(outline[0] != "none" and outline[1] != "0px", f"a visible focus ring on Continue: {outline}")
        self.press(Keys.ENTER)
        pledge = self.landed_on_checkout("keyboard")
        self.pledges.append({"id": pledge, "cadence": "monthly", "amount": 500, "page": "/article"})

    def contrast_and_narrow(self):
        host = self.open_article()
        self.part(host, ".link").click()
        # Every control has a name for assistive technology (the honeypot is hidden from it).
        tree = self.driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
        controls = [n for n in tree if not n.get("ignored")
                    and n.get("role", {}).get("value") in ("textbox", "combobox", "radio", "tab", "button", "radiogroup",
                                                           "tablist", "tabpanel")]
        roles = {n["role"]["value"] for n in controls}
        check({"textbox", "combobox", "radio", "tab", "button", "radiogroup", "tablist", "tabpanel"} <= roles,
              f"the box's roles: {sorted(roles)}")
        unnamed = [n["role"]["value"] for n in controls if not n.get("name", {}).get("value", "").strip()]
        check(not unnamed, f"controls without an accessible name: {unnamed}")
        textboxes = [n["name"]["value"] for n in controls if n["role"]["value"] == "textbox"]
        check(len(textboxes) == 3, f"three labelled fields (other amount, e-mail, reminder e-mail): {textboxes}")
        # A selected tab and a chosen amount are coloured too: measure them as they are.
        results = self.driver.execute_script(CONTRAST, host)
        check(len(results) > 10, f"texts measured: {len(results)}")
        low = [r for r in results if r["ratio"] < 4.5]
        check(not low, f"text under 4.5:1: {low}")
        log(f"contrast: the lowest of {len(results)} texts is {min(r['ratio'] for r in results):.2f}:1")
        # A 320 px phone: no horizontal scrolling, the box within the screen, in English and in Russian
        # (whose words are longer).
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True})
        try:
            for lang in ("en", "ru"):
                host = self.open_article(lang=lang)
                self.part(host, ".link").click()
                sizes = self.driver.execute_script(
                    "const b = arguments[0].shadowRoot.querySelector('.box').getBoundingClientRect();"
                    "return [document.documentElement.scrollWidth, innerWidth, b.left, b.right];", host)
                check(sizes[0] <= sizes[1] == 320, f"{lang}: no horizontal scroll at 320 px: {sizes[0]} > {sizes[1]}")
                check(sizes[2] >= 0 and sizes[3] <= 320, f"{lang}: the box fits at 320 px: {sizes[2]}…{sizes[3]}")
                wide = self.driver.execute_script(
                    "return [...arguments[0].shadowRoot.querySelectorAll('*')].filter(e => {"
                    " const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth || r.left < 0)"
                    " && !e.closest('.hp') && !(e.matches('legend, .amount input'));"
                    "}).map(e => e.tagName + '.' + e.className)", host)
                check(not wide, f"{lang}: parts past the 320 px edge: {wide}")
                # No word of a tab or an amount is broken across lines.
                broken = self.driver.execute_script(
                    "return [...arguments[0].shadowRoot.querySelectorAll('.tab, .amount span')].filter(e => {"
                    " return [...e.childNodes].some(n => { if (n.nodeType !== 3) return false;"
                    " const r = document.createRange(); r.selectNodeContents(n); return r.getClientRects().length > 1; });"
                    "}).map(e => e.textContent)", host)
                check(not broken, f"{lang}: words broken at 320 px: {broken}")
                columns = {round(e.rect["x"]) for e in self.parts(host, ".amount")}
                check(len(columns) == 3, f"{lang}: the three amounts side by side at 320 px: {columns}")
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        log("320 px, English and Russian: no horizontal overflow")

    def framed(self):
        self.driver.get(f"{self.allowed}/framed")
        frame = self.driver.find_element(By.TAG_NAME, "iframe")
        self.driver.switch_to.frame(frame)
        self.wait.until(lambda d: d.execute_script(
            "const h = document.querySelector('[data-pledger-box]');"
            "return h && h.shadowRoot && h.shadowRoot.querySelector('.continue') !== null"))
        host = self.driver.find_element(By.CSS_SELECTOR, "[data-pledger-box]")
        selected = self.part(host, "[role=tab][aria-selected=true]").get_attribute("data-cadence")
        check(selected == "one_off", f"the frame's cadence=one_off picks the first tab: {selected}")
        self.part(host, "[role=tab][data-cadence=monthly]").click()
        self.amount_label(host, 1000).click()
        self.part(host, ".continue").click()
        self.driver.switch_to.default_content()
        pledge = self.landed_on_checkout("iframe")
        self.pledges.append({"id": pledge, "cadence": "monthly", "amount": 1000, "page": "/framed"})

    def privacy(self):
        self.collect_requests()
        for origin in (self.allowed, self.foreign, self.args.pledger):
            self.driver.get(origin + ("/healthz" if origin == self.args.pledger else "/checkout"))
            check(self.driver.get_cookies() == [], f"no cookies on {origin}: {self.driver.get_cookies()}")
            stored = self.driver.execute_script("return localStorage.length + sessionStorage.length")
            check(stored == 0, f"nothing stored on {origin}")
        self.collect_requests()
        origins = {f"{urllib.parse.urlsplit(u).scheme}://{urllib.parse.urlsplit(u).netloc}"
                   for _, u, _ in self.requests if u.startswith("http")}
        check(origins <= {self.allowed, self.foreign, self.args.pledger},
              f"requests only to the page and Pledger: {sorted(origins)}")
        events = [u for m, u, _ in self.requests if m == "POST" and u.startswith(self.args.pledger + "/v1/public/events")]
        check(len(events) >= 2, f"the funnel beacon was sent: {len(events)} POSTs")
        with_cookies = [u for _, u, h in self.requests if any(k.lower() == "cookie" for k in h)]
        check(not with_cookies, f"requests carrying cookies: {with_cookies}")
        log(f"privacy: {len(self.requests)} requests, origins {sorted(origins)}, no cookies")

    def run(self):
        started = time.monotonic()
        try:
            steps = [self.pledge_with_mouse, self.refuse_below_minimum, self.remind_and_confirm, self.rate_limited,
                     self.refused_origin, self.keyboard_only, self.contrast_and_narrow, self.framed, self.privacy]
            only = set(self.args.only.split(",")) if self.args.only else None
            for step in steps:
                if only and step.__name__ not in only:
                    continue
                step()
                self.collect_requests()
                log(f"ok: {step.__name__} ({time.monotonic() - started:.1f} s)")
        finally:
            if self.args.keep_open:
                input("Press Enter to close the browser… ")
            self.driver.quit()
            self.site.server.shutdown()
        print(json.dumps({"pledges": self.pledges, "reminder_email": getattr(self, "reminder_email", None),
                          "foreign_origin": self.foreign}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pledger", required=True, help="the server's origin, e.g. http://127.0.0.1:8080")
    parser.add_argument("--key", required=True, help="a pk_… key whose origins include http://localhost:PORT")
    parser.add_argument("--port", type=int, required=True, help="the port of the publisher's pages")
    parser.add_argument("--only", help="run only these steps (comma-separated method names)")
    parser.add_argument("--keep-open", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.pledger = args.pledger.rstrip("/")
    try:
        Walk(args).run()
    except CheckFailed as failure:
        print(f"box-browser: FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
    except WebDriverException as failure:
        print(f"box-browser: FAILED in the browser: {failure.msg}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
