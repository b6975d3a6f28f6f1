"""Headless Chromium through Selenium, set up once for the browser test and the screenshot scripts:
Debian's chromium and chromedriver (or $CHROMIUM and $CHROMEDRIVER), no sandbox when root."""

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(width=1200, height=1000, extra=(), capabilities=None):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    for flag in ["--headless=new", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                 f"--window-size={width},{height}", *extra]:
        options.add_argument(flag)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    for name, value in (capabilities or {}).items():
        options.set_capability(name, value)
    driver_path = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=Service(driver_path), options=options)
