#!/usr/bin/env python3
"""Regenerate the webhook signature test vectors in this folder.

Every MAC here is computed with Python's standard `hmac` and `hashlib`, never with
Pledger's own code, so the Swift tests check the implementation against an
independent one. When an `openssl` binary is on PATH, each MAC is computed a second
time with `openssl dgst -sha256 -mac HMAC` and the two must agree.

Run from anywhere:  python3 Fixtures/signatures/make_vectors.py
The output is deterministic: fixed secrets, bodies and instants, no randomness.
"""

import base64
import hashlib
import hmac
import json
import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = 300
T0 = 1767225600  # 2026-01-01T00:00:00Z, the signing instant of most cases

OPENSSL = shutil.which("openssl")
openssl_checks = 0


def mac(key: bytes, message: bytes) -> bytes:
    """HMAC-SHA256 with Python, cross-checked with the openssl CLI when available."""
    global openssl_checks
    digest = hmac.new(key, message, hashlib.sha256).digest()
    if OPENSSL:
        out = subprocess.run(
            # "hexkey:" cannot express an empty key; "-hmac ''" can.
            [OPENSSL, "dgst", "-sha256"]
            + (["-mac", "HMAC", "-macopt", "hexkey:" + key.hex()] if key else ["-hmac", ""]),
            input=message, capture_output=True, check=True,
        ).stdout.decode().strip()
        assert out.split()[-1] == digest.hex(), (out, digest.hex())
        openssl_checks += 1
    return digest


# ---------------------------------------------------------------------------
# Plain HMAC-SHA256 vectors (public ones, so a reader can check them elsewhere).

HMAC_CASES = [
    # GitHub's documented example (DESIGN.md, "Webhooks").
    ("github_example", b"It's a Secret to Everybody", b"Hello, World!",
     "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
    # RFC 4231, test cases 1 and 2.
    ("rfc4231_case1", b"\x0b" * 20, b"Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    ("rfc4231_case2", b"Jefe", b"what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    # Empty key and empty message (a well-known value).
    ("empty_key_empty_message", b"", b"",
     "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
]


def hmac_vectors():
    cases = []
    for name, key, message, published in HMAC_CASES:
        computed = mac(key, message).hex()
        assert computed == published, (name, computed)
        cases.append({"name": name, "key_hex": key.hex(), "message_hex": message.hex(),
                      "mac_hex": computed})
    return {"scheme": "hmac-sha256", "cases": cases}


# ---------------------------------------------------------------------------
# Stripe: "t=<t>,v1=<hex>", payload "<t>.<body>", key = secret's UTF-8 bytes.

S_OLD = "whsec_pledger_test_old_7c1e0d5b2a9f4e3d8c6b"
S_NEW = "whsec_pledger_test_new_4b8a2f6c1d3e9a07f5e2"
S_OTHER = "whsec_pledger_test_other_0a1b2c3d4e5f67890a"
STRIPE_BODY = ('{"id":"evt_1PledgerTest0001","object":"event","type":"invoice.paid",'
               '"data":{"object":{"id":"in_1PledgerTest","amount_paid":500,"currency":"usd",'
               '"subscription":"sub_1PledgerTest"}}}')
UNICODE_BODY = '{"note":"Spende für «Die Zeitung» — 5 €","amount":500}'


def stripe_v1(secret: str, t: int, body: str) -> str:
    return mac(secret.encode(), f"{t}.".encode() + body.encode()).hex()


def stripe_vectors():
    good = stripe_v1(S_OLD, T0, STRIPE_BODY)
    new = stripe_v1(S_NEW, T0, STRIPE_BODY)
    other = stripe_v1(S_OTHER, T0, STRIPE_BODY)
    other2 = stripe_v1(S_OTHER, T0 + 1, STRIPE_BODY)
    hdr = "Stripe-Signature"
    cases = []

    def case(name, expected, header, secrets=(S_OLD,), body=STRIPE_BODY, now=T0 + 10,
             tolerance=TOLERANCE, **extra):
        c = {"name": name, "secrets": list(secrets), "tolerance": tolerance,
             "headers": {} if header is None else {hdr: header},
             "body": body, "now": now, "expected": expected}
        if expected == "ok":
            c["expected_timestamp"] = extra.pop("timestamp", T0)
        c.update(extra)
        cases.append(c)

    case("good", "ok", f"t={T0},v1={good}")
    case("good_at_signing_instant", "ok", f"t={T0},v1={good}", now=T0)
    case("empty_body", "ok", f"t={T0},v1={stripe_v1(S_OLD, T0, '')}", body="")
    case("unicode_body", "ok", f"t={T0},v1={stripe_v1(S_OLD, T0, UNICODE_BODY)}", body=UNICODE_BODY)
    case("tampered_body", "no_matching_signature", f"t={T0},v1={good}",
         body=STRIPE_BODY.replace('"amount_paid":500', '"amount_paid":900'))
    case("tampered_timestamp", "no_matching_signature", f"t={T0 + 1},v1={good}")
    case("wrong_secret", "no_matching_signature", f"t={T0},v1={other}")
    case("whsec_prefix_is_part_of_the_key", "no_matching_signature",
         f"t={T0},v1={stripe_v1(S_OLD[len('whsec_'):], T0, STRIPE_BODY)}")
    case("rotated_secret_signed_with_old", "ok", f"t={T0},v1={good}", secrets=(S_OLD, S_NEW))
    case("rotated_secret_signed_with_new", "ok", f"t={T0},v1={new}", secrets=(S_OLD, S_NEW))
    case("rotated_secret_signed_with_neither", "no_matching_signature", f"t={T0},v1={other}",
         secrets=(S_OLD, S_NEW))
    case("several_v1_one_good", "ok", f"t={T0},v1={other},v1={good},v1={other2}")
    case("several_v1_none_good", "no_matching_signature", f"t={T0},v1={other},v1={other2}")
    case("v0_only", "malformed_header", f"t={T0},v0={good}")
    case("v0_and_v1", "ok", f"t={T0},v0={other},v1={good}")
    case("unknown_schemes_and_stray_parts_ignored", "ok", f"t={T0},v9=xyz,,junk,v1={good},")
    case("reordered_and_spaced", "ok", f" v1 = {good} ,  v0 = {other} ,t = {T0}  ")
    case("tabs_around_parts", "ok", f"\tt={T0}\t,\tv1={good}\t")
    case("v1_not_hex_is_skipped", "ok", f"t={T0},v1=not-a-signature,v1={good}")
    case("v1_short_hex_is_skipped", "ok", f"t={T0},v1={good[:62]},v1={good}")
    case("only_v1_not_hex", "malformed_header", f"t={T0},v1=zz{good[2:]}")
    case("only_v1_uppercase_hex", "malformed_header", f"t={T0},v1={good.upper()}")
    case("only_v1_too_long", "malformed_header", f"t={T0},v1={good}00")
    case("too_old", "timestamp_out_of_tolerance", f"t={T0},v1={good}", now=T0 + TOLERANCE + 1)
    case("too_new", "timestamp_out_of_tolerance", f"t={T0},v1={good}", now=T0 - TOLERANCE - 1)
    case("exactly_at_tolerance_old", "ok", f"t={T0},v1={good}", now=T0 + TOLERANCE)
    case("exactly_at_tolerance_new", "ok", f"t={T0},v1={good}", now=T0 - TOLERANCE)
    case("too_old_and_bad_signature", "timestamp_out_of_tolerance", f"t={T0},v1={other}",
         now=T0 + TOLERANCE + 1)
    case("custom_tolerance_passes", "ok", f"t={T0},v1={good}", now=T0 + 600, tolerance=600)
    case("custom_tolerance_refuses", "timestamp_out_of_tolerance", f"t={T0},v1={good}",
         now=T0 + 61, tolerance=60)
    case("non_numeric_timestamp", "malformed_header", f"t=yesterday,v1={good}")
    case("timestamp_with_fraction", "malformed_header", f"t={T0}.0,v1={good}")
    case("timestamp_with_plus_sign", "malformed_header", f"t=+{T0},v1={good}")
    case("timestamp_with_leading_zero", "malformed_header", f"t=0{T0},v1={good}")
    case("negative_timestamp", "malformed_header", f"t=-{T0},v1={good}")
    case("timestamp_past_int64", "malformed_header", f"t=99999999999999999999,v1={good}")
    case("empty_timestamp", "malformed_header", f"t=,v1={good}")
    case("missing_t", "malformed_header", f"v1={good}")
    case("duplicate_t", "malformed_header", f"t={T0},t={T0},v1={good}")
    case("empty_header", "malformed_header", "")
    case("missing_header", "missing_header", None, expected_header=hdr)
    case("empty_secret", "bad_secret", f"t={T0},v1={good}", secrets=("",))
    case("whitespace_secret", "bad_secret", f"t={T0},v1={good}", secrets=("   ",))
    case("secret_with_trailing_newline", "bad_secret", f"t={T0},v1={good}", secrets=(S_OLD + "\n",))
    case("empty_secret_among_good", "bad_secret", f"t={T0},v1={good}", secrets=(S_OLD, ""))
    case("no_secrets", "bad_secret", f"t={T0},v1={good}", secrets=())
    case("zero_tolerance", "bad_tolerance", f"t={T0},v1={good}", tolerance=0)
    for c in cases:
        if c["expected"] not in ("ok", "missing_header", "bad_secret", "bad_tolerance"):
            c["expected_header"] = hdr
    return {"scheme": "stripe", "default_tolerance": TOLERANCE, "cases": cases}


# ---------------------------------------------------------------------------
# Standard Webhooks: "v1,<base64>", content "<id>.<ts>.<body>", key = b64decode(secret).

PUBLIC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PUBLIC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
PUBLIC_TS = 1614265330
PUBLIC_BODY = '{"test": 2432232314}'
PUBLIC_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

# Deterministic keys: 32 bytes (Base64 with one "=") and 24 bytes (no padding).
K_OLD = hashlib.sha256(b"pledger-test-standard-old").digest()
K_NEW = hashlib.sha256(b"pledger-test-standard-new").digest()[:24]
K_OTHER = hashlib.sha256(b"pledger-test-standard-other").digest()
W_OLD = "whsec_" + base64.b64encode(K_OLD).decode()
W_NEW = "whsec_" + base64.b64encode(K_NEW).decode()
W_OTHER = "whsec_" + base64.b64encode(K_OTHER).decode()
MSG_ID = "msg_2PledgerTestDelivery01"
STD_BODY = ('{"type":"pledge.paid","timestamp":"2026-01-01T00:00:00Z",'
            '"data":{"pledge_id":"plg_01","amount":500,"currency":"EUR"}}')


def std_sig(key: bytes, msg_id: str, ts: int, body: str) -> str:
    return base64.b64encode(mac(key, f"{msg_id}.{ts}.".encode() + body.encode())).decode()


def standard_vectors():
    public = "v1," + std_sig(base64.b64decode(PUBLIC_SECRET[len("whsec_"):]), PUBLIC_ID,
                             PUBLIC_TS, PUBLIC_BODY)
    assert public == PUBLIC_SIG, public
    good = std_sig(K_OLD, MSG_ID, T0, STD_BODY)
    new = std_sig(K_NEW, MSG_ID, T0, STD_BODY)
    other = std_sig(K_OTHER, MSG_ID, T0, STD_BODY)
    other2 = std_sig(K_OTHER, MSG_ID, T0 + 1, STD_BODY)
    v1a = base64.b64encode(hashlib.sha512(b"not a real ed25519 signature").digest()).decode()
    cases = []

    def case(name, expected, sig, secrets=(W_OLD,), msg_id=MSG_ID, ts=str(T0), body=STD_BODY,
             now=T0 + 10, tolerance=TOLERANCE, **extra):
        headers = {}
        if msg_id is not None:
            headers["webhook-id"] = msg_id
        if ts is not None:
            headers["webhook-timestamp"] = ts
        if sig is not None:
            headers["webhook-signature"] = sig
        c = {"name": name, "secrets": list(secrets), "tolerance": tolerance, "headers": headers,
             "body": body, "now": now, "expected": expected}
        if expected == "ok":
            c["expected_id"] = msg_id
            c["expected_timestamp"] = int(ts)
        c.update(extra)
        cases.append(c)

    case("public_vector", "ok", PUBLIC_SIG, secrets=(PUBLIC_SECRET,), msg_id=PUBLIC_ID,
         ts=str(PUBLIC_TS), body=PUBLIC_BODY, now=PUBLIC_TS)
    case("public_vector_bare_base64_secret", "ok", PUBLIC_SIG,
         secrets=(PUBLIC_SECRET[len("whsec_"):],), msg_id=PUBLIC_ID, ts=str(PUBLIC_TS),
         body=PUBLIC_BODY, now=PUBLIC_TS + 5)
    case("good", "ok", f"v1,{good}")
    case("good_unpadded_key", "ok", f"v1,{new}", secrets=(W_NEW,))
    case("empty_body", "ok", f"v1,{std_sig(K_OLD, MSG_ID, T0, '')}", body="")
    case("unicode_body", "ok", f"v1,{std_sig(K_OLD, MSG_ID, T0, UNICODE_BODY)}", body=UNICODE_BODY)
    case("tampered_body", "no_matching_signature", f"v1,{good}",
         body=STD_BODY.replace('"amount":500', '"amount":900'))
    case("tampered_timestamp", "no_matching_signature", f"v1,{good}", ts=str(T0 + 1))
    case("tampered_id", "no_matching_signature", f"v1,{good}", msg_id=MSG_ID + "x")
    case("wrong_secret", "no_matching_signature", f"v1,{other}")
    case("rotated_secret_signed_with_old", "ok", f"v1,{good}", secrets=(W_OLD, W_NEW))
    case("rotated_secret_signed_with_new", "ok", f"v1,{new}", secrets=(W_OLD, W_NEW))
    case("rotated_secret_signed_with_neither", "no_matching_signature", f"v1,{other}",
         secrets=(W_OLD, W_NEW))
    case("several_v1_one_good", "ok", f"v1,{other} v1,{good} v1,{other2}")
    case("several_v1_none_good", "no_matching_signature", f"v1,{other} v1,{other2}")
    case("v1a_only", "malformed_header", f"v1a,{v1a}")
    case("v1a_and_v1", "ok", f"v1a,{v1a} v1,{good}")
    case("reordered_and_spaced", "ok", f"  v1,{other}   v1a,{v1a}  v1,{good}  ")
    case("timestamp_with_spaces", "ok", f"v1,{good}", ts=f" {T0} ")
    case("entry_without_comma_ignored", "ok", f"v1{good} v1,{good}")
    case("v1_not_base64_is_skipped", "ok", f"v1,not*base64 v1,{good}")
    case("only_v1_not_base64", "malformed_header", "v1,not*base64")
    case("only_v1_unpadded", "malformed_header", f"v1,{good.rstrip('=')}")
    case("only_v1_wrong_length", "malformed_header",
         f"v1,{base64.b64encode(bytes(16)).decode()}")
    # Base64url spelling of the good signature ("-" and "_" are not in the standard alphabet).
    url_safe = good.replace("+", "-").replace("/", "_")
    if url_safe == good:
        url_safe = "-" + good[1:]
    case("only_v1_url_safe_alphabet", "malformed_header", f"v1,{url_safe}")
    case("empty_signature_header", "malformed_header", "")
    case("too_old", "timestamp_out_of_tolerance", f"v1,{good}", now=T0 + TOLERANCE + 1)
    case("too_new", "timestamp_out_of_tolerance", f"v1,{good}", now=T0 - TOLERANCE - 1)
    case("exactly_at_tolerance_old", "ok", f"v1,{good}", now=T0 + TOLERANCE)
    case("exactly_at_tolerance_new", "ok", f"v1,{good}", now=T0 - TOLERANCE)
    case("too_old_and_bad_signature", "timestamp_out_of_tolerance", f"v1,{other}",
         now=T0 + TOLERANCE + 1)
    case("public_vector_now", "timestamp_out_of_tolerance", PUBLIC_SIG, secrets=(PUBLIC_SECRET,),
         msg_id=PUBLIC_ID, ts=str(PUBLIC_TS), body=PUBLIC_BODY, now=T0)
    case("non_numeric_timestamp", "malformed_header", f"v1,{good}", ts="yesterday")
    case("timestamp_with_exponent", "malformed_header", f"v1,{good}", ts="1.7672256e9")
    case("timestamp_with_plus_sign", "malformed_header", f"v1,{good}", ts=f"+{T0}")
    case("timestamp_with_leading_zero", "malformed_header", f"v1,{good}", ts=f"0{T0}")
    case("negative_timestamp", "malformed_header", f"v1,{good}", ts=f"-{T0}")
    case("empty_timestamp", "malformed_header", f"v1,{good}", ts="")
    case("empty_id", "malformed_header", f"v1,{good}", msg_id="")
    case("missing_id", "missing_header", f"v1,{good}", msg_id=None)
    case("missing_timestamp", "missing_header", f"v1,{good}", ts=None)
    case("missing_signature", "missing_header", None)
    case("empty_secret", "bad_secret", f"v1,{good}", secrets=("",))
    case("whitespace_secret", "bad_secret", f"v1,{good}", secrets=("  \t",))
    case("prefix_only_secret", "bad_secret", f"v1,{good}", secrets=("whsec_",))
    case("undecodable_secret", "bad_secret", f"v1,{good}", secrets=("whsec_not*base64!",))
    case("unpadded_secret", "bad_secret", f"v1,{good}", secrets=(W_OLD.rstrip("="),))
    case("secret_with_trailing_newline", "bad_secret", f"v1,{good}", secrets=(W_OLD + "\n",))
    case("undecodable_secret_among_good", "bad_secret", f"v1,{good}",
         secrets=(W_OLD, "whsec_???"))
    case("no_secrets", "bad_secret", f"v1,{good}", secrets=())
    case("zero_tolerance", "bad_tolerance", f"v1,{good}", tolerance=0)

    header_at_fault = {
        "tampered_body": "webhook-signature", "tampered_timestamp": "webhook-signature",
        "tampered_id": "webhook-signature", "missing_id": "webhook-id",
        "missing_timestamp": "webhook-timestamp", "missing_signature": "webhook-signature",
        "empty_id": "webhook-id",
    }
    for c in cases:
        if c["expected"] in ("ok", "bad_secret", "bad_tolerance"):
            continue
        if c["name"] in header_at_fault:
            c["expected_header"] = header_at_fault[c["name"]]
        elif c["expected"] == "timestamp_out_of_tolerance" or "timestamp" in c["name"]:
            c["expected_header"] = "webhook-timestamp"
        else:
            c["expected_header"] = "webhook-signature"
    return {"scheme": "standard-webhooks", "default_tolerance": TOLERANCE, "cases": cases}


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    write("hmac.json", hmac_vectors())
    write("stripe.json", stripe_vectors())
    write("standard.json", standard_vectors())
    print("wrote hmac.json, stripe.json, standard.json"
          + (f"; {openssl_checks} MACs cross-checked with {OPENSSL}" if OPENSSL
             else "; openssl not found, MACs not cross-checked"))
