"""backends/http.py: the JSON providers' client on httpx2, the bridge to httpx transports,
and HTTP errors of both libraries read as one Failure (and as the retries read them)."""

import asyncio

import httpx
import httpx2
import pytest

from summarizer.backends.http import (
    bearer,
    error_message,
    http_failure,
    json_client,
    post_json,
    status_of,
)
from summarizer.backends.retry import is_refusal, is_transient, retry_after_seconds


def _post(handler, body=None):
    async def go():
        async with json_client("http://127.0.0.1:9/v1", bearer("k", (("X-Org", "o"),)), 5.0,
                               httpx.MockTransport(handler)) as client:
            return await post_json(client, "/chat/completions", body or {"a": 1})
    return asyncio.run(go())


def test_a_request_goes_as_json_with_the_key_and_the_account_headers():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(url=str(request.url), headers=dict(request.headers), body=request.content)
        return httpx.Response(200, json={"ok": True})

    response = _post(handler, {"model": "m", "text": "é"})
    assert response.json() == {"ok": True}
    assert seen["url"] == "http://127.0.0.1:9/v1/chat/completions"
    assert seen["headers"]["authorization"] == "Bearer k" and seen["headers"]["x-org"] == "o"
    assert seen["headers"]["content-type"] == "application/json"
    assert httpx.Response(200, content=seen["body"]).json() == {"model": "m", "text": "é"}


@pytest.mark.parametrize(("body", "said"), [
    (b'{"error": {"message": "model not found", "type": "invalid_request_error"}}',
     "model not found"),
    (b'{"error": "model \\"x\\" not found"}', 'model "x" not found'),
    (b'{"message": "bad schema"}', "bad schema"),
    (b"<html>  Bad\n gateway </html>", "<html> Bad gateway </html>"),
    (b"", "Bad Request"),
])
def test_a_refusal_is_raised_in_the_servers_words(body, said):
    response = httpx2.Response(400, content=body)
    assert error_message(response) == said
    with pytest.raises(httpx2.HTTPStatusError) as err:
        _post(lambda request: httpx.Response(400, content=body))
    failure = http_failure(err.value)
    assert failure is not None and failure.status == 400 and failure.message == said
    assert not is_transient(err.value)


def test_a_429_is_transient_a_refusal_and_carries_its_retry_after():
    with pytest.raises(httpx2.HTTPStatusError) as err:
        _post(lambda request: httpx.Response(429, headers={"Retry-After": "3"},
                                             json={"error": {"message": "slow down"}}))
    assert status_of(err.value) == 429 and is_transient(err.value) and is_refusal(err.value)
    assert retry_after_seconds(err.value) == 3.0


@pytest.mark.parametrize(("raised", "timeout"), [
    (httpx.ConnectError("refused"), False),
    (httpx.ReadTimeout("slow"), True),
    (httpx.RemoteProtocolError("cut"), False),
])
def test_an_httpx_transports_failure_comes_out_as_httpx2s_of_the_same_name(raised, timeout):
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    with pytest.raises(httpx2.TransportError) as err:
        _post(handler)
    assert type(err.value).__name__ == type(raised).__name__
    failure = http_failure(err.value)
    assert failure is not None and failure.status is None and failure.timeout is timeout
    assert is_transient(err.value)
    # and an httpx error read directly (a provider on plain httpx) reads the same
    direct = http_failure(raised)
    assert direct is not None and direct.timeout is timeout


def test_no_key_sends_no_authorization():
    assert bearer("") == {} and bearer("", (("OpenAI-Project", "p"),)) == {
        "OpenAI-Project": "p"}
