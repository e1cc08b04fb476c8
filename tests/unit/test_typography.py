"""Typography, table-driven: what each language's rules make of text and HTML.

In the tables ``~`` stands for a non-breaking space (U+00A0); no input holds one.
Every case is also checked for idempotence: setting the result again changes nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from kzpublish import citations, config, csl, reader, typography
from kzpublish.errors import SourcePos
from kzpublish.model import Book, Chapter, Citation, CiteItem, Heading, Metadata
from kzpublish.typography import typeset_html, typeset_text
from tests.conftest import REPO

NBSP = "\u00a0"


def _nb(text: str) -> str:
    return text.replace("~", NBSP)


RU_TEXT = [
    # quotes: start, end, nesting, punctuation, existing quotes
    ('"Слово"', "«Слово»"),
    ('Он сказал "привет"', "Он сказал «привет»"),
    ('"Он сказал: "Привет" и ушёл"', "«Он сказал: „Привет“ и~ушёл»"),
    ('"книга "Война и мир""', "«книга „Война и~мир“»"),
    ('"Да", - сказал он.', "«Да»,~— сказал он."),
    ('("Слово")', "(«Слово»)"),
    ('Итак: "да"!', "Итак: «да»!"),
    ("“Слово”", "«Слово»"),
    ("«Один пояс, один путь»", "«Один пояс, один путь»"),
    ("«Он сказал: „Привет“»", "«Он сказал: „Привет“»"),
    ('«Он сказал: "Привет"»', "«Он сказал: „Привет“»"),
    ('слово"', "слово»"),
    ("д'Артаньян", "д’Артаньян"),
    # dashes
    ("Москва - столица", "Москва~— столица"),
    ("Москва -- столица", "Москва~— столица"),
    ("Москва --- столица", "Москва~— столица"),
    ("диалог ЕС – Центральная Азия", "диалог ЕС~— Центральная Азия"),
    ("СНГ — организация", "СНГ~— организация"),
    ("слово--слово", "слово~— слово"),
    ("а в 2025 — соглашение", "а~в~2025~— соглашение"),
    ("строка\n— продолжение", "строка~— продолжение"),
    ("— Да, — сказал он.", "—~Да,~— сказал он."),
    ("5 - 3 = 2", "5 - 3 = 2"),
    ("1941 – 1945", "1941 – 1945"),
    # number ranges
    ("1-12", "1–12"),
    ("(1-2)", "(1–2)"),
    ("1--12", "1–12"),
    ("1990-2000 гг.", "1990–2000~гг."),
    ("2022-06-01", "2022-06-01"),
    ("8-800-555-35-35", "8-800-555-35-35"),
    ("12345-6", "12345-6"),
    ("1990-х годов", "1990-х годов"),
    ("30-летнюю", "30-летнюю"),
    ("COVID-19", "COVID-19"),
    ("2,5-3", "2,5-3"),
    # one-letter words: at the start, after punctuation, across a line break
    ("В доме и в саду", "В~доме и~в~саду"),
    ("Я знаю", "Я~знаю"),
    ("Да, а потом", "Да, а~потом"),
    ("(и так далее)", "(и~так далее)"),
    ("о нём; у них; к 19 января", "о~нём; у~них; к~19 января"),
    ("и\nв саду", "и~в~саду"),
    ("слово в", "слово в"),
    ("из-за угла", "из-за угла"),
    ("со стороны", "со стороны"),
    # initials
    ("А. С. Пушкин", "А.~С.~Пушкин"),
    ("А.С. Пушкин", "А.С.~Пушкин"),
    ("Пушкин А. С.", "Пушкин~А.~С."),
    ("Джойрман, Сандра Ф., и Тулепбаева", "Джойрман, Сандра~Ф., и~Тулепбаева"),
    ("Smith J. R.", "Smith~J.~R."),
    ("США. Бюджет", "США. Бюджет"),
    # abbreviations before numbers
    ("с. 31–50", "с.~31–50"),
    ("с. 31-50", "с.~31–50"),
    ("С. 12", "С.~12"),
    ("т. 2", "т.~2"),
    ("гл. 3, рис. 5, стр. 10", "гл.~3, рис.~5, стр.~10"),
    ("№ 5 и § 7", "№~5 и~§~7"),
    ("в с. Иваново", "в~с. Иваново"),
    ("т. е. всё", "т. е. всё"),
    # numbers with units and percent: the author's spacing kept, a space made fast
    ("11,6%", "11,6%"),
    ("11,6 %", "11,6~%"),
    ("1,2 трлн тенге", "1,2~трлн тенге"),
    ("$1,5 млрд", "$1,5~млрд"),
    ("2,5 миллиарда долларов", "2,5~миллиарда долларов"),
    ("5 тыс. руб.", "5~тыс. руб."),
    ("10 км, 3 кг", "10~км, 3~кг"),
    ("2022 г.", "2022~г."),
    ("в 2022 году", "в~2022 году"),
    # ellipsis
    ("Итак...", "Итак…"),
]

EN_TEXT = [
    ('"Hello," she said.', "“Hello,” she said."),
    ('He said "hi"', "He said “hi”"),
    ('"She said \'hi\' to me"', "“She said ‘hi’ to me”"),
    ("\"'Hi,' he said\"", "“‘Hi,’ he said”"),
    ('("quoted")', "(“quoted”)"),
    ("'single'", "‘single’"),
    ("don't", "don’t"),
    ("It's the '90s", "It’s the ’90s"),
    ("the dogs' bowls", "the dogs’ bowls"),
    ("rock'n'roll", "rock’n’roll"),
    # a single quote no quote closes is an apostrophe, as pandoc pairs them
    ("'Twas a night. 'Tis true.", "’Twas a night. ’Tis true."),
    ("He said 'hi' and 'Twas done.", "He said ‘hi’ and ’Twas done."),
    ("The '90s and 'em.", "The ’90s and ’em."),
    ("Rock 'n' roll.", "Rock ‘n’ roll."),
    ("“already” ‘curly’", "“already” ‘curly’"),
    ("pages 1--12", "pages 1–12"),
    ("a -- b", "a – b"),
    ("wait---what", "wait—what"),
    ("Well...", "Well…"),
    ("1-12 a - b", "1-12 a - b"),
    ("in a house", "in a house"),
]

HTML = [
    # quotes decided across inline tags, entities from markdown-it
    ("ru", '<p>"<em>слово</em>"</p>', "<p>«<em>слово</em>»</p>"),
    ("ru", "<p>&quot;<em>слово</em>&quot;</p>", "<p>«<em>слово</em>»</p>"),
    ("ru", '<p>"Слово <a href="#x">ссылка</a>"</p>', '<p>«Слово <a href="#x">ссылка</a>»</p>'),
    ("ru", '<p>"<em>"вложенные"</em>"</p>', "<p>«<em>„вложенные“</em>»</p>"),
    ("en", '<p>"<strong>Bold</strong>" text</p>', "<p>“<strong>Bold</strong>” text</p>"),
    # block boundaries close quotes; a line break does not
    ("ru", '<p>"открыта</p>\n<p>"новая"</p>', "<p>«открыта</p>\n<p>«новая»</p>"),
    ("ru", '<p>"строка<br>"вторая""</p>', "<p>«строка<br>„вторая“»</p>"),
    # spaces across tags
    ("ru", "<p>в <em>доме</em></p>", "<p>в~<em>доме</em></p>"),
    ("ru", "<p><em>в</em> доме</p>", "<p><em>в</em>~доме</p>"),
    ("ru", "<p>сло<em>в</em> доме</p>", "<p>сло<em>в</em> доме</p>"),
    # code, pre, kbd, samp, script, style, comments: untouched
    ("ru", '<p>и <code>"x" -- y</code></p>', '<p>и~<code>"x" -- y</code></p>'),
    ("ru", '<pre><code>"a" - b и в 1-2\n</code></pre>',
     '<pre><code>"a" - b и в 1-2\n</code></pre>'),
    ("ru", '<p><kbd>"a" - b</kbd> <samp>и в...</samp></p>',
     '<p><kbd>"a" - b</kbd> <samp>и в...</samp></p>'),
    ("ru", '<script>if (a<b) s = "a" - 1;</script><p>"x"</p>',
     '<script>if (a<b) s = "a" - 1;</script><p>«x»</p>'),
    ("en", '<style>p::before { content: "a -- b"; }</style>',
     '<style>p::before { content: "a -- b"; }</style>'),
    ("ru", '<!-- "x" - y --><p>"x"</p>', '<!-- "x" - y --><p>«x»</p>'),
    ("en", "<p><code>--flag</code> and 'x'</p>", "<p><code>--flag</code> and ‘x’</p>"),
    # attributes: untouched
    ("ru", '<p title="a - b &quot;x&quot; и в">и в</p>',
     '<p title="a - b &quot;x&quot; и в">и~в</p>'),
    ("en", '<a href="/a--b" title="don\'t">"y"</a>', '<a href="/a--b" title="don\'t">“y”</a>'),
    ("en", "<a title='don't'>\"y\"</a>", "<a title='don't'>“y”</a>"),  # unbalanced quotes
    # URLs: untouched, but the quotes around them are set
    ("ru", '<a href="https://thediplomat.com/">https://thediplomat.com/</a>',
     '<a href="https://thediplomat.com/">https://thediplomat.com/</a>'),
    ("ru", "<p>См. https://example.com/a--b_1-2 и далее</p>",
     "<p>См. https://example.com/a--b_1-2 и~далее</p>"),
    ("ru", '<p>"https://x.org/a--b"</p>', "<p>«https://x.org/a--b»</p>"),
    ("ru", "<p>www.site.kz/1-2 и a--b@mail.kz</p>", "<p>www.site.kz/1-2 и~a--b@mail.kz</p>"),
    ("en", "<p>Don't miss https://a.b/it's-1--2.</p>", "<p>Don’t miss https://a.b/it's-1--2.</p>"),
    # escaping: & < > stay escaped, &quot; becomes a quote mark
    ("ru", '<p>AT&amp;T - "да" &lt;b&gt;</p>', "<p>AT&amp;T~— «да» &lt;b&gt;</p>"),
    ("ru", '<h2 id="refs">Список литературы</h2>', '<h2 id="refs">Список литературы</h2>'),
]

OTHER_LANGUAGES = [  # pandoc's smart typography, the language's quotation marks (CLDR)
    ("de", '<p>&quot;a&quot; - b и в 1-2...</p>', "<p>„a“ - b и в 1-2…</p>"),
    ("de-DE", "<p>\"Zitat\" und 'einfach', Hans' Buch -- so --- 1900--1920, „Ort\"</p>",
     "<p>„Zitat“ und ‚einfach‘, Hans’ Buch – so — 1900–1920, „Ort“</p>"),
    ("fr", "<p>\"Bonjour\" l'ami -- oui</p>", "<p>«\u202fBonjour\u202f» l’ami – oui</p>"),
    ("kk", '<p>"Бір белдеу" - в 1-2</p>', "<p>«Бір белдеу» - в 1-2</p>"),
    ("pl", "<p>\"a 'b'\"</p>", "<p>„a «b»”</p>"),
    ("", '<p>"x" -- y</p>', "<p>“x” – y</p>"),
]


@pytest.mark.parametrize(("source", "expected"), RU_TEXT)
def test_russian_text(source: str, expected: str) -> None:
    assert typeset_text(source, "ru") == _nb(expected)


@pytest.mark.parametrize(("source", "expected"), EN_TEXT)
def test_english_text(source: str, expected: str) -> None:
    assert typeset_text(source, "en") == _nb(expected)


@pytest.mark.parametrize(("language", "source", "expected"), HTML)
def test_html(language: str, source: str, expected: str) -> None:
    assert typeset_html(source, language) == _nb(expected)


FRENCH_SPACING = [  # a narrow no-break space (^) inside « » and before ; ! ?, a no-break
    # space (~) before : — written spaces become them, missing ones are put in
    ('« Oui », dit-il. "Non" ?', "«^Oui^», dit-il. «^Non^»^?"),
    ("Vraiment? Oui! Enfin; bref: rien.", "Vraiment^? Oui^! Enfin^; bref~: rien."),
    ("Quoi ?! À 10:30, a?b et http://x.fr/a?b=c ; 10 € ; (note) : fin",
     "Quoi^?! À 10:30, a?b et http://x.fr/a?b=c^; 10 €^; (note)~: fin"),
    ("» Suite du dialogue", "» Suite du dialogue"),
    ("l'‹ art › et l'‹art›", "l’‹^art^› et l’‹^art^›"),
]


@pytest.mark.parametrize(("source", "expected"), FRENCH_SPACING)
def test_french_punctuation_spacing(source: str, expected: str) -> None:
    """Typed French lost its « » and ; : ! ? spacing (it broke at the line's end)."""
    result = typeset_text(source, "fr-CA")
    assert result == _nb(expected).replace("^", "\u202f")
    assert typeset_text(result, "fr") == result


def test_french_spacing_puts_no_space_into_a_citation() -> None:
    """The style's punctuation is the style's: a written space is tied, none is added."""
    source = ('<p>Voir <span class="citation">(Dupont; Durand : 3)</span>: '
              '<span class="csl-entry">Dupont. « Titre».</span></p>')
    assert typeset_html(source, "fr") == (
        '<p>Voir <span class="citation">(Dupont; Durand\u00a0: 3)</span>\u00a0: '
        '<span class="csl-entry">Dupont. «\u202fTitre».</span></p>')


@pytest.mark.parametrize(("language", "source", "expected"), OTHER_LANGUAGES)
def test_other_languages_get_pandocs_smart_typography(language: str, source: str,
                                                      expected: str) -> None:
    """Pandoc's ``smart`` sets quotes, dashes and ellipses in every language: a German
    book printed ``--`` and straight quotes as typed."""
    assert typeset_html(source, language) == expected
    text = html.unescape(source).removeprefix("<p>").removesuffix("</p>")
    assert f"<p>{typeset_text(text, language)}</p>" == html.unescape(expected)


@pytest.mark.parametrize("language", ["ru", "ru-KZ", "RU", "ru_RU"])
def test_the_primary_subtag_chooses_russian(language: str) -> None:
    assert typeset_text('"в доме"', language) == "«в\u00a0доме»"


@pytest.mark.parametrize("language", ["en", "en-GB", "en_US"])
def test_the_primary_subtag_chooses_english(language: str) -> None:
    assert typeset_text('"don\'t"', language) == "“don’t”"


@pytest.mark.parametrize(("language", "source"),
                         [("ru", s) for s, _ in RU_TEXT] + [("en", s) for s, _ in EN_TEXT])
def test_text_is_idempotent(language: str, source: str) -> None:
    once = typeset_text(source, language)
    assert typeset_text(once, language) == once


@pytest.mark.parametrize(("language", "source"), [(lang, s) for lang, s, _ in HTML])
def test_html_is_idempotent(language: str, source: str) -> None:
    once = typeset_html(source, language)
    assert typeset_html(once, language) == once


@pytest.mark.parametrize(("language", "markdown", "expected"), [
    ("en", 'He said "hi" -- and left...', "<p>He said “hi” – and left…</p>\n"),
    ("ru", 'Он сказал "привет" и ушёл', "<p>Он сказал «привет» и~ушёл</p>\n"),
    ("ru", '"Да", - сказал он. `"код" - 1`',
     '<p>«Да»,~— сказал он. <code>&quot;код&quot; - 1</code></p>\n'),
])
def test_markdown_it_output(language: str, markdown: str, expected: str) -> None:
    """markdown-it escapes " in text as &quot;: the rules must still see a quote."""
    rendered = MarkdownIt("commonmark").render(markdown)
    assert typeset_html(rendered, language) == _nb(expected)


def _book(language: str, html: str) -> Book:
    pos = SourcePos(Path("ch.md"), 1, 1)
    chapter = Chapter(id="ch01", source=pos, title='"Глава" - первая', html=html,
                      headings=(Heading(1, '"Глава" - первая', "glava"),),
                      citations=(Citation(1, (CiteItem("a", pos),)),), has_own_title=True)
    meta = Metadata(title='"Книга"', authors=("А. С. Пушкин",), language=language)
    return Book(meta=meta, chapters=(chapter, replace(chapter, id="ch02")),
                reference_ids=("a",))


def test_apply_sets_text_and_keeps_everything_else() -> None:
    book = _book("ru-KZ", '<h1 id="glava">"Глава" - первая</h1>\n<p>и в "доме"</p>')
    result = typography.apply(book)
    expected = _nb('<h1 id="glava">«Глава»~— первая</h1>\n<p>и~в~«доме»</p>')
    title = _nb("«Глава»~— первая")
    assert [c.html for c in result.chapters] == [expected, expected]
    chapters = tuple(replace(c, html=expected, title=title,
                             headings=(Heading(1, title, "glava"),)) for c in book.chapters)
    meta = replace(book.meta, title="«Книга»")
    assert result == replace(book, chapters=chapters, meta=meta)
    assert result.meta.authors == ("А. С. Пушкин",)  # names stay as the metadata gives them
    assert typography.apply(result) == result


def test_apply_sets_other_languages_in_their_quotes() -> None:
    book = typography.apply(_book("de", "<p>&quot;a&quot; -- b</p>"))
    assert book.chapters[0].html == "<p>„a“ – b</p>"


def test_demo_essay_is_set_without_damage() -> None:
    """The seed essay: only spaces become NBSPs, and the one spaced en dash an em dash."""
    settings = config.load(REPO)
    before = citations.resolve(reader.read(settings), settings).chapters[0].html
    after = typography.apply(citations.resolve(reader.read(settings), settings)).chapters[0].html
    assert after.replace(NBSP, " ") == before.replace("ЕС – Центральная", "ЕС — Центральная")
    assert "ЕС\u00a0— Центральная Азия" in after
    assert "«Один пояс, один путь»" in after
    assert "Сандра\u00a0Ф., и\u00a0Тулепбаева" in after
    assert "с.\u00a031–50" in after
    urls = re.compile(r"https?://[^\s<\"]+")
    assert urls.findall(after) == urls.findall(before) != []


@pytest.mark.parametrize(("language", "source", "expected"), [
    # a style's "---" for a repeated author, its straight quotes: as the style wrote them
    ("en", '<p>"Hi" -- <span class="citation"><a href="#r">"quote" ---, 1990...</a></span></p>',
     '<p>“Hi” – <span class="citation"><a href="#r">"quote" ---, 1990...</a></span></p>'),
    ("en", '<div class="csl-entry" id="r">---. 1994. <i>Book--E</i>.</div><p>a--b</p>',
     '<div class="csl-entry" id="r">---. 1994. <i>Book--E</i>.</div><p>a–b</p>'),
    # the spacing rules still set an entry; the smart ones leave its dashes and quotes
    ("ru", '<div class="references"><div class="csl-entry">Иванов И. И. "Мир" - М., 2001. - '
           'С. 1-12.</div></div><p>"Да" - 1-12</p>',
     '<div class="references"><div class="csl-entry">Иванов~И.~И. "Мир" - М., 2001. - '
     'С.~1-12.</div></div><p>«Да»~— 1–12</p>'),
    # a cite in another language inside a citation is cited text too
    ("ru", '<span class="citation"><span lang="en">Smith, "T" -- 5</span></span> "да"',
     '<span class="citation"><span lang="en">Smith, "T" -- 5</span></span> «да»'),
    # quotes in a citation neither open nor close the text's
    ("ru", '<p>"Он <span class="citation">"Мир</span> сказал"</p>',
     '<p>«Он <span class="citation">"Мир</span> сказал»</p>'),
])
def test_cited_text_keeps_the_styles_quotes_and_dashes(language: str, source: str,
                                                       expected: str) -> None:
    """Pandoc's smart typography never reaches citeproc's output (CSL test suite:
    fullstyles_ChicagoAuthorDateSimple's "---"); an element nested inside a citation
    closes it only at its own end tag."""
    assert typeset_html(source, language) == _nb(expected)
    assert typeset_html(typeset_html(source, language), language) == _nb(expected)


def test_a_citations_affixes_are_set_as_the_authors_text() -> None:
    """The author's prefix and suffix are the book's text: the citations stage sets them."""
    item = CiteItem("a", SourcePos(Path("ch.md"), 1, 1), prefix='see "this" --',
                    suffix="--- and 'that'")
    engine = csl.Engine(csl.find_style("apa", REPO), "en", [])
    assert engine.punctuate(citations._affixed(item, "Doe---1990", engine)) == (
        "see “this” – Doe---1990— and ‘that’")
