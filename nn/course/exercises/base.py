"""Exercise and Result: an exercise checks an answer and says ✓ with the reason, or ✗ with a hint."""
import html

from micrograd.i18n import _, get_language
from .answers import RULE, _Bad, _kind, _same, _shape, agree

class Result:
    """The verdict on one answer: `ok`, and a message (why it is right, or a hint if it is not)."""

    def __init__(self, ok, message, solution=None, lang=None):
        self.ok, self.message, self.solution = ok, message, solution
        self.lang = lang

    def __bool__(self):
        return self.ok

    def __str__(self):
        text = f"{'✓' if self.ok else '✗'} {self.message}"
        return text + ("\n" + _("Solution: {solution}", self.lang, solution=self.solution)
                       if self.solution else '')

    __repr__ = __str__

    def _repr_html_(self):
        colour = '#1a7f37' if self.ok else '#b42318'
        style = f"border-left:4px solid {colour};padding:4px 10px;white-space:pre-wrap"
        return f'<div style="{style}">{html.escape(str(self))}</div>'


class Text(str):
    """A hint: a str that shows as plain text (no quotes) in a REPL and in Jupyter."""

    def __repr__(self):
        return str(self)

    def _repr_markdown_(self):
        return str(self)


def _numbers(answer):
    """Is the answer a number, or a list or matrix of them (read as floats)?"""
    if isinstance(answer, tuple):
        return bool(answer) and all(map(_numbers, answer))
    return isinstance(answer, float)


class Exercise:
    """One exercise: `prompt`; `check(answer, reveal=False)` → Result; `hint()`; `solution()`.

    Its texts are in `lang` (every one of them: made by the builder in that language);
    `check(…, lang=…)` and `hint(lang=…)` in another language ask the same exercise built anew in it.

    Made with keywords: `title`, `prompt`, `expects` (what the answer looks like: "one number");
    `solution` and `read` (reads an answer into the form compared, e.g. a float); `because` (why
    the right answer is right), `hint`, `worked` (the solution worked out); `slips`: pairs
    (a wrong answer, the hint that names that slip); `names` of a list's entries; `judge`: a
    function of the read answer → Result, instead of comparing with the solution."""

    def __init__(self, id, *, title, prompt, expects, solution, read, because, hint, worked,
                 slips=(), names=None, judge=None, lang=None):
        self.lang = get_language(lang)
        self.id, self.title, self.prompt, self.expects = id, title, prompt, expects
        self._solution, self._read, self._because = solution, read, because
        self._hint, self._worked, self._judge = hint, worked, judge
        self._answer = read(solution)
        if _numbers(self._answer):          # the prompt says when a rounded answer is right
            self.prompt = f"{prompt}\n\n{_(RULE, self.lang)}"
        self._slips = list(slips)
        self._names = names
        for wrong, text in self._slips:    # a slip that gives the right answer would be a bug here
            if _same(wrong, self._answer):
                raise ValueError(f"{id}: the slip {text[:50]!r} gives the right answer")

    def check(self, answer, reveal=False, lang=None):
        """✓ or ✗ with a targeted hint; `reveal=True` also shows the worked solution."""
        if lang is not None and get_language(lang) != self.lang:
            return self.in_language(lang).check(answer, reveal)
        try:
            if answer is Ellipsis:
                raise _Bad(_("no answer yet: replace the ... with your answer", self.lang))
            result = (self._judge or self._compare)(self._read(answer, lang=self.lang))
        except _Bad as e:
            result = Result(False, _("{reason}; expected {expects}.", self.lang, reason=e,
                                     expects=self.expects))
        except Exception as e:          # an answer can be anything: say what it was, no traceback
            result = Result(False, _("could not read {kind} ({error}: {message}); expected "
                                     "{expects}.", self.lang, kind=_kind(answer, self.lang),
                                     error=type(e).__name__, message=e, expects=self.expects))
        result.lang = self.lang
        if reveal:
            result.solution = self._worked
        return result

    def hint(self, lang=None):
        """A nudge in the right direction that does not give the answer away."""
        if lang is not None and get_language(lang) != self.lang:
            return self.in_language(lang).hint()
        return Text(self._hint)

    def in_language(self, lang):
        """This exercise, built anew with every text in `lang`."""
        from . import get
        return get(self.id, lang=lang)

    def solution(self):
        """The answer, in the form `check` expects (this gives it away)."""
        return self._solution

    def _compare(self, value):
        if _same(value, self._answer):
            return Result(True, self._because)
        for wrong, text in self._slips:
            if _same(value, wrong):
                return Result(False, text)
        if _shape(value) != _shape(self._answer):
            return Result(False, _("your answer has shape {yours}, but {expects} has shape "
                                   "{shape}.", self.lang, yours=_shape(value),
                                   expects=self.expects, shape=_shape(self._answer)))
        if len(_shape(value)) == 1:                       # a list: which entries, and why
            notes = [self._entry(i, v) for i, (v, right) in enumerate(zip(value, self._answer))
                     if not agree(v, right)]
            if any(note.endswith('.') for note in notes):
                return Result(False, "\n".join(notes))
            return Result(False, _("{entries}. {hint}", self.lang, entries=_(', ', self.lang)
                                   .join(notes), hint=self._hint))
        return Result(False, _("Not right, and not one of the usual slips. {hint}", self.lang,
                               hint=self._hint))

    def _entry(self, i, v):
        """'δ₂ᴸ: <the hint of a slip that gives v here>', or 'δ₂ᴸ is not right'."""
        right = self._answer[i]
        name = self._names[i] if self._names else _("entry {i}", self.lang, i=i + 1)
        for wrong, text in self._slips:
            if _shape(wrong) == _shape(self._answer) and not agree(wrong[i], right) \
                    and agree(v, wrong[i]):
                return _("{name}: {text}", self.lang, name=name, text=text)
        return _("{name} is not right", self.lang, name=name)

    def __str__(self):
        return (f"{self.id} — {self.title}\n\n{self.prompt}\n\n"
                + _("Answer with {expects}.", self.lang, expects=self.expects))

    def __repr__(self):
        return f"<Exercise {self.id}: {self.title}>"

    def _repr_html_(self):
        return (f"<b>{html.escape(self.id)}</b> — {html.escape(self.title)}"
                f'<pre style="white-space:pre-wrap">{html.escape(self.prompt)}</pre>'
                f"<i>{html.escape(_('Answer with {expects}.', self.lang, expects=self.expects))}</i>")
