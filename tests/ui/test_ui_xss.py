"""Scraped content is hostile: it is rendered as text only, and no template may mark it safe."""

from __future__ import annotations

import re
from pathlib import Path

import review_ui

TEMPLATES = Path(review_ui.__file__).parent / "templates"
CODE = Path(review_ui.__file__).parent


def test_no_template_marks_anything_safe():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b", text), f"{path.name} uses |safe"
        assert "autoescape false" not in text.replace(" ", " "), f"{path.name} turns escaping off"
        assert "Markup" not in text, path.name


def test_no_python_module_builds_markup():
    for path in CODE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "Markup" not in text and "markupsafe" not in text, path.name
        assert "autoescape=False" not in text and "autoescape = False" not in text, path.name


def test_templates_have_no_inline_script_or_style():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert "<style" not in text and " style=" not in text, path.name
        assert not re.search(r"\son[a-z]+=", text), path.name


def test_xss_payloads_render_inert(officer, world):
    html = officer.get(f"/ads/{world.seeded.xss_ad}").text
    assert "<script>window" not in html and "<img src=x" not in html
    assert 'href="javascript:' not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned = 1" in html
    assert "&lt;b&gt;Evil&lt;/b&gt;" in html
    assert "onerror=&#34;window.__pwned=2&#34;" in html or "onerror=&quot;" in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/ui.js" defer>']
    queue = officer.get("/queue").text
    assert "<b>Evil</b>" not in queue and "&lt;b&gt;Evil&lt;/b&gt;" in queue


def test_highlighted_spans_inside_hostile_text_stay_escaped(officer, world):
    html = officer.get(f"/ads/{world.seeded.xss_ad}").text
    assert '<mark class="hl">ze komt graag bij je langs</mark>' in html
    assert '<mark class="hl">nieuw in Houten</mark>' in html
