"""Every sentence a learner meets, in Chinese too: the catalog is complete both ways, its fields
match, the Chinese output has no English left in it and carries the same numbers as the English."""
import collections
import os
import subprocess
import sys

import pytest

import micrograd
from micrograd import i18n
from micrograd.i18n import _, extract, ngettext, po
from nn import walkthrough

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


pytestmark = pytest.mark.usefixtures('english_by_default')     # see conftest.py


# --- the catalog --------------------------------------------------------------------------------

def test_every_message_id_has_a_chinese_entry():
    missing, _stale, _fields = extract.check('zh')
    assert not missing, "no zh translation for:\n" + '\n'.join(
        f"  {k!r}  ({', '.join(f'{os.path.relpath(p, ROOT)}:{n}' for p, n in extract.message_ids()[k])})"
        for k in missing)


def test_no_chinese_entry_is_stale():
    _missing, stale, _fields = extract.check('zh')
    assert not stale, "zh.po entries that no code uses any more:\n" + '\n'.join(map(repr, stale))


def test_every_translation_keeps_the_fields_of_its_id():
    assert extract.check('zh')[2] == []


def test_no_message_is_listed_twice():
    assert extract.duplicates('zh') == []


def test_the_scan_finds_the_walkthrough_ids():
    ids = extract.message_ids()
    assert "by hand" in ids
    assert ("  averaged over n = {n} example (a(0), y) = {examples}:",
            "  averaged over n = {n} examples (a(0), y) = {examples}:") in ids
    assert "σ'(z) · Σ (w · ∂l/∂z of the next layer)" in ids        # marked with N_()


def test_the_scan_reads_every_marker(tmp_path):
    (tmp_path / 'm.py').write_text(
        "x = _('one {a}', a=1)\ny = N_('two')\nz = ngettext('a step', '{n} steps', 3)\n"
        "w = _(variable)\n", encoding='utf-8')
    assert set(extract.message_ids([str(tmp_path)])) == {'one {a}', 'two', ('a step', '{n} steps')}


def test_check_reports_missing_stale_and_mismatched(tmp_path, monkeypatch):
    (tmp_path / 'code').mkdir()
    (tmp_path / 'code' / 'm.py').write_text("_('kept {x}')\n_('new')\n", encoding='utf-8')
    (tmp_path / 'zh.po').write_text('msgid "kept {x}"\nmsgstr "保留 {y}"\n\n'
                                    'msgid "gone"\nmsgstr "没了"\n', encoding='utf-8')
    monkeypatch.setattr(extract, 'LOCALE', str(tmp_path))
    missing, stale, mismatched = extract.check('zh', [str(tmp_path / 'code')])
    assert (missing, stale) == (['new'], ['gone'])
    assert mismatched == [('kept {x}', '保留 {y}')]


# --- the .po reader and gettext ----------------------------------------------------------------

PO = r'''# a comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "a long "
"message"
msgstr "一条"
"长消息"

msgid "say \"hi\"\n"
msgstr "说“你好”\n"

#, fuzzy
msgid "unsure"
msgstr "不确定"

msgid "empty"
msgstr ""

msgid "{n} step"
msgid_plural "{n} steps"
msgstr[0] "{n} 步"
'''


def test_po_reader_and_gettext(tmp_path):
    path = tmp_path / 'x.po'
    path.write_text(PO, encoding='utf-8')
    t = po.translations(str(path))
    assert t.gettext('a long message') == '一条长消息'           # continuation lines joined
    assert t.gettext('say "hi"\n') == '说“你好”\n'               # escapes decoded
    assert t.gettext('unsure') == 'unsure'                      # fuzzy: as msgfmt, untranslated
    assert t.gettext('empty') == 'empty'
    assert t.ngettext('{n} step', '{n} steps', 1) == '{n} 步'
    assert t.ngettext('{n} step', '{n} steps', 5) == '{n} 步'


def test_a_broken_po_file_names_the_line(tmp_path):
    with pytest.raises(ValueError, match=r"x\.po:2: not a quoted string"):
        po.parse('msgid "a"\nmsgstr unquoted\n', 'x.po')
    with pytest.raises(ValueError, match=r"x\.po:1: msgstr before any msgid"):
        po.parse('msgstr "a"\n', 'x.po')


# --- choosing the language ---------------------------------------------------------------------

def test_english_is_the_default():
    assert micrograd.get_language() == 'en'
    assert _("by hand") == "by hand"


def test_lang_argument_and_set_language():
    assert _("by hand", lang='zh') == "手算"
    assert micrograd.set_language('zh') == 'zh'
    assert _("by hand") == "手算"
    assert _("by hand", lang='en') == "by hand"                # the argument wins
    assert micrograd.set_language(None) == 'en'
    assert _("by hand") == "by hand"


def test_regional_codes_are_accepted():
    for code in ('zh_CN', 'zh-TW', 'zh_CN.UTF-8', 'ZH'):
        assert i18n.get_language(code) == 'zh'
    assert i18n.get_language('en_GB') == 'en'


def test_an_unknown_language_is_refused_by_name():
    with pytest.raises(ValueError, match=r"set_language: unknown language 'fr'; choose one of 'en', 'zh'"):
        micrograd.set_language('fr')
    with pytest.raises(ValueError, match=r"lang: unknown language 'fr'"):
        _("by hand", lang='fr')


@pytest.mark.parametrize('env, expected, warns', [
    ('klingon', 'en', True), ('xx', 'en', True), ('C.UTF-8', 'en', False), ('C', 'en', False),
    ('POSIX', 'en', False), ('en_US.UTF-8', 'en', False), ('zh_CN.UTF-8', 'zh', False),
    ('zh_TW.Big5', 'zh', False), ('sr_RS@latin', 'en', True), ('fr_FR:zh_CN:en', 'zh', False),
    ('de_DE:fr', 'en', True),
])
def test_a_microgard_lang_we_do_not_speak_is_english_with_one_warning(env, expected, warns,
                                                                       monkeypatch):
    """Issue 21, item 6: a locale value, or a language we do not have, is never an error: every
    library message used to become "ValueError: ... unknown language" instead."""
    import warnings
    monkeypatch.setenv('MICROGRAD_LANG', env)
    i18n._from_environment.cache_clear()             # the warning is once per process and value
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        said = [_("by hand") for _n in range(3)]
        with pytest.raises(ValueError) as error:     # the library's own error, in its language
            micrograd.Value(-1.0, label='x').log()
    assert str(error.value) == {'en': "log: log() of a non-positive value, at log(x=-1.0)",
                                'zh': "log：log() 的参数不是正数，出错处：log(x=-1.0)"}[expected]
    assert i18n.get_language() == expected
    assert said == [{'en': "by hand", 'zh': "手算"}[expected]] * 3
    ours = [str(w.message) for w in caught if issubclass(w.category, i18n.LanguageWarning)]
    assert ours == ([f"MICROGRAD_LANG={env!r} names no language micrograd speaks (en, zh): "
                     "speaking English"] if warns else [])


@pytest.fixture
def catalogue(tmp_path, monkeypatch):
    """write(bytes or None): the zh catalogue is these bytes (None: there is none) from now on."""
    real = open(os.path.join(i18n.LOCALE, 'zh.po'), 'rb').read()

    def write(data):
        if data is not None:
            (tmp_path / 'zh.po').write_bytes(data)
        monkeypatch.setattr(i18n, 'LOCALE', str(tmp_path))
        i18n.translations.cache_clear()
        return real
    yield write
    monkeypatch.undo()
    i18n.translations.cache_clear()                 # the real catalogue again for the next test


def _cut_inside_a_string(real):
    at = real.index('msgstr "手算"'.encode()) + len('msgstr "手'.encode())
    return real[:at]                                # a complete character, then the line ends


def _cut_inside_a_character(real):
    return real[:real.index('手算'.encode()) + 1]  # the first of 手's three bytes


@pytest.mark.parametrize('damage, error', [
    (lambda real: None, "No such file or directory"),
    (_cut_inside_a_string, "not a quoted string"),
    (_cut_inside_a_character, "can't decode byte"),
    (lambda real: real.decode('utf-8').encode('gb18030'), "can't decode byte"),
], ids=['missing', 'truncated in a string', 'truncated in a character', 'not UTF-8'])
def test_a_catalogue_that_cannot_be_read_is_english_with_one_warning(damage, error, catalogue):
    import warnings
    catalogue(damage(catalogue(None)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        said = [_("by hand", lang='zh'), _("by hand", lang='zh')]
        with micrograd.i18n.language('zh'):
            with pytest.raises(ValueError, match=r"^log: log\(\) of a non-positive value"):
                micrograd.Value(-1.0, label='x').log()
    assert said == ["by hand", "by hand"]
    ours = [str(w.message) for w in caught if issubclass(w.category, i18n.LanguageWarning)]
    assert len(ours) == 1 and ours[0].startswith("the zh catalogue ") and error in ours[0], ours
    assert ours[0].endswith(": speaking English")


def test_with_language_is_per_thread():
    """Issue 21, item 6: four threads, each in its own `with language()`, all inside their blocks at
    once (a barrier): each speaks its own language throughout, and none leaks out — 20 times over,
    at a 1 µs switch interval."""
    import threading
    langs = ['zh', 'en', 'zh', 'en']
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for trial in range(20):
            i18n.translations.cache_clear()         # each thread's first sentence reads the catalogue
            barrier, heard = threading.Barrier(len(langs)), [[] for _ in langs]

            def speak(k):
                with micrograd.i18n.language(langs[k]):
                    barrier.wait(timeout=60)        # a thread that failed breaks it: no hang
                    for _n in range(50):
                        heard[k].append((i18n.get_language(), _("by hand")))
                    barrier.wait(timeout=60)
                heard[k].append((i18n.get_language(), None))

            threads = [threading.Thread(target=speak, args=(k,)) for k in range(len(langs))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert not any(t.is_alive() for t in threads), f"trial {trial}: a thread never ended"
            for k, lang in enumerate(langs):
                word = {'en': "by hand", 'zh': "手算"}[lang]
                assert heard[k][:-1] == [(lang, word)] * 50, (trial, k, set(heard[k]))
                assert heard[k][-1] == ('en', None), (trial, k)
            assert i18n.get_language() == 'en', f"trial {trial}: left {i18n.get_language()!r}"
    finally:
        sys.setswitchinterval(switch)


def test_set_language_inside_a_block_lasts_to_its_end_and_is_the_process_default_outside():
    with micrograd.i18n.language('en'):
        assert micrograd.set_language('zh') == 'zh'
        assert _("by hand") == "手算"
    assert i18n.get_language() == 'en'              # the block's choice ended with it
    micrograd.set_language('zh')
    import threading
    seen = []
    t = threading.Thread(target=lambda: seen.append(i18n.get_language()))
    t.start()
    t.join()
    assert seen == ['zh']                           # set_language is the whole process's
    with micrograd.i18n.language(None):
        assert i18n.get_language() == 'zh'


def test_environment_variable(monkeypatch):
    monkeypatch.setenv('MICROGRAD_LANG', 'zh')
    assert _("by hand") == "手算"
    micrograd.set_language('en')                               # set_language outranks it
    assert _("by hand") == "by hand"


def test_fields_and_plurals():
    assert _("  layer {l}: z = {z}, σ'(z) = {sigma_prime}", lang='zh', l=2, z='(1)',
             sigma_prime='(0.5)') == "  第 2 层：z = (1)，σ'(z) = (0.5)"
    one = ngettext("  averaged over n = {n} example (a(0), y) = {examples}:",
                   "  averaged over n = {n} examples (a(0), y) = {examples}:", 1, examples='x')
    assert one == "  averaged over n = 1 example (a(0), y) = x:"
    assert _('') == ''                                          # not the catalog's header


@pytest.mark.parametrize('env, expected', [('zh', '我们选的数'), ('en', 'our numbers'), (None, 'our numbers')])
def test_microgard_lang_in_a_fresh_process(env, expected):
    environ = {k: v for k, v in os.environ.items() if k != 'MICROGRAD_LANG'}
    if env:
        environ['MICROGRAD_LANG'] = env
    out = subprocess.run([sys.executable, '-m', 'nn.walkthrough'], env=environ, capture_output=True,
                         text=True, check=True).stdout
    assert expected in out


def test_walkthrough_lang_option():
    out = subprocess.run([sys.executable, '-m', 'nn.walkthrough', '--lang', 'zh'],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("1. 3Blue1Brown：每层只有一个神经元")
    assert "手算、引擎与有限差分三者之间的最大偏差" in out


# --- the check for English left in a Chinese text ----------------------------------------------

def test_english_words_finds_english_and_spares_labels_code_and_symbols():
    assert extract.english_words("∂L/∂x1 = 2.0 is complete", labels=['x1', 'L']) == ['is', 'complete']
    assert extract.english_words("x1w1 = x1 · w1：tanh(n) 的 .grad，见 REFERENCE.md，`backward()`",
                                 labels=['x1w1', 'x1', 'w1', 'n']) == []
    assert extract.english_words("节点 v12 和 push", labels=['v12']) == ['push']


def test_display_width_pads_chinese_as_two_columns():
    assert i18n.display_width('手算 ab') == 7
    assert i18n.pad('手算', 6) == '手算  ' and i18n.pad('手算', 6, '>') == '  手算'


# --- the walkthrough's tables -------------------------------------------------------------------

def _printed(lang):
    import io
    buf = io.StringIO()
    walkthrough.print_all(file=buf, lang=lang)
    return buf.getvalue()


@pytest.fixture(scope='module')
def tables():
    return _printed('en'), _printed('zh')


def test_walkthrough_in_chinese_has_no_english_words(tables):
    _en, zh = tables
    assert extract.english_words(zh) == []


def test_walkthrough_in_chinese_has_the_same_numbers(tables):
    en, zh = tables
    assert collections.Counter(extract.numbers(zh)) == collections.Counter(extract.numbers(en))
    assert len(en.splitlines()) == len(zh.splitlines())


def test_walkthrough_tables_stay_aligned_in_chinese(tables):
    _en, zh = tables
    lines = zh.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith('偏导数'):
            header, rule = line, lines[i + 1]
            assert i18n.display_width(header) == len(rule), (header, rule)
            # the numbers' columns are right-aligned under 手算 … 最大偏差: same end column
            row = lines[i + 2]
            assert i18n.display_width(header.split('最大偏差')[0] + '最大偏差') == \
                row.index('e-') + len('e-11'), (header, row)


def test_torch_comparison_table_in_chinese():
    from micrograd.torch_bridge import Row, TorchComparison
    rows = [Row('x', 2.0, 2.0, -1.5, -1.5), Row('w', 0.5, 0.5, 3.25, 3.25000001)]
    en, zh = (str(TorchComparison('L', 1.0, 1.0, rows, lang)) for lang in ('en', 'zh'))
    assert 'largest difference' in en and '最大差' in zh
    assert extract.english_words(zh, labels=['x', 'w', 'L']) == []
    assert extract.numbers(zh) == extract.numbers(en)


BAD_EXPRESSIONS = ['(x + 1', 'x)', '1x', 'x // 2', 'x ^ 2', 'foo(x)', 'x.data', 'x + y', 'tanh', 'x +', '', '[x]',
                   'x < 1', 'tanh(x, x)', 'tanh(x=1)', '3j', "'a'", 'None', 'x ** 5000', '1e999',
                   'x(1)', '(' * 300 + 'x' + ')' * 300]


@pytest.mark.parametrize('text', BAD_EXPRESSIONS)
def test_parser_messages_in_chinese(text):
    with pytest.raises(micrograd.ParseError) as en:
        micrograd.parse(text, x=1.0)
    micrograd.set_language('zh')
    with pytest.raises(micrograd.ParseError) as zh:
        micrograd.parse(text, x=1.0)
    message = str(zh.value).splitlines()[0]            # the caret lines show the expression
    assert extract.english_words(message, labels=[text.strip(), 'foo', 'data', 'y', 'x', 'j',
                                                  'None', 'float']) == [], message
    assert extract.numbers(message) == extract.numbers(str(en.value).splitlines()[0])
    assert zh.value.column == en.value.column
