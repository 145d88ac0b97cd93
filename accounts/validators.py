"""Password rules of a level-3 system: at least three kinds of character."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    CLASSES = (str.islower, str.isupper, str.isdigit, lambda c: c in string.punctuation or not c.isalnum())

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for test in self.CLASSES if any(test(c) for c in password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("The password must mix at least %(n)s of: lower-case letters, capitals, digits, symbols.") % {
            "n": self.min_classes}
