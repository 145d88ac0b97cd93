"""Chinese first: every message of the catalogue is translated, none is a machine guess left fuzzy."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries():
    return [e for e in CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:] if "msgid" in e]


def test_no_message_is_left_untranslated():
    empty = [e for e in entries() if re.search(r'msgstr(\[\d\])? ""\s*$', e) and "#~" not in e]
    assert empty == []


def test_no_translation_is_a_fuzzy_guess():
    assert [e for e in entries() if "#, fuzzy" in e] == []
