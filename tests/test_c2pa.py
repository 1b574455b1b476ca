"""C2PA reading: a manifest signed here (test CA made on the fly), tampering, absence, damage."""

import datetime as dt
import io
import json

import numpy as np
import pytest
from PIL import Image

from genai.provenance import inspect, read_c2pa

c2pa = pytest.importorskip("c2pa")
AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _signer():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Deepfake Lab tests")])

    now = dt.datetime.now(dt.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def cert(subject, issuer, public, signing_key, ca):
        b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public)
             .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
             .not_valid_after(now + dt.timedelta(days=7))
             .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if ca:
            b = b.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
        else:
            b = (b.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), True)
                 .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
                 .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False))
        return b.sign(signing_key, hashes.SHA256())

    ca = cert(name("Test CA"), name("Test CA"), ca_key.public_key(), ca_key, True)
    leaf = cert(name("Test signer"), ca.subject, key.public_key(), ca_key, False)
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return c2pa.Signer.from_info(c2pa.C2paSignerInfo(alg=b"es256", sign_cert=chain, private_key=pem, ta_url=None))


def jpeg_bytes(seed=0) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.random.RandomState(seed).randint(0, 256, (64, 96, 3), dtype=np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def signed() -> bytes:
    manifest = {"claim_generator_info": [{"name": "Some Image Generator", "version": "2.1"}], "title": "news.jpg",
                "assertions": [{"label": "c2pa.actions",
                                "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": AI}]}}]}
    out = io.BytesIO()
    with c2pa.Builder(json.dumps(manifest)) as builder:
        builder.sign(_signer(), "image/jpeg", io.BytesIO(jpeg_bytes()), out)
    return out.getvalue()


def test_signed_manifest_is_read_with_its_claim(signed):
    report = read_c2pa(signed)
    assert report["status"] == "found" and report["validation_state"] == "Valid"
    assert report["claim"] == "generated" and "trainedAlgorithmicMedia" in report["digital_source_types"]
    assert report["claim_generator"].startswith("Some Image Generator") and report["title"] == "news.jpg"
    assert any("untrusted" in p for p in report["problems"])  # we ship no trust list


def test_editing_a_signed_image_invalidates_it(signed):
    tampered = bytearray(signed)
    tampered[-200] ^= 0xFF  # inside the compressed image data, after the manifest
    report = read_c2pa(bytes(tampered))
    assert report["status"] in ("found", "damaged")
    assert report["validation_state"] != "Valid"


def test_plain_and_other_files():
    assert read_c2pa(jpeg_bytes())["status"] == "not_found"
    assert read_c2pa(b"GIF89a")["status"] == "not_found"
    assert read_c2pa(b"\xff\xd8\xff\xeb\x00\x10JP\x00\x00garbage-jumbf")["status"] in ("damaged", "not_found")


def test_detector_counts_a_valid_ai_manifest_as_a_claim(signed):
    from detectors.detector import combine

    p, decided = combine(0.1, inspect(signed))
    assert decided == "c2pa" and p == 0.95
