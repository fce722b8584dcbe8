"""Every sentence the package says to a learner, in English or in Chinese.

    from micrograd.i18n import _
    _("{name} is an input (a leaf)", lang='zh', name='x1')     # -> 'x1 是输入（叶子）'
    micrograd.set_language('zh')                              # the default for this process

The English sentence is the message id (gettext's way): code reads naturally, and a sentence with no
translation yet falls back to English.  The translations live in `micrograd/i18n/locale/<lang>.po`
(gettext's text format, read with `po.py` and looked up with the stdlib's `gettext`); the words are
fixed once in `micrograd/i18n/locale/GLOSSARY.md`.  `python -m micrograd.i18n check` lists the ids the
code uses that a catalog lacks, and the entries no code uses any more.

Which language: the `lang=` argument if given, else the one `with language(...)` chose for this
thread (or asyncio task), else the one `set_language()` chose, else the `MICROGRAD_LANG` environment
variable (read at each call, so a subprocess can set it; a locale value like `zh_CN.UTF-8` works, and
one naming no language of ours is English, with one warning), else English.  A catalogue that cannot
be read is English too, with one warning: translations never stop the package from speaking.
"""
import contextlib
import contextvars
import functools
import gettext
import os
import threading
import unicodedata
import warnings

from . import po

__all__ = ['LANGUAGES', 'set_language', 'get_language', 'language', '_', 'N_', 'ngettext',
           'translations', 'LanguageWarning',
           'display_width', 'pad']

LANGUAGES = ('en', 'zh')
ENV = 'MICROGRAD_LANG'
LOCALE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'locale')

# The one piece of process-wide state the issue asks for: the language `set_language()` chose
# (None: not chosen, so MICROGRAD_LANG or English).  Everything else is passed as `lang=`, except
# a `with language(...)` block's choice, which is its thread's (or task's) own: a ContextVar.
_chosen = None
_OUTSIDE = object()                             # no `with language()` block around this code
_block = contextvars.ContextVar('micrograd_language', default=_OUTSIDE)


class LanguageWarning(UserWarning):
    """MICROGRAD_LANG names no language of ours, or a catalogue cannot be read: English instead."""


def _normalise(lang, where):
    """'zh', 'zh_CN', 'zh-TW', 'zh_CN.UTF-8' -> 'zh'; 'en_GB' -> 'en'; anything else: ValueError."""
    code = _code(lang)
    if code not in LANGUAGES:
        raise ValueError(f"{where}: unknown language {lang!r}; choose one of "
                         f"{', '.join(map(repr, LANGUAGES))}")
    return code


def _code(lang):
    return str(lang).strip().replace('-', '_').split('.')[0].split('@')[0].split('_')[0].lower()


@functools.lru_cache(maxsize=None)      # one warning per value, not one per sentence
def _from_environment(value):
    """MICROGRAD_LANG's language: the first of a list like 'zh_CN:en' we speak; the C/POSIX
    locale is English; anything else is English, with one warning."""
    codes = [_code(part) for part in value.split(':') if part.strip()]
    for code in codes:
        if code in LANGUAGES:
            return code
    if set(codes) - {'c', 'posix'}:
        warnings.warn(_("{variable}={value} names no language micrograd speaks ({languages}): "
                        "speaking English", 'en', variable=ENV, value=repr(value),
                        languages=', '.join(LANGUAGES)), LanguageWarning, stacklevel=2)
    return 'en'


def set_language(lang):
    """Make `lang` ('en' or 'zh') the default of every explanation in this process (inside a
    `with language()` block: for the rest of that block, in its thread); None undoes it (back to
    MICROGRAD_LANG, else English).  Returns the language now in effect."""
    global _chosen
    code = None if lang is None else _normalise(lang, 'set_language')
    if _block.get() is _OUTSIDE:
        _chosen = code
    else:
        _block.set(code)
    return get_language()


@contextlib.contextmanager
def language(lang):
    """`with language('zh'):` — lang for the block, in this thread (or asyncio task) only, then the
    choice before it again (lang=None: leave the choice as it is)."""
    token = _block.set(_normalise(lang, 'language') if lang is not None else _current_choice())
    try:
        yield get_language()
    finally:
        _block.reset(token)


def _current_choice():
    chosen = _block.get()
    return _chosen if chosen is _OUTSIDE else chosen


def get_language(lang=None):
    """The language to speak: `lang` if given, else this thread's `with language()` block's or
    set_language()'s choice, else $MICROGRAD_LANG, else 'en'."""
    if lang is not None:
        return _normalise(lang, 'lang')
    chosen = _current_choice()
    if chosen is not None:
        return chosen
    env = os.environ.get(ENV, '').strip()
    return _from_environment(env) if env else 'en'


# Threads asking for a catalogue at once read it one at a time: CPython 3.11's parser (under the
# catalogue's ast.literal_eval) is not safe to run in two threads at once (a SystemError).
_READING = threading.Lock()


@functools.lru_cache(maxsize=None)      # a catalog is read once; it never changes while running
def translations(lang):
    """The gettext translations object for `lang`: English is the ids themselves."""
    lang = _normalise(lang, 'translations')
    if lang == 'en':
        return gettext.NullTranslations()
    path = os.path.join(LOCALE, f"{lang}.po")
    try:
        with _READING:
            return po.translations(path)
    except (OSError, ValueError, LookupError) as e:     # missing, unreadable, not UTF-8, cut short
        warnings.warn(_("the {language} catalogue {path} cannot be read ({error}): speaking English",
                        'en', language=lang, path=path, error=e), LanguageWarning, stacklevel=2)
        return gettext.NullTranslations()


def _(msgid, /, lang=None, **fields):
    """`msgid` in the learner's language, its {fields} filled in (numbers already as text)."""
    if not msgid:                       # gettext('') is the catalog's header, not a message
        return msgid
    text = translations(get_language(lang)).gettext(msgid)
    return text.format(**fields) if fields else text


def ngettext(singular, plural, n, /, lang=None, **fields):
    """'1 step' / '3 steps' (Chinese has one form): {n} and the {fields} filled in."""
    text = translations(get_language(lang)).ngettext(singular, plural, n)
    return text.format(n=n, **fields)


def N_(message):
    """Mark an English sentence for the catalog where it is defined; `_()` translates it later."""
    return message


def display_width(text):
    """Columns `text` takes in a terminal: a Chinese character is two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in text)


def pad(text, width, align='<'):
    """`text` padded with spaces to `width` terminal columns, on the right ('<') or left ('>')."""
    fill = ' ' * max(0, width - display_width(text))
    return text + fill if align == '<' else fill + text
