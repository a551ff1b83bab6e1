"""QuickSelect writes exactly the HTML of Django's own Select templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from partners.models import Organisation
from portal.select_widget import QuickSelect, quicken_selects
from tests.factories import OrganisationFactory

CHOICES = [
    ("", "All <countries>"),
    ("DE", "Germany"),
    ("IT", mark_safe("Ital<i>y</i>")),
    ("Groups & more", [('a"b', "Quote"), ("x", "Ex")]),
    (7, "Seven"),
]


@pytest.mark.parametrize("value", [None, "", "IT", 'a"b', 7, "unknown"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_country", "required": True, "disabled": False, "data-x": mark_safe("<&>")}]
)
def test_same_html_as_djangos_select(value, attrs):
    assert QuickSelect(choices=CHOICES).render("country", value, attrs) == forms.Select(choices=CHOICES).render(
        "country", value, attrs
    )


@pytest.mark.django_db
def test_same_html_for_a_model_choice_field_and_its_state_is_kept():
    OrganisationFactory.create_batch(3)
    form_class = type(
        "F",
        (forms.Form,),
        {
            "organisation": forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), required=False),
            "kind": forms.ChoiceField(choices=Organisation.Kind.choices, widget=forms.RadioSelect),
        },
    )
    plain, quick = (
        form_class(initial={"organisation": Organisation.objects.first().pk}),
        form_class(initial={"organisation": Organisation.objects.first().pk}),
    )
    quicken_selects(quick.fields)
    assert type(quick.fields["organisation"].widget) is QuickSelect
    assert type(quick.fields["kind"].widget) is forms.RadioSelect  # only plain selects change
    assert str(quick["organisation"]) == str(plain["organisation"])
