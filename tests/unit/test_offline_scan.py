"""sanitize.offline: a chapter as rendered loads nothing from the network, and markup that
cannot load anything is not parsed at all (``_MAY_LOAD``) — never a resource let through."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzpublish import sanitize
from kzpublish.errors import ManuscriptError

LOADING = [
    '<p STYLE = "background: url(http://cdn.example/a.png)">x</p>',
    '<img Src="//cdn.example/b.png" alt="">',
    '<img alt="" srcSet="a.png 1x, https://cdn.example/c.png 2x">',
    '<object DATA="https://cdn.example/d.swf"></object>',
    '<link rel="stylesheet" xlink:HREF="https://cdn.example/e.css">',
    "<Style>p { background: url('https://cdn.example/f.png') }</STYLE>",
    '<video poster\n=\n"http://cdn.example/g.png"></video>',
]


@pytest.mark.parametrize("html", LOADING)
def test_a_remote_resource_in_the_rendered_chapter_is_an_error(html: str) -> None:
    with pytest.raises(ManuscriptError):
        sanitize.offline(f"<p>Before.</p>\n{html}\n", Path("ch.md"), [])


def test_markup_that_loads_nothing_passes() -> None:
    body = '<h1 id="t">T</h1>\n<p>Data, style and a source <kz-cite n="1"></kz-cite>.</p>\n'
    sanitize.offline(body, Path("ch.md"), [])
    sanitize.offline('<p><a href="https://example.org">a link</a></p>', Path("ch.md"), [])


_NAMES = st.sampled_from(["src", "SRC", "srcset", "href", "xlink:href", "data", "style",
                          "Style", "poster", "background", "id", "n", "alt", "data-src"])
_VALUES = st.sampled_from(["https://cdn.example/a.png", "//cdn.example/b", "a.png",
                           "url(http://cdn.example/c.png)", "color: red", "&#47;&#47;x/y"])
_ATTRIBUTE = st.builds(lambda name, space, value: f'{name}{space}="{value}"',
                       _NAMES, st.sampled_from(["", " ", "\n"]), _VALUES)
_TAG = st.builds(lambda tag, attributes: f"<{tag} {' '.join(attributes)}>",
                 st.sampled_from(["img", "a", "p", "object", "link", "style", "kz-cite"]),
                 st.lists(_ATTRIBUTE, max_size=2))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_TAG, st.sampled_from(["text ", "</p>", "@import url(//x/y); "])),
                max_size=5))
def test_what_the_full_scan_finds_is_never_skipped(parts: list[str]) -> None:
    body = "".join(parts)
    _, findings = sanitize._Cleaner(untrusted=False).fragment(body)
    if findings:
        assert sanitize._MAY_LOAD.search(body)
