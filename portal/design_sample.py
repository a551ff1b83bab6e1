"""The sample form of the design-system page (portal/views.py DesignSystemView).

It is bound to made-up input with an error, so the page shows a field with its help text,
a required field left empty and an invalid field, as a real form comes back.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class DesignSampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), help_text=_("As the meeting's invitation names it."), max_length=80)
    email = forms.EmailField(label=_("E-mail address"))
    starts_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("de", _("German")), ("en", _("English"))]
    )
    public = forms.BooleanField(label=_("Shown to visitors who are not logged in"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
