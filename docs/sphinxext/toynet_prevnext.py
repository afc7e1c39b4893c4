"""Previous/next links that follow the narrative pages, not the whole toctree.

Sphinx links each page to its neighbours in the depth-first order of every
toctree, so a page placed after one with generated children (the MLflow page
lists its API pages) gets an API page as "previous". The pages of the index's
own toctree, after the index, are the reading order: on those pages the footer
links to the page before and after in that list. Other pages (the API
reference's, the gallery's) keep Sphinx's links.
"""

from markupsafe import escape


def narrative_pages(env):
    """The index, then its toctree's entries in order: the site's reading order."""
    root = env.config.root_doc
    return [root, *env.toctree_includes.get(root, [])]


def neighbours(pages, pagename):
    """The pages before and after ``pagename`` in ``pages`` (None at an end)."""
    if pagename not in pages:
        raise ValueError(f"{pagename!r} is not one of the narrative pages")
    i = pages.index(pagename)
    before = pages[i - 1] if i > 0 else None
    after = pages[i + 1] if i + 1 < len(pages) else None
    return before, after


def _link(app, pagename, other):
    if other is None:
        return None
    title = app.env.titles[other].astext()
    return {
        "link": app.builder.get_relative_uri(pagename, other),
        "title": escape(title),
    }


def follow_narrative(app, pagename, templatename, context, doctree):
    pages = narrative_pages(app.env)
    if pagename not in pages or "prev" not in context:
        return
    before, after = neighbours(pages, pagename)
    context["prev"] = _link(app, pagename, before)
    context["next"] = _link(app, pagename, after)


def setup(app):
    app.connect("html-page-context", follow_narrative)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
