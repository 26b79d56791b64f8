"""The plugin's HTML fixes: accessible names and an offline repository link."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from microcred.site.plugin import (
    MicrocredPlugin,
    drop_repository_facts,
    finish_html,
    item_text,
    label_checkboxes,
    name_search_dialog,
)

BOX = '<label class="task-list-control"><input type="checkbox" disabled{}/>' \
      '<span class="task-list-indicator"></span></label>'
SEARCH = '<div class="md-search" data-md-component="search" role="dialog">'
SOURCE = '<a href="https://github.com/o/r" title="Go to repository" class="md-source" ' \
         'data-md-component="source">'


def test_tight_item_is_named_by_its_text() -> None:
    html = f'<li class="task-list-item">{BOX.format("")} <strong>Notes</strong>: ' \
           "<code>notes.md</code>, text.</li>"
    assert 'disabled aria-label="Notes: notes.md, text."/>' in label_checkboxes(html)


def test_loose_item_is_named_by_its_first_paragraph() -> None:
    html = f'<li class="task-list-item">\n<p>{BOX.format(" checked")} Tally</p>\n' \
           "<p>A long description.</p>\n</li>"
    assert 'checked aria-label="Tally"/>' in label_checkboxes(html)


def test_nested_items_are_each_named_by_their_own_text() -> None:
    html = f'<li class="task-list-item">{BOX.format("")} outer\n<ul class="task-list">\n' \
           f'<li class="task-list-item">{BOX.format("")} inner</li>\n</ul>\n</li>'
    labelled = label_checkboxes(html)
    assert 'aria-label="outer"' in labelled
    assert 'aria-label="inner"' in labelled


def test_name_is_escaped_once_and_never_truncated() -> None:
    text = "Q &amp; A &quot;log&quot; " + "word " * 40
    named = label_checkboxes(f'<li class="task-list-item">{BOX.format("")} {text}</li>')
    assert f'aria-label="Q &amp; A &quot;log&quot; {"word " * 39}word"' in named


def test_item_without_text_gets_a_generic_name() -> None:
    html = f'<li class="task-list-item">{BOX.format("")}</li>'
    assert 'aria-label="checklist item"' in label_checkboxes(html)


def test_existing_name_is_kept() -> None:
    named = BOX.format(' aria-label="Mine"')
    html = f'<li class="task-list-item">{named} Theirs</li>'
    assert label_checkboxes(html) == html


def test_item_text_keeps_words_apart_at_line_breaks() -> None:
    assert item_text(" <em>one</em><br/>two\n  three ") == "one two three"


def test_search_dialog_gets_a_name() -> None:
    assert name_search_dialog(SEARCH) == SEARCH[:-1] + ' aria-label="Search">'


def test_repository_link_stays_but_fetches_no_facts() -> None:
    html = drop_repository_facts(SOURCE + SOURCE)
    assert "data-md-component" not in html
    assert html.count('href="https://github.com/o/r"') == 2


def test_finish_html_applies_every_page_fix() -> None:
    html = finish_html(SEARCH + SOURCE)
    assert 'aria-label="Search"' in html
    assert 'data-md-component="source"' not in html


def test_static_html_templates_are_finished_too() -> None:
    plugin, config = MicrocredPlugin(), MkDocsConfig()
    assert 'aria-label="Search"' in plugin.on_post_template(SEARCH, "404.html", config)
    assert plugin.on_post_template(SEARCH, "sitemap.xml", config) == SEARCH
