#!/usr/bin/env python3
"""Validates event bodies against docs/events/<type>.schema.json (JSON Schema 2020-12).

Usage: validate-events.py FILE   (FILE holds a JSON array of event bodies, as `pledger events list --format json`
prints). Exits 0 when every body matches its type's schema, 1 with one line per mismatch, 3 when the
`jsonschema` package is missing (the Swift test that calls this skips then, saying why).
"""
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:
    print("the jsonschema package is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)

schemas = pathlib.Path(__file__).resolve().parent.parent / "docs" / "events"
events = json.loads(pathlib.Path(sys.argv[1]).read_text())
failures = 0
for event in events:
    path = schemas / f"{event.get('type')}.schema.json"
    if not path.exists():
        print(f"{event.get('id')}: no schema for type {event.get('type')!r}")
        failures += 1
        continue
    validator = jsonschema.Draft202012Validator(
        json.loads(path.read_text()), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(event):
        print(f"{event.get('id')} ({event.get('type')}): {'/'.join(map(str, error.path))}: {error.message}")
        failures += 1
print(f"{len(events)} events checked, {failures} mismatches")
sys.exit(1 if failures else 0)
