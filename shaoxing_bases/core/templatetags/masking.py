"""``{{ unit.contact_phone|masked_phone }}``: personal data masked wherever it is not the owner's."""

from django import template

from shaoxing_bases.masking import mask_phone

register = template.Library()
register.filter("masked_phone", mask_phone)
