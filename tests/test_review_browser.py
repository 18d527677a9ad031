"""A review end to end in headless Chromium (Selenium with Debian's chromium-driver): open the
served page, correct a count with the keyboard, reject a fact, add a missing casualty by
selecting its quote, mark the brief reviewed; the server is stopped and started again and
the reload finds it all kept; then `gold export` and an eval over the exported set."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from summarizer.review.app import create_app  # noqa: E402
from summarizer.review.store import load_review  # noqa: E402

from .cli import run_cli  # noqa: E402
from .conftest import ROOT  # noqa: E402

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium and chromium-driver not installed (apt-get install chromium "
    "chromium-driver): the review browser test is skipped")

KHARKIV = "a-kharkiv-drone-strike.txt"
TOKEN = "browser-token"
SELECT = """
const [quote] = arguments;
const article = document.getElementById("article");
const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(quote);
  if (at >= 0) {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + quote.length);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return true;
  }
}
return false;
"""


class Served:
    """The review app on a loopback port, in a thread: stopped as a killed server would be
    (nothing flushed on the way out) and started again on the same port."""

    def __init__(self, out: Path) -> None:
        self.out = out
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        app, _ = create_app(self.out, "ann", token=TOKEN)
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            threading.Event().wait(0.02)

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.force_exit = self.server.should_exit = True
        self.thread.join(10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}?token={TOKEN}"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    for name in (KHARKIV, "b-niamey-prison-riot.txt"):
        shutil.copy(ROOT / "evals" / "articles" / name, tmp_path / "in" / name)
    done = run_cli(["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--backend",
                    "rules", "--no-cache", "--quiet"])
    assert done.returncode == 0, done.stderr
    return tmp_path / "out"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def _ready(driver: webdriver.Chrome) -> None:
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-review") == "ready")


def _press(driver: webdriver.Chrome, keys: str) -> None:
    """Keys that save a change: wait for the page to come back after its reload."""
    driver.execute_script("window.beforeReload = true;")  # gone once the page is new
    ActionChains(driver).send_keys(keys).perform()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return window.beforeReload === undefined && "
        "document.documentElement.getAttribute('data-review') === 'ready';"))
    assert driver.find_element(By.ID, "msg").text == ""


def test_a_review_in_chromium_survives_a_restart_and_becomes_gold(
        out: Path, browser: webdriver.Chrome, tmp_path: Path) -> None:
    served = Served(out)
    served.start()
    try:
        browser.get(served.url(f"/brief/{KHARKIV}"))
        _ready(browser)
        assert browser.find_element(By.ID, "total-killed").text == "8"
        facts = len(browser.find_elements(By.CSS_SELECTOR, ".fact"))
        ActionChains(browser).send_keys("j").perform()  # the first fact: the casualty record
        _press(browser, "+")  # eight killed -> nine
        assert browser.find_element(By.ID, "total-killed").text == "9"
        ActionChains(browser).send_keys("j").perform()  # focus kept; on to the first actor
        _press(browser, "x")
        assert len(browser.find_elements(By.CSS_SELECTOR, ".fact")) == facts - 1
        assert browser.execute_script(SELECT, "six people were dead")
        _press(browser, "c")
        assert len(browser.find_elements(By.CSS_SELECTOR, ".fact")) == facts
        _press(browser, "m")
        assert browser.find_element(By.ID, "status").text == "reviewed"
        browser.save_screenshot(str(tmp_path / "review.png"))
    finally:
        served.stop()

    served.start()  # a new server process would read the same files
    try:
        browser.get(served.url(f"/brief/{KHARKIV}"))
        _ready(browser)
        assert browser.find_element(By.ID, "total-killed").text == "9"
        assert browser.find_element(By.ID, "status").text == "reviewed"
        assert len(browser.find_elements(By.CSS_SELECTOR, ".fact")) == facts
        browser.get(served.url("/"))
        assert "reviewed 1 of 2" in browser.find_element(By.ID, "progress").text
    finally:
        served.stop()

    review = load_review(out / "reviews" / "ann" / f"{KHARKIV}.json")
    assert review is not None and review.status == "reviewed"
    added = next(e for e in review.edits if e.op == "add")
    quote = json.loads(added.model_dump_json())["value"]["evidence"][0]
    text = json.loads((out / "briefs.jsonl").read_text().splitlines()[0])["article_text"]
    assert text[quote["start"]:quote["end"]] == quote["quote"] == "six people were dead"

    gold = tmp_path / "gold"
    done = run_cli(["gold", "export", str(out), "--to", str(gold)])
    assert done.returncode == 0, done.stderr
    report = tmp_path / "eval"
    done = run_cli(["eval", "--dataset", str(gold), "--backend", "rules", "--out", str(report)])
    assert done.returncode == 0, done.stderr
    scored = json.loads((report / "report.json").read_text())
    assert scored["meta"]["n_articles"] == 1
    assert scored["metrics"]["schema.valid_rate"]["values"]["rules"]["value"] == 1.0
