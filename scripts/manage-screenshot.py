#!/usr/bin/env python3
"""The README's picture of a supporter's own page: opens a link in headless Chromium and saves a
full-page screenshot.

    URL=$(pledger supporter link --email reader@example.org | head -1)
    python3 scripts/manage-screenshot.py "$URL" docs/manage.png [--width 900] [--lang en]
"""

import argparse

from headless_chromium import chromium

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("out")
parser.add_argument("--width", type=int, default=900)
parser.add_argument("--lang", default="en")
args = parser.parse_args()

driver = chromium(args.width, 900, extra=[f"--lang={args.lang}", "--hide-scrollbars"])
try:
    driver.get(args.url)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(args.width, height + 40)
    driver.save_screenshot(args.out)
finally:
    driver.quit()
