#!/usr/bin/env python3
"""The README's picture of a supporter's own page: opens a link in headless Chromium and saves a
full-page screenshot.

    URL=$(pledger supporter link --email reader@example.org | head -1)
    python3 scripts/manage-screenshot.py "$URL" docs/manage.png [--width 900] [--lang en]
"""

import argparse
import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("out")
parser.add_argument("--width", type=int, default=900)
parser.add_argument("--lang", default="en")
args = parser.parse_args()

options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for flag in ["--headless=new", "--disable-gpu", f"--lang={args.lang}", f"--window-size={args.width},900"]:
    options.add_argument(flag)
if os.geteuid() == 0:
    options.add_argument("--no-sandbox")
driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
try:
    driver.get(args.url)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(args.width, height + 40)
    driver.save_screenshot(args.out)
finally:
    driver.quit()
