#!/usr/bin/env python3
"""boto3 against a running `cks serve`: botocore's paginators, modeled exceptions, crypto and CloudHSMv2.

Run by Boto3EndToEndTests (Swift) with the server's credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
Prints "ok: <check>" for each check that passes; exits 1 at the first one that fails. Every wait is bounded.

Usage: boto3_e2e.py --endpoint http://127.0.0.1:PORT --trust-anchor-file customerCA.crt \
                    [--spare-cluster cluster-3sparecapac] [--password SpareCluster1]
"""
import argparse
import base64
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError


def fail(message):
    print(f"FAILED: {message}", flush=True)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def ok(check):
    print(f"ok: {check}", flush=True)


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    fail("expected an error, the call succeeded")


def client(service, endpoint, **credentials):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        config=Config(retries={"total_max_attempts": 1}), **credentials)


def wait_for(kms, store_id, wanted, bound=60.0):
    deadline = time.monotonic() + bound
    while True:
        store = kms.describe_custom_key_stores(CustomKeyStoreId=store_id)["CustomKeyStores"][0]
        if store["ConnectionState"] == wanted:
            return store
        if time.monotonic() > deadline:
            fail(f"{store_id} did not become {wanted} within {bound} s (it is {store['ConnectionState']})")
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--trust-anchor-file", required=True)
    parser.add_argument("--spare-cluster", default="cluster-3sparecapac")
    parser.add_argument("--password", default="SpareCluster1")
    args = parser.parse_args()
    if not args.endpoint.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        fail("refusing a non-loopback endpoint")
    kms = client("kms", args.endpoint)
    hsm = client("cloudhsmv2", args.endpoint)

    pages = list(kms.get_paginator("describe_custom_key_stores").paginate(PaginationConfig={"PageSize": 2}))
    stores = [s for page in pages for s in page["CustomKeyStores"]]
    expect(len(pages) >= 4, f"expected at least 4 pages of 2, got {len(pages)}")
    expect(len({s["CustomKeyStoreId"] for s in stores}) == len(stores) >= 7, f"stores: {len(stores)}")
    expect(all(page["Truncated"] == ("NextMarker" in page) for page in pages), "Truncated and NextMarker disagree")
    ok("describe_custom_key_stores paginator")

    with open(args.trust_anchor_file) as f:
        anchor = f.read()
    store_id = kms.create_custom_key_store(CustomKeyStoreName="boto3-store", CloudHsmClusterId=args.spare_cluster,
                                           TrustAnchorCertificate=anchor, KeyStorePassword=args.password)["CustomKeyStoreId"]
    expect(kms.connect_custom_key_store(CustomKeyStoreId=store_id)["ResponseMetadata"]["HTTPStatusCode"] == 200, "connect")
    wait_for(kms, store_id, "CONNECTED")
    try:
        kms.delete_custom_key_store(CustomKeyStoreId=store_id)
        fail("deleting a CONNECTED store succeeded")
    except kms.exceptions.CustomKeyStoreInvalidStateException:
        pass
    ok("create and connect")

    key_id = kms.create_key(CustomKeyStoreId=store_id, Origin="AWS_CLOUDHSM", Description="boto3")["KeyMetadata"]["KeyId"]
    all_keys = [k for page in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 5}) for k in page["Keys"]]
    expect(key_id in [k["KeyId"] for k in all_keys], "the new key is not listed")
    expect(len({k["KeyId"] for k in all_keys}) == len(all_keys), "a key was listed twice")
    ok("list_keys paginator")

    blob = kms.encrypt(KeyId=key_id, Plaintext=b"boto3 secret")["CiphertextBlob"]
    answer = kms.decrypt(CiphertextBlob=blob)
    expect(answer["Plaintext"] == b"boto3 secret", "decrypt returned something else")
    expect(answer["KeyId"].endswith(key_id), "decrypt names another key")
    other = kms.create_key(CustomKeyStoreId=store_id, Origin="AWS_CLOUDHSM")["KeyMetadata"]["KeyId"]
    try:
        kms.decrypt(CiphertextBlob=blob, KeyId=other)
        fail("decrypt with another KeyId succeeded")
    except kms.exceptions.IncorrectKeyException:
        pass
    ok("encrypt/decrypt")

    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionContext={"a": "1", "b": "2"})["CiphertextBlob"]
    kms.decrypt(CiphertextBlob=blob, EncryptionContext={"b": "2", "a": "1"})
    try:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "1"})
        fail("decrypt with another encryption context succeeded")
    except kms.exceptions.InvalidCiphertextException:
        pass
    ok("encryption context")

    data_key = kms.generate_data_key(KeyId=key_id, KeySpec="AES_256")
    expect(len(data_key["Plaintext"]) == 32, "AES_256 data key is not 32 bytes")
    expect(kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"])["Plaintext"] == data_key["Plaintext"], "data key round trip")
    expect(len(kms.generate_data_key(KeyId=key_id, NumberOfBytes=7)["Plaintext"]) == 7, "NumberOfBytes")
    ok("generate_data_key")

    expect(len(kms.generate_random(NumberOfBytes=24, CustomKeyStoreId=store_id)["Plaintext"]) == 24, "generate_random")
    ok("generate_random")

    kms.disconnect_custom_key_store(CustomKeyStoreId=store_id)
    wait_for(kms, store_id, "DISCONNECTED")
    try:
        kms.encrypt(KeyId=key_id, Plaintext=b"x")
        fail("encrypt with an Unavailable key succeeded")
    except kms.exceptions.KMSInvalidStateException as error:
        expect(error.response["Error"]["Message"].endswith("is unavailable."), error.response["Error"]["Message"])
    expect(kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Unavailable", "DescribeKey is not Unavailable")
    try:
        kms.generate_random(NumberOfBytes=8, CustomKeyStoreId=store_id)
        fail("generate_random on a DISCONNECTED store succeeded")
    except kms.exceptions.CustomKeyStoreInvalidStateException:
        pass
    ok("unavailable key")

    wrong = client("kms", args.endpoint, aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="wrong")
    code = error_code(wrong.list_keys)
    expect(code == "InvalidSignatureException", f"wrong secret gave {code}")
    ok("wrong secret")
    stranger = client("kms", args.endpoint, aws_access_key_id="AKIASTRANGER00000000", aws_secret_access_key="x")
    code = error_code(stranger.list_keys)
    expect(code == "UnrecognizedClientException", f"unknown access key gave {code}")
    ok("unknown access key")

    clusters = [c for page in hsm.get_paginator("describe_clusters").paginate(PaginationConfig={"PageSize": 2})
                for c in page["Clusters"]]
    expect(len(clusters) == 9 and len({c["ClusterId"] for c in clusters}) == 9, f"clusters: {len(clusters)}")
    active = hsm.describe_clusters(Filters={"states": ["ACTIVE"]})["Clusters"]
    expect(all(c["State"] == "ACTIVE" for c in active) and len(active) == 8, f"ACTIVE clusters: {len(active)}")
    ok("describe_clusters paginator")

    code = error_code(lambda: kms.describe_custom_key_stores(CustomKeyStoreId=store_id, CustomKeyStoreName="boto3-store"))
    expect(code == "ValidationException", f"Id and Name together gave {code}")
    try:
        kms.list_keys(Limit=0)
        fail("botocore accepted Limit=0")
    except ParamValidationError:
        pass
    ok("validation")


if __name__ == "__main__":
    main()
