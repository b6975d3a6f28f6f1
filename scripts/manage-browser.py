#!/usr/bin/env python3
"""A supporter's own page in headless Chromium (issue 15): open the link, pause for two months,
cancel with a reason, open the year's statement, and try a tampered link. Prints one JSON line of
what the page showed, for BoxBrowserTests' sibling SupporterPageBrowserTests to check against the
ledger.

With --paused, the walk after the processor confirmed the pause: the page shows the pledge paused
until its planned end, and "Resume now" asks for it to resume.

    python3 scripts/manage-browser.py --url 'http://127.0.0.1:8080/manage?token=…' --year 2026
    python3 scripts/manage-browser.py --url 'http://127.0.0.1:8080/manage?token=…' --paused
"""

import argparse
import json
import sys

from headless_chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def follow(driver, element):
    """Clicks `element` and waits until the browser has left the page it was on (a form's 303, a link)."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(page))


def submit(driver, action, fields):
    """Fills the first form posting to `action` and submits it with its button, as a person would."""
    form = driver.find_element(By.CSS_SELECTOR, f"form[action='{action}']")
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    follow(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--year")
    parser.add_argument("--paused", action="store_true")
    args = parser.parse_args()
    driver = chromium(1000, 1400)
    result = {}
    try:
        driver.get(args.url)
        if args.paused:
            page = text(driver)
            result["status"] = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "tbody tr td:nth-child(3)")]
            result["can_pause"] = bool(driver.find_elements(By.CSS_SELECTOR, "form[action='/manage/pause']"))
            submit(driver, "/manage/resume", {})
            result["after_resume"] = "Resumption requested" in text(driver)
            print(json.dumps(result))
            return 0
        page = text(driver)
        assert "Your support" in page and "Active" in page, page

        submit(driver, "/manage/pause", {"months": "2"})
        page = text(driver)
        assert driver.current_url.startswith(args.url.split("?")[0]), driver.current_url
        result["after_pause"] = "Pause requested" in page

        submit(driver, "/manage/cancel", {"reason": "unhappy_with_coverage", "note": "Too few local stories"})
        page = text(driver)
        result["after_cancel"] = "Cancellation requested" in page

        statement = driver.find_element(By.CSS_SELECTOR, f"a[href*='/manage/statement'][href*='year={args.year}']")
        follow(driver, statement)
        totals = driver.find_elements(By.CSS_SELECTOR, "table.statement-totals tr.total")
        result["statement_totals"] = [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")]
                                      for row in totals]

        token_at = args.url.index("token=") + len("token=")
        dot = args.url.index(".", token_at)
        position = dot + 10
        tampered = args.url[:position] + ("B" if args.url[position] == "A" else "A") + args.url[position + 1:]
        driver.get(tampered)
        result["tampered_refused"] = "This link cannot be used" in text(driver) and "Pause" not in text(driver)
        result["cookies"] = driver.get_cookies()
    finally:
        driver.quit()
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
