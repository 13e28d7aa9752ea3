#!/usr/bin/env python3
"""Writes fixtures.json: KMS and CloudHSMv2 requests signed by botocore, for SigV4Tests.

Run from anywhere with botocore installed: python3 make_fixtures.py
The clock and the SDK invocation id are fixed, so a re-run with the same botocore gives the same
signatures (only the User-Agent, which is never signed, names the machine).
"""

import datetime
import json
import pathlib
import uuid
from unittest import mock

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.credentials import Credentials

SIGNING_TIME = datetime.datetime(2026, 3, 14, 15, 9, 26)
REGION = "us-east-1"
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = (
    "IQoJb3JpZ2luX2VjEXAMPLEtokenFQoGZXIvYXdzEBYaDExampleSessionToken"
    "/+=AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI"
)
USER_AGENT = "aws-cli/2.22.0 md/Botocore#{} ua/2.0 os/linux lang/python#3.11".format(botocore.__version__)
JSON_1_1 = "application/x-amz-json-1.1"


def request_json(method, url, headers, body):
    path_and_query = url.split("://", 1)[1].partition("/")[2]
    path, _, query = ("/" + path_and_query).partition("?")
    return {
        "method": method,
        "path": path,
        "query": query,
        "headers": [[name, value.decode() if isinstance(value, bytes) else value] for name, value in headers],
        "body": body.decode() if isinstance(body, bytes) else (body or ""),
    }


def sign_with_sigv4auth(name, service, host, target, body, token=None):
    """Signs a hand-made request with botocore.auth.SigV4Auth, as botocore's client would."""
    headers = [
        ("Host", host),
        ("X-Amz-Target", target),
        ("Content-Type", JSON_1_1),
        ("User-Agent", USER_AGENT),
    ]
    request = AWSRequest(method="POST", url="https://{}/".format(host), headers=dict(headers), data=body.encode())
    unsigned = request_json("POST", request.url, headers, body)
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    with mock.patch("botocore.auth.get_current_datetime", return_value=SIGNING_TIME):
        botocore.auth.SigV4Auth(credentials, service, REGION).add_auth(request)
    return case(name, service, token, unsigned, request_json("POST", request.url, request.headers.items(), body),
                request.headers["Authorization"])


def sign_with_kms_client(name, operation, params):
    """Lets botocore's own KMS client serialise and sign a call, capturing the request before and after
    signing; the wire request gets the Host header the HTTP layer would add."""
    session = botocore.session.get_session()
    client = session.create_client(
        "kms", region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY
    )
    captured = {}

    def before_signing(request, **_):
        captured["unsigned"] = list(request.headers.items())

    def before_send(request, **_):
        captured["request"] = request

        class Raw:
            def stream(self, **_):
                yield b"{}"

        return AWSResponse(request.url, 200, {}, Raw())

    client.meta.events.register_first("request-created.kms", before_signing)
    client.meta.events.register("before-send.kms", before_send)
    with mock.patch("botocore.auth.get_current_datetime", return_value=SIGNING_TIME), \
            mock.patch("uuid.uuid4", return_value=uuid.UUID("00000000-0000-4000-8000-000000000000")):
        getattr(client, operation)(**params)
    sent = captured["request"]
    host = ("Host", sent.url.split("://", 1)[1].split("/", 1)[0])
    body = sent.body.decode()
    return case(name, "kms", None,
                request_json(sent.method, sent.url, [host] + captured["unsigned"], body),
                request_json(sent.method, sent.url, [host] + list(sent.headers.items()), body),
                sent.headers["Authorization"].decode())


def case(name, service, token, unsigned, signed, authorization):
    return {
        "name": name,
        "accessKeyId": ACCESS_KEY,
        "secretAccessKey": SECRET_KEY,
        "sessionToken": token,
        "region": REGION,
        "service": service,
        "timestamp": SIGNING_TIME.strftime("%Y%m%dT%H%M%SZ"),
        "request": unsigned,
        "signedRequest": signed,
        "authorization": authorization,
    }


def main():
    cases = [
        sign_with_sigv4auth(
            "kms-describe-custom-key-stores", "kms", "kms.us-east-1.amazonaws.com",
            "TrentService.DescribeCustomKeyStores", json.dumps({"CustomKeyStoreName": "ExampleKeyStore"}),
        ),
        sign_with_sigv4auth(
            "kms-describe-custom-key-stores-session-token", "kms", "kms.us-east-1.amazonaws.com",
            "TrentService.DescribeCustomKeyStores", json.dumps({"Limit": 10, "Marker": "eyJ0IjoxfQ=="}),
            token=SESSION_TOKEN,
        ),
        sign_with_sigv4auth(
            "cloudhsmv2-describe-clusters", "cloudhsm", "cloudhsmv2.us-east-1.amazonaws.com",
            "BaldrApiService.DescribeClusters", json.dumps({"Filters": {"clusterIds": ["cluster-234abcdefgh"]}}),
        ),
        sign_with_kms_client(
            "kms-client-connect-custom-key-store", "connect_custom_key_store",
            {"CustomKeyStoreId": "cks-1234567890abcdef0"},
        ),
    ]
    fixtures = {
        "generator": "make_fixtures.py",
        "botocoreVersion": botocore.__version__,
        "cases": cases,
    }
    out = pathlib.Path(__file__).with_name("fixtures.json")
    out.write_text(json.dumps(fixtures, indent=2) + "\n")
    print("wrote {} cases to {}".format(len(cases), out))


if __name__ == "__main__":
    main()
