"""Every sentence the package says to a learner, in English or in Chinese.

    from micrograd.i18n import _
    _("{name} is an input (a leaf)", lang='zh', name='x1')     # -> 'x1 是输入（叶子）'
    micrograd.set_language('zh')                              # the default for this process

The English sentence is the message id (gettext's way): code reads naturally, and a sentence with no
translation yet falls back to English.  The translations live in `micrograd/locale/<lang>.po`
(gettext's text format, read with `po.py` and looked up with the stdlib's `gettext`); the words are
fixed once in `micrograd/locale/GLOSSARY.md`.  `python -m micrograd.i18n check` lists the ids the
code uses that a catalog lacks, and the entries no code uses any more.

Which language: the `lang=` argument if given, else the one `set_language()` chose, else the
`MICROGRAD_LANG` environment variable (read at each call, so a subprocess can set it), else English.
"""
import contextlib
import functools
import gettext
import os
import unicodedata

from . import po

__all__ = ['LANGUAGES', 'set_language', 'get_language', 'language', '_', 'N_', 'ngettext',
           'translations',
           'display_width', 'pad']

LANGUAGES = ('en', 'zh')
ENV = 'MICROGRAD_LANG'
LOCALE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'locale')

# The one piece of process-wide state the issue asks for: the language `set_language()` chose
# (None: not chosen, so MICROGRAD_LANG or English).  Everything else is passed as `lang=`.
_chosen = None


def _normalise(lang, where):
    """'zh', 'zh_CN', 'zh-TW', 'zh_CN.UTF-8' -> 'zh'; 'en_GB' -> 'en'; anything else: ValueError."""
    code = str(lang).strip().replace('-', '_').split('.')[0].split('_')[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"{where}: unknown language {lang!r}; choose one of "
                         f"{', '.join(map(repr, LANGUAGES))}")
    return code


def set_language(lang):
    """Make `lang` ('en' or 'zh') the default of every explanation in this process; None undoes it
    (back to MICROGRAD_LANG, else English).  Returns the language now in effect."""
    global _chosen
    _chosen = None if lang is None else _normalise(lang, 'set_language')
    return get_language()


@contextlib.contextmanager
def language(lang):
    """`with language('zh'):` — set_language(lang) for the block, then the choice before it again
    (lang=None: leave the choice as it is)."""
    global _chosen
    before = _chosen
    if lang is not None:
        set_language(lang)
    try:
        yield get_language()
    finally:
        _chosen = before


def get_language(lang=None):
    """The language to speak: `lang` if given, else set_language()'s choice, else $MICROGRAD_LANG,
    else 'en'."""
    if lang is not None:
        return _normalise(lang, 'lang')
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV, '').strip()
    return _normalise(env, f"the environment variable {ENV}") if env else 'en'


@functools.lru_cache(maxsize=None)      # a catalog is read once; it never changes while running
def translations(lang):
    """The gettext translations object for `lang`: English is the ids themselves."""
    lang = _normalise(lang, 'translations')
    if lang == 'en':
        return gettext.NullTranslations()
    return po.translations(os.path.join(LOCALE, f"{lang}.po"))


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
