"""html_to_text on lxml.etree's plain elements gives the text lxml.html's elements gave (issue 16)."""
from __future__ import annotations

import lxml.etree
import lxml.html
import pytest

from connectors.containers import html_text

ODD = ["<p>Jane&nbsp;Smith</p><p>07700 900123</p>", "<table><tr><td>Jane</td><td>Smith</td></tr></table>",
       "<!-- only a comment -->", "<?xml version='1.0' encoding='utf-8'?><p>x</p>", "plain text, no tags",
       "<html/>", "<script>var a = '<p>x</p>';</script><style>p {}</style><p>seen</p>", "<p>unclosed <b>bold",
       "<head><title>Title</title></head><body>Body</body>", "&amp;&lt;&#169;&#x1F600;", "<br><br/><br >",
       "<div>a<div>b<span>c</span>d</div>e</div>", "\x00<p>nul</p>", "<p>Zoë Brontë ünal</p>", "<", "<>", "  \n ",
       "<ul><li>one<li>two</ul>", "<p>a</p>\n\n\n<p>b</p>", "<![CDATA[x]]><p>y</p>", "<svg><text>z</text></svg>"]


def _as_before(html: str) -> str:
    """html_to_text as it was, on lxml.html's elements."""
    if not html.strip():
        return ""
    try:
        doc = lxml.html.document_fromstring(html)
        lxml.etree.strip_elements(doc, "script", "style", "head", with_tail=False)
        for element in doc.iter(*html_text._BLOCKS):
            element.tail = "\n" + (element.tail or "")
        text = doc.text_content()
    except (lxml.etree.LxmlError, ValueError, TypeError):
        text = html_text._TAGS.sub(" ", html)
    text = html_text._SPACES.sub(" ", text)
    return html_text._BLANK_LINES.sub("\n\n", text).strip()


@pytest.mark.parametrize("html", ODD)
def test_the_same_text_as_lxml_html_gave(html):
    assert html_text.html_to_text(html) == _as_before(html)
