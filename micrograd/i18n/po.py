"""A gettext `.po` catalog read into the stdlib's `gettext.GNUTranslations`, with no `.mo` on disk.

Python's `gettext` reads only compiled `.mo` files, so `compile_mo` does what GNU `msgfmt` does (the
format: https://www.gnu.org/software/gettext/manual/html_node/MO-Files.html) into memory.  Fuzzy
entries count as untranslated, as with msgfmt.
"""
import ast
import gettext
import io
import struct

__all__ = ['Entry', 'read', 'parse', 'compile_mo', 'translations']


class Entry:
    """One catalog entry: msgid (and msgid_plural), msgstr (a list: one per plural form)."""

    def __init__(self, msgid, msgid_plural=None, msgstr=None, fuzzy=False, line=0):
        self.msgid, self.msgid_plural = msgid, msgid_plural
        self.msgstr = msgstr or []
        self.fuzzy, self.line = fuzzy, line

    def __repr__(self):
        return f"Entry({self.msgid!r}, msgstr={self.msgstr!r})"


def read(path):
    with open(path, encoding='utf-8') as f:
        return parse(f.read(), path)


def parse(text, where='<po>'):
    """The entries of a .po text, in order (the header, msgid "", first)."""
    entries, entry, field, fuzzy = [], None, None, False

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith('#'):
            if line.startswith('#,') and 'fuzzy' in line:
                finish()
                fuzzy = True
            continue            # comments, and #~ obsolete entries, are not messages
        keyword, _, rest = line.partition(' ')
        if line.startswith('"'):
            keyword, rest = None, line
        elif keyword == 'msgid':
            finish()
            entry, fuzzy = Entry('', fuzzy=fuzzy, line=n), False
        elif entry is None:
            raise ValueError(f"{where}:{n}: {keyword} before any msgid")
        try:
            value = ast.literal_eval(rest.strip())
        except (SyntaxError, ValueError):
            raise ValueError(f"{where}:{n}: not a quoted string: {raw!r}") from None
        if not isinstance(value, str):
            raise ValueError(f"{where}:{n}: not a quoted string: {raw!r}")
        if keyword is not None:
            field = keyword
            if keyword.startswith('msgstr'):
                entry.msgstr.append('')
            elif keyword == 'msgid_plural':
                entry.msgid_plural = ''
            elif keyword != 'msgid':
                raise ValueError(f"{where}:{n}: unknown keyword {keyword!r}")
        if field == 'msgid':
            entry.msgid += value
        elif field == 'msgid_plural':
            entry.msgid_plural += value
        else:
            entry.msgstr[-1] += value
    finish()
    return entries


def compile_mo(entries):
    """The .mo bytes of these entries (untranslated and fuzzy ones left out, as msgfmt does)."""
    pairs = {}
    for e in entries:
        if e.msgid and (e.fuzzy or not any(e.msgstr)):
            continue
        key = e.msgid if e.msgid_plural is None else e.msgid + '\0' + e.msgid_plural
        pairs[key.encode('utf-8')] = '\0'.join(e.msgstr).encode('utf-8')
    keys = sorted(pairs)
    header = 7 * 4
    ids_at, strs_at = header, header + 8 * len(keys)
    data_at = strs_at + 8 * len(keys)
    ids, strs, blob = [], [], b''
    for k in keys:
        ids.append((len(k), data_at + len(blob)))
        blob += k + b'\0'
    for k in keys:
        strs.append((len(pairs[k]), data_at + len(blob)))
        blob += pairs[k] + b'\0'
    out = struct.pack('<7I', 0x950412de, 0, len(keys), ids_at, strs_at, 0, data_at)
    for length, offset in ids + strs:
        out += struct.pack('<2I', length, offset)
    return out + blob


def translations(path):
    """A `gettext.GNUTranslations` for the .po file at `path`."""
    return gettext.GNUTranslations(io.BytesIO(compile_mo(read(path))))
