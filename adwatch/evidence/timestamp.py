"""RFC 3161 timestamps from a configured authority (off by default).

In a pack: after SHA256SUMS is written, its hash (the pack digest) is stamped; the token is the
member `SHA256SUMS.tsr`, outside the SHA256SUMS it stamps. The same calls seal chain heads and
finished crawl WARC files (`adwatch.evidence.sealing`).
"""

from __future__ import annotations

import urllib.request

from rfc3161_client import HashAlgorithm, TimestampRequestBuilder, decode_timestamp_response

from adwatch.errors import AdwatchError

TIMEOUT_S = 30
GRANTED = (0, 1)  # granted, grantedWithMods


class TimestampError(AdwatchError):
    """The timestamp authority could not be reached or gave an unusable answer."""


def request_timestamp(tsa_url: str, data: bytes, digest: str) -> bytes:
    """Ask the authority to stamp the data's SHA-256; return its DER TimeStampResp."""
    request = TimestampRequestBuilder().data(data).hash_algorithm(HashAlgorithm.SHA256).build()
    answer = _post(tsa_url, request.as_bytes())
    problem = token_problem(answer, digest, nonce=request.nonce)
    if problem:
        raise TimestampError(f"timestamp authority {tsa_url}: {problem}")
    return answer


def _post(url: str, body: bytes) -> bytes:
    headers = {"Content-Type": "application/timestamp-query"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.read()
    except OSError as exc:
        raise TimestampError(f"timestamp authority {url} could not be reached: {exc}") from exc


def token_problem(answer: bytes, digest: str, nonce: int | None = None) -> str | None:
    """Why the timestamp response does not stamp this digest, or None when it does."""
    try:
        response = decode_timestamp_response(answer)
    except ValueError as exc:
        return f"not a readable RFC 3161 timestamp response: {exc}"
    if response.status not in GRANTED:
        return f"the authority refused: status {response.status} {response.status_string}"
    info = response.tst_info
    if info.message_imprint.message.hex() != digest.removeprefix("sha256:"):
        return "the timestamp is not of this digest"
    if nonce is not None and info.nonce != nonce:
        return "the answer does not carry the nonce of the request"
    return None


def stamped_at(answer: bytes) -> str:
    """The time the authority put in the token, in ISO 8601 UTC."""
    return decode_timestamp_response(answer).tst_info.gen_time.isoformat()


def signature_problem(answer: bytes, data: bytes, certificate_pem: bytes) -> str | None:
    """Why the token is not signed by the authority of this certificate, or None when it is."""
    from cryptography import x509
    from rfc3161_client import VerificationError, VerifierBuilder

    certificate = x509.load_pem_x509_certificate(certificate_pem)
    verifier = VerifierBuilder().add_root_certificate(certificate).build()
    try:
        verifier.verify_message(decode_timestamp_response(answer), data)
    except (VerificationError, ValueError) as exc:
        return f"not signed by the given timestamp authority: {exc}"
    return None
