"""Exercise and Result: an exercise checks an answer and says ✓ with the reason, or ✗ with a hint."""
import html

from .answers import RULE, _Bad, _kind, _same, _shape, agree

class Result:
    """The verdict on one answer: `ok`, and a message (why it is right, or a hint if it is not)."""

    def __init__(self, ok, message, solution=None):
        self.ok, self.message, self.solution = ok, message, solution

    def __bool__(self):
        return self.ok

    def __str__(self):
        text = f"{'✓' if self.ok else '✗'} {self.message}"
        return text + (f"\nSolution: {self.solution}" if self.solution else '')

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
    """One exercise: `prompt`; `check(answer, reveal=False)` → Result; `hint()`; `solution()`."""

    def __init__(self, id, title, prompt, expects, solution, read, because, hint, worked,
                 slips=(), names=None, judge=None):
        self.id, self.title, self.prompt, self.expects = id, title, prompt, expects
        self._solution, self._read, self._because = solution, read, because
        self._hint, self._worked, self._judge = hint, worked, judge
        self._answer = read(solution)
        if _numbers(self._answer):          # the prompt says when a rounded answer is right
            self.prompt = f"{prompt}\n\n{RULE}"
        self._slips = list(slips)
        self._names = names
        for wrong, text in self._slips:    # a slip that gives the right answer would be a bug here
            if _same(wrong, self._answer):
                raise ValueError(f"{id}: the slip {text[:50]!r} gives the right answer")

    def check(self, answer, reveal=False):
        """✓ or ✗ with a targeted hint; `reveal=True` also shows the worked solution."""
        try:
            if answer is Ellipsis:
                raise _Bad("no answer yet: replace the ... with your answer")
            result = (self._judge or self._compare)(self._read(answer))
        except _Bad as e:
            result = Result(False, f"{e}; expected {self.expects}.")
        except Exception as e:          # an answer can be anything: say what it was, no traceback
            result = Result(False, f"could not read {_kind(answer)} ({type(e).__name__}: {e}); "
                                   f"expected {self.expects}.")
        if reveal:
            result.solution = self._worked
        return result

    def hint(self):
        """A nudge in the right direction that does not give the answer away."""
        return Text(self._hint)

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
            return Result(False, f"your answer has shape {_shape(value)}, but {self.expects} "
                                 f"has shape {_shape(self._answer)}.")
        if len(_shape(value)) == 1:                       # a list: which entries, and why
            notes = [self._entry(i, v) for i, (v, right) in enumerate(zip(value, self._answer))
                     if not agree(v, right)]
            if any(note.endswith('.') for note in notes):
                return Result(False, "\n".join(notes))
            return Result(False, f"{', '.join(notes)}. {self._hint}")
        return Result(False, f"Not right, and not one of the usual slips. {self._hint}")

    def _entry(self, i, v):
        """'δ₂ᴸ: <the hint of a slip that gives v here>', or 'δ₂ᴸ is not right'."""
        right, name = self._answer[i], self._names[i] if self._names else f"entry {i + 1}"
        for wrong, text in self._slips:
            if _shape(wrong) == _shape(self._answer) and not agree(wrong[i], right) \
                    and agree(v, wrong[i]):
                return f"{name}: {text}"
        return f"{name} is not right"

    def __str__(self):
        return f"{self.id} — {self.title}\n\n{self.prompt}\n\nAnswer with {self.expects}."

    def __repr__(self):
        return f"<Exercise {self.id}: {self.title}>"

    def _repr_html_(self):
        return (f"<b>{html.escape(self.id)}</b> — {html.escape(self.title)}"
                f'<pre style="white-space:pre-wrap">{html.escape(self.prompt)}</pre>'
                f"<i>Answer with {html.escape(self.expects)}.</i>")
