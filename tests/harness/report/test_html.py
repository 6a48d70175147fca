"""The HTML report: its order, that it loads nothing from a network, that hostile text stays
text, that a real browser opens it cleanly, and the PDF made from it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape

from harness.campaign.run import run_plan
from harness.errors import UsageError
from harness.plan.resolve import load_plan
from harness.report.html import render_html
from harness.report.model import Report
from harness.report.reproduce import reproduce_command
from harness.results import Outcome

HOSTILE = "<script>alert(1)</script>"
CDATA = "no ]]> end & <b>bold</b>"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip


@pytest.fixture
def report(reach_plan) -> Report:  # type: ignore[no-untyped-def]
    """A fast run in which half the episodes end in a skill error."""
    return run_plan(load_plan(reach_plan(params={"behaviour": "raise", "rate": 0.5})))


def hostile(report: Report) -> Report:
    """The report with a skill, plan, reason and scenario that try to become markup."""
    plan = report.plan.model_copy(update={"skill": HOSTILE, "name": f"plan {HOSTILE}"})
    episodes = [e.model_copy(update={"reason": CDATA}) for e in report.episodes]
    dimensions = [report.dimensions[0].model_copy(update={"reason": CDATA}), *report.dimensions[1:]]
    return report.model_copy(
        update={"plan": plan, "verdict_reason": CDATA, "episodes": episodes, "dimensions": dimensions}
    )


def test_the_dimensions_come_first_in_order_then_scenarios_gates_and_failed_episodes(report: Report) -> None:
    page = render_html(report)
    found = re.findall(r'data-dimension="(\w+)"', page)
    assert found == ["success", "efficiency", "safety", "reliability", "economics"]
    positions = [page.index(f'id="{anchor}"') for anchor in ("dimensions", "scenarios", "gates", "failed")]
    assert positions == sorted(positions)
    assert page.index('data-dimension="economics"') < page.index('id="scenario-1"')


def test_every_gate_has_its_section_rule_and_operating_characteristic(report: Report) -> None:
    page = render_html(report)
    for number, gate in enumerate(report.gates, start=1):
        section = page.split(f'id="gate-{number}"')[1].split("</article>")[0]
        assert str(escape(gate.rule)) in section
        assert gate.verdict.value.upper() in section
        assert ("<svg" in section) == (gate.operating_characteristic is not None)


def test_the_failed_episodes_table_holds_every_failure_with_its_reproduce_command(report: Report) -> None:
    failed = [e for e in report.episodes if e.outcome is not Outcome.SUCCESS]
    assert failed, "the fixture's run should fail some episodes"
    table = render_html(report).split('id="failed"')[1]
    for episode in failed:
        command = str(escape(reproduce_command(report, episode)))
        assert command in table
        assert f'<td class="n">{episode.seed}</td>' in table
    assert table.count("Reproduce:") == len(failed)


def test_nothing_is_loaded_from_a_network(report: Report) -> None:
    page = render_html(report)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert not re.search(r"url\((?!#)|@import|<link|<script", page)  # url(#id): an SVG clip path
    # namespaces name a URL but load nothing; no other URL appears
    assert not re.findall(r"https?://(?!www\.w3\.org/)", page)


def test_the_same_report_renders_the_same_bytes(report: Report) -> None:
    assert render_html(report) == render_html(report)


def test_hostile_text_is_escaped_and_shown_literally(report: Report) -> None:
    page = render_html(hostile(report))
    assert "<script" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "no ]]&gt; end &amp; &lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.browser
def test_a_browser_opens_it_from_disk_with_no_error_and_no_request(report: Report, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    path = tmp_path / "report.html"
    path.write_text(render_html(hostile(report)), encoding="utf-8")
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
        page.goto(path.as_uri())
        title = page.locator("h1").inner_text()
        page.screenshot(path=str(tmp_path / "report.png"))
        browser.close()
    assert requests == [path.as_uri()]
    assert errors == []
    assert HOSTILE in title
    assert (tmp_path / "report.png").stat().st_size > 0


@pytest.mark.browser  # runs where CI installs the pdf extra and Pango
def test_the_pdf_is_paginated_from_the_same_page(report: Report) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    from harness.report.pdf import render_pdf

    pdf = render_pdf(hostile(report))
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    pages = weasyprint.HTML(string=render_html(hostile(report))).render().pages
    assert len(pages) >= 4  # the title and dimensions, scenarios, gates, failed episodes


def test_without_weasyprint_the_pdf_says_how_to_install_it(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from harness.report.pdf import render_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(UsageError, match=re.escape("pip install 'roboverify[pdf]'")):
        render_pdf(report)


def test_the_template_ships_with_the_package() -> None:
    templates = Path(__file__).parents[3] / "harness" / "report" / "templates"
    assert (templates / "report.html.j2").exists()
    assert shutil.which("roboverify") is None or templates.is_dir()
