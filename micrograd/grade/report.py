"""The grader's verdict: plain text with ✓ / ✗ for a terminal, HTML for Jupyter."""
import html

from ..i18n import _, display_width, pad

TEXTS = ('expected', 'got', 'cause')    # a result's fields that the checks write in words

MARKS = {'pass': '✓', 'fail': '✗', 'not yet': '·', 'note': 'ℹ', 'limit': '⚠', 'skipped': '–'}
COLOURS = {'pass': '#1a7f37', 'fail': '#b42318', 'not yet': '#6e7781', 'note': '#0969da',
           'limit': '#9a6700', 'skipped': '#6e7781'}


def translated(text):
    """A text from the grading subprocess (N_'s marks) in the learner's language: an English
    sentence, or [sentence, {field: text}] with its fields translated too.  Text that is not in the
    catalog (their numbers, reprs and exceptions) stays as it is."""
    if isinstance(text, list) and len(text) == 2 and isinstance(text[1], dict):
        return _(text[0], **{k: translated(v) for k, v in text[1].items()})
    return _(text) if isinstance(text, str) else text


class Outcome:
    """One check's result: status 'pass' | 'fail' | 'not yet' | 'note' | 'limit' (a limit of
    Python met, not a wrong answer) | 'skipped' (an earlier ✗ is the reason), and the details of
    a ✗ or a limit."""

    def __init__(self, name, title, read, status, expr='', expected='', got='', cause='',
                 traceback=''):
        self.name, self.title, self.read, self.status = name, title, read, status
        self.expr, self.expected, self.got, self.cause = expr, expected, got, cause
        self.traceback = traceback

    @property
    def ok(self):
        return self.status != 'fail'

    def details(self):
        """The lines under a ✗ (or the text of a note / a 'not yet')."""
        if self.status == 'pass':
            return []
        if self.status not in ('fail', 'limit'):
            return [self.got]
        lines = [f"  {self.expr}"] if self.expr else []
        lines.append(_("expected {expected}, got {got}", expected=self.expected, got=self.got)
                     if self.expected else _("raised {error}", error=self.got))
        lines += [_("cause: {cause}", cause=self.cause) if self.status == 'fail' else
                  _("a limit of Python, not a wrong answer: {cause}", cause=self.cause),
                  _("read: {read}", read=self.read)]
        return lines + ([self.traceback] if self.traceback else [])

    def __repr__(self):
        return f"<Outcome {self.name}: {self.status}>"


class Report:
    """Every check's Outcome, in the lecture's order. True when none failed ('not yet' and a
    limit are fine)."""

    def __init__(self, source, outcomes):
        self.source, self.outcomes = source, list(outcomes)

    def __bool__(self):
        return all(o.ok for o in self.outcomes)

    def __getitem__(self, name):
        return next(o for o in self.outcomes if o.name == name)

    def count(self, status):
        return sum(o.status == status for o in self.outcomes)

    @property
    def passed(self):
        return [o.name for o in self.outcomes if o.status == 'pass']

    @property
    def failed(self):
        return [o.name for o in self.outcomes if o.status == 'fail']

    def summary(self):
        parts = [_("{n} passed", n=self.count('pass')), _("{n} failed", n=self.count('fail'))]
        parts += [_("{n} not yet", n=self.count('not yet'))] if self.count('not yet') else []
        parts += [_("{n} note", n=self.count('note'))] if self.count('note') else []
        parts += [_("{n} at a limit", n=self.count('limit'))] if self.count('limit') else []
        parts += [_("{n} not checked", n=self.count('skipped'))] if self.count('skipped') else []
        return _(", ").join(parts)

    def __str__(self):
        width = max(display_width(o.name) for o in self.outcomes)
        lines = [_("Grading {source}", source=self.source)]
        for o in self.outcomes:
            lines.append(f"{MARKS[o.status]} {pad(o.name, width)}  {o.title}")
            lines += ["      " + line.replace("\n", "\n      ") for line in o.details()]
        return "\n".join(lines + [self.summary()])

    __repr__ = __str__

    def _repr_html_(self):
        rows = []
        for o in self.outcomes:
            colour = COLOURS[o.status]
            detail = html.escape("\n".join(o.details()))
            rows.append(
                f'<tr><td style="color:{colour};font-weight:bold;vertical-align:top">{MARKS[o.status]}'
                f'</td><td style="vertical-align:top;text-align:left"><code>{html.escape(o.name)}</code>'
                f' {html.escape(o.title)}'
                + (f'<pre style="margin:4px 0;white-space:pre-wrap;color:{colour}">{detail}</pre>'
                   if detail else '') + '</td></tr>')
        return (f'<div><b>{html.escape(_("Grading {source}", source=self.source))}</b>'
                f'<table style="border-collapse:collapse">{"".join(rows)}</table>'
                f'<i>{html.escape(self.summary())}</i></div>')
